"""Privacy pages: consent per pupil, subject-access export, erasure, the processing register.

Every page about a pupil reads it through `get_pupil_for_user`, which writes the audit row (A7).
"""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.access import PUBLIC, AccessDenied, roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import Role
from leerorkest.privacy import actions, consent, export
from leerorkest.privacy.forms import ConsentForm, EraseForm
from leerorkest.privacy.register import DECLARATIONS
from leerorkest.schools.access import get_pupil_for_user

COORDINATORS = roles(Role.COORDINATOR, Role.PARTNER_COORDINATOR)
CONSENT_READERS = roles(Role.COORDINATOR, Role.PARTNER_COORDINATOR, Role.SCHOOL_CONTACT)


@rule(CONSENT_READERS)
def pupil_consent(request, pk):
    """The decisions in force and their history; coordinators record new ones here."""
    access = consent.access(request.user, pk)
    if access is None:
        raise Http404
    manages = access == consent.MANAGE
    pupil = get_pupil_for_user(request.user, pk, write=manages, action="pupil.view_consent")
    form = None
    if manages and pupil.pseudonymised_at is None:
        form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            raise AccessDenied(403, "forbidden", _("Your role has no access to this."))
        if form.is_valid():
            try:
                actions.record_consent(pupil=pupil, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("The decision is recorded and in force now."))
                return redirect("privacy:pupil_consent", pupil.pk)
    decisions = consent.history(pupil)
    return render(
        request,
        "privacy/pupil_consent.html",
        {
            "pupil": pupil,
            "states": consent.states(pupil, decisions),
            "decisions": decisions,
            "form": form,
            "manages": manages,
        },
        status=400 if form is not None and form.errors else 200,
    )


@rule(COORDINATORS)
def pupil_export(request, pk):
    """Everything about one pupil on one printable page."""
    pupil = get_pupil_for_user(request.user, pk, write=True, action="pupil.export")
    data = export.build(pupil)
    return render(
        request,
        "privacy/pupil_export.html",
        {
            "pupil": pupil,
            "data": data,
            "facts": export.pupil_facts(data),
            "exported_at": timezone.now(),
            "tables": export.tables(data),
        },
    )


@rule(COORDINATORS)
def pupil_export_json(request, pk):
    """The same export as a JSON file to download."""
    pupil = get_pupil_for_user(request.user, pk, write=True, action="pupil.export")
    body = json.dumps(export.build(pupil), ensure_ascii=False, indent=2, sort_keys=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # The file name carries the record number only, never the child's name.
    response["Content-Disposition"] = f'attachment; filename="leerling-{pupil.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@rule(COORDINATORS)
def pupil_erase(request, pk):
    """Erasure by pseudonymisation, after a confirmation step."""
    pupil = get_pupil_for_user(request.user, pk, write=True, action="pupil.view_erase")
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = actions.erase_pupil(pupil=pupil, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The record is erased: the pupil is now “%(new)s”, without names or contact.")
                % {"new": pupil.full_name},
            )
            return redirect("privacy:pupil_export", pupil.pk)
    return render(
        request,
        "privacy/pupil_erase.html",
        {"pupil": pupil, "form": form},
        status=400 if form.errors else 200,
    )


@rule(PUBLIC)
def processing_register(request):
    """What is stored about whom, why, how long, who sees it. Public on purpose: it holds no
    personal data, and parents and staff may read it (GDPR art. 13 and 30)."""
    return render(request, "privacy/register.html", {"declarations": DECLARATIONS})
