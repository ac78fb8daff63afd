"""Workflow templates, the request state machine and tasks (built by the workflow issue)."""
