"""A staff user's own page: their API keys (issue 17 fills it in)."""

urlpatterns = []
