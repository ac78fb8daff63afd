"""The export links every list page offers ("Export CSV / XLSX"): the format parsed by a form
(anything else than xlsx is CSV, as a GET filter drops a bad value), and the rows written by
`integrations.exports`."""

from django import forms
from django.http import HttpRequest

from integrations.exports.writer import CSV, FORMATS


class ExportFormatForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS], required=False)


def export_format(request: HttpRequest) -> str:
    form = ExportFormatForm(request.GET)
    return (form.is_valid() and form.cleaned_data["format"]) or CSV
