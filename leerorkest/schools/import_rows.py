"""What the columns of a class list mean: fields, header recognition, and checks per row (B2).

Problems are stored as a code with parameters and turned into a sentence when shown, so a report
reads in the language of whoever opens it.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from leerorkest.schools.import_files import HEADER_SEARCH_ROWS, MOJIBAKE, Cell, cell_text


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    required: bool
    # Header texts that mean this field, best first, compared after `normalise_header`.
    aliases: tuple[str, ...]
    max_length: int = 0


FIELDS: tuple[Field, ...] = (
    Field(
        "given_name",
        _("given name"),
        True,
        ("roepnaam", "voornaam", "voornamen", "given name", "first name", "firstname"),
        100,
    ),
    Field(
        "surname_prefix",
        _("surname prefix"),
        False,
        ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "surname prefix"),
        30,
    ),
    Field(
        "surname",
        _("surname"),
        True,
        ("achternaam", "geslachtsnaam", "familienaam", "surname", "last name", "family name"),
        100,
    ),
    Field(
        "date_of_birth",
        _("date of birth"),
        True,
        ("geboortedatum", "geb datum", "gebdatum", "geb. datum", "date of birth", "birth date"),
    ),
    Field(
        "class_name",
        _("class"),
        True,
        ("klas", "groep", "stamgroep", "groepsnaam", "klasnaam", "class", "class name"),
        20,
    ),
    Field(
        "year_group",
        _("groep"),
        False,
        ("jaargroep", "leerjaar", "groepsniveau", "year group"),
    ),
    Field(
        "class_teacher",
        _("class teacher"),
        False,
        ("leerkracht", "groepsleerkracht", "leerkrachten", "class teacher", "teacher"),
        150,
    ),
    Field(
        "parent_name",
        _("parent or carer"),
        False,
        ("ouder/verzorger", "naam ouder/verzorger", "naam ouder", "ouder", "verzorger", "parent"),
        150,
    ),
    Field(
        "parent_phone",
        _("parent's phone"),
        False,
        ("telefoon ouder", "telefoonnummer", "telefoon", "mobiel", "tel", "parent's phone"),
        30,
    ),
    Field(
        "parent_email",
        _("parent's e-mail address"),
        False,
        ("e-mail ouder", "e-mailadres", "e-mail", "email", "emailadres", "parent's e-mail address"),
        254,
    ),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
# Columns the platform refuses to keep whatever the mapping says (no BSN, ever).
NEVER_STORED = ("bsn", "burgerservicenummer", "sofinummer", "sofi-nummer", "bsn leerling")

MESSAGES: dict[str, Promise] = {
    "missing_column": _("No column holds the %(field)s. Choose it under Columns."),
    "no_rows": _("The file has a header but no pupils under it."),
    "required": _("Empty, but every pupil needs this."),
    "too_long": _("Longer than %(max)s characters."),
    "formula": _(
        "“%(value)s” starts like a formula (=, +, - or @). Put the value itself in the cell."
    ),
    "unreadable": _(
        "“%(value)s” has characters that could not be read. Save the file as CSV UTF-8."
    ),
    "garbled": _(
        "“%(value)s” looks garbled, as if the file went through another encoding. Save it as "
        "CSV UTF-8."
    ),
    "date_invalid": _("“%(value)s” is not a date. Write day-month-year, for instance 14-03-2017."),
    "date_implausible": _("%(value)s is not a date of birth of a primary-school pupil."),
    "year_group_invalid": _("“%(value)s” is not a groep from 1 to 8."),
    "year_group_unknown": _(
        "The groep cannot be read from class “%(value)s”. Add a column with the groep."
    ),
    "year_group_conflict": _(
        "Class %(class)s is groep %(existing)s this school year, but this row says groep %(value)s."
    ),
    "email_invalid": _("“%(value)s” is not an e-mail address."),
    "phone_invalid": _("“%(value)s” is not a phone number."),
    "duplicate": _("The same pupil (name and date of birth) as row %(other)s."),
    "ambiguous": _(
        "%(count)s pupils of the programme have this name and date of birth. Merge them first."
    ),
    "column_twice": _("This column is chosen for %(field)s as well."),
}
NOTICES: dict[str, Promise] = {
    "encoding": _("Read as %(encoding)s text, columns separated by “%(delimiter)s”."),
    "repaired": _("Letters such as “Ã©” were mended to “é”: the file had been saved twice."),
    "header_row": _("The header is on row %(row)s; the rows above it were passed over."),
    "ignored": _("Not imported (no field for them): %(columns)s."),
    "never_stored": _("Never stored: %(columns)s. The platform keeps no citizen service numbers."),
    "combination": _(
        "Combination class %(class)s is split by groep into %(names)s, one class per groep."
    ),
    "skipped": _(
        "%(count)s rows in groepen the school does not take part with (%(groepen)s) were "
        "passed over."
    ),
    "not_on_list": _(
        "%(count)s pupils placed at this school this year are not on the list; they keep "
        "their class."
    ),
}


@dataclass
class Problem:
    row: int
    column: int | None  # index in the file, None for the file as a whole
    code: str
    params: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code, "params": self.params}


@dataclass
class Row:
    """One pupil line of the file, cleaned."""

    number: int
    given_name: str = ""
    surname_prefix: str = ""
    surname: str = ""
    date_of_birth: date | None = None
    class_name: str = ""
    year_group: int | None = None
    class_teacher: str = ""
    parent_name: str = ""
    parent_phone: str = ""
    parent_email: str = ""

    @property
    def key(self) -> tuple:
        """What makes two lines the same child: names and date of birth, case-blind."""
        return pupil_key(self.given_name, self.surname_prefix, self.surname, self.date_of_birth)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.surname_prefix, self.surname) if p)


def pupil_key(given_name: str, prefix: str, surname: str, born: date | None) -> tuple:
    return (given_name.casefold(), prefix.casefold(), surname.casefold(), born)


# --- Header -------------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    text = text.replace("\ufeff", "").replace("_", " ").strip().rstrip(":*").strip()
    return " ".join(text.lower().split())


def _recognised(cells: list[Cell]) -> int:
    known = {alias for f in FIELDS for alias in f.aliases}
    return sum(1 for cell in cells if normalise_header(cell_text(cell)) in known)


def find_header(rows: list[tuple[int, list[Cell]]]) -> int:
    """Index of the header row: the first near the top naming two known columns, else the first."""
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _recognised(cells) >= 2:
            return index
    return 0


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Column index per field, from the header texts; None where no header fits."""
    names = [normalise_header(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for f in FIELDS:
        mapping[f.name] = None
        for alias in f.aliases:
            index = next((i for i, n in enumerate(names) if n == alias and i not in used), None)
            if index is not None:
                mapping[f.name] = index
                used.add(index)
                break
    return mapping


def never_stored_columns(headers: list[str]) -> list[int]:
    return [i for i, h in enumerate(headers) if normalise_header(h) in NEVER_STORED]


# --- Values -------------------------------------------------------------------------------------

EXCEL_EPOCH = date(1899, 12, 30)
MONTHS = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "februari", "february"), 2),
    **dict.fromkeys(("mrt", "mar", "maart", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("aug", "augustus", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oct", "oktober", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?"  # text is lower-cased first
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME)
_NAMED = re.compile(r"(\d{1,2})[ -]([a-z]+)\.?[ -](\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")


def parse_date(value: Cell) -> date:
    """A date from a date cell, an Excel serial number or Dutch-style text (day first)."""
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _from_serial(value)
    text = cell_text(value).lower()
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text))
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    if match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000  # two-digit years: primary-school pupils are born in this century
        return date(year, month, day)
    if (match := _NAMED.fullmatch(text)) and match.group(2) in MONTHS:
        return date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
    raise ValueError(text)


def _from_serial(number: float) -> date:
    # Excel counts days from 30 December 1899; 20000..60000 covers 1954 to 2064.
    if not 20000 <= number <= 60000:
        raise ValueError(number)
    return EXCEL_EPOCH + timedelta(days=int(number))


def plausible_birth_date(born: date, school_year_start: date) -> bool:
    """Between 3 and 15 years old when the school year starts."""
    start = school_year_start
    age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    return 3 <= age <= 15


def normalise_class(text: str) -> str:
    """ "groep 5b" → "5B"; names such as "Dolfijnen" or "5/6" stay as they are."""
    text = " ".join(text.split())
    text = re.sub(r"^(groep|group|gr\.?)\s*", "", text, flags=re.IGNORECASE)
    if match := re.fullmatch(r"(\d)\s*([a-zA-Z]{0,2})", text):
        return match.group(1) + match.group(2).upper()
    return text


def year_group_from_class(name: str) -> int | None:
    """The groep a class name starts with ("5B" → 5); None for "5/6", "Dolfijnen"."""
    match = re.match(r"(\d)(?![\d/&+-])", name)
    if match and 1 <= int(match.group(1)) <= 8:
        return int(match.group(1))
    return None


def parse_year_group(value: Cell) -> int:
    if isinstance(value, int | float) and float(value).is_integer():
        number = int(value)
    else:
        text = re.sub(r"^(groep|group|gr\.?)\s*", "", cell_text(value), flags=re.IGNORECASE)
        if not re.fullmatch(r"\d(?:\.0)?", text):
            raise ValueError(text)
        number = int(float(text))
    if not 1 <= number <= 8:
        raise ValueError(number)
    return number


_PHONE = re.compile(r"\+?[\d\s().-]+")
# Control characters, and the replacement character that decoding put where a byte made no sense.
_UNREADABLE = re.compile("[\x00-\x1f\ufffd]")
# What exports put in an empty cell: dashes (hyphen, en and em dash) and "not applicable".
PLACEHOLDERS = {"-", "\u2013", "\u2014", "n.v.t.", "nvt", "n/a"}


def _text(value: Cell) -> str:
    text = " ".join(cell_text(value).split())
    return "" if text.lower() in PLACEHOLDERS else text


def _text_problem(text: str, f: Field) -> tuple[str, dict] | None:
    """Why a text value cannot be stored, or None."""
    starts_like_formula = text[:1] in ("=", "+", "-", "@")
    if starts_like_formula and not (f.name == "parent_phone" and _PHONE.fullmatch(text)):
        return "formula", {"value": text[:40]}
    if _UNREADABLE.search(text):
        return "unreadable", {"value": text[:40].replace("\ufffd", "?")}
    if MOJIBAKE.search(text):
        return "garbled", {"value": text[:40]}
    if f.max_length and len(text) > f.max_length:
        return "too_long", {"max": f.max_length}
    return None


def parse_row(
    number: int, cells: list[Cell], mapping: dict[str, int | None], school_year_start: date
) -> tuple[Row, list[Problem]]:
    """The row's values, cleaned, and what is wrong with them."""
    row = Row(number)
    problems: list[Problem] = []

    def fail(column: int | None, code: str, **params) -> None:
        problems.append(Problem(number, column, code, params))

    for f in FIELDS:
        column = mapping.get(f.name)
        raw = cells[column] if column is not None and column < len(cells) else None
        text = _text(raw)
        if not text:
            if f.required:
                fail(column, "required")
            continue
        if f.name == "date_of_birth":
            try:
                born = parse_date(raw)
            except (ValueError, OverflowError):
                fail(column, "date_invalid", value=text[:40])
                continue
            if not plausible_birth_date(born, school_year_start):
                fail(column, "date_implausible", value=born.strftime("%d-%m-%Y"))
                continue
            row.date_of_birth = born
            continue
        if f.name == "year_group":
            try:
                row.year_group = parse_year_group(raw)
            except ValueError:
                fail(column, "year_group_invalid", value=text[:40])
            continue
        if problem := _text_problem(text, f):
            fail(column, problem[0], **problem[1])
            continue
        if f.name == "class_name":
            text = normalise_class(text)
        elif f.name == "parent_email":
            text = text.lower()
            try:
                validate_email(text)
            except ValidationError:
                fail(column, "email_invalid", value=text[:60])
                continue
        elif f.name == "parent_phone" and (
            not _PHONE.fullmatch(text) or not 8 <= sum(ch.isdigit() for ch in text) <= 15
        ):
            fail(column, "phone_invalid", value=text[:40])
            continue
        setattr(row, f.name, text)

    if (
        row.class_name
        and row.year_group is None
        and not any(p.code == "year_group_invalid" for p in problems)
    ):
        row.year_group = year_group_from_class(row.class_name)
        if row.year_group is None:
            fail(mapping.get("class_name"), "year_group_unknown", value=row.class_name)
    return row, problems


def split_combination_classes(rows: list[Row]) -> list[tuple[str, list[str]]]:
    """A class holding pupils of two groepen becomes one class per groep ("5/6 (5)", "5/6 (6)").

    A class in the platform has one groep, and lessons and orchestras go by groep. Returns the
    classes split, with their new names, for the preview.
    """
    groepen: dict[str, set[int]] = {}
    for row in rows:
        groepen.setdefault(row.class_name.casefold(), set()).add(row.year_group)
    split: dict[str, tuple[str, list[str]]] = {}
    for row in rows:
        folded = row.class_name.casefold()
        if len(groepen[folded]) > 1:
            original = row.class_name
            row.class_name = f"{original} ({row.year_group})"
            names = split.setdefault(folded, (original, []))[1]
            if row.class_name not in names:
                names.append(row.class_name)
    return [(original, sorted(names)) for original, names in split.values()]


def column_label(index: int | None, headers: list[str]) -> str:
    """ "C (Geboortedatum)": the column letter as the spreadsheet shows it, and its header."""
    if index is None:
        return ""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    header = headers[index] if index < len(headers) else ""
    return f"{letters} ({header})" if header else letters


def message(code: str, params: dict) -> str:
    params = dict(params)
    if "field" in params and params["field"] in FIELD_BY_NAME:
        params["field"] = FIELD_BY_NAME[params["field"]].label
    return str(MESSAGES.get(code) or NOTICES[code]) % params
