"""Forms of the planning pages."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerorkest.programme.models import Teacher
from leerorkest.schools.models import Room, School
from leerorkest.schools.models.years import Weekday

from .models import PlannedLesson


class NewTimetableForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Planning time (seconds)"),
        min_value=5,
        max_value=900,
        initial=60,
        help_text=_("The planner keeps the best timetable it found in this time."),
    )


class MoveForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
    )
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Teacher.objects.none())
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)

    def __init__(self, *args, lesson: PlannedLesson, **kwargs):
        initial = {
            "weekday": lesson.weekday,
            "starts_at": lesson.starts_at,
            "teacher": lesson.teacher_id,
            "room": lesson.room_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        teachers = Teacher.objects.filter(
            organisation_id=lesson.timetable.organisation_id, is_active=True
        )
        if lesson.kind in (PlannedLesson.Kind.ORCHESTRA, PlannedLesson.Kind.NEIGHBOURHOOD):
            qualified = Q(is_conductor=True)
        elif lesson.instrument is not None:
            qualified = Q(instruments=lesson.instrument)
        else:
            qualified = Q()
        if lesson.teacher_id:
            qualified |= Q(pk=lesson.teacher_id)
        self.fields["teacher"].queryset = (
            teachers.filter(qualified).distinct().order_by("full_name")
        )
        self.fields["room"].queryset = Room.objects.filter(
            school_id=lesson.school_id, is_active=True
        ).order_by("name")
        self.fields["starts_at"].widget.attrs["step"] = 300

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value.minute % 5:
            raise forms.ValidationError(_("Start on a multiple of five minutes."))
        return value


class SchoolLocationForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["latitude", "longitude"]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        }

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", _("A latitude lies between -90 and 90."))
        if lon is not None and not -180 <= lon <= 180:
            self.add_error("longitude", _("A longitude lies between -180 and 180."))
        return data


class TravelOverrideForm(forms.Form):
    from_school = forms.ModelChoiceField(label=_("From"), queryset=School.objects.none())
    to_school = forms.ModelChoiceField(label=_("To"), queryset=School.objects.none())
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=240)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = (
            School.objects.filter(pk__in=[s.pk for s in schools])
            .select_related("organisation")
            .order_by("organisation__name")
        )
        self.fields["from_school"].queryset = queryset
        self.fields["to_school"].queryset = queryset

    def clean(self):
        data = super().clean()
        if data.get("from_school") and data.get("from_school") == data.get("to_school"):
            raise forms.ValidationError(_("Choose two different schools."))
        return data
