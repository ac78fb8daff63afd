"""The sales rep's portal at /sales/."""

from django.urls import path

from portals.sales.views import (
    approvals,
    content,
    events,
    exports,
    home,
    nominations,
    opportunities,
    requests,
    search,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.search, name="search"),
    path("search/export/", exports.search_export, name="search-export"),
    path("references/<int:contact_id>/", search.reference, name="reference"),
    path("opportunities/", opportunities.opportunity_list, name="opportunities"),
    path("opportunities/new/", opportunities.opportunity_new, name="opportunity-new"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity-edit"),
    path("opportunities/<int:pk>/find/", search.find_for_opportunity, name="find"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/export/", exports.requests_export, name="requests-export"),
    path("requests/new/", requests.request_new, name="request-new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/cancel/", requests.request_cancel_view, name="request-cancel"),
    path("requests/<int:pk>/feedback/", requests.request_feedback, name="request-feedback"),
    path("requests/<int:pk>/act/", requests.request_act, name="request-act"),
    path("content/", content.content_list, name="content"),
    path("content/<int:pk>/", content.asset_detail, name="asset"),
    path("content/<int:pk>/use/", content.asset_use, name="asset-use"),
    path("events/", events.event_list, name="events"),
    path("events/<int:pk>/signup/", events.event_signup_view, name="event-signup"),
    path("nominations/", nominations.nomination_list, name="nominations"),
    path("nominations/new/", nominations.nomination_account, name="nominate"),
    path("nominations/new/<int:account_pk>/", nominations.nomination_new, name="nominate-account"),
    path("nominations/<int:pk>/consent/", nominations.nomination_consent_view, name="nomination-consent"),
    # Account owners answer the requests to use their accounts.
    path("approvals/", approvals.approval_list, name="approvals"),
    path("approvals/<int:pk>/", approvals.approval_detail, name="approval"),
    path("approvals/<int:pk>/answer/", approvals.approval_answer, name="approval-answer"),
]
