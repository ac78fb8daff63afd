"""The CRM's upserts at /api/crm/ (api/views/crm.py): one record by external id, or a batch."""

from django.urls import path

from api.views import crm

urlpatterns = [
    path("accounts/bulk/", crm.AccountBatch.as_view(), name="api-crm-accounts-bulk"),
    path("accounts/<str:external_id>/", crm.AccountUpsert.as_view(), name="api-crm-account"),
    path("contacts/bulk/", crm.ContactBatch.as_view(), name="api-crm-contacts-bulk"),
    path("contacts/<str:external_id>/", crm.ContactUpsert.as_view(), name="api-crm-contact"),
    path("opportunities/bulk/", crm.OpportunityBatch.as_view(), name="api-crm-opportunities-bulk"),
    path("opportunities/<str:external_id>/", crm.OpportunityUpsert.as_view(), name="api-crm-opportunity"),
]
