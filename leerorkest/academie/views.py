"""Academie pages for the people who teach: upcoming workshops, registering, My Academie,
certificates, and the public check of a certificate's code."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.academie import actions
from leerorkest.academie.access import (
    READERS,
    get_certificate_for_user,
    get_workshop_for_user,
    organised_workshops,
    workshops_for_user,
)
from leerorkest.academie.certificates import code_matches, display_code, verification_url
from leerorkest.academie.models import Registration, RegistrationStatus, WorkshopStatus
from leerorkest.accounts.access import PUBLIC, rule, user_has_role
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import PROGRAMME_MANAGER_ROLES
from leerorkest.programme.models import Teacher

LIST_LIMIT = 100  # upcoming workshops shown at once; the Academie runs a handful a month


NAV_ITEMS = [
    NavItem(
        gettext_lazy("Academie"),
        "academie:workshop_list",
        frozenset({Role.TEACHER, Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=160,
    ),
]


@rule(READERS)
def workshop_list(request):
    workshops = list(
        workshops_for_user(request.user)
        .upcoming()
        .exclude(status=WorkshopStatus.CANCELLED)
        .select_related("organisation")
        .with_counts()
        .order_by("starts_at", "pk")[:LIST_LIMIT]
    )
    mine = dict(
        Registration.objects.filter(
            user=request.user, workshop__in=[w.pk for w in workshops]
        ).values_list("workshop_id", "status")
    )
    for workshop in workshops:
        workshop.my_status = mine.get(workshop.pk, "")
    return render(
        request,
        "academie/workshop_list.html",
        {
            "workshops": workshops,
            "statuses": RegistrationStatus,
            "limit": LIST_LIMIT,
            "organiser": user_has_role(request.user, PROGRAMME_MANAGER_ROLES),
        },
    )


@rule(READERS)
def workshop_detail(request, pk):
    workshop = get_workshop_for_user(request.user, pk)
    registration = Registration.objects.filter(workshop=workshop, user=request.user).first()
    return render(
        request,
        "academie/workshop_detail.html",
        {
            "workshop": workshop,
            "registration": registration,
            "position": registration.waiting_position() if registration else None,
            "statuses": RegistrationStatus,
            "is_organiser": organised_workshops(request.user).filter(pk=workshop.pk).exists(),
        },
    )


@require_POST
@rule(READERS)
def workshop_register(request, pk):
    workshop = get_workshop_for_user(request.user, pk)
    try:
        registration = actions.register(workshop=workshop, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.info(
                request,
                _(
                    "The workshop is full; you are on the waiting list. We e-mail you when a "
                    "place comes free."
                ),
            )
    return redirect("academie:workshop", workshop.pk)


@require_POST
@rule(READERS)
def workshop_unregister(request, pk):
    workshop = get_workshop_for_user(request.user, pk)
    registration = Registration.objects.filter(workshop=workshop, user=request.user).first()
    if registration is None:
        messages.error(request, _("You are not registered for this workshop."))
        return redirect("academie:workshop", workshop.pk)
    try:
        actions.cancel_registration(registration=registration, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("academie:workshop", workshop.pk)


@rule(READERS)
def my_academie(request):
    registrations = list(
        Registration.objects.filter(user=request.user)
        .select_related("workshop__organisation")
        .order_by("-workshop__starts_at", "-pk")
    )
    now = timezone.now()
    upcoming = [r for r in registrations if r.workshop.starts_at >= now]
    past = [r for r in registrations if r.workshop.starts_at < now]
    hours = sum(
        (r.workshop.hours for r in registrations if r.status == RegistrationStatus.ATTENDED), 0
    )
    return render(
        request,
        "academie/my_academie.html",
        {
            "upcoming": upcoming[::-1],
            "past": past,
            "hours": hours,
            "statuses": RegistrationStatus,
            "has_profile": Teacher.objects.filter(user=request.user).exists(),
        },
    )


@rule(READERS)
def certificate(request, pk):
    registration = get_certificate_for_user(request.user, pk)
    return render(
        request,
        "academie/certificate.html",
        {
            "registration": registration,
            "workshop": registration.workshop,
            "code": display_code(registration),
            "url": verification_url(registration),
        },
    )


@rule(PUBLIC)
def verify(request, pk, code):
    """Anyone with the link sees name, workshop and date of an attended registration; a wrong
    code, or a registration that was not attended, is a plain 404."""
    registration = (
        Registration.objects.select_related("workshop", "user")
        .filter(pk=pk, status=RegistrationStatus.ATTENDED)
        .first()
    )
    if registration is None or not code_matches(registration, code):
        raise Http404
    return render(
        request,
        "academie/verify.html",
        {
            "name": registration.user.full_name,
            "title": registration.workshop.title,
            "date": timezone.localtime(registration.workshop.starts_at).date(),
        },
    )
