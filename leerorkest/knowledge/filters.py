"""The filters and search of the material list (pages and API share them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.knowledge.models import (
    YEAR_GROUPS,
    MaterialKind,
    MaterialStatus,
    Theme,
    public_goal_filter,
)
from leerorkest.knowledge.search import search
from leerorkest.programme.models import InstrumentType


def apply_filters(
    queryset,
    *,
    q: str = "",
    kind: str = "",
    instrument: str = "",
    groep: int | None = None,
    theme: str = "",
    goal: int | None = None,
):
    """Narrow `queryset`; with a search text the result is ordered by relevance."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if instrument:
        queryset = queryset.filter(instruments__code=instrument)
    if groep:
        queryset = queryset.filter(year_group_rows__year_group=groep)
    if theme:
        queryset = queryset.filter(themes__slug=theme)
    if goal:
        queryset = queryset.filter(goals__pk=goal)
    if q.strip():
        return search(queryset, q)
    return queryset.order_by("-published_at", "-pk")


class MaterialFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *MaterialKind.choices]
    )
    instrument = forms.CharField(label=_("Instrument"), required=False, max_length=40)
    groep = forms.TypedChoiceField(
        label=_("Groep"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All groepen")), *YEAR_GROUPS],
    )
    theme = forms.CharField(label=_("Theme"), required=False, max_length=80)
    goal = forms.IntegerField(label=_("Learning goal"), required=False, min_value=1)

    @property
    def searching(self) -> bool:
        return self.is_bound and self.is_valid() and bool(self.cleaned_data["q"].strip())

    def apply(self, queryset):
        # An invalid filter (a hand-made URL) is ignored rather than answered with an error.
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return apply_filters(
            queryset,
            q=data.get("q", ""),
            kind=data.get("kind", ""),
            instrument=data.get("instrument", ""),
            groep=data.get("groep"),
            theme=data.get("theme", ""),
            goal=data.get("goal"),
        )


def filter_choices() -> dict:
    """The instruments, themes and learning goals that published materials use (one query each)."""
    from leerorkest.curriculum.models import LearningGoal

    published = {"knowledge_materials__status": MaterialStatus.PUBLISHED}
    return {
        "instruments": InstrumentType.objects.filter(**published)
        .distinct()
        .order_by("sort_order", "code"),
        "themes": Theme.objects.filter(materials__status=MaterialStatus.PUBLISHED)
        .distinct()
        .order_by("name"),
        "goals": LearningGoal.objects.filter(**published, **public_goal_filter())
        .distinct()
        .order_by("year_group", "code"),
    }
