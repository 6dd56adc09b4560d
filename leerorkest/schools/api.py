"""API for schools, classes and pupils, scoped like the pages (targets A2, A3, A7)."""

from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from ninja import Query, Router, Schema

from leerorkest.accounts.access import LOGIN, rule
from leerorkest.accounts.roles import MANAGER_ROLES, Role
from leerorkest.schools.access import (
    audit_pupil_list,
    can_see_parent_contact,
    get_pupil_for_user,
    get_school_for_user,
    schools_for_user,
)
from leerorkest.schools.models import ClassPlacement, Pupil, SchoolClass, SchoolYear

router = Router(tags=["schools"])

MAX_PAGE = 200
MAX_OFFSET = 10_000_000


class SchoolOut(Schema):
    id: int
    name: str
    brin: str
    programme_id: int | None
    city: str
    neighbourhood: str | None
    district: str | None


class ClassOut(Schema):
    id: int
    school_id: int
    school_year: str
    year_group: int
    name: str
    class_teacher: str
    pupil_count: int


class PupilOut(Schema):
    """What the caller may see: teachers names only; school contacts also the date of birth;
    the programme's coordinators also the parent's contact."""

    id: int
    given_name: str
    surname_prefix: str
    surname: str
    date_of_birth: date | None = None
    school_id: int | None = None
    class_id: int | None = None
    class_name: str | None = None
    year_group: int | None = None
    parent_name: str | None = None
    parent_phone: str | None = None
    parent_email: str | None = None


class ClassDetailOut(ClassOut):
    pupils: list[PupilOut]


def _school_out(school) -> dict:
    neighbourhood = school.neighbourhood
    return {
        "id": school.pk,
        "name": school.organisation.name,
        "brin": school.brin,
        "programme_id": school.organisation.parent_id,
        "city": school.organisation.city,
        "neighbourhood": neighbourhood.name if neighbourhood else None,
        "district": neighbourhood.district.name if neighbourhood else None,
    }


def _year(start: int | None) -> SchoolYear | None:
    if start is None:
        return SchoolYear.objects.current() or SchoolYear.objects.order_by("-starts_on").first()
    return SchoolYear.objects.filter(starts_on__year=start).first()


def _pupil_out(pupil: Pupil, placement, *, full: bool, with_birth: bool) -> dict:
    out = {
        "id": pupil.pk,
        "given_name": pupil.given_name,
        "surname_prefix": pupil.surname_prefix,
        "surname": pupil.surname,
    }
    if placement is not None:
        out |= {
            "school_id": placement.school_class.school_id,
            "class_id": placement.school_class_id,
            "class_name": placement.school_class.name,
            "year_group": placement.school_class.year_group,
        }
    if with_birth or full:
        out["date_of_birth"] = pupil.date_of_birth
    if full:
        out |= {
            "parent_name": pupil.parent_name,
            "parent_phone": pupil.parent_phone,
            "parent_email": pupil.parent_email,
        }
    return out


def _visibility(user) -> bool:
    """Whether the user sees dates of birth: managers and school contacts; teachers do not."""
    return user.memberships.filter(role__in=[*MANAGER_ROLES, Role.SCHOOL_CONTACT]).exists()


@router.get("/schools", response=list[SchoolOut], summary="Schools I can see")
@rule(LOGIN)
def school_list(
    request,
    q: str = "",
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    schools = schools_for_user(request.user).order_by("organisation__name", "pk")
    if q:
        schools = schools.filter(Q(organisation__name__icontains=q) | Q(brin__iexact=q))
    return [_school_out(s) for s in schools[offset : offset + limit]]


@router.get("/schools/{school_id}", response=SchoolOut, summary="One school")
@rule(LOGIN)
def school_detail(request, school_id: int):
    return _school_out(get_school_for_user(request.user, school_id))


@router.get("/schools/{school_id}/classes", response=list[ClassOut], summary="A school's classes")
@rule(LOGIN)
def school_classes(request, school_id: int, year: int | None = Query(None, ge=2000, le=2100)):
    school = get_school_for_user(request.user, school_id)
    school_year = _year(year)
    classes = (
        SchoolClass.objects.filter(school=school, school_year=school_year)
        .select_related("school_year")
        .annotate(pupil_count=Count("placements"))
        .order_by("year_group", "name")
    )
    return [_class_out(c) for c in classes]


def _class_out(c) -> dict:
    return {
        "id": c.pk,
        "school_id": c.school_id,
        "school_year": str(c.school_year),
        "year_group": c.year_group,
        "name": c.name,
        "class_teacher": c.class_teacher,
        "pupil_count": c.pupil_count,
    }


@router.get("/classes/{class_id}", response=ClassDetailOut, summary="A class list")
@rule(LOGIN)
def class_detail(request, class_id: int):
    try:
        school_class = (
            SchoolClass.objects.select_related("school_year")
            .annotate(pupil_count=Count("placements"))
            .get(pk=class_id, school__in=schools_for_user(request.user))
        )
    except SchoolClass.DoesNotExist:
        raise Http404 from None
    visible = Pupil.objects.for_user(request.user).filter(placements__school_class=school_class)
    placements = (
        ClassPlacement.objects.filter(school_class=school_class, pupil__in=visible)
        .select_related("pupil", "school_class")
        .order_by("pupil__surname", "pupil__given_name")
    )
    with_birth = _visibility(request.user)
    pupils = [_pupil_out(p.pupil, p, full=False, with_birth=with_birth) for p in placements]
    audit_pupil_list(request.user, [p.pupil for p in placements], action="class.view")
    return {**_class_out(school_class), "pupils": pupils}


@router.get("/pupils", response=list[PupilOut], summary="Pupils I can see, with this year's class")
@rule(LOGIN)
def pupil_list(
    request,
    q: str = "",
    school_id: int | None = None,
    year_group: int | None = Query(None, ge=1, le=8),
    year: int | None = Query(None, ge=2000, le=2100),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    school_year = _year(year)
    placements = ClassPlacement.objects.filter(
        school_year=school_year, pupil__in=Pupil.objects.for_user(request.user)
    ).select_related("pupil", "school_class")
    if q:
        for word in q.split():
            placements = placements.filter(
                Q(pupil__given_name__icontains=word) | Q(pupil__surname__icontains=word)
            )
    if school_id is not None:
        placements = placements.filter(school_class__school_id=school_id)
    if year_group is not None:
        placements = placements.filter(school_class__year_group=year_group)
    rows = list(
        placements.order_by("pupil__surname", "pupil__given_name", "pupil_id")[
            offset : offset + limit
        ]
    )
    managed = set(
        Pupil.objects.managed_by(request.user)
        .filter(pk__in=[r.pupil_id for r in rows])
        .values_list("pk", flat=True)
    )
    with_birth = _visibility(request.user)
    audit_pupil_list(request.user, [r.pupil for r in rows])
    return [_pupil_out(r.pupil, r, full=r.pupil_id in managed, with_birth=with_birth) for r in rows]


@router.get("/pupils/{pupil_id}", response=PupilOut, summary="One pupil (audited)")
@rule(LOGIN)
def pupil_detail(request, pupil_id: int):
    pupil = get_pupil_for_user(request.user, pupil_id)
    placement = (
        pupil.placements.select_related("school_class").order_by("-school_year__starts_on").first()
    )
    return _pupil_out(
        pupil,
        placement,
        full=can_see_parent_contact(request.user, pupil),
        with_birth=_visibility(request.user),
    )
