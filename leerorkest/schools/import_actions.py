"""Class-list import: upload and check, choose columns, commit as a whole, discard (target B2).

Nothing about a pupil, class or placement is written until the import is committed, and a commit
writes every row or none. A file with any invalid row cannot be committed; its report names the
row, the column and the reason.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation, User
from leerorkest.schools.import_files import read_table
from leerorkest.schools.import_plan import PARENT_FIELDS, Plan, build_plan
from leerorkest.schools.import_rows import FIELD_BY_NAME, message
from leerorkest.schools.models import (
    ClassListImport,
    ClassPlacement,
    ImportStatus,
    Pupil,
    School,
    SchoolClass,
    SchoolYear,
)

BATCH = 500
OPEN = (ImportStatus.UPLOADED, ImportStatus.INVALID, ImportStatus.PREVIEWED)


def _check(class_import: ClassListImport, plan: Plan) -> None:
    class_import.mapping = plan.mapping
    class_import.report = plan.report()
    class_import.status = ImportStatus.INVALID if plan.problems else ImportStatus.PREVIEWED
    class_import.save(update_fields=["mapping", "report", "status"])


@transaction.atomic
def upload_class_list(
    *, school: School, school_year: SchoolYear, filename: str, content: bytes, by: User
) -> ClassListImport:
    """Store a class list and check it: "invalid" with a report of every problem, or "previewed"
    with what a commit would do. Writes no pupil, class or placement.

    A file that cannot be read at all (not CSV or XLSX, too large, damaged) is refused with a
    DomainError on the field "file", and nothing is stored. The new upload replaces any
    uncommitted one for the same school and year, so stale lists do not linger.
    """
    table = read_table(content)
    replaced = list(
        ClassListImport.objects.filter(
            school=school, school_year=school_year, status__in=OPEN
        ).values_list("pk", flat=True)
    )
    ClassListImport.objects.filter(pk__in=replaced).delete()
    class_import = ClassListImport.objects.create(
        organisation_id=school.organisation.parent_id,
        school=school,
        school_year=school_year,
        uploaded_by=by,
        filename=filename[:255],
        content=content,
    )
    _check(class_import, build_plan(class_import, table))
    audit(
        actor=by,
        action="class_import.upload",
        obj=class_import,
        school_id=school.pk,
        status=class_import.status,
        replaced=replaced,
    )
    return class_import


@transaction.atomic
def choose_columns(
    *, class_import: ClassListImport, mapping: dict[str, int | None], by: User
) -> ClassListImport:
    """Say which column of the file holds which field, and check the file again.

    One column serves one field; refused on the second field otherwise.
    """
    class_import = ClassListImport.objects.select_for_update().get(pk=class_import.pk)
    if class_import.status not in OPEN:
        raise DomainError(_("This import was committed already."), code="already_committed")
    headers = class_import.report.get("headers", [])
    chosen: dict[int, str] = {}
    for name, index in mapping.items():
        if name not in FIELD_BY_NAME:
            continue
        if index is not None and not 0 <= index < len(headers):
            raise DomainError(_("Choose one of the file's columns."), field=name)
        if index is not None and index in chosen:
            raise DomainError(message("column_twice", {"field": chosen[index]}), field=name)
        if index is not None:
            chosen[index] = name
    class_import.mapping = {name: mapping.get(name) for name in FIELD_BY_NAME}
    _check(class_import, build_plan(class_import))
    audit(
        actor=by,
        action="class_import.columns",
        obj=class_import,
        status=class_import.status,
    )
    return class_import


@transaction.atomic
def queue_commit(*, class_import: ClassListImport, by: User) -> ClassListImport:
    """Mark a previewed import as being committed and hand the commit to a background task.

    The page shows a progress bar until the task is done (with the immediate task backend the
    commit has happened when this returns). A second click while it runs is refused.
    """
    from leerorkest.schools.import_tasks import commit_import

    class_import = ClassListImport.objects.select_for_update().get(pk=class_import.pk)
    if class_import.status == ImportStatus.COMMITTING:
        raise DomainError(_("This import is being committed already."), code="committing")
    if class_import.status == ImportStatus.COMMITTED:
        raise DomainError(_("This import was committed already."), code="already_committed")
    if class_import.status != ImportStatus.PREVIEWED:
        raise DomainError(
            _("This file has errors; nothing can be committed."), code="import_invalid"
        )
    class_import.status = ImportStatus.COMMITTING
    class_import.progress = 0
    class_import.save(update_fields=["status", "progress"])
    # Enqueued inside the transaction: the database backend's worker sees the task only once
    # this commits; the immediate backend commits the list right here.
    commit_import.enqueue(class_import.pk, by.pk)
    return class_import


def run_queued_commit(*, import_id: int, user_id: int) -> str:
    """The background half of `queue_commit`; returns the import's status afterwards. A refusal
    puts the import back to "previewed" with the reason, so it can be committed again; any other
    failure marks it "failed" (nothing was written: the commit is one transaction)."""
    class_import = ClassListImport.objects.get(pk=import_id)
    by = User.objects.get(pk=user_id)
    try:
        return commit_class_list(class_import=class_import, by=by).status
    except DomainError as error:
        ClassListImport.objects.filter(pk=import_id, status=ImportStatus.COMMITTING).update(
            status=ImportStatus.PREVIEWED
        )
        return error.code
    except Exception:
        ClassListImport.objects.filter(pk=import_id, status=ImportStatus.COMMITTING).update(
            status=ImportStatus.FAILED
        )
        raise


def commit_class_list(*, class_import: ClassListImport, by: User) -> ClassListImport:
    """Write the previewed class list: all of it in one transaction, or nothing.

    The rows are checked again against the database as it is now. When they no longer pass, or
    would now do something else than the preview showed (someone changed pupils meanwhile), the
    commit writes nothing, stores the new report and returns the import as "invalid" or
    "previewed" again, to be looked at before committing. A second commit of the same import
    (double click, retry) is refused.
    """
    try:
        return _commit(class_import, by)
    except IntegrityError:
        # A parallel import made the same class a moment earlier; the retry sees it.
        raise DomainError(
            _("Someone changed this school's classes at the same moment. Commit again."),
            code="conflict",
        ) from None


@transaction.atomic
def _commit(class_import: ClassListImport, by: User) -> ClassListImport:
    # Commits of one programme run one at a time (a row lock on PostgreSQL; SQLite's
    # IMMEDIATE transactions already serialise writers).
    Organisation.objects.select_for_update().filter(pk=class_import.organisation_id).first()
    class_import = (
        ClassListImport.objects.select_for_update()
        .select_related("school__organisation", "school_year")
        .get(pk=class_import.pk)
    )
    if class_import.status == ImportStatus.COMMITTED:
        raise DomainError(_("This import was committed already."), code="already_committed")
    if class_import.status not in (ImportStatus.PREVIEWED, ImportStatus.COMMITTING):
        raise DomainError(
            _("This file has errors; nothing can be committed."), code="import_invalid"
        )
    previewed = class_import.report.get("rows")
    plan = build_plan(class_import)
    report = plan.report()
    if plan.problems or report["rows"] != previewed:
        _check(class_import, plan)
        return class_import

    created, placed, moved, updated = _write(plan, class_import)
    counts = report["counts"]
    class_import.status = ImportStatus.COMMITTED
    class_import.committed_at = timezone.now()
    class_import.progress = 100
    class_import.content = b""
    # Keep what happened, not the children's names.
    class_import.report = {**report, "rows": []}
    class_import.save(update_fields=["status", "committed_at", "progress", "content", "report"])
    # One row naming the pupils, as lists do (`audit_pupil_list`), not one per pupil.
    audit(
        actor=by,
        action="class_import.commit",
        obj=class_import,
        counts=counts,
        created=created,
        placed=placed,
        moved=moved,
        updated=updated,
    )
    return class_import


def _write(plan: Plan, class_import: ClassListImport) -> tuple[list, list, list, list]:
    school, school_year = class_import.school, class_import.school_year
    new_classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(
                school=school,
                school_year=school_year,
                year_group=year_group,
                name=name,
                class_teacher=teacher,
            )
            for name, year_group, teacher in plan.new_classes.values()
        ],
        batch_size=BATCH,
    )
    class_ids = {**plan.existing_classes, **{c.name.casefold(): c.pk for c in new_classes}}
    SchoolClass.objects.bulk_update(
        [SchoolClass(pk=pk, class_teacher=t) for pk, t in plan.teacher_changes.items()],
        ["class_teacher"],
        batch_size=BATCH,
    )

    new = [p for p in plan.planned if p.action == "new"]
    pupils = Pupil.objects.bulk_create(
        [
            Pupil(
                organisation_id=class_import.organisation_id,
                given_name=p.row.given_name,
                surname_prefix=p.row.surname_prefix,
                surname=p.row.surname,
                date_of_birth=p.row.date_of_birth,
                **{name: getattr(p.row, name) for name in PARENT_FIELDS},
            )
            for p in new
        ],
        batch_size=BATCH,
    )
    for planned, pupil in zip(new, pupils, strict=True):
        planned.pupil_id = pupil.pk

    changed = [p for p in plan.planned if p.updates]
    for name in PARENT_FIELDS:
        rows = [p for p in changed if name in p.updates]
        Pupil.objects.bulk_update(
            [Pupil(pk=p.pupil_id, **{name: getattr(p.row, name)}) for p in rows],
            [name],
            batch_size=BATCH,
        )

    def class_of(planned) -> int:
        return class_ids[planned.row.class_name.casefold()]

    ClassPlacement.objects.bulk_create(
        [
            ClassPlacement(
                pupil_id=p.pupil_id, school_class_id=class_of(p), school_year=school_year
            )
            for p in plan.planned
            if p.action in ("new", "placed")
        ],
        batch_size=BATCH,
    )
    moving = [p for p in plan.planned if p.action == "moved"]
    ClassPlacement.objects.bulk_update(
        [ClassPlacement(pk=p.placement_id, school_class_id=class_of(p)) for p in moving],
        ["school_class"],
        batch_size=BATCH,
    )
    ids = {
        action: [p.pupil_id for p in plan.planned if p.action == action]
        for action in ("new", "placed", "moved")
    }
    return ids["new"], ids["placed"], ids["moved"], [p.pupil_id for p in changed]


@transaction.atomic
def discard_class_list(*, class_import: ClassListImport, by: User) -> None:
    """Throw an uncommitted import away, file and all. Committed imports stay as a record."""
    class_import = ClassListImport.objects.select_for_update().get(pk=class_import.pk)
    if class_import.status not in OPEN:
        raise DomainError(_("A committed import cannot be thrown away."), code="already_committed")
    audit(
        actor=by,
        action="class_import.discard",
        obj=class_import,
        school_id=class_import.school_id,
    )
    class_import.delete()
