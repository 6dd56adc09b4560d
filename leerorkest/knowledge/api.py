"""API of the knowledge site: published materials for anyone (list with filters and search,
detail with its files), themes. A contributor or an editor, signed in, also reads the materials
they may see on the pages (their own drafts; everything for editors)."""

from datetime import datetime

from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.security import django_auth

from leerorkest.accounts.access import PUBLIC, rule
from leerorkest.api import PersonalToken
from leerorkest.knowledge.access import get_material_by_slug_for_user
from leerorkest.knowledge.filters import apply_filters
from leerorkest.knowledge.models import Material, MaterialKind, Theme, public_goal_filter
from leerorkest.knowledge.views import with_details
from leerorkest.uploads import KINDS

router = Router(tags=["knowledge"])

MAX_PAGE = 100
MAX_OFFSET = 1_000_000


def anyone(request):
    """Public operations: a token or session still says who asks (for their own drafts)."""
    return True


PUBLIC_AUTH = [PersonalToken(), django_auth, anyone]


class MaterialOut(Schema):
    slug: str
    title: str
    summary: str
    kind: MaterialKind
    status: str
    year_groups: list[int]
    instruments: list[str]
    themes: list[str]
    licence: str
    organisation: str
    published_at: datetime | None
    download_count: int
    url: str


class MaterialFileOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    url: str


class MaterialDetailOut(MaterialOut):
    body_html: str
    link: str
    licence_url: str
    goals: list[str]
    files: list[MaterialFileOut]


class ThemeOut(Schema):
    slug: str
    name: str


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
    material = get_material_by_slug_for_user(request.user, slug)
    goals = material.goals.filter(**public_goal_filter())
    return {
        **_out(material),
        "body_html": material.body,
        "link": material.link,
        "licence_url": material.licence_url,
        "goals": [g.code for g in goals],
        "files": [
            {
                "id": f.pk,
                "name": f.download_name,
                "kind": f.kind,
                "content_type": KINDS[f.kind].content_type,
                "size": f.size,
                "url": reverse("knowledge:file_download", args=[f.pk]),
            }
            for f in material.files.all()
        ],
    }


@router.get(
    "/knowledge/themes", response=list[ThemeOut], auth=PUBLIC_AUTH, summary="Themes of materials"
)
@rule(PUBLIC)
def theme_list(request):
    return [{"slug": t.slug, "name": t.name} for t in Theme.objects.order_by("name")]
