from datetime import datetime

from ninja import Query, Router, Schema

from leerorkest.accounts.access import LOGIN, MANAGERS, get_organisation_for_user, rule
from leerorkest.accounts.models import AuditEvent, Membership, Organisation
from leerorkest.accounts.roles import OrgKind

router = Router(tags=["accounts"])

MAX_PAGE = 200
MAX_OFFSET = 10_000_000


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    is_platform_admin: bool
    memberships: list[MembershipOut]


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: OrgKind
    parent_id: int | None
    city: str
    region: str


class MemberOut(Schema):
    id: int
    user_id: int
    full_name: str
    email: str
    role: str
    since: datetime


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor: str
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str


def _membership_out(m: Membership) -> dict:
    return {
        "id": m.pk,
        "organisation_id": m.organisation_id,
        "organisation_name": m.organisation.name,
        "role": m.role,
    }


@router.get("/me", response=MeOut, summary="Who am I")
@rule(LOGIN)
def me(request):
    user = request.user
    memberships = user.memberships.select_related("organisation")
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "is_platform_admin": user.is_platform_admin,
        "memberships": [_membership_out(m) for m in memberships],
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations I can see")
@rule(LOGIN)
def organisation_list(
    request,
    kind: OrgKind | None = None,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    queryset = Organisation.objects.for_user(request.user).order_by("name", "pk")
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset[offset : offset + limit])


@router.get("/organisations/{org_id}", response=OrganisationOut, summary="One organisation")
@rule(LOGIN)
def organisation_detail(request, org_id: int):
    return get_organisation_for_user(request.user, org_id)


@router.get(
    "/organisations/{org_id}/members",
    response=list[MemberOut],
    summary="Members of an organisation I manage",
)
@rule(MANAGERS)
def organisation_members(request, org_id: int):
    organisation = get_organisation_for_user(request.user, org_id, write=True)
    return [
        {
            "id": m.pk,
            "user_id": m.user_id,
            "full_name": m.user.full_name,
            "email": m.user.email,
            "role": m.role,
            "since": m.created_at,
        }
        for m in organisation.memberships.select_related("user").order_by("user__full_name")
    ]


@router.get("/audit-events", response=list[AuditEventOut], summary="Audit trail I may read")
@rule(MANAGERS)
def audit_events(
    request,
    organisation_id: int | None = None,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    queryset = AuditEvent.objects.for_user(request.user)
    if organisation_id is not None:
        queryset = queryset.filter(
            organisation=get_organisation_for_user(request.user, organisation_id, write=True)
        )
    return [
        {
            "id": e.pk,
            "at": e.at,
            "actor": e.actor_label,
            "organisation_id": e.organisation_id,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
        }
        for e in queryset[offset : offset + limit]
    ]
