"""Workflows on materials: contributors save and submit, editors approve or return with a note;
editors withdraw a published material with a note, and a contributor takes their own published
material back to a draft to change it. Each runs in one transaction, keeps the search columns
up to date and writes the audit trail."""

from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import User
from leerorkest.knowledge.models import (
    Material,
    MaterialFile,
    MaterialKind,
    MaterialStatus,
    MaterialYearGroup,
    contributor_of,
    is_editor,
)
from leerorkest.knowledge.search import fill_search_columns
from leerorkest.knowledge.text import clean_html
from leerorkest.uploads import AUDIO, DOCUMENTS, IMAGES, SHEET_MUSIC, VIDEO, Kind, check_upload

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_FILES = 10
# Which kinds of file go with which kind of material.
FILE_KINDS = {
    MaterialKind.LESSON_PLAN: DOCUMENTS | SHEET_MUSIC | AUDIO | IMAGES,
    MaterialKind.HANDBOOK: DOCUMENTS | IMAGES,
    MaterialKind.GAME: DOCUMENTS | AUDIO | IMAGES,
    MaterialKind.FILM: VIDEO | DOCUMENTS | IMAGES,
    MaterialKind.ARRANGEMENT: SHEET_MUSIC | AUDIO,
    MaterialKind.ARTICLE: DOCUMENTS | IMAGES,
}
FIELDS = ("title", "summary", "body", "kind", "link", "licence")


def check_files(uploads: Sequence[UploadedFile], *, kind: str, existing: int = 0) -> list[Kind]:
    """The kind of every upload, or a DomainError on the `files` field before anything is saved."""
    if existing + len(uploads) > MAX_FILES:
        raise DomainError(
            _("A material has at most %(count)s files.") % {"count": MAX_FILES}, field="files"
        )
    allowed = FILE_KINDS[MaterialKind(kind)]
    return [
        check_upload(upload, allowed=allowed, max_bytes=MAX_FILE_BYTES, field="files")
        for upload in uploads
    ]


def unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "materiaal"
    slug = base
    while Material.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def _store_files(material: Material, uploads: Sequence[UploadedFile], kinds: list[Kind]) -> None:
    for upload, kind in zip(uploads, kinds, strict=True):
        original = (upload.name or "").replace("/", "_").replace("\\", "_")[-200:]
        # The stored name is ours: random, with the extension of what the file really is.
        upload.name = f"{get_random_string(16)}.{kind.extension}"
        MaterialFile.objects.create(
            material=material,
            file=upload,
            kind=kind.name,
            original_name=original or upload.name,
            size=upload.size,
        )


@transaction.atomic
def save_material(
    *,
    by: User,
    data: dict,
    instruments: Iterable = (),
    themes: Iterable = (),
    goals: Iterable = (),
    year_groups: Iterable[int] = (),
    uploads: Sequence[UploadedFile] = (),
    material: Material | None = None,
    submit: bool = False,
) -> Material:
    """Create or change a contributor's material (a draft, or one returned with a note).

    The text is sanitised before it is stored; every file is checked by its content first, so
    a refused file leaves nothing saved. With `submit` the material goes to the review queue.
    """
    profile = contributor_of(by)
    if profile is None or not profile.is_verified:
        raise DomainError(_("Confirm your e-mail address before you share material."))
    if material is not None and (material.submitted_by_id != by.pk or not material.is_editable):
        raise DomainError(_("This material cannot be changed now."))
    link = (data.get("link") or "").strip()
    if link and not link.lower().startswith(("https://", "http://")):
        raise DomainError(_("A link starts with https://."), field="link")
    existing = material.files.count() if material is not None else 0
    kinds = check_files(uploads, kind=data["kind"], existing=existing)
    if material is not None:
        wrong = [
            f.original_name
            for f in material.files.all()
            if f.kind not in FILE_KINDS[MaterialKind(data["kind"])]
        ]
        if wrong:
            raise DomainError(
                _("Remove these files first, they do not fit this kind: %(names)s")
                % {"names": ", ".join(wrong)},
                field="kind",
            )
    created = material is None
    if created:
        material = Material(submitted_by=by, slug=unique_slug(data["title"]))
    for name in FIELDS:
        setattr(material, name, data.get(name) or "")
    material.title = material.title.strip()
    material.summary = material.summary.strip()
    material.body = clean_html(material.body)
    material.organisation_name = profile.organisation_name
    if submit:
        material.status = MaterialStatus.SUBMITTED
        material.submitted_at = timezone.now()
    fill_search_columns(material)
    material.save()
    material.instruments.set(instruments)
    material.themes.set(themes)
    material.goals.set(goals)
    _set_year_groups(material, year_groups)
    _store_files(material, uploads, kinds)
    audit(
        actor=by,
        action="knowledge.material_create" if created else "knowledge.material_update",
        obj=material,
        files=len(uploads),
    )
    if submit:
        audit(actor=by, action="knowledge.material_submit", obj=material)
    return material


def _set_year_groups(material: Material, year_groups: Iterable[int]) -> None:
    wanted = {int(g) for g in year_groups if 3 <= int(g) <= 8}
    material.year_group_rows.exclude(year_group__in=wanted).delete()
    have = set(material.year_group_rows.values_list("year_group", flat=True))
    MaterialYearGroup.objects.bulk_create(
        [MaterialYearGroup(material=material, year_group=g) for g in sorted(wanted - have)]
    )


@transaction.atomic
def remove_file(*, file: MaterialFile, by: User) -> None:
    material = file.material
    if material.submitted_by_id != by.pk or not material.is_editable:
        raise DomainError(_("This material cannot be changed now."))
    name = file.original_name
    file.file.delete(save=False)
    file.delete()
    audit(actor=by, action="knowledge.file_remove", obj=material, file=name)


def _lock_for_review(material: Material, by: User) -> Material:
    if not is_editor(by):
        raise DomainError(_("Only the knowledge editors review materials."), code="forbidden")
    locked = Material.objects.select_for_update().get(pk=material.pk)
    if locked.status != MaterialStatus.SUBMITTED:
        raise DomainError(_("This material is not waiting for review."))
    return locked


@transaction.atomic
def approve_material(*, material: Material, by: User) -> Material:
    """Publish a submitted material: from now on the public sees it."""
    material = _lock_for_review(material, by)
    material.status = MaterialStatus.PUBLISHED
    material.published_at = timezone.now()
    material.reviewed_by = by
    material.review_note = ""
    material.save(update_fields=["status", "published_at", "reviewed_by", "review_note"])
    audit(actor=by, action="knowledge.material_approve", obj=material)
    return material


@transaction.atomic
def reject_material(*, material: Material, by: User, note: str) -> Material:
    """Return a submitted material with a note; the contributor can change and resubmit it."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Tell the contributor what to change."), field="note")
    material = _lock_for_review(material, by)
    material.status = MaterialStatus.REJECTED
    material.reviewed_by = by
    material.review_note = note[:2000]
    material.save(update_fields=["status", "reviewed_by", "review_note"])
    audit(actor=by, action="knowledge.material_reject", obj=material)
    return material


@transaction.atomic
def withdraw_material(*, material: Material, by: User, note: str) -> Material:
    """Take a published material off the public site with a note for the contributor.

    From the commit on it is gone from the public pages, the API and search (they show
    published materials only). The contributor sees the note, can change the material and
    submit it again; an editor approves it anew before the public sees it again.
    """
    if not is_editor(by):
        raise DomainError(_("Only the knowledge editors withdraw materials."), code="forbidden")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Tell the contributor why the material is withdrawn."), field="note")
    material = Material.objects.select_for_update().get(pk=material.pk)
    if material.status != MaterialStatus.PUBLISHED:
        raise DomainError(_("This material is not published."))
    material.status = MaterialStatus.WITHDRAWN
    material.published_at = None
    material.reviewed_by = by
    material.review_note = note[:2000]
    material.save(
        update_fields=["status", "published_at", "reviewed_by", "review_note", "updated_at"]
    )
    audit(actor=by, action="knowledge.material_withdraw", obj=material)
    return material


@transaction.atomic
def unpublish_material(*, material: Material, by: User) -> Material:
    """The contributor takes their own published material back to a draft to change it.

    The public copy is gone from the commit on; the changed material is public again only when
    it is submitted and an editor approves it.
    """
    material = Material.objects.select_for_update().get(pk=material.pk)
    if material.submitted_by_id != by.pk:
        raise DomainError(_("This material cannot be changed now."), code="forbidden")
    if material.status != MaterialStatus.PUBLISHED:
        raise DomainError(_("This material is not published."))
    material.status = MaterialStatus.DRAFT
    material.published_at = None
    material.review_note = ""
    material.save(update_fields=["status", "published_at", "review_note", "updated_at"])
    audit(actor=by, action="knowledge.material_unpublish", obj=material)
    return material


def count_download(file: MaterialFile) -> None:
    """One more download of the file's material, counted in the database (no lost updates)."""
    Material.objects.filter(pk=file.material_id).update(download_count=F("download_count") + 1)
