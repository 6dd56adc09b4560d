"""What committing a class list would do, worked out from the file and the database (read only).

The plan is made twice: when the file is uploaded (for the preview) and again inside the commit's
transaction, so a commit acts on the database as it is then, not as it was at the preview.
"""

from dataclasses import dataclass, field

from leerorkest.schools.import_files import Table, cell_text, read_table
from leerorkest.schools.import_rows import (
    FIELD_BY_NAME,
    FIELDS,
    Problem,
    Row,
    find_header,
    guess_mapping,
    never_stored_columns,
    parse_row,
    pupil_key,
    split_combination_classes,
)
from leerorkest.schools.models import (
    ClassListImport,
    ClassPlacement,
    Pupil,
    SchoolClass,
    SchoolParticipation,
)

MAX_ERRORS = 1000  # stored in the report; the count says how many there were in all
PARENT_FIELDS = ("parent_name", "parent_phone", "parent_email")


@dataclass
class Planned:
    """One pupil line and what the commit does with it."""

    row: Row
    action: str  # new | placed | moved | updated | unchanged
    pupil_id: int | None = None
    placement_id: int | None = None
    came_from: str = ""  # the class (and school) a moved pupil leaves
    updates: list[str] = field(default_factory=list)  # parent fields that change

    def as_json(self) -> dict:
        row = self.row
        return {
            "row": row.number,
            "name": row.full_name,
            "born": row.date_of_birth.isoformat() if row.date_of_birth else "",
            "class": row.class_name,
            "groep": row.year_group,
            "action": self.action,
            "pupil": self.pupil_id,
            "from": self.came_from,
            "updates": self.updates,
        }


@dataclass
class Plan:
    headers: list[str]
    mapping: dict[str, int | None]
    file_info: dict
    problems: list[Problem] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    # Classes to create, by case-folded name: (name, groep, class teacher).
    new_classes: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    existing_classes: dict[str, int] = field(default_factory=dict)  # folded name -> id
    teacher_changes: dict[int, str] = field(default_factory=dict)  # class id -> teacher
    skipped: int = 0
    not_on_list: int = 0

    def notice(self, code: str, **params) -> None:
        self.notices.append({"code": code, "params": params})

    def problem(self, row: int, column: int | None, code: str, **params) -> None:
        self.problems.append(Problem(row, column, code, params))

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("new", "placed", "moved", "updated", "unchanged"), 0)
        for planned in self.planned:
            counts[planned.action] += 1
        return {
            "rows": len(self.planned),
            **counts,
            "classes_new": len(self.new_classes),
            "skipped": self.skipped,
            "not_on_list": self.not_on_list,
        }

    def report(self) -> dict:
        problems = sorted(
            self.problems, key=lambda p: (p.row, -1 if p.column is None else p.column)
        )
        return {
            "file": self.file_info,
            "headers": self.headers,
            "errors": [p.as_json() for p in problems[:MAX_ERRORS]],
            "error_count": len(problems),
            "notices": self.notices,
            "counts": self.counts if not problems else {},
            "rows": [p.as_json() for p in self.planned] if not problems else [],
        }


def build_plan(class_import: ClassListImport, table: Table | None = None) -> Plan:
    """Check every row and work out, against the database, what a commit would write."""
    table = table or read_table(bytes(class_import.content))
    school_year = class_import.school_year
    header_index = find_header(table.rows)
    header_number, header_cells = table.rows[header_index]
    headers = [cell_text(cell) for cell in header_cells]
    if class_import.mapping:
        mapping = {f.name: class_import.mapping.get(f.name) for f in FIELDS}
    else:
        mapping = guess_mapping(headers)
    never = never_stored_columns(headers)
    mapping = {
        name: (i if i is not None and i < len(headers) and i not in never else None)
        for name, i in mapping.items()
    }
    plan = Plan(
        headers=headers,
        mapping=mapping,
        file_info={
            "kind": table.kind,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "header_row": header_number,
        },
    )
    if table.kind == "csv":
        delimiter = {"\t": "tab"}.get(table.delimiter, table.delimiter)
        plan.notice("encoding", encoding=table.encoding.upper(), delimiter=delimiter)
    if table.repaired:
        plan.notice("repaired")
    if header_number > 1:
        plan.notice("header_row", row=header_number)
    used = set(mapping.values())
    ignored = [h for i, h in enumerate(headers) if h and i not in used and i not in never]
    if ignored:
        plan.notice("ignored", columns=", ".join(ignored))
    if never:
        plan.notice("never_stored", columns=", ".join(headers[i] for i in never))

    for f in FIELDS:
        if f.required and mapping[f.name] is None:
            plan.problem(header_number, None, "missing_column", field=f.name)
    data = table.rows[header_index + 1 :]
    if not data:
        plan.problem(header_number, None, "no_rows")
    if plan.problems:
        return plan

    rows: list[Row] = []
    first_seen: dict[tuple, int] = {}
    for number, cells in data:
        row, problems = parse_row(number, cells, mapping, school_year.starts_on)
        if problems:
            plan.problems.extend(problems)
            continue
        if row.key in first_seen:
            plan.problem(number, mapping["surname"], "duplicate", other=first_seen[row.key])
            continue
        first_seen[row.key] = number
        rows.append(row)
    _plan_against_database(plan, class_import, rows)
    return plan


def _plan_against_database(plan: Plan, class_import: ClassListImport, rows: list[Row]) -> None:
    school, school_year = class_import.school, class_import.school_year
    mapping = plan.mapping
    taking_part = (
        SchoolParticipation.objects.filter(school=school, school_year=school_year)
        .values_list("year_groups", flat=True)
        .first()
    )
    if taking_part:
        kept = [row for row in rows if row.year_group in taking_part]
        plan.skipped = len(rows) - len(kept)
        rows = kept
        if plan.skipped:
            groepen = ", ".join(str(n) for n in sorted(taking_part))
            plan.notice("skipped", count=plan.skipped, groepen=groepen)

    for original, names in split_combination_classes(rows):
        plan.notice("combination", **{"class": original, "names": ", ".join(names)})
    limit = FIELD_BY_NAME["class_name"].max_length
    for row in rows:
        if len(row.class_name) > limit:
            plan.problem(row.number, mapping["class_name"], "too_long", max=limit)

    # Classes: existing ones keep their groep; new ones are made at commit.
    existing = {
        name.casefold(): (pk, year_group, teacher)
        for pk, name, year_group, teacher in SchoolClass.objects.filter(
            school=school, school_year=school_year
        ).values_list("pk", "name", "year_group", "class_teacher")
    }
    for row in rows:
        folded = row.class_name.casefold()
        if folded in existing:
            pk, year_group, teacher = existing[folded]
            if year_group != row.year_group:
                column = mapping["year_group"]
                plan.problem(
                    row.number,
                    mapping["class_name"] if column is None else column,
                    "year_group_conflict",
                    **{"class": row.class_name, "existing": year_group, "value": row.year_group},
                )
                continue
            plan.existing_classes[folded] = pk
            if row.class_teacher and row.class_teacher != teacher:
                plan.teacher_changes.setdefault(pk, row.class_teacher)
        elif folded not in plan.new_classes or (
            row.class_teacher and not plan.new_classes[folded][2]
        ):
            plan.new_classes[folded] = (row.class_name, row.year_group, row.class_teacher)

    if not rows:
        return
    # Pupils of the programme with these names and birth dates (one query over the date range).
    born = [row.date_of_birth for row in rows]
    span = (min(born), max(born))
    pupils: dict[tuple, list[dict]] = {}
    for pupil in Pupil.objects.filter(
        organisation_id=class_import.organisation_id,
        pseudonymised_at__isnull=True,
        date_of_birth__range=span,
    ).values("pk", "given_name", "surname_prefix", "surname", "date_of_birth", *PARENT_FIELDS):
        key = pupil_key(
            pupil["given_name"], pupil["surname_prefix"], pupil["surname"], pupil["date_of_birth"]
        )
        pupils.setdefault(key, []).append(pupil)
    placements = {
        pupil_id: rest
        for pupil_id, *rest in ClassPlacement.objects.filter(
            school_year=school_year,
            pupil__organisation_id=class_import.organisation_id,
            pupil__date_of_birth__range=span,
        ).values_list(
            "pupil_id",
            "pk",
            "school_class_id",
            "school_class__name",
            "school_class__school_id",
            "school_class__school__organisation__name",
        )
    }

    listed: set[int] = set()
    for row in rows:
        matches = pupils.get(row.key, [])
        if len(matches) > 1:
            plan.problem(row.number, mapping["surname"], "ambiguous", count=len(matches))
            continue
        if not matches:
            plan.planned.append(Planned(row, "new"))
            continue
        pupil = matches[0]
        listed.add(pupil["pk"])
        updates = [
            name
            for name in PARENT_FIELDS
            if getattr(row, name) and getattr(row, name) != pupil[name]
        ]
        planned = Planned(row, "unchanged", pupil_id=pupil["pk"], updates=updates)
        placement = placements.get(pupil["pk"])
        target = plan.existing_classes.get(row.class_name.casefold())
        if placement is None:
            planned.action = "placed"
        elif placement[1] != target:
            planned.action = "moved"
            planned.placement_id = placement[0]
            same_school = placement[3] == school.pk
            planned.came_from = placement[2] if same_school else f"{placement[4]}, {placement[2]}"
        elif updates:
            planned.action = "updated"
        plan.planned.append(planned)

    placed_here = ClassPlacement.objects.filter(
        school_class__school=school, school_year=school_year
    ).values_list("pupil_id", flat=True)
    plan.not_on_list = len(set(placed_here) - listed)
    if plan.not_on_list:
        plan.notice("not_on_list", count=plan.not_on_list)
