"""Forms of the learning line pages; the actions do the saving and the refusing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.curriculum.models import LINE_YEAR_GROUPS, LearningGoal, LearningLine, Milestone
from leerorkest.programme.models import InstrumentType


class LineForm(forms.ModelForm):
    class Meta:
        model = LearningLine
        fields = ["name", "description", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GoalForm(forms.ModelForm):
    class Meta:
        model = LearningGoal
        fields = ["year_group", "kind", "code", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Leave empty to add it at the end of its groep.")

    def validate_unique(self):
        """The action checks the code within the line (the form has no line)."""


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["instrument", "order", "name", "notes", "skills", "typical_year_group"]
        widgets = {"skills": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = InstrumentType.objects.order_by("sort_order")
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Stage 1, 2, 3 …; leave empty for the next stage.")
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Leave empty for “Milestone” and the stage.")
        self.fields["typical_year_group"].choices = [("", "—"), *LINE_YEAR_GROUPS]

    def validate_unique(self):
        """The action checks the stage within the line (the form has no line)."""


class ChooseLineForm(forms.Form):
    line = forms.ModelChoiceField(queryset=LearningLine.objects.none(), label=_("Learning line"))

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
