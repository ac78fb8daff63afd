"""The reference manager's portal at /manage/: every route of it (My tasks is its own portal, /tasks/)."""

from django.urls import path

from portals.manage.views import catalogue, erasure, events, inbox, nominations, references, requests

urlpatterns = [
    path("", inbox.inbox, name="home"),
    path("bulk/", inbox.bulk, name="bulk"),
    path("requests/<int:pk>/", requests.detail, name="request"),
    path("requests/<int:pk>/act/", requests.act, name="request-act"),
    path("requests/<int:pk>/record/", requests.record, name="request-record"),
    path("requests/<int:pk>/brief/", requests.brief, name="request-brief"),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event-new"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("accounts/", references.account_list, name="accounts"),
    path("accounts/new/", catalogue.account_new, name="account-new"),
    path("accounts/<int:pk>/", references.account_detail, name="account"),
    path("accounts/<int:pk>/edit/", references.account_edit, name="account-edit"),
    path("accounts/<int:pk>/status/", references.account_status, name="account-status"),
    path("accounts/<int:pk>/retire/", catalogue.account_retire, name="account-retire"),
    path("accounts/<int:pk>/owner/", catalogue.account_owner, name="account-owner"),
    path("contacts/", references.contact_list, name="contacts"),
    path("contacts/new/", catalogue.contact_new, name="contact-new"),
    path("contacts/<int:pk>/", references.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", references.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/status/", references.contact_status, name="contact-status"),
    path("contacts/<int:pk>/retire/", catalogue.contact_retire, name="contact-retire"),
    path("erasures/<int:pk>/", erasure.erasure_confirm, name="erasure"),
    path("nominations/", nominations.nomination_list, name="nominations"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/qualify/", nominations.nomination_qualify_view, name="nomination-qualify"),
    path("nominations/<int:pk>/consent/", nominations.nomination_consent_view, name="nomination-consent"),
    path("nominations/<int:pk>/accept/", nominations.nomination_accept_view, name="nomination-accept"),
    path("nominations/<int:pk>/decline/", nominations.nomination_decline_view, name="nomination-decline"),
]
