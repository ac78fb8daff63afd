"""Forms of the manager portal. They parse input; the rules live in the services they feed, whose
refusals the views put back on the field they name (`add_domain_error`)."""

from django import forms
from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils import timezone

from core.forms import CutToFitMixin, DateField, DomainErrorsMixin, IdField, IdsField, SaneDatesMixin
from core.roles import ACCOUNT_OWNER_ROLES, users_with_roles
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from references.models import (
    Account,
    ActivityType,
    Contact,
    Country,
    Industry,
    ParticipationPreferences,
    Region,
)
from references.statuses import ReferenceStatus
from requests_app.models import RequestStatus
from workflows.selectors import InboxFilters, managers, requesters

STATUS_FILTER_CHOICES = [
    ("triage", "Needs triage"),
    ("open", "All open"),
    ("all", "All"),
    *RequestStatus.choices,
]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(choices=STATUS_FILTER_CHOICES, required=False)
    activity_type = forms.ModelChoiceField(ActivityType.objects.all(), required=False, empty_label="Any type")
    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="Any region")
    requester = forms.ModelChoiceField(User.objects.none(), required=False, empty_label="Anyone")
    assigned = forms.ChoiceField(
        choices=[("", "Anyone's"), ("me", "Mine"), ("none", "Unassigned")], required=False, label="Assigned"
    )
    sort = forms.ChoiceField(
        choices=[("needed_by", "Needed by, then deal size"), ("amount", "Deal size, then needed by")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = requesters()

    def filters(self) -> InboxFilters:
        if not self.is_valid():
            return InboxFilters()
        data = self.cleaned_data
        return InboxFilters(
            status=data["status"] or "triage",
            activity_type=data["activity_type"].pk if data["activity_type"] else None,
            region=data["region"].pk if data["region"] else None,
            requester=data["requester"].pk if data["requester"] else None,
            assigned=data["assigned"],
            sort=data["sort"] or "needed_by",
        )


class BulkForm(forms.Form):
    ids = IdsField(required=True, error_messages={"required": "Tick some requests first."})
    action = forms.ChoiceField(choices=[("reassign", "Assign to"), ("decline", "Decline")])
    assignee = forms.ModelChoiceField(User.objects.none(), required=False)
    note = forms.CharField(required=False, max_length=REASON_MAX_LENGTH, label="Reason")
    # The inbox's query string, to return to the same filters and page.
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = managers()

    def back_query(self) -> str:
        """The inbox's query string the form came from, re-encoded ("" when there is none)."""
        back = getattr(self, "cleaned_data", {}).get("next") or ""
        return f"?{QueryDict(back[1:]).urlencode()}" if back.startswith("?") else ""

    def clean(self):
        data = super().clean()
        if data.get("action") == "reassign" and not data.get("assignee"):
            self.add_error("assignee", "Choose the manager to assign them to.")
        if data.get("action") == "decline" and not (data.get("note") or "").strip():
            self.add_error("note", "Give the reason for declining.")
        return data


class CustomerBriefForm(DomainErrorsMixin, forms.Form):
    """What the asked customer may know about the prospect (requests_app.services.customer_brief_set)."""

    customer_brief = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=REASON_MAX_LENGTH,
        label="Brief for the customer",
        help_text="Shown to the customer in their portal. Leave empty and they see only the prospect's "
        "industry and size.",
    )


class RecordActivityForm(DomainErrorsMixin, forms.Form):
    occurred_on = DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date it happened")
    duration_minutes = forms.IntegerField(
        min_value=1, max_value=1440, required=False, label="Duration (minutes)"
    )
    participants = forms.ModelMultipleChoiceField(
        Contact.objects.none(), widget=forms.CheckboxSelectMultiple, label="Customer participants"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH, label="Notes"
    )
    # The status the page showed (a request that moved since is a conflict).
    expected_status = forms.ChoiceField(
        choices=RequestStatus.choices, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (
            participants if participants is not None else Contact.objects.none()
        )
        self.fields["occurred_on"].initial = timezone.localdate()


class EventForm(forms.Form):
    title = forms.CharField(max_length=200)
    activity_type = forms.ModelChoiceField(ActivityType.objects.all())
    occurred_on = DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date it happened")
    duration_minutes = forms.IntegerField(
        min_value=1, max_value=1440, required=False, label="Duration (minutes)"
    )
    requests = IdsField(required=True, label="Requests it served", widget=forms.CheckboxSelectMultiple)
    speakers = IdsField(required=True, label="Speaking contacts", widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH
    )


class AccountForm(SaneDatesMixin, DomainErrorsMixin, forms.ModelForm):
    # Its range said on the field (the model's check constraint would only name itself).
    nps = forms.IntegerField(min_value=0, max_value=10, required=False, label="NPS", help_text="0–10")

    class Meta:
        model = Account
        fields = [
            "name",
            "industry",
            "size_band",
            "country",
            "products",
            "use_cases",
            "competitors_displaced",
            "customer_since",
            "annual_contract_value",
            "currency",
            "nps",
            "open_escalations",
            "renewal_date",
            "at_risk",
            "owner",
            "stewards",
            "reference_story",
        ]
        widgets = {
            "customer_since": forms.DateInput(attrs={"type": "date"}),
            "renewal_date": forms.DateInput(attrs={"type": "date"}),
            "reference_story": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An owner answers the requests to use the account: someone who can (a rep or a reference
        # manager), active; stewards are people of the program.
        self.fields["owner"].queryset = users_with_roles(*ACCOUNT_OWNER_ROLES)
        self.fields["stewards"].queryset = users_with_roles()
        self.fields["country"].queryset = Country.objects.select_related("region")
        if self.instance.pk:
            # An existing account changes owner on its own page (manage:account-owner), with a
            # reason, so the open approvals of its requests follow the new owner.
            del self.fields["owner"]


class ContactForm(SaneDatesMixin, DomainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "title", "persona", "email", "phone", "language", "time_zone"]


# Up to this many accounts the new contact's account is chosen from a list of them all; past it
# (a program of 100,000 accounts: a 6 MB page in 4.5 s), from the accounts a name search finds.
ACCOUNT_LIST_MAX = 300
ACCOUNTS_FOUND_MAX = 50


class NewContactForm(ContactForm):
    """A new contact: the contact's fields and the account they work at. With many accounts the
    list offers only those `find` matches (and the one already chosen); any account the user may
    see is accepted."""

    account = forms.ModelChoiceField(Account.objects.none(), label="Account")
    field_order = ["account"]

    def __init__(self, *args, user, find: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        field.queryset = Account.objects.visible_to(user).only("pk", "name")
        self.searched = field.queryset.count() > ACCOUNT_LIST_MAX
        if not self.searched:
            return
        found = (
            list(field.queryset.filter(name__icontains=find).order_by("name", "pk")[:ACCOUNTS_FOUND_MAX])
            if find
            else []
        )
        self.found = len(found)
        chosen = self._chosen()
        if chosen is not None and chosen not in found:
            found.insert(0, chosen)
        empty = "Choose the account" if found else "Find the account by its name first"
        field.widget = forms.Select(choices=[("", empty), *((account.pk, account.name) for account in found)])

    def _chosen(self) -> Account | None:
        """The account already picked (posted, or `?account=` from its page), if the user may see it."""
        value = self.data.get("account") if self.is_bound else self.initial.get("account")
        try:
            return self.fields["account"].clean(value) if value else None
        except forms.ValidationError:
            return None


class AccountChoiceForm(forms.Form):
    """`?account=<id>`: the account a new contact is added to, when coming from its page;
    `?find=`: part of an account's name, when there are too many accounts to list."""

    account = IdField(required=False)
    find = forms.CharField(required=False, max_length=100, strip=True, label="Find the account by its name")


class RequestBackForm(forms.Form):
    """`?request=<id>`: the request page a form was opened from, to go back to."""

    request = IdField(required=False)


class RetireForm(DomainErrorsMixin, forms.Form):
    """Retiring keeps every record: a status change with its reason, never a deletion."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_LENGTH, label="Why retire"
    )


class AccountOwnerForm(DomainErrorsMixin, forms.Form):
    """Give an account to another owner (someone who may own accounts), with the reason; the
    request page it came from, to go back to."""

    owner = forms.ModelChoiceField(User.objects.none(), label="New owner")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_MAX_LENGTH, label="Why"
    )
    request = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, current_owner_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = users_with_roles(*ACCOUNT_OWNER_ROLES).exclude(pk=current_owner_id)
        owner.label_from_instance = lambda user: user.get_full_name() or user.username


class PreferencesForm(SaneDatesMixin, DomainErrorsMixin, forms.ModelForm):
    class Meta:
        model = ParticipationPreferences
        fields = [
            "activity_types",
            "own_cap_per_quarter",
            "preferred_channel",
            "wants_in_return",
            "topics_to_avoid",
            "paused_by_contact",
            "paused_until",
        ]
        widgets = {
            "activity_types": forms.CheckboxSelectMultiple,
            "wants_in_return": forms.Textarea(attrs={"rows": 3}),
            "topics_to_avoid": forms.Textarea(attrs={"rows": 2}),
            "paused_until": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"activity_types": "Willing to do (each change is a consent entry)"}


class StatusChangeForm(DomainErrorsMixin, forms.Form):
    to_status = forms.ChoiceField(choices=ReferenceStatus.choices, label="New status")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_MAX_LENGTH)


class ReferenceFilterForm(CutToFitMixin, forms.Form):
    cut_to_fit = {"q": "Your search text"}

    q = forms.CharField(required=False, max_length=100, label="Name")
    status = forms.ChoiceField(choices=[("", "Any status"), *ReferenceStatus.choices], required=False)
    industry = forms.ModelChoiceField(Industry.objects.all(), required=False, empty_label="Any industry")
    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="Any region")
