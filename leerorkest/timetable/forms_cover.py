"""Forms of the absence, cover and cancellation pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.programme.models import Teacher
from leerorkest.schools.models import School
from leerorkest.schools.models.years import YEAR_GROUPS

from .cover import MAX_RANGE_DAYS
from .models import SchoolCancellation, TeacherAbsence

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _PeriodForm(forms.Form):
    """A first and a last day, in order and at most a year apart."""

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("The last day cannot be before the first day."))
            elif (ends - starts).days >= MAX_RANGE_DAYS:
                self.add_error("ends_on", _("A period can be at most a year long."))
        return data


class AbsenceForm(_PeriodForm):
    """A teacher's own absence; a coordinator also chooses the teacher."""

    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Teacher.objects.none())
    starts_on = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DATE_WIDGET,
        help_text=_("The same day for a single day."),
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=TeacherAbsence.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Anything the office should know, e.g. “probably back on Thursday”."),
    )

    def __init__(self, *args, teachers=None, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"starts_on": today, "ends_on": today, "reason": "ill"})
        super().__init__(*args, **kwargs)
        if teachers is None:
            del self.fields["teacher"]
        else:
            self.fields["teacher"].queryset = teachers.order_by("full_name")
            self.order_fields(["teacher"])


class CancelLessonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Shown with the lesson, e.g. “teacher ill, no substitute”."),
    )


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class SchoolCancellationForm(_PeriodForm):
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none())
    starts_on = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DATE_WIDGET,
        help_text=_("The same day for a single day."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=SchoolCancellation.Reason.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Shown to the teachers, e.g. “trip to the zoo”."),
    )
    year_groups = forms.TypedMultipleChoiceField(
        label=_("Only these year groups"),
        choices=YEAR_GROUPS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
        help_text=_("Tick none to cancel the music lessons of the whole school."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools.select_related("organisation").order_by("organisation__name")
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
