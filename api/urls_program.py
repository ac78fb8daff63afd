"""The program's records, read-only (accounts, contacts, deals, activities) and the user's own
notifications (marking them read): api/views/program_*.py."""

from django.urls import path

from api.views.program_catalogue import AccountDetail, AccountList, ContactDetail, ContactList
from api.views.program_deals import ActivityDetail, ActivityList, OpportunityDetail, OpportunityList
from api.views.program_notifications import NotificationList, NotificationRead, NotificationsReadAll

urlpatterns = [
    path("accounts/", AccountList.as_view(), name="api-accounts"),
    path("accounts/<int:pk>/", AccountDetail.as_view(), name="api-account"),
    path("contacts/", ContactList.as_view(), name="api-contacts"),
    path("contacts/<int:pk>/", ContactDetail.as_view(), name="api-contact"),
    path("opportunities/", OpportunityList.as_view(), name="api-opportunities"),
    path("opportunities/<int:pk>/", OpportunityDetail.as_view(), name="api-opportunity"),
    path("activities/", ActivityList.as_view(), name="api-activities"),
    path("activities/<int:pk>/", ActivityDetail.as_view(), name="api-activity"),
    path("notifications/", NotificationList.as_view(), name="api-notifications"),
    path("notifications/read-all/", NotificationsReadAll.as_view(), name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", NotificationRead.as_view(), name="api-notification-read"),
]
