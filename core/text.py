"""How long the free text people type may be: notes, comments and reasons.

A note is read on a page beside other things; a 60,000-character note stretched a request page to
38,000 px and buried the rest. Limits:
- NOTE_MAX_LENGTH, 4,000 characters (about 600 words, two printed pages): request notes, answers
  and workflow notes, feedback, account notes and stories, activity and event notes, nomination
  reasons. Anything longer is a document and belongs in the content library.
- REASON_MAX_LENGTH, 2,000 characters: the reason given for one decision (a status change, a
  limit override, a nomination's decision) or a short preference text.

The form fields carry the same numbers as `max_length`; the model fields carry them as a validator
(`note_field`), which model forms, the admin, `full_clean` and DRF model serializers run. Not as a
database check constraint: on SQLite adding one rebuilds the table, which drops the limits
triggers (`limits/change_triggers.py`) on requests, activities and preferences.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

NOTE_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000


def note_field(limit: int = NOTE_MAX_LENGTH, **kwargs) -> models.TextField:
    """A TextField of at most `limit` characters. Its error is the one a form field's `max_length`
    gives, naming the limit: "Ensure this value has at most 4000 characters (it has 60000)."."""
    return models.TextField(validators=[MaxLengthValidator(limit)], **kwargs)
