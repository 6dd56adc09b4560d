"""API of the knowledge site: published materials for anyone (list with filters and search,
detail with its files), themes. A contributor or an editor, signed in, also reads the materials
they may see on the pages (their own drafts; everything for editors).

Writes follow the pages: a verified contributor creates a draft, changes it (and its files)
while it is a draft or returned with a note, and submits it; the knowledge editors approve it
(the public sees it from then on) or return it with a note. Someone else's material answers
404, as on the pages; a signed-in user who is no verified contributor (or no editor) gets 403.
"""

from typing import Annotated

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, UploadedFile
from ninja.errors import ValidationError
from ninja.responses import Status

from leerorkest.accounts.access import LOGIN, PUBLIC, AccessDenied, rule
from leerorkest.api import PersonalToken, session_auth
from leerorkest.idempotency import IdempotencyKey
from leerorkest.knowledge import actions
from leerorkest.knowledge.access import get_material_by_slug_for_user
from leerorkest.knowledge.api_schemas import (
    MaterialDetailOut,
    MaterialFileOut,
    MaterialIn,
    MaterialOut,
    MaterialPatch,
    MaterialRejectIn,
    ThemeOut,
)
from leerorkest.knowledge.filters import apply_filters
from leerorkest.knowledge.models import (
    Material,
    MaterialFile,
    MaterialKind,
    MaterialStatus,
    Theme,
    contributor_of,
    is_editor,
    public_goal_filter,
)
from leerorkest.knowledge.views import with_details
from leerorkest.programme.models import InstrumentType
from leerorkest.uploads import KINDS

router = Router(tags=["knowledge"])

MAX_PAGE = 100
MAX_OFFSET = 1_000_000


def anyone(request):
    """Public operations: a token or session still says who asks (for their own drafts)."""
    return True


PUBLIC_AUTH = [PersonalToken(), session_auth, anyone]
MaterialUpload = Annotated[
    UploadedFile,
    File(description="PDF, MusicXML, audio, MP4 video or an image, as the kind allows"),
]


def _out(material: Material) -> dict:
    return {
        "slug": material.slug,
        "title": material.title,
        "summary": material.summary,
        "kind": material.kind,
        "status": material.status,
        "year_groups": material.year_groups,
        "instruments": [i.code for i in material.instruments.all()],
        "themes": [t.slug for t in material.themes.all()],
        "licence": material.licence,
        "organisation": material.organisation_name,
        "published_at": material.published_at,
        "download_count": material.download_count,
        "url": reverse("knowledge:material_detail", args=[material.slug]),
    }


def _file_out(file: MaterialFile) -> dict:
    return {
        "id": file.pk,
        "name": file.download_name,
        "kind": file.kind,
        "content_type": KINDS[file.kind].content_type,
        "size": file.size,
        "url": reverse("knowledge:file_download", args=[file.pk]),
    }


def _detail(request, slug: str) -> dict:
    material = get_material_by_slug_for_user(request.user, slug)
    goals = material.goals.filter(**public_goal_filter())
    own = request.user.is_authenticated and material.submitted_by_id == request.user.pk
    return {
        **_out(material),
        "body_html": material.body,
        "link": material.link,
        "licence_url": material.licence_url,
        "goals": [g.code for g in goals],
        "review_note": material.review_note if own or is_editor(request.user) else "",
        "files": [_file_out(f) for f in material.files.all()],
    }


@router.get(
    "/knowledge/materials",
    response=list[MaterialOut],
    auth=PUBLIC_AUTH,
    summary="Published materials, filtered; with q, best matches first",
)
@rule(PUBLIC)
def material_list(
    request,
    q: str = Query("", max_length=200),
    kind: MaterialKind | None = None,
    instrument: str = Query("", max_length=40),
    groep: int | None = Query(None, ge=3, le=8),
    theme: str = Query("", max_length=80),
    goal: int | None = Query(None, ge=1, le=2_147_483_647),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
):
    materials = apply_filters(
        Material.objects.published(),
        q=q,
        kind=kind or "",
        instrument=instrument,
        groep=groep,
        theme=theme,
        goal=goal,
    )
    return [_out(m) for m in with_details(materials)[offset : offset + limit]]


@router.get(
    "/knowledge/materials/{slug}",
    response=MaterialDetailOut,
    auth=PUBLIC_AUTH,
    summary="One material with its files",
)
@rule(PUBLIC)
def material_detail(request, slug: str):
    return _detail(request, slug)


@router.get(
    "/knowledge/themes", response=list[ThemeOut], auth=PUBLIC_AUTH, summary="Themes of materials"
)
@rule(PUBLIC)
def theme_list(request):
    return [{"slug": t.slug, "name": t.name} for t in Theme.objects.order_by("name")]


# Writing -------------------------------------------------------------------------------------


def _verified_contributor(request) -> None:
    profile = contributor_of(request.user)
    if profile is None:
        raise AccessDenied(
            403,
            "not_a_contributor",
            _("Register as a contributor on Orkest in de Klas before you share material."),
        )
    if not profile.is_verified:
        raise AccessDenied(
            403,
            "email_not_verified",
            _("Confirm your e-mail address before you share material."),
        )


def _own_material(request, slug: str) -> Material:
    """The caller's own material (anyone else's answers 404, as on the pages), if they are
    still a verified contributor."""
    material = Material.objects.filter(slug=slug, submitted_by=request.user).first()
    if material is None:
        raise Http404
    _verified_contributor(request)
    return material


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message}])


def _lookup(queryset, key: str, values: list, field: str, message: str) -> list:
    """The objects for these keys, in the order given; any unknown key is a 422 on `field`."""
    wanted = list(dict.fromkeys(values))
    found = {getattr(o, key): o for o in queryset.filter(**{f"{key}__in": wanted})}
    unknown = [str(v) for v in wanted if v not in found]
    if unknown:
        raise _invalid(field, message % {"values": ", ".join(unknown)})
    return [found[v] for v in wanted]


def _relations(values: dict) -> dict:
    """Instruments by code, themes by slug and public goals by id, for `save_material`."""
    from leerorkest.curriculum.models import LearningGoal

    relations = {}
    if values.get("instruments") is not None:
        relations["instruments"] = _lookup(
            InstrumentType.objects.all(),
            "code",
            values["instruments"],
            "instruments",
            _("Unknown instrument code: %(values)s"),
        )
    if values.get("themes") is not None:
        relations["themes"] = _lookup(
            Theme.objects.all(),
            "slug",
            values["themes"],
            "themes",
            _("Unknown theme: %(values)s"),
        )
    if values.get("goals") is not None:
        relations["goals"] = _lookup(
            LearningGoal.objects.filter(**public_goal_filter()),
            "pk",
            values["goals"],
            "goals",
            _("No learning goal of a shared, published line: %(values)s"),
        )
    if values.get("year_groups") is not None:
        relations["year_groups"] = sorted(set(values["year_groups"]))
    return relations


def _as_saved(material: Material) -> dict:
    """Everything `save_material` needs to store the material again as it is."""
    return {
        "data": {name: getattr(material, name) for name in actions.FIELDS},
        "instruments": list(material.instruments.all()),
        "themes": list(material.themes.all()),
        "goals": list(material.goals.all()),
        "year_groups": material.year_groups,
    }


@router.post(
    "/knowledge/materials",
    response={201: MaterialDetailOut},
    summary="Share new material (a draft; with submit, straight to the editors)",
)
@rule(LOGIN)
def material_create(request, payload: MaterialIn, idempotency_key: IdempotencyKey = None):
    _verified_contributor(request)
    values = payload.dict()
    relations = _relations(values)
    material = actions.save_material(
        by=request.user,
        data={name: values[name] for name in actions.FIELDS},
        submit=values["submit"],
        **relations,
    )
    return Status(201, _detail(request, material.slug))


@router.patch(
    "/knowledge/materials/{slug}",
    response=MaterialDetailOut,
    summary="Change my draft or returned material (only the fields sent)",
)
@rule(LOGIN)
def material_change(
    request, slug: str, payload: MaterialPatch, idempotency_key: IdempotencyKey = None
):
    material = _own_material(request, slug)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    saved = _as_saved(material)
    saved["data"].update({k: v for k, v in values.items() if k in actions.FIELDS})
    saved.update(_relations(values))
    actions.save_material(
        by=request.user, material=material, submit=values.get("submit", False), **saved
    )
    return _detail(request, material.slug)


@router.post(
    "/knowledge/materials/{slug}/submit",
    response=MaterialDetailOut,
    summary="Send my draft or returned material to the editors",
)
@rule(LOGIN)
def material_submit(request, slug: str, idempotency_key: IdempotencyKey = None):
    material = _own_material(request, slug)
    actions.save_material(by=request.user, material=material, submit=True, **_as_saved(material))
    return _detail(request, material.slug)


@router.get(
    "/knowledge/materials/{slug}/files",
    response=list[MaterialFileOut],
    auth=PUBLIC_AUTH,
    summary="The files of a material",
)
@rule(PUBLIC)
def material_file_list(request, slug: str):
    material = get_material_by_slug_for_user(request.user, slug)
    return [_file_out(f) for f in material.files.all()]


@router.get(
    "/knowledge/materials/{slug}/files/{file_id}",
    response=MaterialFileOut,
    auth=PUBLIC_AUTH,
    summary="One file of a material (its url downloads it)",
)
@rule(PUBLIC)
def material_file_detail(request, slug: str, file_id: int):
    material = get_material_by_slug_for_user(request.user, slug)
    file = material.files.filter(pk=file_id).first()
    if file is None:
        raise Http404
    return _file_out(file)


@router.post(
    "/knowledge/materials/{slug}/files",
    response={201: MaterialFileOut},
    summary="Add a file to my draft or returned material (checked by its content, at most 25 MB)",
)
@rule(LOGIN)
def material_file_add(
    request,
    slug: str,
    file: MaterialUpload,
    idempotency_key: IdempotencyKey = None,
):
    material = _own_material(request, slug)
    before = set(material.files.values_list("pk", flat=True))
    actions.save_material(by=request.user, material=material, uploads=[file], **_as_saved(material))
    added = material.files.exclude(pk__in=before).get()
    return Status(201, _file_out(added))


@router.delete(
    "/knowledge/materials/{slug}/files/{file_id}",
    response=MaterialDetailOut,
    summary="Remove a file from my draft or returned material",
)
@rule(LOGIN)
def material_file_remove(request, slug: str, file_id: int, idempotency_key: IdempotencyKey = None):
    material = _own_material(request, slug)
    file = material.files.select_related("material").filter(pk=file_id).first()
    if file is None:
        raise Http404
    actions.remove_file(file=file, by=request.user)
    return _detail(request, material.slug)


def _for_review(request, slug: str) -> Material:
    """A submitted or reviewed material, for the knowledge editors; drafts stay private. Who
    may see the material but is no editor (its contributor, say) is told so; for anyone else
    it does not exist."""
    if not is_editor(request.user):
        if Material.objects.visible_to(request.user).filter(slug=slug).exists():
            raise AccessDenied(403, "forbidden", _("Only the knowledge editors review materials."))
        raise Http404
    material = Material.objects.exclude(status=MaterialStatus.DRAFT).filter(slug=slug).first()
    if material is None:
        raise Http404
    return material


@router.post(
    "/knowledge/materials/{slug}/approve",
    response=MaterialDetailOut,
    summary="Publish a material waiting for review (knowledge editors)",
)
@rule(LOGIN)
def material_approve(request, slug: str, idempotency_key: IdempotencyKey = None):
    material = _for_review(request, slug)
    actions.approve_material(material=material, by=request.user)
    return _detail(request, material.slug)


@router.post(
    "/knowledge/materials/{slug}/reject",
    response=MaterialDetailOut,
    summary="Return a material waiting for review with a note (knowledge editors)",
)
@rule(LOGIN)
def material_reject(
    request, slug: str, payload: MaterialRejectIn, idempotency_key: IdempotencyKey = None
):
    material = _for_review(request, slug)
    actions.reject_material(material=material, by=request.user, note=payload.note)
    return _detail(request, material.slug)
