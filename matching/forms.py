"""The search parameters, as one GET form shared by the portal page and the JSON API.

Parsing is forgiving: a malformed value becomes an error on its field and is left out of the
search, never a server error; ids that match nothing simply match nothing.
"""

import re

from django import forms

from core.forms import CutToFitMixin, IdField, IdsField
from matching.selectors import FACETS, Cursor, Filters

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class CodesField(forms.Field):
    """Any number of ISO language codes."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> tuple[str, ...]:
        if not value:
            return ()
        values = value if isinstance(value, list | tuple) else [value]
        codes = tuple(dict.fromkeys(str(v).strip().lower() for v in values if str(v).strip()))
        if not all(_LANGUAGE.match(code) for code in codes):
            raise forms.ValidationError("Unknown language.", code="invalid")
        return codes


class SearchForm(CutToFitMixin, forms.Form):
    # Over-long words are cut to fit and searched, with a notice saying so (`cut_notices`).
    cut_to_fit = {"q": "Your search text"}

    q = forms.CharField(required=False, max_length=200, label="Search words")
    opportunity = IdField(required=False, widget=forms.HiddenInput)
    role = IdField(required=False, label="Prospect's contact role")
    after = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        for spec in FACETS:
            field = CodesField() if spec.key == "language" else IdsField()
            field.required = False
            field.label = spec.label
            self.fields[spec.key] = field

    def filters(self) -> Filters:
        cleaned = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        values = {spec.key: cleaned.get(spec.key) or () for spec in FACETS}
        return Filters(q=(cleaned.get("q") or "").strip(), **values)

    def cursor(self) -> Cursor | None:
        return Cursor.parse(self.cleaned_data.get("after") if hasattr(self, "cleaned_data") else None)

    def value_of(self, name: str):
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
