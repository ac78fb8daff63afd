"""My tasks, at /tasks/ for every staff user (not only the program's managers)."""

from django.urls import path

from portals.manage import tasks

urlpatterns = [
    path("", tasks.task_list_view, name="list"),
    path("<int:pk>/complete/", tasks.complete, name="complete"),
    path("<int:pk>/reassign/", tasks.reassign, name="reassign"),
]
