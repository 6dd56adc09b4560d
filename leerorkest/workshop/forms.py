"""Forms of the workshop pages. Amounts are typed in euros and stored in cents."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import User
from leerorkest.programme.models import InstrumentFamily, InstrumentType
from leerorkest.workshop.models import MaintenancePlan, Part, Skill, Workshop, WorkshopMember


def cents(euros: Decimal | None) -> int | None:
    return None if euros is None else int((euros * 100).to_integral_value())


class EurosField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)


class LabourForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    note = forms.CharField(label=_("What you did"), max_length=250, required=False)


class PartUseForm(forms.Form):
    part = forms.ModelChoiceField(label=_("Part"), queryset=Part.objects.none())
    quantity = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=1000,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = Part.objects.filter(
            organisation_id=organisation_id
        ).order_by("name")


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["to"].queryset = people


class WorkOrderForm(forms.Form):
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=20)
    workshop = forms.ModelChoiceField(
        label=_("Workshop"),
        queryset=Workshop.objects.none(),
        required=False,
        empty_label=_("The one with the right skill"),
    )
    skill = forms.ChoiceField(
        label=_("Skill"), choices=[("", _("From the instrument")), *Skill.choices], required=False
    )
    description = forms.CharField(
        label=_("What needs doing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshops is not None:
            self.fields["workshop"].queryset = workshops


class PartForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=Part.Kind.choices)
    instrument_type = forms.ModelChoiceField(
        label=_("For instrument"), queryset=InstrumentType.objects.all(), required=False
    )
    family = forms.ChoiceField(
        label=_("For family"), choices=[("", "—"), *InstrumentFamily.choices], required=False
    )
    unit_cost = EurosField(label=_("Unit cost (€)"))
    reorder_level = forms.IntegerField(label=_("Reorder at"), min_value=0, initial=0)


class ReceiveForm(forms.Form):
    part = forms.ModelChoiceField(label=_("Part"), queryset=Part.objects.none())
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=100_000)
    unit_cost = EurosField(
        label=_("Unit cost (€)"), required=False, help_text=_("Leave empty to keep the cost.")
    )
    note = forms.CharField(label=_("Note (supplier, invoice)"), max_length=250, required=False)

    def __init__(self, *args, parts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parts is not None:
            self.fields["part"].queryset = parts


class CorrectionForm(forms.Form):
    counted = forms.IntegerField(label=_("Counted on hand"), min_value=0)
    note = forms.CharField(label=_("Why"), max_length=250, required=False)


class PlanForm(forms.ModelForm):
    class Meta:
        model = MaintenancePlan
        fields = [
            "instrument_type",
            "family",
            "interval_months",
            "workshop",
            "skill",
            "description",
        ]

    def __init__(self, *args, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshops is not None:
            self.fields["workshop"].queryset = workshops

    def clean(self):
        data = super().clean()
        if not data.get("instrument_type") and not data.get("family"):
            raise forms.ValidationError(_("Choose an instrument or a family."))
        return data


HARVEST_ROWS = 4


class HarvestForm(forms.Form):
    """A few rows of part and quantity; empty rows are skipped."""

    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, parts=None, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, HARVEST_ROWS + 1):
            self.fields[f"part_{row}"] = forms.ModelChoiceField(
                label=_("Part %(n)s") % {"n": row},
                queryset=parts if parts is not None else Part.objects.none(),
                required=False,
            )
            self.fields[f"quantity_{row}"] = forms.IntegerField(
                label=_("How many"), min_value=1, max_value=1000, required=False
            )

    def rows(self):
        return [
            (self[f"part_{row}"], self[f"quantity_{row}"]) for row in range(1, HARVEST_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        chosen = []
        for row in range(1, HARVEST_ROWS + 1):
            part, quantity = data.get(f"part_{row}"), data.get(f"quantity_{row}")
            if part and not quantity:
                self.add_error(f"quantity_{row}", _("How many?"))
            elif part:
                chosen.append((part, quantity))
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Name at least one part."))
        data["parts"] = chosen
        return data


class MemberForm(forms.Form):
    """How someone works in a workshop; the hourly rate is for paid staff only."""

    kind = forms.ChoiceField(label=_("Works as"), choices=WorkshopMember.Kind.choices)
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hourly_rate = EurosField(
        label=_("Hourly rate (€)"),
        required=False,
        help_text=_("Paid staff only: their hours count towards the cost of a repair."),
    )

    def clean(self):
        data = super().clean()
        kind, rate = data.get("kind"), data.get("hourly_rate")
        if kind == WorkshopMember.Kind.PAID and not rate:
            self.add_error("hourly_rate", _("Paid staff need an hourly rate."))
        elif kind and kind != WorkshopMember.Kind.PAID and rate:
            self.add_error("hourly_rate", _("Only paid staff have an hourly rate; leave it empty."))
        return data

    def member_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "skills": data["skills"],
            "hourly_rate_cents": cents(data.get("hourly_rate")) or 0,
        }


class MemberAddForm(MemberForm):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    field_order = ["user", "kind", "skills", "hourly_rate"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name or u.email} ({u.email})"


class WorkshopSettingsForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Lead"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"), choices=Skill.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        if leads is not None:
            self.fields["lead"].queryset = leads
