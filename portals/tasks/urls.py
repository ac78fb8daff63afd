"""My tasks, at /tasks/: the task list of every staff user (not only the program's managers)."""

from django.urls import path

from portals.shared.time_zone import time_zone_set
from portals.tasks import views

urlpatterns = [
    path("", views.task_list_view, name="list"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("time-zone/", time_zone_set, name="time-zone"),  # the form is on the notification preferences
]
