"""Reading an existing inventory spreadsheet into the depot's stock (target B2): what the
columns mean, the checks per row, and the plan a commit carries out.

The file itself is read by the class-list import's reader (`leerorkest.schools.import_files`:
encodings including double-encoded UTF-8, delimiters, byte-order marks, Excel dates, title
lines, formulas, empty rows); dates are read by its `parse_date`. Problems are stored as a code
with parameters and turned into a sentence when shown.
"""

import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from leerorkest.depot.models import Condition, Instrument, Location, Size
from leerorkest.programme.models import InstrumentType
from leerorkest.schools.import_files import HEADER_SEARCH_ROWS, MOJIBAKE, Cell, Table, cell_text
from leerorkest.schools.import_rows import (
    PLACEHOLDERS,
    Problem,
    column_label,
    normalise_header,
    parse_date,
)
from leerorkest.stock.models import ImportedLine

MAX_ERRORS = 1000
TAG_PREFIX = "LO-"
_AUTO_TAG = re.compile(r"LO-(\d{5,})")


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    required: bool
    aliases: tuple[str, ...]
    max_length: int = 0


FIELDS: tuple[Field, ...] = (
    Field(
        "asset_tag",
        _("asset tag"),
        False,
        (
            "inventarisnummer",
            "inventarisnr",
            "inventaris nr",
            "inventaris",
            "labelnummer",
            "label",
            "asset tag",
            "asset",
            "tag",
        ),
        20,
    ),
    Field(
        "instrument",
        _("instrument"),
        True,
        ("instrument", "soort instrument", "soort", "instrumenttype", "instrument type", "type"),
    ),
    Field("size", _("size"), False, ("maat", "grootte", "formaat", "size")),
    Field("make", _("make"), False, ("merk", "fabrikant", "make", "brand", "manufacturer"), 80),
    Field("model_name", _("model"), False, ("model", "typenummer", "model name"), 80),
    Field(
        "serial",
        _("serial number"),
        False,
        ("serienummer", "serie nummer", "serienr", "serial number", "serial no", "serial"),
        60,
    ),
    Field(
        "value",
        _("value"),
        False,
        (
            "waarde",
            "aanschafwaarde",
            "aankoopprijs",
            "prijs",
            "dagwaarde",
            "value",
            "price",
            "purchase price",
        ),
    ),
    Field(
        "acquired_via",
        _("came by"),
        False,
        ("herkomst", "verkregen via", "hoe verkregen", "verkregen", "came by", "acquired via"),
    ),
    Field(
        "acquired_on",
        _("came on"),
        False,
        (
            "datum binnen",
            "binnen op",
            "ontvangen op",
            "aanschafdatum",
            "aankoopdatum",
            "datum",
            "came on",
            "acquired on",
            "date acquired",
            "date",
        ),
    ),
    Field("condition", _("condition"), False, ("conditie", "staat", "kwaliteit", "condition")),
    Field("location", _("location"), False, ("locatie", "plaats", "stelling", "plek", "location")),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}

MESSAGES: dict[str, Promise] = {
    "missing_column": _("No column holds the %(field)s. Choose it under Columns."),
    "no_rows": _("The file has a header but no instruments under it."),
    "required": _("Empty, but every instrument needs this."),
    "too_long": _("Longer than %(max)s characters."),
    "formula": _(
        "“%(value)s” starts like a formula (=, +, - or @). Put the value itself in the cell."
    ),
    "garbled": _("“%(value)s” looks garbled. Save the file as CSV UTF-8."),
    "unknown_instrument": _("“%(value)s” is not an instrument the depot knows."),
    "unknown_size": _("“%(value)s” is not a size of the %(instrument)s (sizes: %(sizes)s)."),
    "no_sizes": _("The %(instrument)s comes in one size only; leave the size empty."),
    "bad_value": _("“%(value)s” is not an amount in euros, for instance 1.250,00."),
    "bad_via": _("“%(value)s” is not donation, purchase or transfer."),
    "bad_date": _("“%(value)s” is not a date. Write day-month-year, for instance 14-03-2019."),
    "future_date": _("%(value)s is in the future."),
    "bad_condition": _("“%(value)s” is not a condition from A to D."),
    "unknown_location": _("“%(value)s” is not a location of the depot."),
    "bad_tag": _("“%(value)s” cannot be an asset tag (letters, digits and dashes only)."),
    "duplicate_tag": _("Asset tag %(value)s is also on row %(other)s."),
    "tag_in_stock": _("Asset tag %(value)s is already in the stock."),
    "column_twice": _("This column is chosen for %(field)s as well."),
}
NOTICES: dict[str, Promise] = {
    "encoding": _("Read as %(encoding)s text, columns separated by “%(delimiter)s”."),
    "repaired": _("Letters such as “Ã©” were mended to “é”: the file had been saved twice."),
    "header_row": _("The header is on row %(row)s; the rows above it were passed over."),
    "ignored": _("Not imported (no field for them): %(columns)s."),
    "already": _("%(count)s rows were imported before; they are passed over, not made twice."),
    "default_via": _("%(count)s rows do not say how the instrument came; they count as donations."),
}

VIA = {
    "donation": ("donation", "donatie", "schenking", "geschonken", "gedoneerd", "gift", "donated"),
    "purchase": ("purchase", "aankoop", "gekocht", "koop", "bought", "purchased"),
    "transfer": ("transfer", "overdracht", "overgedragen", "overgenomen", "transferred"),
}
VIA_BY_WORD = {word: value for value, words in VIA.items() for word in words}
FRACTIONS = {"½": "1/2", "¼": "1/4", "¾": "3/4", "⅛": "1/8"}


def message(code: str, params: dict) -> str:
    params = dict(params)
    if "field" in params and params["field"] in FIELD_BY_NAME:
        params["field"] = FIELD_BY_NAME[params["field"]].label
    return str(MESSAGES.get(code) or NOTICES[code]) % params


# --- Header -------------------------------------------------------------------------------------


def _header_names(text: str) -> list[str]:
    """The header as written, and without a bracketed unit: "Waarde (€)" also reads "waarde"."""
    name = normalise_header(text)
    bare = re.sub(r"\s*[\(\[].*?[\)\]]\s*", " ", name).strip()
    return [name, bare] if bare and bare != name else [name]


def find_header(rows: list[tuple[int, list[Cell]]]) -> int:
    known = {alias for f in FIELDS for alias in f.aliases}
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = sum(1 for c in cells if set(_header_names(cell_text(c))) & known)
        if found >= 2:
            return index
    return 0


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    names = [_header_names(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for f in FIELDS:
        mapping[f.name] = None
        for alias in f.aliases:
            index = next(
                (i for i, n in enumerate(names) if alias in n and i not in used),
                None,
            )
            if index is not None:
                mapping[f.name] = index
                used.add(index)
                break
    return mapping


# --- Values -------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.casefold()).strip()


def _size_key(text: str) -> str:
    for symbol, fraction in FRACTIONS.items():
        text = text.replace(symbol, fraction)
    text = text.casefold().replace(",", ".").replace("inch", "").replace("''", "")
    return re.sub(r"[\s\"”″]+", "", text)


_AMOUNT = re.compile(r"\d+(?:[.,]\d+)*")


def parse_value(raw: Cell) -> int:
    """Euros as cents: 1250, 1250.5, "€ 1.250,00", "1,250.00", "€ 250,-"."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw < 0:
            raise ValueError(raw)
        return round(raw * 100)
    text = cell_text(raw).replace("€", "").replace("EUR", "").replace("eur", "")
    text = text.replace("\u00a0", "").replace(" ", "").strip()
    if text.endswith((",-", ".-", ",--")):
        text = text.rstrip("-").rstrip(",.")
    if not _AMOUNT.fullmatch(text):
        raise ValueError(text)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text:
        decimal = ","
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        decimal = ""  # Dutch thousands: 1.250
    else:
        decimal = "."
    thousands = {",": ".", ".": ","}.get(decimal, ".")
    text = text.replace(thousands, "")
    if decimal:
        text = text.replace(decimal, ".")
        if text.count(".") > 1:
            raise ValueError(text)
    return round(float(text) * 100)


def parse_condition(text: str) -> str:
    letter = text.strip()[:1].upper()
    rest = text.strip()[1:2]
    if letter in Condition.values and rest in ("", ":", " ", ".", ")", "-"):
        return letter
    raise ValueError(text)


@dataclass
class Line:
    """One instrument line of the file, cleaned."""

    row: int
    asset_tag: str = ""
    instrument_type_id: int | None = None
    instrument: str = ""
    size_id: int | None = None
    size: str = ""
    make: str = ""
    model_name: str = ""
    serial: str = ""
    value_cents: int = 0
    acquired_via: str = ""
    acquired_on: date | None = None
    condition: str = Condition.B
    location_id: int | None = None
    location: str = ""
    auto_tag: bool = False
    fingerprint: str = ""
    action: str = "new"  # new | already

    def identity(self) -> str:
        """What the fingerprint is made of: the row's values as read (not its row number)."""
        values = asdict(self)
        for name in ("row", "auto_tag", "fingerprint", "action"):
            values.pop(name)
        if self.auto_tag:
            values["asset_tag"] = ""
        values["acquired_on"] = self.acquired_on.isoformat() if self.acquired_on else ""
        return json.dumps(values, sort_keys=True)

    def as_json(self) -> dict:
        return {
            "row": self.row,
            "tag": self.asset_tag,
            "auto": self.auto_tag,
            "instrument": self.instrument,
            "size": self.size,
            "make": self.make,
            "model": self.model_name,
            "serial": self.serial,
            "value_cents": self.value_cents,
            "via": self.acquired_via,
            "on": self.acquired_on.isoformat() if self.acquired_on else "",
            "condition": self.condition,
            "location": self.location,
            "action": self.action,
        }

    def instrument_fields(self) -> dict:
        return {
            "asset_tag": self.asset_tag,
            "instrument_type_id": self.instrument_type_id,
            "size_id": self.size_id,
            "make": self.make,
            "model_name": self.model_name,
            "serial": self.serial,
            "value_cents": self.value_cents,
            "acquired_via": self.acquired_via,
            "acquired_on": self.acquired_on,
            "condition": self.condition,
            "location_id": self.location_id,
        }


class Catalogue:
    """What the cells are matched against: instruments, their sizes, the depot's locations."""

    def __init__(self, depot):
        self.types: dict[str, InstrumentType] = {}
        for kind in InstrumentType.objects.all():
            for name in (kind.code, kind.name_nl, kind.name_en):
                self.types.setdefault(_key(name), kind)
        self.sizes: dict[int, dict[str, Size]] = {}
        for size in Size.objects.all():
            self.sizes.setdefault(size.instrument_type_id, {})[_size_key(size.label)] = size
        self.locations = {
            location.name.casefold(): location
            for location in Location.objects.filter(organisation=depot)
        }


def _text(value: Cell) -> str:
    text = " ".join(cell_text(value).split())
    return "" if text.lower() in PLACEHOLDERS else text


def parse_line(
    number: int, cells: list[Cell], mapping: dict, catalogue: Catalogue, today: date
) -> tuple[Line, list[Problem]]:
    line = Line(number)
    problems: list[Problem] = []

    def fail(column, code, **params):
        problems.append(Problem(number, column, code, params))

    raw_of = {}
    for f in FIELDS:
        column = mapping.get(f.name)
        raw = cells[column] if column is not None and column < len(cells) else None
        raw_of[f.name] = (column, raw, _text(raw))
    for f in FIELDS:
        column, raw, text = raw_of[f.name]
        if not text:
            if f.required:
                fail(column, "required")
            continue
        if f.name not in ("value", "acquired_on") and text[:1] in ("=", "+", "@"):
            fail(column, "formula", value=text[:40])
            continue
        if MOJIBAKE.search(text):
            fail(column, "garbled", value=text[:40])
            continue
        if f.max_length and len(text) > f.max_length:
            fail(column, "too_long", max=f.max_length)
            continue
        if f.name == "asset_tag":
            tag = text.upper()
            if not re.fullmatch(r"[A-Z0-9][A-Z0-9._/-]*", tag):
                fail(column, "bad_tag", value=text[:40])
                continue
            line.asset_tag = tag
        elif f.name == "instrument":
            kind = catalogue.types.get(_key(text))
            if kind is None:
                fail(column, "unknown_instrument", value=text[:40])
                continue
            line.instrument_type_id, line.instrument = kind.pk, kind.code
        elif f.name == "value":
            try:
                line.value_cents = parse_value(raw)
            except (ValueError, OverflowError):
                fail(column, "bad_value", value=text[:40])
                continue
            if line.value_cents > 10_000_000_00:
                fail(column, "bad_value", value=text[:40])
        elif f.name == "acquired_via":
            via = VIA_BY_WORD.get(text.casefold())
            if via is None:
                fail(column, "bad_via", value=text[:40])
                continue
            line.acquired_via = via
        elif f.name == "acquired_on":
            try:
                came = parse_date(raw)
            except (ValueError, OverflowError):
                fail(column, "bad_date", value=text[:40])
                continue
            if came > today:
                fail(column, "future_date", value=came.strftime("%d-%m-%Y"))
                continue
            line.acquired_on = came
        elif f.name == "condition":
            try:
                line.condition = parse_condition(text)
            except ValueError:
                fail(column, "bad_condition", value=text[:40])
        elif f.name == "location":
            location = catalogue.locations.get(text.casefold())
            if location is None:
                fail(column, "unknown_location", value=text[:40])
                continue
            line.location_id, line.location = location.pk, location.name
        elif f.name != "size":
            setattr(line, f.name, text)
    # The size is checked against the instrument it belongs to.
    column, raw, text = raw_of["size"]
    if text and line.instrument_type_id is not None:
        sizes = catalogue.sizes.get(line.instrument_type_id, {})
        kind_name = next(
            k.name for k in catalogue.types.values() if k.pk == line.instrument_type_id
        )
        if not sizes:
            fail(column, "no_sizes", instrument=kind_name)
        elif (size := sizes.get(_size_key(text))) is None:
            labels = ", ".join(s.label for s in sorted(sizes.values(), key=lambda s: s.sort_order))
            fail(column, "unknown_size", value=text[:20], instrument=kind_name, sizes=labels)
        else:
            line.size_id, line.size = size.pk, size.label
    return line, problems


# --- Plan ---------------------------------------------------------------------------------------


@dataclass
class Plan:
    headers: list[str]
    mapping: dict[str, int | None]
    problems: list[Problem] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def notice(self, code: str, **params) -> None:
        self.notices.append({"code": code, "params": params})

    @property
    def new_lines(self) -> list[Line]:
        return [line for line in self.lines if line.action == "new"]

    def report(self) -> dict:
        problems = sorted(self.problems, key=lambda p: (p.row, p.column if p.column else -1))
        return {
            "headers": self.headers,
            "errors": [p.as_json() for p in problems[:MAX_ERRORS]],
            "error_count": len(problems),
            "notices": self.notices,
            "rows": [line.as_json() for line in self.lines] if not problems else [],
            "counts": {
                "new": len(self.new_lines),
                "already": len(self.lines) - len(self.new_lines),
            },
        }


def build_plan(depot, table: Table, mapping: dict | None = None, today=None) -> Plan:
    """What committing the file would create (reads the database, writes nothing)."""
    today = today or timezone.localdate()
    rows = table.rows
    header_index = find_header(rows) if rows else 0
    headers = [cell_text(c) for c in rows[header_index][1]] if rows else []
    if mapping is None:
        mapping = guess_mapping(headers)
    else:
        mapping = {f.name: mapping.get(f.name) for f in FIELDS}
    plan = Plan(headers=headers, mapping=mapping)
    if table.kind == "csv":
        plan.notice("encoding", encoding=table.encoding, delimiter=table.delimiter)
    if table.repaired:
        plan.notice("repaired")
    if header_index:
        plan.notice("header_row", row=rows[header_index][0])
    used = {index for index in mapping.values() if index is not None}
    ignored = [column_label(i, headers) for i, h in enumerate(headers) if h and i not in used]
    if ignored:
        plan.notice("ignored", columns=", ".join(ignored))
    for f in FIELDS:
        if f.required and mapping.get(f.name) is None:
            plan.problems.append(
                Problem(
                    rows[header_index][0] if rows else 1, None, "missing_column", {"field": f.name}
                )
            )
    body = rows[header_index + 1 :]
    if not body:
        plan.problems.append(Problem(rows[header_index][0] if rows else 1, None, "no_rows", {}))
    if plan.problems:
        return plan

    catalogue = Catalogue(depot)
    seen: Counter = Counter()
    without_via = 0
    for number, cells in body:
        line, problems = parse_line(number, cells, mapping, catalogue, today)
        if problems:
            plan.problems.extend(problems)
            continue
        if not line.acquired_via:
            line.acquired_via = "donation"
            without_via += 1
        identity = line.identity()
        seen[identity] += 1
        line.fingerprint = hashlib.sha256(f"{identity}#{seen[identity]}".encode()).hexdigest()
        # After the fingerprint, so the same file imported another day is still the same.
        line.acquired_on = line.acquired_on or today
        plan.lines.append(line)
    if without_via:
        plan.notice("default_via", count=without_via)

    done = set(
        ImportedLine.objects.filter(
            organisation=depot, fingerprint__in=[line.fingerprint for line in plan.lines]
        ).values_list("fingerprint", flat=True)
    )
    for line in plan.lines:
        if line.fingerprint in done:
            line.action = "already"
    if done:
        plan.notice("already", count=len(done))

    tag_column = mapping.get("asset_tag")
    first_row: dict[str, int] = {}
    for line in plan.lines:
        if not line.asset_tag:
            continue
        if line.asset_tag in first_row:
            plan.problems.append(
                Problem(
                    line.row,
                    tag_column,
                    "duplicate_tag",
                    {"value": line.asset_tag, "other": first_row[line.asset_tag]},
                )
            )
        else:
            first_row[line.asset_tag] = line.row
    new_tags = [line.asset_tag for line in plan.new_lines if line.asset_tag]
    in_stock = set(
        Instrument.objects.filter(asset_tag__in=new_tags).values_list("asset_tag", flat=True)
    )
    for line in plan.new_lines:
        if line.asset_tag in in_stock:
            plan.problems.append(
                Problem(line.row, tag_column, "tag_in_stock", {"value": line.asset_tag})
            )
    _assign_tags(plan, set(first_row))
    return plan


def _assign_tags(plan: Plan, file_tags: set[str]) -> None:
    """Rows without an asset tag get the next free LO-xxxxx numbers."""
    wanting = [line for line in plan.new_lines if not line.asset_tag]
    if not wanting:
        return
    latest = (
        Instrument.objects.filter(asset_tag__regex=r"^LO-[0-9]{5,}$")
        .values_list("asset_tag", flat=True)
        .order_by("-asset_tag")
    )
    numbers = [int(m.group(1)) for tag in latest[:1] if (m := _AUTO_TAG.fullmatch(tag))]
    numbers += [int(m.group(1)) for tag in file_tags if (m := _AUTO_TAG.fullmatch(tag))]
    number = max(numbers, default=0)
    taken = file_tags
    for line in wanting:
        number += 1
        while f"{TAG_PREFIX}{number:05d}" in taken:
            number += 1
        line.asset_tag, line.auto_tag = f"{TAG_PREFIX}{number:05d}", True
