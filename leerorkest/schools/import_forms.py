from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from leerorkest.schools.import_files import MAX_BYTES
from leerorkest.schools.import_rows import FIELDS, column_label, message


def school_year_starts(today=None) -> list[int]:
    """This school year and the next (lists for next year arrive before the summer)."""
    today = today or timezone.localdate()
    current = today.year if today.month >= 8 else today.year - 1
    return [current, current + 1]


class UploadForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=_("School"))
    school_year = forms.TypedChoiceField(coerce=int, label=_("School year"))
    file = forms.FileField(
        label=_("Class list"),
        help_text=_(
            "CSV or Excel (.xlsx), at most 5 MB, one row per pupil with a header row on top."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school_year"].choices = [
            (start, f"{start}-{start + 1}") for start in school_year_starts()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."), params={"size": MAX_BYTES // 2**20}
            )
        return upload


class ColumnsForm(forms.Form):
    """Which column of the file holds which field; one select per field.

    "Not in the file" is a valid answer for every field: a needed field left without a column
    comes back from the check as a problem, shown next to its select (see `from_import`).
    """

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [
            (str(i), column_label(i, headers)) for i in range(len(headers))
        ]
        for f in FIELDS:
            self.fields[f.name] = forms.TypedChoiceField(
                label=capfirst(f.label),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("Needed.") if f.required else "",
            )

    @classmethod
    def from_import(cls, class_import) -> "ColumnsForm":
        """The import's current columns, with the report's missing columns as field errors."""
        report = class_import.report or {}
        data = {
            name: "" if index is None else str(index)
            for name, index in class_import.mapping.items()
        }
        form = cls(data, headers=report.get("headers", []))
        form.is_valid()
        for error in report.get("errors", []):
            if error["code"] == "missing_column" and error["params"]["field"] in form.fields:
                form.add_error(error["params"]["field"], message("missing_column", error["params"]))
        return form
