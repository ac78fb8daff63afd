from tests.builders.oidc_provider import oidc_provider, oidc_server  # noqa: F401 (fixtures)
