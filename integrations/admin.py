from django.contrib import admin
from rest_framework_api_key.models import APIKey

# The library's own key model is unused: keys are integrations.ApiKey, one user's each.
admin.site.unregister(APIKey)
