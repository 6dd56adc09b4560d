"""Timetable pages: planning (new version, progress, grids per school, teacher and room, moving
and locking lessons, the changes before publishing), the teacher's week on a phone with a
private calendar feed, and the planning data (school locations, travel times)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGERS,
    active_programme,
    managed_programmes,
)
from leerorkest.schools.models import School, SchoolParticipation, SchoolYear

from . import actions, grids, solving
from .forms import MoveForm, NewTimetableForm, SchoolLocationForm, TravelOverrideForm
from .models import PlannedLesson, Timetable, TravelOverride

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Timetable"),
        "timetable:list",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=150,
    ),
]

SOFT_LABELS = {
    "idle_gap_minutes": gettext_lazy("Idle minutes between lessons"),
    "travel_minutes": gettext_lazy("Travel minutes between schools"),
    "school_visits": gettext_lazy("School visits of teachers"),
    "short_visit_minutes": gettext_lazy("Paid but unused minutes of short visits"),
    "preferred_teacher_changes": gettext_lazy("Lessons not given by the group's own teacher"),
    "non_compact_minutes": gettext_lazy("Empty minutes in schools' music days"),
    "load_imbalance_minutes": gettext_lazy("Difference between busiest and quietest teacher"),
    "published_changes": gettext_lazy("Lessons changed from the published timetable"),
}


def get_timetable_for_user(user, pk) -> Timetable:
    try:
        return Timetable.objects.filter(organisation__in=managed_programmes(user)).get(pk=pk)
    except (Timetable.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_planned_lesson_for_user(user, pk) -> PlannedLesson:
    try:
        return (
            PlannedLesson.objects.filter(timetable__organisation__in=managed_programmes(user))
            .select_related("timetable", "school__organisation", "teacher", "room")
            .get(pk=pk)
        )
    except (PlannedLesson.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- The list and a new version ----------------------------------------------------------


@rule(PROGRAMME_MANAGERS)
def timetable_list(request):
    programme = active_programme(request)
    year = SchoolYear.objects.current()
    timetables = Timetable.objects.filter(organisation=programme, school_year=year).select_related(
        "created_by", "published_by"
    )
    participations = SchoolParticipation.objects.filter(
        school__organisation__parent=programme, school_year=year
    ).select_related("school__organisation")
    without_location = [p.school for p in participations if p.school.latitude is None]
    form = NewTimetableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            timetable = actions.create_timetable(
                programme=programme,
                year=year,
                by=request.user,
                time_limit=form.cleaned_data["time_limit"],
            )
            solving.start_solve(timetable, by=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("timetable:detail", timetable.pk)
    return render(
        request,
        "timetable/list.html",
        {
            "timetables": timetables,
            "year": year,
            "form": form,
            "published": actions.published_timetable(programme, year),
            "school_count": len(participations),
            "without_location": without_location,
        },
    )


# --- One timetable -------------------------------------------------------------------------


@rule(PROGRAMME_MANAGERS)
def timetable_detail(request, pk):
    timetable = get_timetable_for_user(request.user, pk)
    report = timetable.result.get("report")
    context = {
        "timetable": timetable,
        "percent": solving.progress_percent(timetable),
        "report": report,
        "soft_parts": [
            (SOFT_LABELS.get(part, part), value, (report or {}).get("soft_weights", {}).get(part))
            for part, value in (report or {}).get("soft", {}).items()
        ],
        "hx": bool(request.headers.get("HX-Request")),
        **grids.views(timetable, request),
    }
    return render(request, "timetable/detail.html", context)


@rule(PROGRAMME_MANAGERS)
def timetable_progress(request, pk):
    """The progress bar, polled every two seconds while the planner runs."""
    timetable = get_timetable_for_user(request.user, pk)
    response = render(
        request,
        "timetable/progress.html",
        {"timetable": timetable, "percent": solving.progress_percent(timetable)},
    )
    if timetable.status != Timetable.Status.SOLVING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@rule(PROGRAMME_MANAGERS)
def timetable_solve(request, pk):
    timetable = get_timetable_for_user(request.user, pk)
    try:
        solving.start_solve(timetable, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("timetable:detail", timetable.pk)


@require_POST
@rule(PROGRAMME_MANAGERS)
def timetable_new_version(request, pk):
    """A new draft starting from this (published) timetable, to change by hand or re-plan."""
    timetable = get_timetable_for_user(request.user, pk)
    try:
        draft = actions.copy_timetable(timetable, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("timetable:detail", timetable.pk)
    messages.success(
        request, _("A new version to change. Lock what must stay, then plan again or publish.")
    )
    return redirect("timetable:detail", draft.pk)


def _back_to_grid(request, lesson: PlannedLesson):
    query = request.POST.get("next_query", "")
    url = reverse("timetable:detail", args=[lesson.timetable_id])
    return redirect(f"{url}?{query}" if query else url)


@rule(PROGRAMME_MANAGERS)
def lesson_edit(request, pk):
    """Move a lesson to another day, time, teacher or room; the move locks it."""
    lesson = get_planned_lesson_for_user(request.user, pk)
    timetable = lesson.timetable
    form = MoveForm(request.POST or None, lesson=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            problems = actions.move_lesson(
                lesson,
                by=request.user,
                weekday=form.cleaned_data["weekday"],
                starts_at=form.cleaned_data["starts_at"],
                teacher=form.cleaned_data["teacher"],
                room=form.cleaned_data["room"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if problems:
                messages.warning(
                    request,
                    _("Moved, but the timetable now breaks a rule: %(problems)s")
                    % {"problems": "; ".join(problems)},
                )
            else:
                messages.success(request, _("Moved and locked: %(lesson)s") % {"lesson": lesson})
            return _back_to_grid(request, lesson)
    return render(
        request,
        "timetable/lesson_edit.html",
        {
            "lesson": lesson,
            "timetable": timetable,
            "form": form,
            "next_query": request.GET.urlencode() or request.POST.get("next_query", ""),
            "base_template": (
                "timetable/partial.html" if request.headers.get("HX-Request") else "base.html"
            ),
        },
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def lesson_lock(request, pk):
    lesson = get_planned_lesson_for_user(request.user, pk)
    try:
        actions.set_locked(lesson, by=request.user, locked=request.POST.get("locked") == "1")
    except DomainError as error:
        messages.error(request, str(error))
    return _back_to_grid(request, lesson)


@rule(PROGRAMME_MANAGERS)
def timetable_changes(request, pk):
    """What publishing this timetable changes in the published one, lesson by lesson."""
    timetable = get_timetable_for_user(request.user, pk)
    current = actions.published_timetable(timetable.organisation, timetable.school_year)
    if current and current.pk == timetable.pk:
        current = None
    changes = actions.diff(timetable, current)
    return render(
        request,
        "timetable/changes.html",
        {
            "timetable": timetable,
            "current": current,
            "changes": changes,
            "moved": sum(1 for c in changes if c["kind"] == "changed"),
            "report": timetable.result.get("report"),
        },
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def timetable_publish(request, pk):
    timetable = get_timetable_for_user(request.user, pk)
    try:
        created = actions.publish(timetable, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("timetable:changes", timetable.pk)
    messages.success(
        request,
        _("Published: %(count)s dated lessons until the end of the school year.")
        % {"count": created},
    )
    return redirect("timetable:detail", timetable.pk)


# --- Planning data -------------------------------------------------------------------------


@rule(PROGRAMME_MANAGERS)
def places(request):
    """Where the schools are and known travel times, from which the planner estimates travel."""
    programme = active_programme(request)
    schools = list(
        School.objects.filter(organisation__parent=programme)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    forms = [
        SchoolLocationForm(
            request.POST if request.POST.get("form") == "locations" else None,
            instance=school,
            prefix=f"s{school.pk}",
        )
        for school in schools
    ]
    travel_form = TravelOverrideForm(
        request.POST if request.POST.get("form") == "travel" else None, schools=schools
    )
    if request.method == "POST":
        if request.POST.get("form") == "locations" and all(f.is_valid() for f in forms):
            for form in forms:
                if form.has_changed():
                    form.save()
            messages.success(request, _("Locations saved."))
            return redirect("timetable:places")
        if request.POST.get("form") == "travel" and travel_form.is_valid():
            data = travel_form.cleaned_data
            TravelOverride.objects.update_or_create(
                organisation=programme,
                from_school=data["from_school"],
                to_school=data["to_school"],
                defaults={"minutes": data["minutes"]},
            )
            messages.success(request, _("Travel time saved."))
            return redirect("timetable:places")
        if request.POST.get("form") == "delete":
            TravelOverride.objects.filter(
                organisation=programme, pk=request.POST.get("override")
            ).delete()
            return redirect("timetable:places")
    overrides = TravelOverride.objects.filter(organisation=programme).select_related(
        "from_school__organisation", "to_school__organisation"
    )
    return render(
        request,
        "timetable/places.html",
        {
            "rows": list(zip(schools, forms, strict=True)),
            "travel_form": travel_form,
            "overrides": overrides,
        },
    )


urlpatterns = [
    path("timetable/", timetable_list, name="list"),
    path("timetable/<int:pk>/", timetable_detail, name="detail"),
    path("timetable/<int:pk>/progress/", timetable_progress, name="progress"),
    path("timetable/<int:pk>/solve/", timetable_solve, name="solve"),
    path("timetable/<int:pk>/new-version/", timetable_new_version, name="new_version"),
    path("timetable/<int:pk>/changes/", timetable_changes, name="changes"),
    path("timetable/<int:pk>/publish/", timetable_publish, name="publish"),
    path("timetable/lessons/<int:pk>/", lesson_edit, name="lesson_edit"),
    path("timetable/lessons/<int:pk>/lock/", lesson_lock, name="lesson_lock"),
    path("timetable/places/", places, name="places"),
]
