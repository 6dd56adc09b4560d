"""API of the learning line: read as on the pages (shared published lines for anyone, own lines
for members), write goals and milestones of a draft for the owner's coordinators."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from leerorkest.accounts.access import PUBLIC, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.api import session_auth
from leerorkest.curriculum import actions
from leerorkest.curriculum.access import (
    get_goal_for_user,
    get_line_for_user,
    get_milestone_for_user,
    lines_for_user,
)
from leerorkest.curriculum.models import GoalKind, LearningGoal, LearningLine, Milestone
from leerorkest.idempotency import IdempotencyKey
from leerorkest.programme.access_programme import PROGRAMME_MANAGERS
from leerorkest.programme.models import InstrumentType

router = Router(tags=["curriculum"])


class TokenOrAnonymous(HttpBearer):
    """Reads are open: a personal token is honoured when sent (and refused when wrong); without
    one the caller is the session's user, or an anonymous visitor."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            return True
        return super().__call__(request)

    def authenticate(self, request, token):
        from leerorkest.api import PersonalToken

        return PersonalToken().authenticate(request, token)


READ_AUTH = [TokenOrAnonymous(), session_auth]


class LearningLineOut(Schema):
    id: int
    name: str
    description: str
    owner: str
    owner_id: int
    version: int
    status: str
    visibility: str
    is_example: bool
    based_on_id: int | None
    published_at: str | None


class GoalOut(Schema):
    id: int
    line_id: int
    year_group: int
    kind: str
    code: str
    text: str
    order: int


class MilestoneOut(Schema):
    id: int
    line_id: int
    instrument: str
    order: int
    name: str
    notes: str
    skills: str
    typical_year_group: int | None


class LearningLineDetailOut(LearningLineOut):
    goals: list[GoalOut]
    milestones: list[MilestoneOut]


class GoalIn(Schema):
    year_group: int = Field(..., ge=3, le=8)
    kind: GoalKind
    code: str = Field(..., min_length=1, max_length=12)
    text: str = Field(..., min_length=1, max_length=2000)
    order: int | None = Field(None, ge=0, le=32767)


class GoalPatch(Schema):
    year_group: int | None = Field(None, ge=3, le=8)
    kind: GoalKind | None = None
    code: str | None = Field(None, min_length=1, max_length=12)
    text: str | None = Field(None, min_length=1, max_length=2000)
    order: int | None = Field(None, ge=0, le=32767)


class MilestoneIn(Schema):
    instrument: str = Field(..., description="Instrument code, e.g. violin", max_length=40)
    order: int | None = Field(None, ge=1, le=100)
    name: str = Field("", max_length=80)
    notes: str = Field(..., min_length=1, max_length=300)
    skills: str = Field("", max_length=2000)
    typical_year_group: int | None = Field(None, ge=3, le=8)


class MilestonePatch(Schema):
    instrument: str | None = Field(None, max_length=40)
    order: int | None = Field(None, ge=1, le=100)
    name: str | None = Field(None, min_length=1, max_length=80)
    notes: str | None = Field(None, min_length=1, max_length=300)
    skills: str | None = Field(None, max_length=2000)
    typical_year_group: int | None = Field(None, ge=3, le=8)


def _line(line: LearningLine) -> dict:
    return {
        "id": line.pk,
        "name": line.name,
        "description": line.description,
        "owner": line.organisation.name,
        "owner_id": line.organisation_id,
        "version": line.version,
        "status": line.status,
        "visibility": line.visibility,
        "is_example": line.is_example,
        "based_on_id": line.based_on_id,
        "published_at": line.published_at.isoformat() if line.published_at else None,
    }


def _goal(goal: LearningGoal) -> dict:
    return {
        "id": goal.pk,
        "line_id": goal.line_id,
        "year_group": goal.year_group,
        "kind": goal.kind,
        "code": goal.code,
        "text": goal.text,
        "order": goal.order,
    }


def _milestone(m: Milestone) -> dict:
    return {
        "id": m.pk,
        "line_id": m.line_id,
        "instrument": m.instrument.code,
        "order": m.order,
        "name": m.name,
        "notes": m.notes,
        "skills": m.skills,
        "typical_year_group": m.typical_year_group,
    }


def _instrument(code: str) -> InstrumentType:
    found = InstrumentType.objects.filter(code=code).first()
    if found is None:
        raise DomainError(_("Unknown instrument."), field="instrument", code="instrument")
    return found


def _milestones(line):
    return [_milestone(m) for m in line.milestones.select_related("instrument")]


@router.get(
    "/learning-lines", response=list[LearningLineOut], auth=READ_AUTH, summary="Learning lines"
)
@rule(PUBLIC)
def line_list(
    request,
    status: str | None = None,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(100, ge=1, le=200),
):
    lines = lines_for_user(request.user).select_related("organisation")
    if status:
        lines = lines.filter(status=status)
    lines = lines.order_by("name", "organisation__name", "-version", "pk")
    return [_line(line) for line in lines[offset : offset + limit]]


@router.get(
    "/learning-lines/{line_id}",
    response=LearningLineDetailOut,
    auth=READ_AUTH,
    summary="A learning line with its goals and milestones",
)
@rule(PUBLIC)
def line_detail(request, line_id: int):
    line = get_line_for_user(request.user, line_id)
    return {
        **_line(line),
        "goals": [_goal(g) for g in line.goals.all()],
        "milestones": _milestones(line),
    }


@router.get(
    "/learning-lines/{line_id}/goals",
    response=list[GoalOut],
    auth=READ_AUTH,
    summary="Goals of a learning line",
)
@rule(PUBLIC)
def goal_list(request, line_id: int):
    line = get_line_for_user(request.user, line_id)
    return [_goal(g) for g in line.goals.all()]


@router.post(
    "/learning-lines/{line_id}/goals",
    response={201: GoalOut},
    summary="Add a goal to a draft",
)
@rule(PROGRAMME_MANAGERS)
def goal_create(request, line_id: int, payload: GoalIn, idempotency_key: IdempotencyKey = None):
    line = get_line_for_user(request.user, line_id, write=True)
    goal = actions.add_goal(line=line, by=request.user, **payload.dict())
    return Status(201, _goal(goal))


@router.get(
    "/learning-goals/{goal_id}", response=GoalOut, auth=READ_AUTH, summary="One learning goal"
)
@rule(PUBLIC)
def goal_detail(request, goal_id: int):
    return _goal(get_goal_for_user(request.user, goal_id))


@router.patch("/learning-goals/{goal_id}", response=GoalOut, summary="Change a goal of a draft")
@rule(PROGRAMME_MANAGERS)
def goal_update(request, goal_id: int, payload: GoalPatch, idempotency_key: IdempotencyKey = None):
    goal = get_goal_for_user(request.user, goal_id, write=True)
    fields = payload.dict(exclude_unset=True)
    if any(value is None for value in fields.values()):
        raise DomainError(_("A goal's fields cannot be emptied."), code="invalid")
    return _goal(actions.update_goal(goal=goal, by=request.user, **fields))


@router.get(
    "/learning-lines/{line_id}/milestones",
    response=list[MilestoneOut],
    auth=READ_AUTH,
    summary="Milestones of a learning line",
)
@rule(PUBLIC)
def milestone_list(request, line_id: int):
    return _milestones(get_line_for_user(request.user, line_id))


@router.post(
    "/learning-lines/{line_id}/milestones",
    response={201: MilestoneOut},
    summary="Add a milestone to a draft",
)
@rule(PROGRAMME_MANAGERS)
def milestone_create(
    request, line_id: int, payload: MilestoneIn, idempotency_key: IdempotencyKey = None
):
    line = get_line_for_user(request.user, line_id, write=True)
    data = payload.dict()
    data["instrument"] = _instrument(data["instrument"])
    milestone = actions.add_milestone(line=line, by=request.user, **data)
    return Status(201, _milestone(milestone))


@router.get(
    "/milestones/{milestone_id}", response=MilestoneOut, auth=READ_AUTH, summary="One milestone"
)
@rule(PUBLIC)
def milestone_detail(request, milestone_id: int):
    return _milestone(get_milestone_for_user(request.user, milestone_id))


@router.patch(
    "/milestones/{milestone_id}", response=MilestoneOut, summary="Change a milestone of a draft"
)
@rule(PROGRAMME_MANAGERS)
def milestone_update(
    request, milestone_id: int, payload: MilestonePatch, idempotency_key: IdempotencyKey = None
):
    milestone = get_milestone_for_user(request.user, milestone_id, write=True)
    fields = payload.dict(exclude_unset=True)
    if "instrument" in fields:
        if fields["instrument"] is None:
            raise DomainError(_("A milestone belongs to an instrument."), code="invalid")
        fields["instrument"] = _instrument(fields["instrument"])
    for key in ("order", "name", "notes"):
        if key in fields and fields[key] is None:
            raise DomainError(_("This field cannot be emptied."), field=key, code="invalid")
    return _milestone(actions.update_milestone(milestone=milestone, by=request.user, **fields))
