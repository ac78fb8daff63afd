"""The upload form of the spreadsheet import (/manage/import/)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorsMixin


class ImportUploadForm(DomainErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > settings.IMPORT_UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_UPLOAD_MAX_MB}
            )
        return upload
