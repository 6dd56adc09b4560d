from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind
from leerorkest.schools.import_files import MAX_BYTES
from leerorkest.schools.import_rows import column_label
from leerorkest.stock.inventory import FIELDS, message
from leerorkest.stock.models import PackedItem, TransportRun


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Inventory spreadsheet"),
        help_text=_(
            "CSV or Excel (.xlsx), at most 5 MB, one row per instrument with a header row on top."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."), params={"size": MAX_BYTES // 2**20}
            )
        return upload


class ColumnsForm(forms.Form):
    """Which column of the file holds which field."""

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
    def from_import(cls, stock_import) -> "ColumnsForm":
        report = stock_import.report or {}
        data = {
            name: "" if index is None else str(index)
            for name, index in stock_import.mapping.items()
        }
        form = cls(data, headers=report.get("headers", []))
        form.is_valid()
        for error in report.get("errors", []):
            if error["code"] == "missing_column" and error["params"]["field"] in form.fields:
                form.add_error(error["params"]["field"], message("missing_column", error["params"]))
        return form


class StartStockTakeForm(forms.Form):
    location = forms.ModelChoiceField(queryset=None, label=_("Location"))

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class ScanForm(forms.Form):
    tag = forms.CharField(
        label=_("Asset tag"),
        max_length=40,
        help_text=_("Scan the label, or type the tag and press Enter."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class RunForm(forms.ModelForm):
    class Meta:
        model = TransportRun
        fields = ["date", "driver", "vehicle", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def borrowers():
    return Organisation.objects.filter(
        kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER], is_active=True
    ).order_by("name")


class StopForm(forms.Form):
    borrower = forms.ModelChoiceField(queryset=None, label=_("Programme"))
    school = forms.ModelChoiceField(
        queryset=None,
        label=_("School"),
        required=False,
        help_text=_("Optional: deliver straight to one of the programme's schools."),
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = borrowers()
        self.fields["school"].queryset = Organisation.objects.filter(
            kind=OrgKind.SCHOOL, is_active=True, parent__in=borrowers()
        ).order_by("parent__name", "name")
        self.fields["school"].label_from_instance = lambda o: f"{o.name} ({o.parent.name})"

    def clean(self):
        data = super().clean()
        school, borrower = data.get("school"), data.get("borrower")
        if school and borrower and school.parent_id != borrower.pk:
            self.add_error("school", _("That school is not part of this programme."))
        return data


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Asset tags"),
        help_text=_("Scan each instrument: the scanner types the tag and a new line."),
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True, "autocomplete": "off"}),
    )

    def clean_tags(self):
        tags = [t.strip() for t in self.cleaned_data["tags"].replace(",", "\n").splitlines()]
        tags = [t for t in tags if t]
        if not tags:
            raise forms.ValidationError(_("Scan at least one tag."))
        if len(tags) > 500:
            raise forms.ValidationError(_("At most 500 tags at once."))
        return tags


class ProblemForm(forms.Form):
    issue = forms.ChoiceField(
        label=_("What is wrong"),
        choices=[c for c in PackedItem.Issue.choices if c[0]],
    )
    note = forms.CharField(label=_("Note"), max_length=250, required=False)
