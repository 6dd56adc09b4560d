"""Lesson groups in the API: coordinators see their programme's groups, teachers their own."""

from ninja import Query, Router, Schema

from leerorkest.accounts.access import rule
from leerorkest.programme.choice.access import (
    GROUP_READERS,
    get_lesson_group_for_user,
    lesson_groups_for_user,
)
from leerorkest.programme.choice.queries import group_members, lesson_group_list
from leerorkest.schools.access import audit_pupil_list

router = Router(tags=["lesson groups"])

MAX_PAGE = 200
MAX_OFFSET = 10_000_000


class LessonGroupOut(Schema):
    id: int
    name: str
    school_id: int
    school_name: str
    school_year: str
    year_group: int
    instrument: str
    instrument_name: str
    teacher_id: int | None
    teacher_name: str | None
    max_size: int
    size: int


class MemberOut(Schema):
    pupil_id: int
    name: str


class LessonGroupDetailOut(LessonGroupOut):
    members: list[MemberOut]


def _out(group, size: int) -> dict:
    return {
        "id": group.pk,
        "name": group.name,
        "school_id": group.school_id,
        "school_name": group.school.organisation.name,
        "school_year": str(group.school_year),
        "year_group": group.year_group,
        "instrument": group.instrument.code,
        "instrument_name": group.instrument.name,
        "teacher_id": group.teacher_id,
        "teacher_name": group.teacher.full_name if group.teacher_id else None,
        "max_size": group.max_size,
        "size": size,
    }


@router.get("/lesson-groups", response=list[LessonGroupOut], summary="Lesson groups I may see")
@rule(GROUP_READERS)
def lesson_group_index(
    request,
    school_id: int | None = None,
    school_year: int | None = Query(
        None, description="The year the school year starts in: 2026 for 2026-2027."
    ),
    year_group: int | None = Query(None, ge=1, le=8),
    instrument: str | None = Query(None, description="Instrument code, e.g. violin."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    groups = lesson_groups_for_user(request.user)
    if school_id is not None:
        groups = groups.filter(school_id=school_id)
    if school_year is not None:
        groups = groups.filter(school_year__starts_on__year=school_year)
    if year_group is not None:
        groups = groups.filter(year_group=year_group)
    if instrument:
        groups = groups.filter(instrument__code=instrument)
    found = lesson_group_list(groups).order_by(
        "school_year__starts_on", "school__organisation__name", "year_group", "name", "pk"
    )
    return [_out(g, g.size) for g in found[offset : offset + limit]]


@router.get(
    "/lesson-groups/{group_id}",
    response=LessonGroupDetailOut,
    summary="One lesson group with its pupils",
)
@rule(GROUP_READERS)
def lesson_group_detail(request, group_id: int):
    group = get_lesson_group_for_user(request.user, group_id)
    members = list(group_members(group))
    audit_pupil_list(request.user, [m.pupil for m in members], action="pupil.list")
    return {
        **_out(group, len(members)),
        "members": [{"pupil_id": m.pupil_id, "name": m.pupil.full_name} for m in members],
    }
