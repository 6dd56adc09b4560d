"""Absences, cover and school cancellations: a teacher reports an absence on a phone, the office
finds and confirms substitutes (or cancels), and a school records days without music lessons."""

from datetime import timedelta
from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import AccessDenied, roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGER_ROLES,
    PROGRAMME_MANAGERS,
    TEACHING,
    active_programme,
    managed_programmes,
    teaching_programmes,
)
from leerorkest.programme.models import Teacher
from leerorkest.schools.models import School

from . import cover, cover_actions
from .forms_cover import AbsenceForm, CancelLessonForm, SchoolCancellationForm
from .models import LessonDate, SchoolCancellation, TeacherAbsence

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Report absence"),
        "timetable:absence_report",
        frozenset({Role.TEACHER}),
        order=108,
    ),
    NavItem(
        gettext_lazy("Cover"),
        "timetable:cover",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=165,
    ),
    NavItem(
        gettext_lazy("Cancel lessons"),
        "timetable:cancellation_new",
        frozenset({Role.SCHOOL_CONTACT}),
        order=170,
    ),
]

# Who records a school's cancellations: the programme's coordinators, or the school's contact.
CANCELLERS = roles(*PROGRAMME_MANAGER_ROLES, Role.SCHOOL_CONTACT)
SHOWN_CANDIDATES = 5
PAGE_SIZE = 50


def _apply_form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- One door per object ------------------------------------------------------------------------


def get_absence_for_user(user, pk) -> TeacherAbsence:
    """An absence of a teacher of a programme the user manages, or the user's own; else 404."""
    queryset = TeacherAbsence.objects.filter(
        Q(teacher__organisation__in=managed_programmes(user))
        | Q(teacher__user=user, teacher__organisation__in=teaching_programmes(user))
    )
    try:
        return queryset.select_related("teacher__organisation", "reported_by").get(pk=pk)
    except (TeacherAbsence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_lesson_date_for_manager(user, pk) -> LessonDate:
    """A dated lesson of a programme the user manages; otherwise 404."""
    queryset = LessonDate.objects.filter(organisation__in=managed_programmes(user))
    try:
        return queryset.select_related(
            "teacher", "absence__teacher", "planned__school__organisation", "planned__room"
        ).get(pk=pk)
    except (LessonDate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _is_manager(request) -> bool:
    return getattr(request.context, "role", None) in PROGRAMME_MANAGER_ROLES


def _own_teacher(request) -> Teacher | None:
    """The user's teacher profile in the organisation they are acting for."""
    organisation = getattr(request.context, "organisation", None)
    if organisation is None:
        return None
    return Teacher.objects.filter(
        user=request.user, organisation=organisation, is_active=True
    ).first()


# --- Absences -----------------------------------------------------------------------------------


@rule(TEACHING)
def absence_report(request):
    """A teacher reports their own absence; a coordinator reports one for any teacher."""
    today = timezone.localdate()
    if _is_manager(request):
        programme = active_programme(request)
        teachers = Teacher.objects.filter(organisation=programme, is_active=True)
        teacher = None
        recent = TeacherAbsence.objects.filter(teacher__organisation=programme)
    else:
        teachers = None
        teacher = _own_teacher(request)
        recent = TeacherAbsence.objects.filter(teacher=teacher) if teacher else None
    form = AbsenceForm(request.POST or None, teachers=teachers)
    if teacher is None and teachers is None:
        form = None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            absence = cover_actions.report_absence(
                teacher=data.get("teacher") or teacher,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as error:
            _apply_form_error(form, error)
        else:
            count = absence.dates.count()
            messages.success(
                request,
                ngettext(
                    "Absence reported; the office has been told. %(count)s lesson needs cover.",
                    "Absence reported; the office has been told. %(count)s lessons need cover.",
                    count,
                )
                % {"count": count},
            )
            return redirect("timetable:absence_detail", absence.pk)
    if recent is not None:
        recent = (
            recent.filter(ends_on__gte=today - timedelta(days=30))
            .select_related("teacher")
            .annotate(
                open_count=Count(
                    "dates",
                    filter=Q(dates__status=LessonDate.Status.PLANNED, dates__is_cover=False),
                )
            )
            .order_by("starts_on", "pk")
        )
    return render(
        request,
        "timetable/cover/absence_report.html",
        {"form": form, "teacher": teacher, "is_manager": teachers is not None, "recent": recent},
    )


def _lesson_state(lesson_date: LessonDate, today) -> tuple[str, str]:
    """(css class, label) of a lesson in an absence."""
    if lesson_date.status == LessonDate.Status.GIVEN:
        return "ok", _("Given")
    if lesson_date.status == LessonDate.Status.CANCELLED:
        return "info", _("Cancelled")
    if lesson_date.is_cover:
        return "ok", _("Covered by %(name)s") % {"name": lesson_date.teacher.full_name}
    if lesson_date.date < today:
        return "info", _("Not covered")
    return "warn", _("Needs cover")


@rule(TEACHING)
def absence_detail(request, pk):
    absence = get_absence_for_user(request.user, pk)
    lessons = list(
        absence.dates.select_related(
            "teacher", "planned__school__organisation", "planned__room"
        ).order_by("date", "starts_at", "pk")
    )
    today = timezone.localdate()
    rows = [(lesson, *_lesson_state(lesson, today)) for lesson in lessons]
    return render(
        request,
        "timetable/cover/absence_detail.html",
        {
            "absence": absence,
            "rows": rows,
            "manages": cover_actions.manages(request.user, absence.teacher.organisation_id),
        },
    )


@require_POST
@rule(TEACHING)
def absence_withdraw(request, pk):
    absence = get_absence_for_user(request.user, pk)
    try:
        count = cover_actions.withdraw_absence(absence=absence, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Absence withdrawn; %(count)s lesson is planned with the teacher again.",
                "Absence withdrawn; %(count)s lessons are planned with the teacher again.",
                count,
            )
            % {"count": count},
        )
    return redirect("timetable:absence_detail", absence.pk)


# --- Cover --------------------------------------------------------------------------------------


@rule(PROGRAMME_MANAGERS)
def cover_list(request):
    """Upcoming lessons of absent teachers nobody covers yet, by date, each with the ranked
    substitutes and why."""
    programme = active_programme(request)
    today = timezone.localdate()
    lessons = list(cover.needing_cover(programme, today))
    ranked = cover.rank_many(lessons)
    days = [
        (day, [(lesson, *_split(ranked.get(lesson.pk, []))) for lesson in group])
        for day, group in groupby(lessons, key=lambda lesson: lesson.date)
    ]
    absences = (
        TeacherAbsence.objects.filter(
            teacher__organisation=programme, withdrawn_at=None, ends_on__gte=today
        )
        .select_related("teacher")
        .order_by("starts_on", "pk")
    )
    return render(
        request,
        "timetable/cover/cover.html",
        {
            "days": days,
            "count": len(lessons),
            "absences": absences,
            "today": today,
        },
    )


def _split(candidates: list) -> tuple[list, list]:
    """The best few substitutes shown at once, the others behind a disclosure."""
    return candidates[:SHOWN_CANDIDATES], candidates[SHOWN_CANDIDATES:]


@require_POST
@rule(PROGRAMME_MANAGERS)
def cover_confirm(request, pk):
    lesson_date = get_lesson_date_for_manager(request.user, pk)
    substitute = Teacher.objects.filter(
        organisation_id=lesson_date.organisation_id, pk=_int(request.POST.get("substitute"))
    ).first()
    try:
        if substitute is None:
            raise DomainError(_("Choose a teacher of this programme."))
        cover_actions.confirm_cover(lesson_date=lesson_date, substitute=substitute, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s covers %(lesson)s; both teachers have been e-mailed.")
            % {"name": substitute.full_name, "lesson": cover_actions.describe(lesson_date)},
        )
    return redirect("timetable:cover")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@rule(PROGRAMME_MANAGERS)
def cover_cancel(request, pk):
    """Cancel a lesson nobody can cover, with the reason the school and pupils will see."""
    lesson_date = get_lesson_date_for_manager(request.user, pk)
    initial = {}
    if lesson_date.absence_id:
        initial["reason"] = _("Teacher absent (%(reason)s)") % {
            "reason": lesson_date.absence.get_reason_display().lower()
        }
    form = CancelLessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cover_actions.cancel_lesson(
                lesson_date=lesson_date, reason=form.cleaned_data["reason"], by=request.user
            )
        except DomainError as error:
            _apply_form_error(form, error)
        else:
            messages.success(
                request,
                _("Cancelled: %(lesson)s.") % {"lesson": cover_actions.describe(lesson_date)},
            )
            return redirect("timetable:cover")
    return render(
        request,
        "timetable/cover/cancel_lesson.html",
        {
            "form": form,
            "lesson": lesson_date,
            "description": cover_actions.describe(lesson_date),
            "needs_cover": cover.needs_cover(lesson_date),
        },
    )


# --- School cancellations -----------------------------------------------------------------------


def _cancellation_schools(request):
    """The schools the user records cancellations for in the role they act in."""
    context = request.context
    if _is_manager(request):
        programme = active_programme(request)
        return School.objects.filter(organisation__parent=programme, organisation__is_active=True)
    if getattr(context, "role", None) == Role.SCHOOL_CONTACT and context.organisation:
        return School.objects.filter(organisation=context.organisation)
    raise AccessDenied(403, "forbidden", _("Switch to your role as coordinator first."))


@rule(CANCELLERS)
def cancellation_list(request):
    schools = _cancellation_schools(request)
    cancellations = (
        SchoolCancellation.objects.filter(school__in=schools)
        .select_related("school__organisation", "recorded_by")
        .annotate(
            cancelled=Count(
                "dates", filter=Q(dates__status=LessonDate.Status.CANCELLED), distinct=True
            )
        )
        .order_by("-starts_on", "-pk")
    )
    page = Paginator(cancellations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "timetable/cover/cancellation_list.html",
        {"page": page, "is_manager": _is_manager(request)},
    )


@rule(CANCELLERS)
def cancellation_new(request):
    schools = _cancellation_schools(request)
    today = timezone.localdate()
    form = SchoolCancellationForm(
        request.POST or None, schools=schools, initial={"starts_on": today, "ends_on": today}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cancellation, count = cover_actions.record_school_cancellation(
                school=data["school"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                note=data["note"],
                year_groups=data["year_groups"],
                by=request.user,
            )
        except DomainError as error:
            _apply_form_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Recorded: %(count)s lesson at %(school)s is cancelled and its teacher "
                    "has been e-mailed.",
                    "Recorded: %(count)s lessons at %(school)s are cancelled and their "
                    "teachers have been e-mailed.",
                    count,
                )
                % {"count": count, "school": cancellation.school},
            )
            return redirect("timetable:cancellations")
    return render(request, "timetable/cover/cancellation_form.html", {"form": form})
