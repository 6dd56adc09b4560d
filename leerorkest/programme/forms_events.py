"""Forms of the partner and event pages."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.programme.models import (
    Agreement,
    Ensemble,
    Event,
    EventTask,
    Partner,
    PartnerContact,
)
from leerorkest.schools.models import SchoolYear

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )

    class Meta:
        model = Partner
        fields = ["name", "kind", "city", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class PartnerContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "role", "email", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"})}
        help_texts = {"role": _("Their job, e.g. “education officer”.")}

    def clean(self):
        data = super().clean()
        no_address = not data.get("email") and not (data.get("phone") or "").strip()
        if no_address and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address or a phone number."))
        return data


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "starts_on", "ends_on", "notes"]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"ends_on": _("Leave empty for an agreement without an end date.")}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("An agreement cannot end before it starts."))
        return data


class EnsembleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.school_year})"


class EventForm(forms.ModelForm):
    ensembles = EnsembleChoiceField(
        label=_("Ensembles taking part"),
        queryset=Ensemble.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
    )

    class Meta:
        model = Event
        fields = ["title", "kind", "venue", "partner", "starts_at", "ends_at", "ensembles", "notes"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["partner"].queryset = Partner.objects.filter(organisation=organisation)
        self.fields["partner"].required = False
        current = SchoolYear.objects.current()
        shown = Q(school_year__ends_on__gte=current.starts_on) if current else Q()
        if self.instance.pk:
            shown |= Q(pk__in=self.instance.ensembles.values("pk"))
        self.fields["ensembles"].queryset = (
            Ensemble.objects.filter(organisation=organisation)
            .filter(shown)
            .select_related("school_year")
            .order_by("school_year__starts_on", "kind", "name")
        )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        ensembles = data.get("ensembles")
        if starts and ensembles:
            day = timezone.localtime(starts).date()
            wrong = [
                e.name
                for e in ensembles
                if not e.school_year.starts_on <= day <= e.school_year.ends_on
            ]
            if wrong:
                self.add_error(
                    "ensembles",
                    _("These ensembles play in another school year than the event: %(names)s.")
                    % {"names": ", ".join(wrong)},
                )
        return data

    def details(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("title", "kind", "venue", "partner", "starts_at", "ends_at", "notes")
        }


class EventTaskForm(forms.ModelForm):
    class Meta:
        model = EventTask
        fields = ["label"]
        labels = {"label": _("New task")}

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(_("Describe the task."))
        return label
