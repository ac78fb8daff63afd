"""My tasks, at /tasks/: the task list of every staff user (not only the program's managers)."""

from django.urls import path

from portals.tasks import views

urlpatterns = [
    path("", views.task_list_view, name="list"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
]
