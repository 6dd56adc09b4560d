"""Template helpers of the learning line pages."""

from django import template

register = template.Library()


@register.filter
def status_of(row, goal) -> str:
    """The status a grid row has for a goal ("" when not assessed)."""
    return row.goals.get(goal.pk, "")
