from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.schools.models import Consent, ConsentPurpose


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Consent given")), ("no", _("No consent, or consent withdrawn"))],
        coerce=lambda value: value == "yes",
    )
    given_by = forms.CharField(
        label=_("Decided by"),
        max_length=150,
        help_text=_(
            "Who decided, e.g. “mother”, “father” or “carer”. This history can never be changed, "
            "so a name is not needed."
        ),
    )
    source = forms.ChoiceField(label=_("Received by"), choices=Consent.Source.choices)
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the names cannot be brought back."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
