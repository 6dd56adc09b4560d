"""Reading an uploaded class list into rows of cells (target B2).

Schools export class lists from ParnasSys, ESIS or Excel in whatever shape the day brings: CSV with
semicolons (Dutch Excel) or commas or tabs, UTF-8 with or without a byte-order mark, Windows-1252,
UTF-16 ("Unicode text"), UTF-8 that went through Windows-1252 once too often, XLSX with date cells,
serial numbers or formulas, title lines above the header and empty rows in between. This module
turns all of them into one `Table`; what the cells mean is decided in `import_rows`.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# An XLSX is a zip; refuse one that unpacks to far more than any class list needs (zip bombs).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
DELIMITERS = (";", ",", "\t", "|")
# How far down a title or notes may push the header row.
HEADER_SEARCH_ROWS = 10

Cell = str | date | int | float | None


@dataclass
class Table:
    """The rows of the first sheet: row numbers as the spreadsheet shows them (1-based)."""

    kind: str  # "csv" or "xlsx"
    rows: list[tuple[int, list[Cell]]]  # non-empty rows only
    encoding: str = ""
    delimiter: str = ""
    repaired: bool = False  # text was UTF-8 read as Windows-1252 once too often; mended


def read_table(content: bytes) -> Table:
    """The rows of a CSV or XLSX file; DomainError (field "file") when it cannot be read at all."""
    if not content.strip():
        raise DomainError(_("The file is empty."), field="file", code="empty_file")
    if len(content) > MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)},
            field="file",
            code="too_large",
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(
            _("This is an old Excel file (.xls). Save it as .xlsx or as CSV and upload that."),
            field="file",
            code="old_excel",
        )
    is_zip = content.startswith(b"PK\x03\x04")
    table = _read_xlsx(content) if is_zip else _read_csv(content)
    if len(table.rows) > MAX_ROWS:
        raise DomainError(
            _("The file has more than %(max)s rows. Split it, for instance per school.")
            % {"max": MAX_ROWS},
            field="file",
            code="too_many_rows",
        )
    return table


# --- CSV ----------------------------------------------------------------------------------------


def decode(content: bytes) -> tuple[str, str, bool]:
    """The text, the encoding it was read as, and whether double-encoded UTF-8 was mended."""
    if content.startswith(b"\xef\xbb\xbf"):
        text, encoding = content[3:].decode("utf-8", errors="replace"), "utf-8"
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = content.decode("utf-16", errors="replace"), "utf-16"
    elif _looks_like_utf16(content):
        encoding = "utf-16-le" if content[1:2] == b"\x00" else "utf-16-be"
        text = content.decode(encoding, errors="replace")
    else:
        try:
            text, encoding = content.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV" in Windows-1252; five of its bytes are unassigned,
            # and Latin-1 reads those as control characters that validation then reports.
            try:
                text, encoding = content.decode("cp1252"), "windows-1252"
            except UnicodeDecodeError:
                text, encoding = content.decode("latin-1"), "iso-8859-1"
    text = text.lstrip("\ufeff")
    mended = _mend_double_encoding(text)
    return (mended, encoding, True) if mended != text else (text, encoding, False)


def _looks_like_utf16(content: bytes) -> bool:
    sample = content[:200]
    return len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 3


# "Ã©" for "é", "â€™" for a curly apostrophe: UTF-8 bytes read as Windows-1252 and saved again.
MOJIBAKE = re.compile(
    "[\u00c2\u00c3][\u0080-\u00bf\u0152-\u0192\u02c6\u02dc\u2013-\u2122]|\u00e2\u20ac"
)


def _mend_double_encoding(text: str) -> str:
    if not MOJIBAKE.search(text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def _read_csv(content: bytes) -> Table:
    text, encoding, repaired = decode(content)
    if "\x00" in text:
        raise DomainError(
            _("This does not look like a CSV or Excel file."), field="file", code="not_a_table"
        )
    delimiter = sniff_delimiter(text)
    rows: list[tuple[int, list[Cell]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, cells in enumerate(reader, start=1):
            values = [cell.strip() for cell in cells]
            if any(values):
                rows.append((number, list(values)))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error:
        raise DomainError(
            _("The file could not be read as CSV (a quote is probably not closed)."),
            field="file",
            code="bad_csv",
        ) from None
    return Table("csv", rows, encoding=encoding, delimiter=delimiter, repaired=repaired)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of columns."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    best, best_score = DELIMITERS[0], (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XLSX ---------------------------------------------------------------------------------------


def _read_xlsx(content: bytes) -> Table:
    import openpyxl

    unreadable = DomainError(
        _("This Excel file could not be read. Save it again as .xlsx or as CSV."),
        field="file",
        code="bad_xlsx",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise DomainError(
                    _("This is an OpenDocument spreadsheet. Save it as .xlsx or as CSV."),
                    field="file",
                    code="ods",
                )
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise unreadable
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except DomainError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise unreadable from None
    try:
        # The first sheet with anything in it (a workbook may open on an empty one).
        rows: list[tuple[int, list[Cell]]] = []
        for sheet in workbook.worksheets:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = [_xlsx_value(value) for value in cells]
                if any(v not in (None, "") for v in values):
                    rows.append((number, values))
                if len(rows) > MAX_ROWS:
                    break
            if rows:
                break
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()
    return Table("xlsx", rows)


def _xlsx_value(value) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return str(value).strip()


def cell_text(value: Cell) -> str:
    """A cell as the user would read it, for messages and text fields."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()
