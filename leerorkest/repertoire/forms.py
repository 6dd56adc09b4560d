"""Forms of the repertoire pages; the actions check the rules again (the API uses them too)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.curriculum.models import LearningLine
from leerorkest.programme.models import Ensemble, InstrumentType
from leerorkest.repertoire.actions import MAX_FILE_BYTES
from leerorkest.repertoire.models import Visibility


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.instrument.name} – {obj.name} ({obj.notes})"


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} (v{obj.version}) – {obj.organisation.name}"


class PieceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    composer = forms.CharField(label=_("Composer"), max_length=150, required=False)
    arranger = forms.CharField(label=_("Arranger"), max_length=150, required=False)
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=240, required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.PRIVATE
    )
    line = LineChoiceField(
        label=_("Learning line"),
        queryset=LearningLine.objects.none(),
        help_text=_("The parts are graded on the milestones of this version."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = (
            LearningLine.objects.visible_to_organisations([organisation.pk])
            .published()
            .select_related("organisation")
            .order_by("name", "-version")
        )


class PartForm(forms.Form):
    name = forms.CharField(label=_("Part"), max_length=80, help_text=_("For example Viool 2."))
    instrument = forms.ModelChoiceField(
        label=_("Instrument"), queryset=InstrumentType.objects.order_by("sort_order")
    )
    milestone = MilestoneChoiceField(
        label=_("Milestone"),
        queryset=None,
        help_text=_("The milestone a child must have reached to play this part."),
    )
    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        initial=True,
        help_text=_("Untick for a part the piece can do without."),
    )

    def __init__(self, *args, piece, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = piece.line.milestones.select_related(
            "instrument"
        ).order_by("instrument__sort_order", "order")


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, MusicXML or audio (MP3, Ogg, WAV, M4A), at most %(mb)s MB.")
        % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
    )
    part = forms.ModelChoiceField(
        label=_("Part"),
        queryset=None,
        required=False,
        empty_label=_("The whole piece"),
        help_text=_("Leave empty for the score or a recording of the whole piece."),
    )

    def __init__(self, *args, piece, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = piece.parts.order_by("instrument__sort_order", "name")


class EnsembleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.school_year})"


class PerformanceForm(forms.Form):
    ensemble = EnsembleChoiceField(label=_("Ensemble"), queryset=Ensemble.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    occasion = forms.CharField(
        label=_("Occasion"),
        max_length=150,
        required=False,
        help_text=_("For example the summer concert."),
    )

    def __init__(self, *args, ensembles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ensemble"].queryset = ensembles.select_related("school_year").order_by(
            "-school_year__starts_on", "name", "pk"
        )
