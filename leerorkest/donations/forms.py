"""Forms of the donation pages: intake (donor and several items in one form) and assessment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.depot.models import Condition, Location, Size
from leerorkest.donations.models import DonationItem, Donor
from leerorkest.programme.models import InstrumentType
from leerorkest.workshop.forms import EurosField
from leerorkest.workshop.models import Part

ITEM_ROWS = 6


class DonorForm(forms.ModelForm):
    class Meta:
        model = Donor
        fields = [
            "kind",
            "name",
            "email",
            "phone",
            "postal_address",
            "consent_thanks",
            "consent_named",
            "notes",
        ]
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class IntakeForm(forms.Form):
    donor = forms.ModelChoiceField(
        label=_("Known donor"),
        queryset=Donor.objects.none(),
        required=False,
        empty_label=_("A new donor (below)"),
    )
    kind = forms.ChoiceField(
        label=_("Donor is a"), choices=Donor.Kind.choices, initial=Donor.Kind.PERSON
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    postal_address = forms.CharField(
        label=_("Postal address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consent_thanks = forms.BooleanField(label=_("May be thanked"), required=False)
    consent_named = forms.BooleanField(label=_("May be named"), required=False)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    location = forms.ModelChoiceField(
        label=_("Received at"), queryset=Location.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisation=None, show_donors=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(organisation=organisation)
        if show_donors:
            self.fields["donor"].queryset = Donor.objects.filter(
                organisation=organisation, erased_at__isnull=True
            )
        else:
            del self.fields["donor"]

    def clean(self):
        data = super().clean()
        if not data.get("donor") and not data.get("name"):
            self.add_error("name", _("Enter the donor's name, or choose a known donor."))
        return data

    def new_donor(self) -> dict | None:
        data = self.cleaned_data
        if data.get("donor"):
            return None
        fields = ("kind", "name", "email", "phone", "postal_address")
        return {
            **{f: data[f] for f in fields},
            "consent_thanks": data["consent_thanks"],
            "consent_named": data["consent_named"],
        }


class ItemForm(forms.Form):
    description = forms.CharField(label=_("What"), max_length=200, required=False)
    instrument_type = forms.ModelChoiceField(
        label=_("Instrument"), queryset=InstrumentType.objects.all(), required=False
    )
    size = forms.ModelChoiceField(
        label=_("Size"), queryset=Size.objects.select_related("instrument_type"), required=False
    )
    make = forms.CharField(label=_("Make"), max_length=80, required=False)
    model_name = forms.CharField(label=_("Model"), max_length=80, required=False)
    serial = forms.CharField(label=_("Serial number"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].label_from_instance = lambda s: f"{s.instrument_type.name} {s.label}"

    def clean(self):
        data = super().clean()
        kind, size = data.get("instrument_type"), data.get("size")
        if size is not None and kind is not None and size.instrument_type_id != kind.pk:
            self.add_error("size", _("That size is for another instrument."))
        if not data.get("description") and (kind or data.get("make") or data.get("serial")):
            if kind:
                data["description"] = kind.name
            else:
                self.add_error("description", _("Say what it is."))
        return data

    def item(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("description"):
            return None
        return {
            field: data[field]
            for field in ("description", "instrument_type", "size", "make", "model_name", "serial")
        }


ItemFormSet = forms.formset_factory(ItemForm, extra=ITEM_ROWS, max_num=40)


class AssessForm(forms.Form):
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        choices=[c for c in DonationItem.Assessment.choices if c[0] != "pending"],
    )
    instrument_type = forms.ModelChoiceField(
        label=_("Instrument"), queryset=InstrumentType.objects.all(), required=False
    )
    size = forms.ModelChoiceField(
        label=_("Size"), queryset=Size.objects.select_related("instrument_type"), required=False
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Condition.choices, initial=Condition.B
    )
    value = EurosField(label=_("Value (€)"), required=False)
    part = forms.ModelChoiceField(
        label=_("Parts into stock"), queryset=Part.objects.none(), required=False
    )
    quantity = forms.IntegerField(label=_("How many"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = Part.objects.filter(organisation_id=organisation_id)
        self.fields["size"].label_from_instance = lambda s: f"{s.instrument_type.name} {s.label}"

    def clean(self):
        data = super().clean()
        if data.get("part") and not data.get("quantity"):
            self.add_error("quantity", _("How many?"))
        return data
