from leerorkest.accounts.navigation import navigation_for
from leerorkest.accounts.roles import PLATFORM_ADMIN, PLATFORM_ADMIN_LABEL


def navigation(request):
    context = getattr(request, "context", None)
    if context is None:
        return {}
    choices = [
        {"key": str(m.pk), "label": f"{m.organisation.name} · {m.get_role_display()}"}
        for m in context.memberships
    ]
    if request.user.is_platform_admin:
        choices.insert(0, {"key": PLATFORM_ADMIN, "label": str(PLATFORM_ADMIN_LABEL)})
    return {
        "nav_items": navigation_for(context),
        "context_choices": choices,
        "active_context": context.key,
        "active_role": context.role,
    }
