"""`{{ cents|euros }}`: integer cents as an amount in euros, in the active language's format."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(cents) -> str:
    if cents in (None, ""):
        return "—"
    return "€ " + number_format(int(cents) / 100, decimal_pos=2, force_grouping=True)
