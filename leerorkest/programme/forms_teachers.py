"""Forms of the teacher pages: the profile, its weekly availability and its training record."""

from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.programme.actions_teachers import Training, Window
from leerorkest.programme.models import InstrumentType, Teacher
from leerorkest.schools.models import District
from leerorkest.schools.models.years import Weekday


class TeacherForm(forms.ModelForm):
    class Meta:
        model = Teacher
        fields = [
            "full_name",
            "email",
            "phone",
            "instruments",
            "is_conductor",
            "districts",
            "contracted_hours",
            "max_hours_day",
            "max_hours_week",
            "min_paid_minutes_visit",
            "travel_mode",
            "vog_date",
            "is_active",
        ]
        widgets = {
            "instruments": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
            "districts": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
            "vog_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "email": _("Used to link the profile to the teacher's account."),
            "vog_date": _(
                "A certificate is valid for three years; the platform warns 60 days "
                "before it expires."
            ),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].queryset = InstrumentType.objects.order_by("sort_order", "code")
        # Planning limits have sensible defaults; leaving them empty keeps those.
        self.fields["max_hours_day"].required = False
        self.fields["min_paid_minutes_visit"].required = False
        self.fields["travel_mode"].required = False
        # The districts of the programme's city and of its schools, and any already chosen.
        districts = District.objects.filter(
            Q(city__iexact=organisation.city)
            | Q(neighbourhoods__schools__organisation__parent=organisation)
        )
        if self.instance.pk:
            districts = districts | District.objects.filter(
                pk__in=self.instance.districts.values("pk")
            )
        if not districts.exists():
            districts = District.objects.all()
        self.fields["districts"].queryset = districts.distinct().order_by("city", "name")

    def clean_contracted_hours(self):
        hours = self.cleaned_data["contracted_hours"]
        if hours is not None and not Decimal(0) <= hours <= Decimal(60):
            raise forms.ValidationError(_("Give a number of hours between 0 and 60."))
        return hours

    def clean_max_hours_day(self):
        hours = self.cleaned_data["max_hours_day"]
        if hours is None:
            return Teacher._meta.get_field("max_hours_day").default
        if hours is not None and not Decimal(0) < hours <= Decimal(12):
            raise forms.ValidationError(_("Give a number of hours between 0 and 12."))
        return hours

    def clean_max_hours_week(self):
        hours = self.cleaned_data["max_hours_week"]
        if hours is not None and not Decimal(0) < hours <= Decimal(60):
            raise forms.ValidationError(_("Give a number of hours between 0 and 60."))
        return hours

    def clean_min_paid_minutes_visit(self):
        minutes = self.cleaned_data["min_paid_minutes_visit"]
        if minutes is None:
            return Teacher._meta.get_field("min_paid_minutes_visit").default
        if minutes is not None and minutes > 480:
            raise forms.ValidationError(_("Give at most 480 minutes."))
        return minutes

    def clean_travel_mode(self):
        return self.cleaned_data["travel_mode"] or Teacher._meta.get_field("travel_mode").default

    def clean_vog_date(self):
        issued = self.cleaned_data["vog_date"]
        if issued and issued > timezone.localdate():
            raise forms.ValidationError(_("A certificate cannot be issued in the future."))
        return issued

    def details(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("instruments", "districts")
        }


class AvailabilityRowForm(forms.Form):
    """One weekly window. A row left empty is ignored; clearing a row's times removes it."""

    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    starts_at = forms.TimeField(
        label=_("From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends_at = forms.TimeField(
        label=_("Until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        day, starts, ends = data.get("weekday"), data.get("starts_at"), data.get("ends_at")
        if starts is None and ends is None and not self.errors:
            return data  # an empty row, or one whose times were cleared: no window
        if day is None and "weekday" not in self.errors:
            self.add_error("weekday", _("Choose the day."))
        if starts is None and "starts_at" not in self.errors:
            self.add_error("starts_at", _("Give the time from which the teacher can work."))
        if ends is None and "ends_at" not in self.errors:
            self.add_error("ends_at", _("Give the time until which the teacher can work."))
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends_at", _("“Until” must be later than “from”."))
        return data

    def window(self) -> Window | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("DELETE") or data.get("starts_at") is None or data.get("weekday") is None:
            return None
        return Window(data["weekday"], data["starts_at"], data["ends_at"])


class RowsFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")


class BaseAvailabilityFormSet(RowsFormSet):
    def clean(self):
        if any(self.errors):
            return
        windows = [w for w in self.windows() if w is not None]
        by_day: dict[int, list[Window]] = {}
        for window in windows:
            by_day.setdefault(window.weekday, []).append(window)
        for day, day_windows in by_day.items():
            day_windows.sort(key=lambda w: w.starts_at)
            for earlier, later in pairwise(day_windows):
                if later.starts_at < earlier.ends_at:
                    raise forms.ValidationError(
                        _("Two windows on %(day)s overlap.") % {"day": Weekday(day).label}
                    )

    def windows(self) -> list[Window]:
        return [w for w in (form.window() for form in self.forms) if w is not None]


AvailabilityFormSet = forms.formset_factory(
    AvailabilityRowForm, formset=BaseAvailabilityFormSet, extra=2, can_delete=True, max_num=30
)


class TrainingRowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Training"), max_length=200, required=False)
    attended_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        title, day = (data.get("title") or "").strip(), data.get("attended_on")
        if not title and day is None and data.get("hours") is None and not self.errors:
            return data  # an empty row, or one that was cleared: no training
        if not title and "title" not in self.errors:
            self.add_error("title", _("Name the training."))
        if day is None and "attended_on" not in self.errors:
            self.add_error("attended_on", _("Give the date of the training."))
        elif day is not None and day > timezone.localdate() + timedelta(days=366):
            self.add_error("attended_on", _("This date is too far ahead."))
        return data

    def training(self) -> Training | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("DELETE") or not (data.get("title") or "").strip():
            return None
        return Training(
            title=data["title"],
            attended_on=data["attended_on"],
            hours=data.get("hours") or Decimal(0),
            id=data.get("id") or None,
        )


class BaseTrainingFormSet(RowsFormSet):
    def rows(self) -> list[Training]:
        return [t for t in (form.training() for form in self.forms) if t is not None]


TrainingFormSet = forms.formset_factory(
    TrainingRowForm, formset=BaseTrainingFormSet, extra=1, can_delete=True, max_num=200
)


def availability_initial(teacher: Teacher | None) -> list[dict]:
    if teacher is None or teacher.pk is None:
        return []
    return [
        {"weekday": w.weekday, "starts_at": w.starts_at, "ends_at": w.ends_at}
        for w in teacher.availability.all()
    ]


def training_initial(teacher: Teacher | None) -> list[dict]:
    if teacher is None or teacher.pk is None:
        return []
    return [
        {"id": t.pk, "title": t.title, "attended_on": t.attended_on, "hours": t.hours}
        for t in teacher.training.all()
    ]
