"""Forms of the instrument-choice and lesson-group pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerorkest.programme.choice.actions import SLOTS
from leerorkest.programme.models import InstrumentType

SLOT_LABELS = {"first": _("1st choice"), "second": _("2nd choice"), "third": _("3rd choice")}
EMPTY = ("", pgettext_lazy("no instrument chosen", "—"))


class ChoiceGridForm(forms.Form):
    """Three selects per pupil (1st, 2nd, 3rd preference) limited to the school's menu."""

    def __init__(self, *args, placements, menu, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.placements = placements
        self.row_errors: dict[int, list[str]] = {}
        options = [(i.pk, i.name) for i in menu]
        menu_ids = {i.pk for i in menu}
        catalogue = InstrumentType.objects.in_bulk()
        for placement in placements:
            pupil = placement.pupil
            choice = choices.get(pupil.pk)
            for slot in SLOTS:
                current = catalogue.get(getattr(choice, f"{slot}_id")) if choice else None
                slot_options = list(options)
                if current is not None and current.pk not in menu_ids:
                    # Shown, so the coordinator sees it; saving refuses it until it is changed.
                    slot_options.append(
                        (current.pk, _("%(name)s (not on the menu)") % {"name": current.name})
                    )
                self.fields[self.key(pupil.pk, slot)] = forms.TypedChoiceField(
                    label=_("%(slot)s of %(name)s")
                    % {"slot": SLOT_LABELS[slot], "name": pupil.full_name},
                    choices=[EMPTY, *slot_options],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=current.pk if current is not None else None,
                )

    @staticmethod
    def key(pupil_id: int, slot: str) -> str:
        return f"p{pupil_id}-{slot}"

    def clean(self):
        cleaned = super().clean()
        for placement in self.placements:
            for slot in SLOTS:
                for error in self.errors.get(self.key(placement.pupil_id, slot), []):
                    self.row_errors.setdefault(placement.pupil_id, []).append(error)
        return cleaned

    def preferences(self) -> dict[int, list[int | None]]:
        return {
            p.pupil_id: [self.cleaned_data.get(self.key(p.pupil_id, slot)) for slot in SLOTS]
            for p in self.placements
        }

    def rows(self):
        for placement in self.placements:
            yield {
                "placement": placement,
                "pupil": placement.pupil,
                "fields": [self[self.key(placement.pupil_id, slot)] for slot in SLOTS],
                "errors": self.row_errors.get(placement.pupil_id, []),
            }


class SectionTargetForm(forms.Form):
    """Wanted players per instrument of the menu."""

    def __init__(self, *args, menu, targets, stored, **kwargs):
        super().__init__(*args, **kwargs)
        self.menu = menu
        for instrument in menu:
            self.fields[f"i{instrument.pk}"] = forms.IntegerField(
                label=instrument.name,
                min_value=0,
                max_value=200,
                initial=targets.get(instrument.pk, 0),
                help_text=None if instrument.pk in stored else _("Suggested"),
            )

    def wanted(self) -> dict[int, int]:
        return {i.pk: self.cleaned_data[f"i{i.pk}"] for i in self.menu}


class OverrideForm(forms.Form):
    """A coordinator's instrument for one child: a menu instrument, none, or back to the run."""

    RELEASE = "auto"
    NONE = "none"

    assigned = forms.ChoiceField(label=_("Instrument"))

    def __init__(self, *args, menu, **kwargs):
        super().__init__(*args, **kwargs)
        self.menu = {str(i.pk): i for i in menu}
        self.fields["assigned"].choices = [
            (self.RELEASE, _("As assigned by the run")),
            *[(pk, i.name) for pk, i in self.menu.items()],
            (self.NONE, _("No instrument")),
        ]


class TeacherForm(forms.Form):
    teacher = forms.ModelChoiceField(
        label=_("Teacher"), queryset=None, required=False, empty_label=_("No teacher yet")
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
