"""Data builders for the knowledge site's tests (and its A2 builders in tests/)."""

import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from leerorkest.knowledge.models import (
    Contributor,
    KnowledgeEditor,
    Licence,
    Material,
    MaterialFile,
    MaterialKind,
    MaterialStatus,
    MaterialYearGroup,
    Theme,
)
from leerorkest.knowledge.pdf import tiny_pdf
from leerorkest.knowledge.search import fill_search_columns
from leerorkest.knowledge.text import clean_html
from leerorkest.testing import make_user

_numbers = itertools.count(1)


def make_contributor(user=None, *, verified: bool = True, **fields) -> Contributor:
    user = user or make_user()
    return Contributor.objects.create(
        user=user,
        organisation_name=fields.pop("organisation_name", "Leerorkest Drechtsteden"),
        city=fields.pop("city", "Dordrecht"),
        country=fields.pop("country", "NL"),
        email_verified_at=timezone.now() if verified else None,
        **fields,
    )


def make_editor(user=None) -> KnowledgeEditor:
    return KnowledgeEditor.objects.create(user=user or make_user())


def make_theme(name: str = "") -> Theme:
    number = next(_numbers)
    name = name or f"Thema {number}"
    return Theme.objects.create(name=name, slug=f"thema-{number}")


def make_material(
    *,
    title: str = "",
    summary: str = "Een les voor de hele klas.",
    body: str = "",
    kind: str = MaterialKind.LESSON_PLAN,
    status: str = MaterialStatus.PUBLISHED,
    by=None,
    year_groups=(),
    instruments=(),
    themes=(),
    goals=(),
    **fields,
) -> Material:
    number = next(_numbers)
    material = Material(
        title=title or f"Materiaal {number}",
        slug=f"materiaal-{number}",
        summary=summary,
        body=clean_html(body),
        kind=kind,
        status=status,
        licence=fields.pop("licence", Licence.CC_BY),
        submitted_by=by,
        organisation_name=fields.pop("organisation_name", "Leerorkest Amsterdam"),
        published_at=timezone.now() if status == MaterialStatus.PUBLISHED else None,
        submitted_at=timezone.now() if status != MaterialStatus.DRAFT else None,
        **fields,
    )
    fill_search_columns(material)
    material.save()
    material.instruments.set(instruments)
    material.themes.set(themes)
    material.goals.set(goals)
    MaterialYearGroup.objects.bulk_create(
        [MaterialYearGroup(material=material, year_group=g) for g in year_groups]
    )
    return material


def make_file(material: Material, *, data: bytes | None = None, name: str = "les.pdf"):
    data = data if data is not None else tiny_pdf(material.title)
    file = MaterialFile(material=material, kind="pdf", original_name=name, size=len(data))
    file.file.save(f"test-{next(_numbers)}.pdf", ContentFile(data), save=False)
    file.save()
    return file
