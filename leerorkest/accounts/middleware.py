"""Session limits (target A5) and the active organisation context of each request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leerorkest.accounts.access import AccessDenied
from leerorkest.accounts.roles import PLATFORM_ADMIN

SESSION_STARTED = "started_at"
SESSION_CONTEXT = "context"


class SessionLimitsMiddleware:
    """Ends a session 12 hours after login, however active it was (idle expiry is the cookie's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class Context:
    """What the user is acting as right now: one membership, or the platform admin context."""

    def __init__(self, user, memberships, chosen):
        self.user = user
        self.memberships = memberships
        self.membership = None
        self.role = None
        if chosen == PLATFORM_ADMIN and user.is_platform_admin:
            self.role = PLATFORM_ADMIN
        else:
            self.membership = next((m for m in memberships if str(m.pk) == str(chosen)), None)
            if self.membership is None and memberships:
                # Until the person switches, they act in the organisation they joined first.
                self.membership = min(memberships, key=lambda m: (m.created_at, m.pk))
            if self.membership is not None:
                self.role = self.membership.role
            elif user.is_platform_admin:
                self.role = PLATFORM_ADMIN

    @property
    def organisation(self):
        return self.membership.organisation if self.membership else None

    @property
    def key(self) -> str:
        return (
            PLATFORM_ADMIN
            if self.role == PLATFORM_ADMIN
            else str(getattr(self.membership, "pk", ""))
        )


class ActiveMembershipMiddleware:
    """Sets `request.context` for logged-in users and renders access refusals for pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.context = None
        if request.user.is_authenticated:
            memberships = list(
                request.user.memberships.filter(organisation__is_active=True)
                .select_related("organisation")
                .order_by("organisation__name", "role")
            )
            request.context = Context(
                request.user, memberships, request.session.get(SESSION_CONTEXT)
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AccessDenied) or request.path.startswith("/api/"):
            return None
        if exception.status == 401:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return render(request, "403.html", status=403)
