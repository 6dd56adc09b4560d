"""Academie pages for the organising programme's coordinators: workshops, participants and the
waiting list, attendance (one tap per person), cancelling."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.academie import actions
from leerorkest.academie.access import (
    ORGANISERS,
    get_registration_for_user,
    get_workshop_for_user,
    organised_workshops,
)
from leerorkest.academie.forms import WorkshopForm
from leerorkest.academie.models import HOLDING_A_PLACE, RegistrationStatus, WorkshopStatus
from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.programme.access_programme import active_programme

PAGE_LIMIT = 200


@rule(ORGANISERS)
def organiser_list(request):
    workshops = list(
        organised_workshops(request.user)
        .select_related("organisation")
        .with_counts()
        .order_by("-starts_at", "-pk")[:PAGE_LIMIT]
    )
    return render(request, "academie/organiser_list.html", {"workshops": workshops})


def _apply_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _form_page(request, form, workshop):
    return render(
        request,
        "academie/workshop_form.html",
        {"form": form, "workshop": workshop},
        status=400 if form.is_bound and form.errors else 200,
    )


@rule(ORGANISERS)
def workshop_create(request):
    programme = active_programme(request)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = actions.create_workshop(
                organisation=programme, details=form.details(), by=request.user
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Workshop created."))
            return redirect("academie:participants", workshop.pk)
    return _form_page(request, form, None)


@rule(ORGANISERS)
def workshop_edit(request, pk):
    workshop = get_workshop_for_user(request.user, pk, write=True)
    if workshop.status == WorkshopStatus.CANCELLED:
        messages.error(request, _("This workshop was cancelled."))
        return redirect("academie:participants", workshop.pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_workshop(workshop=workshop, details=form.details(), by=request.user)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Workshop saved."))
            return redirect("academie:participants", workshop.pk)
    return _form_page(request, form, workshop)


def _can_mark(workshop) -> bool:
    return workshop.has_started and workshop.status != WorkshopStatus.CANCELLED


def _participants_context(workshop) -> dict:
    registrations = list(
        workshop.registrations.select_related("user", "attended_marked_by").order_by(
            "registered_at", "pk"
        )
    )
    return {
        "workshop": workshop,
        "participants": [r for r in registrations if r.status in HOLDING_A_PLACE],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
        "statuses": RegistrationStatus,
        "can_mark": _can_mark(workshop),
    }


@rule(ORGANISERS)
def participants(request, pk):
    workshop = get_workshop_for_user(request.user, pk, write=True)
    return render(request, "academie/participants.html", _participants_context(workshop))


@require_POST
@rule(ORGANISERS)
def mark_attendance(request, pk):
    """One tap: `status` is attended, absent, or registered (take the mark back)."""
    registration = get_registration_for_user(request.user, pk, write=True)
    error = None
    try:
        registration = actions.set_attendance(
            registration=registration, status=request.POST.get("status", ""), by=request.user
        )
    except DomainError as refused:
        error = refused.message
    if request.htmx:
        # 200 with the message in the row: htmx swaps no 4xx answers.
        return render(
            request,
            "academie/participants.html#row",
            {
                "row": registration,
                "statuses": RegistrationStatus,
                "can_mark": _can_mark(registration.workshop),
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect("academie:participants", registration.workshop_id)


@require_POST
@rule(ORGANISERS)
def workshop_cancel(request, pk):
    workshop = get_workshop_for_user(request.user, pk, write=True)
    try:
        actions.cancel_workshop(workshop=workshop, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The workshop is cancelled; everyone registered or waiting gets an e-mail.")
        )
    return redirect("academie:participants", workshop.pk)
