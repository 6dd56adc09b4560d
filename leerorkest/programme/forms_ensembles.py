"""Forms of the ensemble pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.programme.models import InstrumentType, Sectional


class SectionalForm(forms.ModelForm):
    class Meta:
        model = Sectional
        fields = ["name", "instruments", "led_by", "minutes"]
        widgets = {
            "instruments": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
            "minutes": forms.NumberInput(attrs={"min": 15, "max": 90, "step": 5}),
        }
        help_texts = {
            "name": _("For example: strings, brass, percussion."),
            "minutes": _("Between 15 and 90 minutes, every week on the school's music day."),
        }

    def __init__(self, *args, ensemble, **kwargs):
        super().__init__(*args, **kwargs)
        self.ensemble = ensemble
        instruments = InstrumentType.objects.order_by("sort_order", "code")
        self.fields["instruments"].queryset = instruments
        self.fields["led_by"].queryset = instruments

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = Sectional.objects.filter(ensemble=self.ensemble, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This orchestra already has a sectional of that name."))
        return name

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if not Sectional.MIN_MINUTES <= minutes <= Sectional.MAX_MINUTES:
            raise forms.ValidationError(_("Give between 15 and 90 minutes."))
        return minutes
