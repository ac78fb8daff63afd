"""The sales rep's screens at /sales/, one module per area; each view is thin: a selector to
read, a service to write, a template to show."""
