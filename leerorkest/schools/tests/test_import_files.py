"""Class lists as schools really send them (target B2): encodings, delimiters, byte-order marks,
Excel dates and formulas, empty rows, title lines, and files that are no class list at all."""

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from leerorkest.accounts.actions import DomainError
from leerorkest.schools.import_files import MAX_ROWS, decode, read_table, sniff_delimiter
from leerorkest.schools.import_rows import (
    column_label,
    guess_mapping,
    normalise_class,
    parse_date,
    year_group_from_class,
)
from leerorkest.schools.models import ImportStatus, Pupil
from leerorkest.schools.tests.import_builders import HEADER, class_list, make_import, pupil_row

NAMES = ("Zoë", "Çelik", "Noël")


@pytest.fixture(autouse=True)
def _english_messages(client):
    """These tests read the English messages; the Dutch ones are checked by the catalogue test."""
    from django.utils import translation

    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Encodings and delimiters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "read_as"),
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8"),
        ("cp1252", False, "windows-1252"),
        ("utf-16", False, "utf-16"),  # Excel's "Unicode text": UTF-16 with a BOM
        ("utf-16-le", False, "utf-16-le"),  # the same without one
    ],
)
def test_encodings_are_recognised(encoding, bom, read_as):
    content = class_list(pupil_row("Zoë", "Noël"), encoding=encoding, bom=bom)
    text, used, repaired = decode(content)
    assert used == read_as
    assert not repaired
    assert text.startswith("Roepnaam;")  # no byte-order mark left in the first header
    assert "Zoë;;Noël" in text


def test_utf8_saved_twice_through_windows_1252_is_mended():
    mangled = "Roepnaam;Achternaam\r\nZoë;Çelik\r\n".encode().decode("cp1252").encode()
    text, used, repaired = decode(mangled)
    assert (used, repaired) == ("utf-8", True)
    assert "Zoë;Çelik" in text


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters_are_recognised(delimiter):
    rows = [pupil_row("Sem", "Jansen, Bakker"), pupil_row("Noor")]
    if delimiter == ",":
        rows = [tuple(f'"{cell}"' for cell in row) for row in rows]
    text = class_list(*rows, delimiter=delimiter).decode()
    assert sniff_delimiter(text) == delimiter
    table = read_table(text.encode())
    assert [len(cells) for _n, cells in table.rows] == [9, 9, 9]
    assert table.rows[1][1][2] == "Jansen, Bakker"


def test_empty_rows_are_skipped_but_row_numbers_stay_true():
    content = b"Roepnaam;Achternaam\r\n;\r\nSem;Jansen\r\n\r\n  ;  \r\nNoor;Bakker\r\n;;;;\r\n"
    table = read_table(content)
    assert [number for number, _cells in table.rows] == [1, 3, 6]


def test_old_mac_line_ends_are_read():
    table = read_table(b"Roepnaam;Achternaam\rSem;Jansen\rNoor;Bakker\r")
    assert len(table.rows) == 3


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"   \r\n", "empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old_excel"),
        (b"PK\x03\x04 not really a zip", "bad_xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "not_a_table"),
        (b"a;b\r\n" + b"x" * (5 * 1024 * 1024), "too_large"),
    ],
)
def test_files_that_are_no_class_list_are_refused(content, code):
    with pytest.raises(DomainError) as refusal:
        read_table(content)
    assert refusal.value.code == code
    assert refusal.value.field == "file"


def test_an_opendocument_spreadsheet_is_refused_with_advice():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(DomainError) as refusal:
        read_table(buffer.getvalue())
    assert refusal.value.code == "ods"


def test_too_many_rows_are_refused():
    content = class_list(*[pupil_row(f"Kind{n}") for n in range(MAX_ROWS + 1)])
    with pytest.raises(DomainError) as refusal:
        read_table(content)
    assert refusal.value.code == "too_many_rows"


# --- Excel ---------------------------------------------------------------------------------------


def test_xlsx_with_date_cells_serial_numbers_and_text_dates(personas):
    content = xlsx(
        [
            ["Klassenlijst OBS De Regenboog 2026-2027"],  # a title above the header
            [],
            ["Roepnaam", "Achternaam", "Geboortedatum", "Groep", "Jaargroep"],
            ["Sem", "Jansen", datetime(2017, 3, 14), "5A", 5],
            ["Noor", "Bakker", 42767, "6B", 6.0],  # a date typed into a number cell
            ["Ilse", "Kok", "6-5-2017", "5A", "5"],
        ]
    )
    class_import = make_import(personas, content, filename="lijst.xlsx")
    assert class_import.status == ImportStatus.PREVIEWED, class_import.report["errors"]
    rows = class_import.report["rows"]
    assert [(r["row"], r["born"], r["groep"]) for r in rows] == [
        (4, "2017-03-14", 5),
        (5, "2017-02-01", 6),
        (6, "2017-05-06", 5),
    ]
    assert {"code": "header_row", "params": {"row": 3}} in class_import.report["notices"]


def test_xlsx_formulas_are_reported_not_run(personas):
    content = xlsx(
        [
            ["Roepnaam", "Achternaam", "Geboortedatum", "Groep"],
            ["Sem", '=HYPERLINK("http://example.invalid","Jansen")', "14-03-2017", "5A"],
            ["Noor", "Bakker", "=DATE(2017,3,14)", "5A"],
        ]
    )
    class_import = make_import(personas, content, filename="lijst.xlsx")
    assert class_import.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["code"]) for e in class_import.report["errors"]] == [
        (2, 1, "formula"),
        (3, 2, "date_invalid"),
    ]
    assert Pupil.objects.count() == 0


def test_csv_injection_is_refused_but_phone_numbers_with_plus_pass(personas):
    content = class_list(
        pupil_row("@SUM(1+1)", "Jansen"),
        pupil_row("Noor", "-2+3"),
        pupil_row("Ilse", "Kok", phone="+31 6 1234 5678"),
        pupil_row("Daan", "Smit", phone="=1+1"),
    )
    class_import = make_import(personas, content)
    assert [(e["row"], e["column"], e["code"]) for e in class_import.report["errors"]] == [
        (2, 0, "formula"),
        (3, 2, "formula"),
        (5, 7, "formula"),
    ]


def test_characters_that_could_not_be_read_are_reported(personas):
    content = class_list(pupil_row("Zo\ufffd", "Jansen"), bom=True)
    class_import = make_import(personas, content)
    assert [e["code"] for e in class_import.report["errors"]] == ["unreadable"]
    assert class_import.report["errors"][0]["params"] == {"value": "Zo?"}


def test_a_windows_1252_file_imports_accents_correctly(personas):
    content = class_list(pupil_row(*NAMES[:2]), pupil_row(NAMES[2]), encoding="cp1252")
    class_import = make_import(personas, content)
    assert [r["name"] for r in class_import.report["rows"]] == ["Zoë Çelik", "Noël Jansen"]
    assert {"code": "encoding", "params": {"encoding": "WINDOWS-1252", "delimiter": ";"}} in (
        class_import.report["notices"]
    )


def test_placeholders_count_as_empty(personas):
    class_import = make_import(personas, class_list(pupil_row(prefix="-", email="n.v.t.")))
    assert class_import.status == ImportStatus.PREVIEWED
    assert class_import.report["rows"][0]["name"] == "Sem Jansen"


# --- Values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "14-03-2017",
        "14-3-2017",
        "14/03/2017",
        "14.03.2017",
        "14-03-17",
        "2017-03-14",
        "2017-03-14 00:00:00",
        "2017-03-14T00:00:00",
        "14 maart 2017",
        "14 mrt 2017",
        "14-mar-2017",
        "42808",
        42808,
        42808.0,
        date(2017, 3, 14),
    ],
)
def test_dates_are_read_day_first(value):
    assert parse_date(value) == date(2017, 3, 14)


@pytest.mark.parametrize("value", ["03/14/2017", "31-02-2017", "2017", "gisteren", "12", 5])
def test_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("text", "name", "groep"),
    [
        ("5b", "5B", 5),
        ("Groep 5B", "5B", 5),
        ("gr. 7a", "7A", 7),
        ("8", "8", 8),
        ("5/6", "5/6", None),
        ("5-6", "5-6", None),
        ("Dolfijnen", "Dolfijnen", None),
        ("9A", "9A", None),
    ],
)
def test_class_names_and_their_groep(text, name, groep):
    assert normalise_class(text) == name
    assert year_group_from_class(name) == groep


def test_headers_in_dutch_english_and_with_noise_are_recognised():
    headers = ["\ufeffVoornaam ", "Achter_naam", "Last name", "GEBOORTEDATUM:", "Klas*", "Email"]
    mapping = guess_mapping(headers)
    assert mapping["given_name"] == 0
    assert mapping["surname"] == 2
    assert mapping["date_of_birth"] == 3
    assert mapping["class_name"] == 4
    assert mapping["parent_email"] == 5
    assert mapping["year_group"] is None


def test_column_labels_are_spreadsheet_letters():
    headers = list(HEADER)
    assert column_label(0, headers) == "A (Roepnaam)"
    assert column_label(27, headers) == "AB"
    assert column_label(None, headers) == ""
