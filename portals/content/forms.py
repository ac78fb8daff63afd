"""The content portal's forms: an asset (its file checked by marketing.uploads in the service),
a workflow action, an account's permission, and the lists' filters."""

from django import forms

from core.forms import DateField, DomainErrorsMixin, IdField, SaneDatesMixin
from core.text import REASON_MAX_LENGTH
from marketing.models import Asset
from marketing.querysets import library_keepers
from marketing.services import AssetData
from marketing.statuses import AssetStatus, PermissionKind, PermissionState
from marketing.uploads import ALLOWED, ALLOWED_TEXT
from references.models import Account, Contact

ACCEPT = ",".join(ALLOWED)


class AssetForm(SaneDatesMixin, DomainErrorsMixin, forms.ModelForm):
    """An asset's content and ties. Contacts are offered from the accounts chosen (on the page
    as saved; in a POST, those posted), so the form never lists every contact of the catalogue."""

    upload = forms.FileField(
        required=False,
        label="File",
        help_text=f"{ALLOWED_TEXT}. A video may be a link instead.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    link_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Link",
        help_text="A video or page elsewhere.",
    )
    review_by = DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Past this day the asset is unpublished; its owner is told 30 and 7 days before.",
    )
    service_fields = {"file": "upload"}
    field_order = [
        "title",
        "kind",
        "summary",
        "quote_text",
        "link_url",
        "upload",
        "usage_rights",
        "review_by",
    ]

    class Meta:
        model = Asset
        fields = [
            "title",
            "kind",
            "summary",
            "quote_text",
            "link_url",
            "usage_rights",
            "review_by",
            "owner",
            "accounts",
            "contacts",
            "products",
            "industries",
            "use_cases",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "quote_text": forms.Textarea(attrs={"rows": 3}),
            "accounts": forms.SelectMultiple(attrs={"size": 8}),
            "contacts": forms.CheckboxSelectMultiple,
            "products": forms.CheckboxSelectMultiple,
            "industries": forms.CheckboxSelectMultiple,
            "use_cases": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "usage_rights": (
                "Public: a rep may send it to a prospect. Internal only or NDA: never shared outside."
            ),
            "accounts": "The customers it is about (each must grant the permission its kind needs).",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = library_keepers()
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["accounts"].queryset = (
            Account.objects.visible_to(user).only("pk", "name").order_by("name")
        )
        if not self.instance.pk:
            self.initial.setdefault("owner", user.pk)
        self.fields["contacts"].queryset = (
            Contact.objects.visible_to(user)
            .filter(account__in=self._account_ids())
            .select_related("account")
            .order_by("last_name", "first_name")
        )
        self.fields["contacts"].label_from_instance = lambda c: f"{c.full_name}, {c.account.name}"
        self.fields[
            "contacts"
        ].help_text = "People at the chosen accounts (choose accounts and save to see them)."

    def _account_ids(self) -> list[int]:
        if self.is_bound:
            one_id = IdField()
            ids = []
            for value in self.data.getlist(self.add_prefix("accounts")):
                try:
                    ids.append(one_id.clean(value))
                except forms.ValidationError:
                    continue
            return ids
        return list(self.instance.accounts.values_list("pk", flat=True)) if self.instance.pk else []

    def asset_data(self) -> AssetData:
        data = self.cleaned_data
        return AssetData(
            **{
                name: data[name] or ""
                for name in ("title", "kind", "usage_rights", "summary", "quote_text", "link_url")
            },
            owner=data["owner"],
            review_by=data["review_by"],
            **{
                name: list(data[name])
                for name in ("accounts", "contacts", "products", "industries", "use_cases")
            },
        )


class AssetActionForm(forms.Form):
    action = forms.CharField(max_length=40)
    expected_status = forms.ChoiceField(choices=AssetStatus.choices, required=False)
    note = forms.CharField(
        required=False, max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class PermissionForm(SaneDatesMixin, DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(choices=PermissionKind.choices, label="Permission")
    state = forms.ChoiceField(choices=PermissionState.choices, label="Answer")
    expires_on = DateField(
        required=False,
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day it holds; empty for no end.",
    )
    source_note = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        label="Where it came from",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who agreed, when and how — or attach the agreement below.",
    )
    source_file = forms.FileField(
        required=False,
        label="Agreement",
        help_text=ALLOWED_TEXT,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


class AccountFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Account name")
