"""Rendering helpers shared by the knowledge site's views: which base layout a page uses and
whether a shared cache may keep it."""

import functools

from django.contrib.messages import get_messages
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers

from leerorkest.knowledge.models import is_editor

PUBLIC_MAX_AGE = 300


def page(request, template: str, context: dict | None = None, *, status: int = 200):
    """Logged-in people get the platform's layout with their menu; visitors a public layout
    without anything personal in it (no CSRF token, no account tools), so it can be cached."""
    context = dict(context or {})
    signed_in = request.user.is_authenticated
    context["base_template"] = "base.html" if signed_in else "knowledge/public_base.html"
    context["knowledge_editor"] = signed_in and is_editor(request.user)
    return render(request, template, context, status=status)


def public_cache(view):
    """Anonymous GETs of public pages may be kept by shared caches for five minutes; anything
    personal (a logged-in user, a message, a form with a CSRF token) is private."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie", "HX-Request"))
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not request.user.is_authenticated
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not len(get_messages(request))
            and not response.cookies
        ):
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        else:
            patch_cache_control(response, private=True, max_age=0)
        return response

    return wrapped
