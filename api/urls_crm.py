"""API routes: filled in by issue 17's work (see api/urls.py)."""

urlpatterns = []
