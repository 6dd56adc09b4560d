"""Session limits (target A5), the second factor (A4) and the organisation context of a request."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from leerorkest.accounts import totp
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


# Pages an unverified session may still open: logging in and out, the second-factor pages, the
# language switch and the health check. Static files never reach the views.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:totp_setup",
        "accounts:totp_verify",
        "set_language",
        "healthz",
    }
)


class TwoFactorMiddleware:
    """Sends a session that still owes its second factor to enrolment or verification (A4).

    For the API such a session does not count as logged in at all; a personal token still does
    (tokens are only made from a verified session). Placed after ActiveMembershipMiddleware,
    whose memberships say whether the person's roles require the second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/api/")
            and request.user.is_authenticated
            and totp.needs_verification(request)
        ):
            request.user = AnonymousUser()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.path.startswith("/api/"):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_EXEMPT:
            return None
        if not totp.needs_verification(request):
            return None
        enrolled = totp.session_state(request)["enrolled"]
        target = reverse("accounts:totp_verify" if enrolled else "accounts:totp_setup")
        url = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
