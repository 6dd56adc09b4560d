"""Second-factor pages: set up an authenticator app, give a code after the password, reset."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts import totp
from leerorkest.accounts.access import LOGIN, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.totp_forms import CodeForm, PasswordForm


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@rule(LOGIN)
def setup(request):
    """Enrolment (QR code, the key in text, a first code), or the status once set up."""
    device = totp.confirmed_device(request.user)
    if device is not None:
        if not totp.is_verified(request):
            return redirect(_with_next("accounts:totp_verify", request))
        return _status(request, device)
    enrolment = totp.begin_enrolment(user=request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp.confirm_enrolment(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            totp.mark_verified(request)
            messages.success(request, _("Two-step login is on for your account."))
            return _show_codes(request, codes)
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "qr": mark_safe(  # segno's own SVG markup; no user input in it
                totp.qr_svg(enrolment.uri, title=_("QR code for your authenticator app"))
            ),
            "key": totp.grouped(enrolment.secret),
            "next": _next_url(request),
            "required": settings.TWO_FACTOR_REQUIRED
            and totp.role_requires(totp.held_roles(request)),
        },
        status=400 if form.errors else 200,
    )


def _status(request, device, *, reset_form=None, codes_form=None, status=200):
    return render(
        request,
        "accounts/totp_status.html",
        {
            "device": device,
            "codes_left": device.recovery_codes.filter(used_at__isnull=True).count(),
            "reset_form": reset_form or PasswordForm(prefix="reset"),
            "codes_form": codes_form or PasswordForm(prefix="codes"),
        },
        status=status,
    )


def _show_codes(request, codes):
    return render(
        request,
        "accounts/totp_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@rule(LOGIN)
def verify(request):
    """The second step of logging in: a code from the app, or a recovery code."""
    if totp.confirmed_device(request.user) is None:
        totp.mark_reset(request)
        return redirect(_with_next("accounts:totp_setup", request))
    if totp.is_verified(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST if request.method == "POST" else None, recovery=True)
    if request.method == "POST" and form.is_valid():
        try:
            method = totp.verify(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            totp.mark_verified(request)
            if method == "recovery":
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; it does not work again. "
                        "Make new recovery codes on the two-step login page if few are left."
                    ),
                )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/totp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@require_POST
@rule(LOGIN)
def reset(request):
    """Remove one's own authenticator app (only from a verified session, with the password)."""
    device = totp.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:totp_setup")
    form = PasswordForm(request.POST, prefix="reset")
    if form.is_valid():
        try:
            totp.reset_device(user=request.user, password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            totp.mark_reset(request)
            messages.success(request, _("Your authenticator app is removed. Set up a new one now."))
            return redirect("accounts:totp_setup")
    return _status(request, device, reset_form=form, status=400)


@require_POST
@rule(LOGIN)
def recovery_codes(request):
    """Replace the recovery codes, with the password; the new ones are shown once."""
    device = totp.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:totp_setup")
    form = PasswordForm(request.POST, prefix="codes")
    if form.is_valid():
        try:
            codes = totp.new_recovery_codes(
                user=request.user, password=form.cleaned_data["password"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            return _show_codes(request, codes)
    return _status(request, device, codes_form=form, status=400)
