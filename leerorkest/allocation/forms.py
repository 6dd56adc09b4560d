"""The request form and its lines (a formset): validation only, the actions write."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.allocation.models import MAX_QUANTITY
from leerorkest.depot.models import Size
from leerorkest.programme.models import InstrumentType
from leerorkest.schools.models import School, SchoolYear

LINE_ROWS = 6
MAX_LINES = 60


def season_choices() -> list[SchoolYear]:
    """This school year and the next one."""
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return [SchoolYear.for_start_year(start), SchoolYear.for_start_year(start + 1)]


def default_season() -> SchoolYear:
    """Requests are mostly for the coming September: from March on, next school year."""
    this, following = season_choices()
    return following if timezone.localdate().month in range(3, 8) else this


class RequestForm(forms.Form):
    school_year = forms.ModelChoiceField(
        label=_("School year"), queryset=SchoolYear.objects.none(), empty_label=None
    )
    needed_by = forms.DateField(
        label=_("Needed by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("Several schools / the programme"),
        help_text=_("Where the instruments go, if it is one school."),
    )
    depot = forms.ModelChoiceField(label=_("Depot"), queryset=None, empty_label=None)
    note = forms.CharField(
        label=_("Note for the depot"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, borrower, depots, **kwargs):
        super().__init__(*args, **kwargs)
        seasons = season_choices()
        self.fields["school_year"].queryset = SchoolYear.objects.filter(
            pk__in=[s.pk for s in seasons]
        )
        self.fields["school"].queryset = (
            School.objects.filter(organisation__parent=borrower)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        self.fields["school"].label_from_instance = lambda school: school.organisation.name
        self.fields["depot"].queryset = depots
        if len(depots) <= 1:
            self.fields["depot"].widget = forms.HiddenInput()
        if not self.is_bound and "school_year" not in self.initial:
            season = default_season()
            self.initial.setdefault("school_year", season.pk)
            self.initial.setdefault("needed_by", max(season.starts_on, timezone.localdate()))
            if depots:
                self.initial.setdefault("depot", depots[0].pk)

    def clean_needed_by(self) -> date:
        needed = self.cleaned_data["needed_by"]
        if needed < timezone.localdate():
            raise forms.ValidationError(_("This date has passed."))
        return needed


class LineForm(forms.Form):
    instrument_type = forms.ModelChoiceField(
        label=_("Instrument"), queryset=InstrumentType.objects.all(), required=False
    )
    size = forms.ModelChoiceField(
        label=_("Size"),
        queryset=Size.objects.select_related("instrument_type"),
        required=False,
        empty_label=_("No size"),
    )
    quantity = forms.IntegerField(
        label=_("Number"), min_value=1, max_value=MAX_QUANTITY, required=False
    )
    allow_one_size_up = forms.BooleanField(label=_("One size up is fine"), required=False)
    allow_one_size_down = forms.BooleanField(label=_("One size down is fine"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].label_from_instance = lambda s: f"{s.instrument_type.name} {s.label}"

    def clean(self):
        data = super().clean()
        kind, size, quantity = data.get("instrument_type"), data.get("size"), data.get("quantity")
        if kind is None and size is None and quantity is None:
            return data  # an empty row
        if kind is None:
            self.add_error("instrument_type", _("Choose an instrument."))
            return data
        if quantity is None and "quantity" not in self.errors:
            self.add_error("quantity", _("How many?"))
        if size is not None and size.instrument_type_id != kind.pk:
            self.add_error("size", _("This is not a size of that instrument."))
        elif size is None and kind.sizes.exists():
            self.add_error("size", _("Choose a size."))
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.lines():
            raise forms.ValidationError(_("Add at least one instrument."))

    def lines(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("instrument_type") is not None
        ]


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=LINE_ROWS, max_num=MAX_LINES, validate_max=True
)


def line_initial(request) -> list[dict]:
    return [
        {
            "instrument_type": line.instrument_type_id,
            "size": line.size_id,
            "quantity": line.quantity,
            "allow_one_size_up": line.allow_one_size_up,
            "allow_one_size_down": line.allow_one_size_down,
        }
        for line in request.lines.all()
    ]
