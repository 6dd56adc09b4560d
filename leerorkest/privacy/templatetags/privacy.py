"""`{% pupil_privacy pupil as privacy %}`: what the viewer may see of a pupil's privacy state."""

from django import template

from leerorkest.privacy import consent

register = template.Library()


@register.simple_tag(takes_context=True)
def pupil_privacy(context, pupil) -> dict:
    """{"access": "manage" | "view" | None, "states": [...]} for the logged-in viewer.

    Teachers and anyone without access get no states (target A3).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if pupil is None or user is None:
        return {"access": None, "states": []}
    access = consent.access(user, pupil.pk)
    states = consent.states(pupil) if access else []
    return {"access": access, "states": states, "manages": access == consent.MANAGE}
