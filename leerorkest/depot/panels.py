"""Sections other parts of the platform add to an instrument's page, so the page shows the whole
life (the donation it came from, work orders, allocations, transport runs) without the depot app
knowing those parts.

A part registers a function from its AppConfig.ready():

    panels.register(200, work_order_panel)

The function takes (request, instrument) and returns None (nothing to show) or a pair
(template_name, context); the template renders one <section>. Panels appear in `order`.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., tuple[str, dict] | None]
_PANELS: list[tuple[int, Panel]] = []


def register(order: int, panel: Panel) -> None:
    if any(existing is panel for _order, existing in _PANELS):
        return
    _PANELS.append((order, panel))
    _PANELS.sort(key=lambda entry: entry[0])


def render_panels(request, instrument) -> list[SafeString]:
    rendered = []
    for _order, panel in _PANELS:
        found = panel(request, instrument)
        if found is not None:
            template, context = found
            html = render_to_string(template, {"instrument": instrument, **context}, request)
            rendered.append(mark_safe(html))  # rendered and escaped by the template engine
    return rendered
