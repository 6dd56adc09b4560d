"""Read-only API on the teacher profiles of the programmes the caller manages."""

from datetime import date, time
from typing import Literal

from django.db.models import Q
from ninja import Query, Router, Schema

from leerorkest.accounts.access import rule
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGERS,
    get_teacher_for_user,
    managed_programmes,
)
from leerorkest.programme.models import Teacher
from leerorkest.programme.teacher_views import filter_vog

router = Router(tags=["teachers"])

MAX_PAGE = 200
MAX_OFFSET = 10_000_000


class TeacherOut(Schema):
    id: int
    organisation_id: int
    full_name: str
    email: str
    phone: str
    instruments: list[str]
    is_conductor: bool
    districts: list[str]
    contracted_hours: float
    vog_date: date | None
    vog_expires_on: date | None
    vog_status: Literal["missing", "expired", "expiring", "valid"]
    is_active: bool
    user_id: int | None


class WindowOut(Schema):
    weekday: int
    starts_at: time
    ends_at: time


class TrainingOut(Schema):
    title: str
    attended_on: date
    hours: float


class TeacherDetailOut(TeacherOut):
    availability: list[WindowOut]
    training: list[TrainingOut]


def _out(teacher: Teacher) -> dict:
    return {
        "id": teacher.pk,
        "organisation_id": teacher.organisation_id,
        "full_name": teacher.full_name,
        "email": teacher.email,
        "phone": teacher.phone,
        "instruments": [i.code for i in teacher.instruments.all()],
        "is_conductor": teacher.is_conductor,
        "districts": [d.name for d in teacher.districts.all()],
        "contracted_hours": float(teacher.contracted_hours),
        "vog_date": teacher.vog_date,
        "vog_expires_on": teacher.vog_expires_on,
        "vog_status": teacher.vog_status,
        "is_active": teacher.is_active,
        "user_id": teacher.user_id,
    }


@router.get("/teachers", response=list[TeacherOut], summary="Teachers of the programmes I manage")
@rule(PROGRAMME_MANAGERS)
def teacher_list(
    request,
    q: str = Query("", max_length=100),
    instrument: str = Query("", max_length=40),
    vog: Literal["", "missing", "expired", "expiring", "valid", "attention"] = "",
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    teachers = Teacher.objects.filter(organisation__in=managed_programmes(request.user))
    q = q.strip()
    if q:
        teachers = teachers.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if instrument:
        teachers = teachers.filter(instruments__code=instrument)
    teachers = filter_vog(teachers, vog).prefetch_related("instruments", "districts")
    return [_out(t) for t in teachers.order_by("full_name", "pk")[offset : offset + limit]]


@router.get("/teachers/{teacher_id}", response=TeacherDetailOut, summary="One teacher profile")
@rule(PROGRAMME_MANAGERS)
def teacher_detail(request, teacher_id: int):
    teacher = get_teacher_for_user(request.user, teacher_id)
    return {
        **_out(teacher),
        "availability": [
            {"weekday": w.weekday, "starts_at": w.starts_at, "ends_at": w.ends_at}
            for w in teacher.availability.all()
        ],
        "training": [
            {"title": t.title, "attended_on": t.attended_on, "hours": float(t.hours)}
            for t in teacher.training.all()
        ],
    }
