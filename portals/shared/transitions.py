"""Taking a workflow action from a portal page: one form parses what every action's form posts,
and one function hands it to the transition service (workflows.services.request_transition).

The page decides which actions it offers (`actions`); the transition table decides whether this
user may take one now, and its guard checks what the action needs (a contact, a time…).
"""

from collections.abc import Iterable

from django import forms
from django.http import HttpRequest

from core.errors import InvalidInput
from core.forms import DateTimeField
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from requests_app.models import ReferenceRequest, RequestStatus
from workflows.guards import SCHEDULE_ANYWAY
from workflows.querysets import request_managers
from workflows.services import request_transition
from workflows.transitions import ACTIONS, action_label

# The inputs an action may carry besides the note, as the guards take them.
PAYLOAD_FIELDS = ("contact", "assignee", "scheduled_for", SCHEDULE_ANYWAY, "override_reason")


_CHOOSE_CONTACT = dict.fromkeys(("invalid", "min_value", "max_value"), "Choose a contact.")
_CHOOSE_MANAGER = dict.fromkeys(("invalid_choice", "invalid_pk_value"), "Choose a reference manager.")


class TransitionForm(forms.Form):
    action = forms.ChoiceField(error_messages={"invalid_choice": "That action is not available here."})
    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH, strip=True)
    # The status the page showed: acting on a request that moved since is a conflict, not a surprise.
    expected_status = forms.ChoiceField(choices=RequestStatus.choices, required=False)
    contact = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, error_messages=_CHOOSE_CONTACT
    )
    # Parsed and scoped in one step: only an active reference manager can be chosen.
    assignee = forms.ModelChoiceField(request_managers(), required=False, error_messages=_CHOOSE_MANAGER)
    scheduled_for = DateTimeField(
        required=False, error_messages={"invalid": "Give the date and time it is scheduled for."}
    )
    override_reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH, strip=True)
    # Sent by the "Schedule anyway" button of the warning (workflows.guards._warn_if_late).
    schedule_anyway = forms.BooleanField(required=False)

    def __init__(self, *args, actions: Iterable[str] = ACTIONS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, action_label(action)) for action in actions]

    def payload(self) -> dict:
        """The action's inputs that were given (the guards refuse what is missing)."""
        return {name: self.cleaned_data[name] for name in PAYLOAD_FIELDS if self.cleaned_data.get(name)}

    def first_error(self) -> InvalidInput:
        name, errors = next(iter(self.errors.items()))
        return InvalidInput(errors[0], field=None if name == "__all__" else name)


def take_transition(
    request: HttpRequest, *, request_id: int, actions: Iterable[str] = ACTIONS, shown_status: str = ""
) -> ReferenceRequest:
    """Apply the action posted to `request_id` as the signed-in user; raises a domain error
    (InvalidInput naming the field for a malformed post). `shown_status` stands in for a page
    that posts no expected status."""
    form = TransitionForm(request.POST, actions=actions)
    if not form.is_valid():
        raise form.first_error()
    data = form.cleaned_data
    return request_transition(
        request_id=request_id,
        action=data["action"],
        actor=request.user,
        note=data["note"],
        expected_status=data["expected_status"] or shown_status or None,
        **form.payload(),
    )
