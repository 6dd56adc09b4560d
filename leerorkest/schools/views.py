"""School pages: the list, a school's year at a glance, participation, rooms, classes, rollover."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import LOGIN, MANAGERS, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.programme.models import Ensemble, LessonGroup
from leerorkest.schools import actions
from leerorkest.schools.access import audit_pupil_list, get_school_for_user, schools_for_user
from leerorkest.schools.forms import ParticipationForm, RoomForm
from leerorkest.schools.models import (
    ClassPlacement,
    District,
    Rollover,
    SchoolClass,
    SchoolParticipation,
    SchoolYear,
)
from leerorkest.schools.models.years import Weekday

SORTS = {"name": "organisation__name", "brin": "brin", "district": "neighbourhood__district__name"}


def selected_year(request) -> SchoolYear:
    """The school year in ?year=2026, else the current one (or the latest there is)."""
    raw = request.GET.get("year", "")
    if raw.isdigit():
        found = SchoolYear.objects.filter(starts_on__year=int(raw)).first()
        if found:
            return found
    return (
        SchoolYear.objects.current()
        or SchoolYear.objects.order_by("-starts_on").first()
        or SchoolYear.for_start_year(timezone.localdate().year)
    )


def year_choices():
    return SchoolYear.objects.order_by("-starts_on")


@rule(LOGIN)
def school_list(request):
    year = selected_year(request)
    schools = schools_for_user(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        schools = schools.filter(
            Q(organisation__name__icontains=query) | Q(brin__icontains=query.upper())
        )
    district = request.GET.get("district", "")
    if district.isdigit():
        schools = schools.filter(neighbourhood__district_id=int(district))
    sort = request.GET.get("sort", "name")
    schools = schools.annotate(
        pupil_count=Count(
            "classes__placements", filter=Q(classes__school_year=year), distinct=True
        ),
        class_count=Count("classes", filter=Q(classes__school_year=year), distinct=True),
    ).order_by(SORTS.get(sort, "organisation__name"), "pk")
    # A school contact has one school: take them straight to it.
    if not query and not district and not schools_for_user(request.user, write=True).exists():
        only = list(schools.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            return redirect("schools:school_detail", only[0])
    page = Paginator(schools, 50).get_page(request.GET.get("page"))
    participations = {
        p.school_id: p
        for p in SchoolParticipation.objects.filter(
            school__in=[s.pk for s in page], school_year=year
        )
    }
    for school in page:
        school.participation = participations.get(school.pk)
    return render(
        request,
        "schools/school_list.html",
        {
            "page": page,
            "year": year,
            "years": year_choices(),
            "query": query,
            "district": district,
            "districts": District.objects.all(),
            "sort": sort,
        },
    )


@rule(LOGIN)
def school_detail(request, pk):
    """A school's year at a glance: participation, rooms, classes, groups, ensembles."""
    school = get_school_for_user(request.user, pk)
    year = selected_year(request)
    manages = schools_for_user(request.user, write=True).filter(pk=school.pk).exists()
    participation = (
        SchoolParticipation.objects.filter(school=school, school_year=year)
        .prefetch_related("instruments")
        .first()
    )
    classes = (
        SchoolClass.objects.filter(school=school, school_year=year)
        .annotate(pupil_count=Count("placements"))
        .order_by("year_group", "name")
    )
    groups = (
        LessonGroup.objects.filter(school=school, school_year=year)
        .values("year_group")
        .annotate(count=Count("pk"), pupils=Count("members"))
        .order_by("year_group")
    )
    ensembles = Ensemble.objects.filter(school=school, school_year=year).select_related("conductor")
    rollover = Rollover.objects.filter(
        school=school, from_year=year, undone_at__isnull=True
    ).first()
    can_roll_over = (
        manages
        and rollover is None
        and classes.exists()
        and not SchoolClass.objects.filter(school=school, school_year=year.next()).exists()
    )
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "year": year,
            "years": year_choices(),
            "manages": manages,
            "participation": participation,
            "classes": classes,
            "groups": groups,
            "ensembles": ensembles,
            "rooms": school.rooms.all(),
            "contacts": school.organisation.memberships.select_related("user"),
            "rollover": rollover,
            "can_roll_over": can_roll_over,
            "undo_until": actions.rollover_deadline(school, year.next()) if rollover else None,
        },
    )


@rule(MANAGERS)
def participation_edit(request, pk):
    school = get_school_for_user(request.user, pk, write=True)
    year = selected_year(request)
    participation = SchoolParticipation.objects.filter(school=school, school_year=year).first()
    if participation is None:
        participation = SchoolParticipation(
            school=school, school_year=year, year_groups=[5, 6, 7, 8]
        )
    initial = {"instruments": participation.instruments.all()} if participation.pk else {}
    form = ParticipationForm(request.POST or None, instance=participation, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_participation(
            participation=form.save(commit=False),
            instruments=form.cleaned_data["instruments"],
            by=request.user,
        )
        messages.success(request, _("Participation saved."))
        return redirect(f"{school_url(school)}?year={year.starts_on.year}")
    return render(
        request,
        "schools/participation_form.html",
        {"school": school, "year": year, "form": form, "weekdays": Weekday.choices},
    )


def school_url(school) -> str:
    from django.urls import reverse

    return reverse("schools:school_detail", args=[school.pk])


@rule(MANAGERS)
def room_edit(request, pk, room_pk=None):
    school = get_school_for_user(request.user, pk, write=True)
    room = school.rooms.filter(pk=room_pk).first() if room_pk else None
    if room_pk and room is None:
        raise Http404
    form = RoomForm(request.POST or None, instance=room)
    form.instance.school = school
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Room saved."))
        return redirect("schools:school_detail", school.pk)
    return render(request, "schools/room_form.html", {"school": school, "form": form})


@rule(LOGIN)
def class_detail(request, pk):
    """A class list: names and dates of birth (no parents' data here, for anyone)."""
    allowed = schools_for_user(request.user)
    try:
        school_class = SchoolClass.objects.select_related(
            "school__organisation", "school_year"
        ).get(pk=pk, school__in=allowed)
    except (SchoolClass.DoesNotExist, ValueError):
        raise Http404 from None
    placements = (
        ClassPlacement.objects.filter(school_class=school_class)
        .select_related("pupil")
        .order_by("pupil__surname", "pupil__given_name")
    )
    from leerorkest.schools.models import Pupil

    visible = set(
        Pupil.objects.for_user(request.user)
        .filter(placements__school_class=school_class)
        .values_list("pk", flat=True)
    )
    placements = [p for p in placements if p.pupil_id in visible]
    audit_pupil_list(request.user, [p.pupil for p in placements], action="class.view")
    return render(
        request,
        "schools/class_detail.html",
        {"school_class": school_class, "placements": placements},
    )


@rule(MANAGERS)
def rollover_confirm(request, pk):
    """Move the school to the next year; groep 8 leavers may get their secondary school."""
    school = get_school_for_user(request.user, pk, write=True)
    year = selected_year(request)
    leavers = list(
        ClassPlacement.objects.filter(
            school_class__school=school, school_year=year, school_class__year_group=8
        )
        .select_related("pupil", "school_class")
        .order_by("school_class__name", "pupil__surname")
    )
    if request.method == "POST":
        secondary = {
            p.pupil_id: request.POST.get(f"secondary-{p.pupil_id}", "")[:150] for p in leavers
        }
        try:
            actions.roll_over_school(
                school=school, from_year=year, by=request.user, secondary_schools=secondary
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(school)s moved on to %(year)s.") % {"school": school, "year": year.next()},
            )
            return redirect(f"{school_url(school)}?year={year.next().starts_on.year}")
    counts = (
        SchoolClass.objects.filter(school=school, school_year=year)
        .annotate(pupil_count=Count("placements"))
        .order_by("year_group", "name")
    )
    return render(
        request,
        "schools/rollover_confirm.html",
        {
            "school": school,
            "year": year,
            "next_year": year.next(),
            "leavers": leavers,
            "classes": counts,
            "undo_until": actions.rollover_deadline(school, year.next()),
        },
    )


@require_POST
@rule(MANAGERS)
def rollover_undo(request, pk):
    managed = schools_for_user(request.user, write=True)
    rollover = (
        Rollover.objects.filter(pk=pk, school__in=managed)
        .select_related("school__organisation", "from_year", "to_year")
        .first()
    )
    if rollover is None:
        raise Http404
    try:
        actions.undo_rollover(rollover=rollover, by=request.user)
        messages.success(request, _("The move to the new year was undone."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{school_url(rollover.school)}?year={rollover.from_year.starts_on.year}")
