"""Progress pages: a lesson group's grid per term (on a tablet, between lessons), a child's
progress across terms and years, and the printable end-of-year report for parents."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.curriculum import progress
from leerorkest.curriculum.access import get_progress_pupil_for_user
from leerorkest.curriculum.models import TERMS, GoalKind, GoalStatus, Mastery, ProgressRecord
from leerorkest.programme.access_programme import TEACHING, get_lesson_group_for_teacher
from leerorkest.programme.models import LessonGroup
from leerorkest.schools.access import audit_pupil_list


def _term(request) -> int:
    raw = request.POST.get("term") or request.GET.get("term", "")
    return int(raw) if raw in ("1", "2", "3") else progress.current_term()


def _grid_page(request, grid, *, status=200, error=""):
    audit_pupil_list(request.user, [row.pupil for row in grid.rows], action="progress.grid")
    return render(
        request,
        "curriculum/grid.html",
        {
            "grid": grid,
            "group": grid.group,
            "terms": TERMS,
            "statuses": Mastery.choices,
            "error": error,
            "has_errors": error or any(row.error for row in grid.rows),
        },
        status=status,
    )


@rule(TEACHING)
def progress_grid(request, pk):
    """One row per pupil: the milestone reached and a status per goal of the groep; one Save.
    The group's teacher and the programme's coordinators record; anyone else gets a 404."""
    group = get_lesson_group_for_teacher(request.user, pk)
    group = LessonGroup.objects.select_related(
        "school__organisation", "school_year", "instrument", "teacher"
    ).get(pk=group.pk)
    term = _term(request)
    grid = progress.build_grid(group, term)
    if request.method != "POST":
        return _grid_page(request, grid)
    try:
        rows, ok = progress.parse_grid(grid, request.POST)
    except DomainError as error:
        return _grid_page(request, grid, status=400, error=error.message)
    if ok:
        try:
            progress.record_progress(
                lesson_group=group,
                school_year=group.school_year,
                term=term,
                rows=rows,
                by=request.user,
            )
        except DomainError as error:
            ok, message = False, error.message
        else:
            messages.success(request, _("Progress saved for term %(term)s.") % {"term": term})
            return redirect(reverse("curriculum:progress_grid", args=[group.pk]) + f"?term={term}")
    else:
        message = _("Nothing was saved: correct the marked rows.")
    # Show what was entered, with the errors, so nothing typed is lost.
    entered = {row.pupil.pk: row for row in rows}
    grid.rows = [entered.get(row.pupil.pk, row) for row in grid.rows]
    grid.prefilled_from = None
    return _grid_page(request, grid, status=400, error=message)


def _history(pupil):
    records = list(
        ProgressRecord.objects.filter(pupil=pupil)
        .select_related("school_year", "instrument", "milestone", "lesson_group", "recorded_by")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=GoalStatus.objects.select_related("goal").order_by(
                    "goal__kind", "goal__order", "goal__code"
                ),
            )
        )
        .order_by("-school_year__starts_on", "-term", "instrument__sort_order")
    )
    return records


@rule(TEACHING)
def pupil_progress(request, pk):
    """A child's milestones and goal statuses across terms and years, newest first."""
    pupil = get_progress_pupil_for_user(request.user, pk)
    return render(
        request,
        "curriculum/pupil_progress.html",
        {"pupil": pupil, "records": _history(pupil), "kinds": dict(GoalKind.choices)},
    )


@rule(TEACHING)
def pupil_report(request, pk):
    """The end-of-year report for parents: plain words, printable, in the page's language."""
    pupil = get_progress_pupil_for_user(request.user, pk, action="progress.report")
    records = _history(pupil)
    years = []
    for record in records:
        if record.school_year not in years:
            years.append(record.school_year)
    raw = request.GET.get("year", "")
    year = next((y for y in years if str(y.starts_on.year) == raw), years[0] if years else None)
    latest = {}
    for record in records:  # newest first: the first per instrument is the latest term
        if record.school_year == year and record.instrument_id not in latest:
            latest[record.instrument_id] = record
    sections = []
    for record in latest.values():
        goals = list(record.goals.all())
        sections.append(
            {
                "record": record,
                "mastered": [s.goal for s in goals if s.status == Mastery.MASTERED],
                "developing": [s.goal for s in goals if s.status == Mastery.DEVELOPING],
                "not_yet": [s.goal for s in goals if s.status == Mastery.NOT_YET],
            }
        )
    return render(
        request,
        "curriculum/report.html",
        {
            "pupil": pupil,
            "year": year,
            "years": years,
            "sections": sections,
        },
    )
