"""The statuses of what customers ask of the program (an erasure request)."""

from django.db import models


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    DONE = "done", "Done"
