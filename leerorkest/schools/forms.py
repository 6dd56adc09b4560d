from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.programme.models import InstrumentType
from leerorkest.schools.models import Pupil, Room, SchoolParticipation


class ParticipationForm(forms.ModelForm):
    year_groups = forms.TypedMultipleChoiceField(
        label=_("Year groups taking part"),
        choices=[(n, _("groep %(n)s") % {"n": n}) for n in range(3, 9)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    instruments = forms.ModelMultipleChoiceField(
        label=_("Instrument menu"),
        queryset=InstrumentType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The instruments the school's teacher team covers."),
    )

    class Meta:
        model = SchoolParticipation
        fields = [
            "year_groups",
            "music_day",
            "day_starts_at",
            "day_ends_at",
            "agreed_lessons",
            "notes",
        ]
        widgets = {
            "day_starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "day_ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_lessons"].required = False

    def clean_agreed_lessons(self):
        lessons = self.cleaned_data["agreed_lessons"]
        if lessons is None:
            return SchoolParticipation._meta.get_field("agreed_lessons").default
        if lessons > 45:
            raise forms.ValidationError(_("A school year has at most 45 weeks of lessons."))
        return lessons

    def clean(self):
        data = super().clean()
        start, end = data.get("day_starts_at"), data.get("day_ends_at")
        if start and end and end <= start:
            self.add_error("day_ends_at", _("The end must come after the start."))
        return data


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity", "fits_harp", "fits_percussion", "cello_storage", "is_active"]


class PupilForm(forms.ModelForm):
    class Meta:
        model = Pupil
        fields = [
            "given_name",
            "surname_prefix",
            "surname",
            "date_of_birth",
            "parent_name",
            "parent_phone",
            "parent_email",
            "secondary_school",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
