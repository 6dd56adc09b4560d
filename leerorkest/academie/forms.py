"""The organiser's workshop form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.academie.models import AcademieWorkshop, WorkshopStatus

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkshopForm(forms.ModelForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (WorkshopStatus.OPEN, WorkshopStatus.OPEN.label),
            (WorkshopStatus.CLOSED, WorkshopStatus.CLOSED.label),
        ],
    )

    class Meta:
        model = AcademieWorkshop
        fields = [
            "title",
            "description",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "hours",
            "open_to_all_programmes",
            "status",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"title": _("For example “Orkestspel” or “Ritme in de groepsles”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["hours"].min_value = 0
        self.fields["hours"].widget.attrs.update(min=0, step="0.5")

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_place(self):
        return self.cleaned_data["place"].strip()

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError(_("A workshop has at least one place."))
        return capacity

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours < 0:
            raise forms.ValidationError(_("Hours cannot be negative."))
        return hours

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The workshop must end after it starts."))
        return data

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
