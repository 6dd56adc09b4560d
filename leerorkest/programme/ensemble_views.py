"""Ensemble pages for the programme's coordinators."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import MANAGERS, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme import actions_ensembles as actions
from leerorkest.programme.models import Ensemble, EnsembleKind, EnsembleMember
from leerorkest.schools.access import audit_pupil_list, get_school_for_user
from leerorkest.schools.models import Pupil
from leerorkest.schools.views import selected_year, year_choices

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Orchestras"),
        "programme:ensemble_list",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=145,
    ),
]


def ensembles_for_user(user):
    """Ensembles of the programmes the user manages."""
    return Ensemble.objects.filter(organisation__in=Organisation.objects.for_user(user, write=True))


def get_ensemble_for_user(user, pk) -> Ensemble:
    try:
        return (
            ensembles_for_user(user)
            .select_related("school__organisation", "school_year", "conductor")
            .get(pk=pk)
        )
    except (Ensemble.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_member_for_user(user, pk) -> EnsembleMember:
    try:
        return EnsembleMember.objects.select_related("ensemble", "pupil").get(
            pk=pk, ensemble__in=ensembles_for_user(user)
        )
    except (EnsembleMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@rule(MANAGERS)
def ensemble_list(request):
    year = selected_year(request)
    ensembles = ensembles_for_user(request.user).filter(school_year=year)
    kind = request.GET.get("kind", "")
    if kind in EnsembleKind.values:
        ensembles = ensembles.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        ensembles = ensembles.filter(
            Q(name__icontains=query) | Q(school__organisation__name__icontains=query)
        )
    ensembles = (
        ensembles.select_related("school__organisation", "conductor")
        .annotate(
            playing=Count("members", filter=Q(members__status=EnsembleMember.Status.ACTIVE)),
            waiting=Count("members", filter=Q(members__status=EnsembleMember.Status.WAITING)),
            invited=Count("members", filter=Q(members__status=EnsembleMember.Status.INVITED)),
        )
        .order_by("kind", "name", "pk")
    )
    page = Paginator(ensembles, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/ensemble_list.html",
        {
            "page": page,
            "year": year,
            "years": year_choices(),
            "kind": kind,
            "query": query,
            "kinds": EnsembleKind.choices,
        },
    )


@rule(MANAGERS)
def ensemble_detail(request, pk):
    ensemble = get_ensemble_for_user(request.user, pk)
    members = list(
        ensemble.members.exclude(status=EnsembleMember.Status.LEFT)
        .select_related("pupil", "instrument")
        .order_by("status", "since", "pk")
    )
    audit_pupil_list(request.user, [m.pupil for m in members], action="ensemble.view")
    query = request.GET.get("q", "").strip()
    candidates = []
    if query:
        candidates = list(
            Pupil.objects.managed_by(request.user)
            .filter(organisation=ensemble.organisation, pseudonymised_at__isnull=True)
            .filter(Q(given_name__icontains=query) | Q(surname__icontains=query))
            .exclude(pk__in=[m.pupil_id for m in members])
            .order_by("surname", "given_name")[:20]
        )
    groups = {
        status: [m for m in members if m.status == status]
        for status in EnsembleMember.Status.values
    }
    sectionals = list(ensemble.sectionals.select_related("led_by").prefetch_related("instruments"))
    for sectional in sectionals:
        codes = {i.pk for i in sectional.instruments.all()}
        sectional.player_count = sum(1 for m in groups["active"] if m.instrument_id in codes)
    return render(
        request,
        "programme/ensemble_detail.html",
        {
            "ensemble": ensemble,
            "groups": groups,
            "query": query,
            "candidates": candidates,
            "sectionals": sectionals,
            "statuses": EnsembleMember.Status,
            "previous_year": ensemble.school_year.previous(),
        },
    )


@require_POST
@rule(MANAGERS)
def ensemble_enrol(request, pk):
    ensemble = get_ensemble_for_user(request.user, pk)
    raw = request.POST.get("pupil", "")
    pupil = (
        Pupil.objects.managed_by(request.user).filter(pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    if pupil is None:
        messages.error(request, _("Choose a pupil to add."))
        return redirect("programme:ensemble_detail", ensemble.pk)
    try:
        member = actions.enrol(ensemble=ensemble, pupil=pupil, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if member.status == EnsembleMember.Status.WAITING:
            messages.info(
                request,
                _("The ensemble is full: %(pupil)s is on the waiting list.") % {"pupil": pupil},
            )
        else:
            messages.success(request, _("%(pupil)s plays along.") % {"pupil": pupil})
    return redirect("programme:ensemble_detail", ensemble.pk)


@require_POST
@rule(MANAGERS)
def member_leave(request, pk):
    member = get_member_for_user(request.user, pk)
    promoted = actions.leave(member=member, by=request.user)
    if promoted:
        messages.success(
            request, _("%(pupil)s moved up from the waiting list.") % {"pupil": promoted.pupil}
        )
    return redirect("programme:ensemble_detail", member.ensemble_id)


@require_POST
@rule(MANAGERS)
def member_respond(request, pk):
    member = get_member_for_user(request.user, pk)
    try:
        actions.respond_to_invitation(
            member=member, accept=request.POST.get("accept") == "1", by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("programme:ensemble_detail", member.ensemble_id)


@require_POST
@rule(MANAGERS)
def ensemble_invite_leavers(request, pk):
    ensemble = get_ensemble_for_user(request.user, pk)
    try:
        count = actions.invite_leavers(
            ensemble=ensemble, from_year=ensemble.school_year.previous(), by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s leavers invited.") % {"count": count})
    return redirect("programme:ensemble_detail", ensemble.pk)


@require_POST
@rule(MANAGERS)
def school_orchestras(request, pk):
    school = get_school_for_user(request.user, pk, write=True)
    year = selected_year(request)
    try:
        orchestras = actions.form_school_orchestras(
            school=school, school_year=year, by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)s school orchestras are ready.") % {"count": len(orchestras)}
        )
    return redirect(
        reverse("schools:school_detail", args=[school.pk]) + f"?year={year.starts_on.year}"
    )
