"""Staff single sign-on with OpenID Connect: mozilla-django-oidc, configured from the environment.

`provider` finds the provider's endpoints, `backend` verifies its ID token and finds the user,
`services` links the identity and sets the roles its claim names, `views` start and finish the flow.
"""
