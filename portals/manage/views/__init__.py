"""The reference manager's screens at /manage/ (routes in portals/manage/urls.py)."""

# Rows per page of the manager's lists (wider screens, denser tables than the sales portal).
PAGE_SIZE = 50
