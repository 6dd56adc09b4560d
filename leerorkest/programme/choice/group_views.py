"""Lesson-group pages: forming groups from the assignment, the list, a group's page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.programme.choice import groups
from leerorkest.programme.choice.access import (
    COORDINATORS,
    coordinated_schools,
    get_lesson_group_for_user,
    lesson_groups_for_user,
)
from leerorkest.programme.choice.forms import TeacherForm
from leerorkest.programme.choice.queries import YEAR_GROUP_CHOICES, group_members, lesson_group_list
from leerorkest.programme.choice_views import (
    PAGE_SIZE,
    int_or,
    school_year_for,
    scope_for,
    scope_url,
)
from leerorkest.programme.models import InstrumentType, LessonGroup, Teacher
from leerorkest.schools.access import audit_pupil_list
from leerorkest.schools.models import SchoolYear


@require_POST
@rule(COORDINATORS)
def lessongroup_form(request, school_pk: int, year_group: int):
    """Form lesson groups from the assignment; existing groups stay."""
    scope = scope_for(request, school_pk, year_group)
    try:
        summary = groups.form_lesson_groups(scope=scope, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(scope_url("programme:choice_result", scope))
    placed = (
        ngettext("%(placed)s pupil placed", "%(placed)s pupils placed", summary["placed"]) % summary
    )
    created = (
        ngettext(
            "%(created)s new lesson group.", "%(created)s new lesson groups.", summary["created"]
        )
        % summary
    )
    messages.success(request, f"{placed}, {created}")
    if summary["without_teacher"]:
        messages.warning(
            request,
            ngettext(
                "%(without_teacher)s group has no teacher: nobody teaches its instrument.",
                "%(without_teacher)s groups have no teacher: nobody teaches their instrument.",
                summary["without_teacher"],
            )
            % summary,
        )
    url = reverse("programme:lessongroup_list")
    return redirect(
        f"{url}?school={scope.school.pk}&year={scope.school_year.pk}&year_group={year_group}"
    )


@rule(COORDINATORS)
def lessongroup_list(request):
    """Lesson groups per school and year, with filters on year group, instrument and teacher."""
    schools = coordinated_schools(request.user)
    year = school_year_for(request, schools)
    found = lesson_groups_for_user(request.user, write=True).filter(school_year=year)
    filters = {
        "school": int_or(request.GET.get("school")),
        "year_group": int_or(request.GET.get("year_group")),
        "instrument": int_or(request.GET.get("instrument")),
        "teacher": request.GET.get("teacher", ""),
    }
    if filters["school"]:
        found = found.filter(school_id=filters["school"])
    if filters["year_group"]:
        found = found.filter(year_group=filters["year_group"])
    if filters["instrument"]:
        found = found.filter(instrument_id=filters["instrument"])
    if filters["teacher"] == "none":
        found = found.filter(teacher__isnull=True)
    elif int_or(filters["teacher"]):
        found = found.filter(teacher_id=int_or(filters["teacher"]))
    query = request.GET.get("q", "").strip()
    if query:
        found = found.filter(Q(name__icontains=query) | Q(teacher__full_name__icontains=query))
    sorts = {
        "name": ("school__organisation__name", "year_group", "instrument__sort_order", "name"),
        "teacher": ("teacher__full_name", "name"),
        "size": ("-size", "name"),
    }
    sort = request.GET.get("sort", "name")
    sort = sort if sort in sorts else "name"
    page = Paginator(lesson_group_list(found).order_by(*sorts[sort], "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "programme/lessongroup_list.html"
    if request.htmx:
        template += "#groups"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "filters": filters,
            "sort": sort,
            "school_year": year,
            "years": SchoolYear.objects.order_by("-starts_on"),
            "schools": schools.order_by("organisation__name"),
            "year_groups": YEAR_GROUP_CHOICES,
            "instruments": InstrumentType.objects.all(),
            "teachers": Teacher.objects.filter(
                organisation_id__in=schools.values("organisation__parent_id"), is_active=True
            ).order_by("full_name"),
        },
    )


def _group_context(request, group: LessonGroup, teacher_form=None) -> dict:
    members = list(group_members(group))
    audit_pupil_list(request.user, [m.pupil for m in members], action="pupil.list")
    return {
        "group": group,
        "members": members,
        "full": len(members) >= group.max_size,
        "siblings": list(groups.sibling_groups(group)),
        "addable": list(groups.addable_pupils(group)),
        "teacher_form": teacher_form
        or TeacherForm(
            initial={"teacher": group.teacher_id}, teachers=groups.teacher_choices(group)
        ),
    }


@rule(COORDINATORS)
def lessongroup_detail(request, pk: int):
    group = get_lesson_group_for_user(request.user, pk, write=True)
    return render(request, "programme/lessongroup_detail.html", _group_context(request, group))


@require_POST
@rule(COORDINATORS)
def lessongroup_teacher(request, pk: int):
    group = get_lesson_group_for_user(request.user, pk, write=True)
    form = TeacherForm(request.POST, teachers=groups.teacher_choices(group))
    if form.is_valid():
        try:
            groups.change_teacher(
                group=group, teacher=form.cleaned_data["teacher"], by=request.user
            )
        except DomainError as error:
            form.add_error("teacher", error.message)
        else:
            messages.success(request, _("Teacher changed."))
            return redirect("programme:lessongroup_detail", group.pk)
    return render(
        request,
        "programme/lessongroup_detail.html",
        _group_context(request, group, teacher_form=form),
        status=400,
    )


def _member_action(request, pk: int, action) -> object:
    group = get_lesson_group_for_user(request.user, pk, write=True)
    pupil_id = int_or(request.POST.get("pupil"))
    try:
        action(group, pupil_id)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("programme:lessongroup_detail", group.pk)


@require_POST
@rule(COORDINATORS)
def lessongroup_move(request, pk: int):
    def move(group, pupil_id):
        to_group = (
            lesson_groups_for_user(request.user, write=True)
            .filter(pk=int_or(request.POST.get("to_group")))
            .first()
        )
        if to_group is None:
            raise DomainError(_("Choose a group to move to."))
        groups.move_pupil(group=group, pupil_id=pupil_id, to_group=to_group, by=request.user)
        messages.success(request, _("Pupil moved to %(group)s.") % {"group": to_group})

    return _member_action(request, pk, move)


@require_POST
@rule(COORDINATORS)
def lessongroup_remove(request, pk: int):
    def remove(group, pupil_id):
        groups.remove_pupil(group=group, pupil_id=pupil_id, by=request.user)
        messages.success(request, _("Pupil taken out of the group."))

    return _member_action(request, pk, remove)


@require_POST
@rule(COORDINATORS)
def lessongroup_add(request, pk: int):
    def add(group, pupil_id):
        groups.add_pupil(group=group, pupil_id=pupil_id, by=request.user)
        messages.success(request, _("Pupil added to the group."))

    return _member_action(request, pk, add)
