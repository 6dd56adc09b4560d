import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from leerorkest.accounts.actions import DomainError
from leerorkest.depot.models import EventKind, Instrument, InstrumentEvent
from leerorkest.stock import actions
from leerorkest.stock.inventory import message, parse_value
from leerorkest.stock.models import ImportStatus
from leerorkest.stock.tests.builders import make_world, stock

pytestmark = pytest.mark.django_db

HEADER = (
    "Inventarisnummer;Instrument;Maat;Merk;Model;Serienummer;Waarde;Herkomst;Datum binnen;"
    "Conditie;Locatie"
)


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


def csv_bytes(*lines: str, encoding="utf-8-sig") -> bytes:
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding)


def upload(world, content: bytes, name="inventaris.csv"):
    return actions.upload_inventory(
        depot=world.depot, filename=name, content=content, by=world.staff
    )


def errors_of(stock_import) -> list[tuple[int, int | None, str]]:
    return [(e["row"], e["column"], e["code"]) for e in stock_import.report["errors"]]


@pytest.mark.parametrize(
    "raw, cents",
    [
        ("€ 1.250,00", 125000),
        ("1250", 125000),
        ("1.250", 125000),
        ("1,250.50", 125050),
        ("99,95", 9995),
        ("€ 250,-", 25000),
        ("12.5", 1250),
        (349.0, 34900),
    ],
)
def test_values_in_euros(raw, cents):
    assert parse_value(raw) == cents


@pytest.mark.parametrize("raw", ["abc", "1,2,3.4.5x", "-5", "€"])
def test_bad_values(raw):
    with pytest.raises(ValueError):
        parse_value(raw)


def test_csv_with_semicolons_and_bom_commits_one_event_per_instrument():
    world = make_world()
    content = csv_bytes(
        "LO-90001;Viool;1/2;Stentor;Student II;S123;€ 1.250,00;Schenking;14-03-2019;A;Stelling A",
        ";cello;¼;Yamaha;;;350;aankoop;2020-09-01;b;stelling b",
        ";Dwarsfluit;;Pearl;;;;;;;",
    )
    stock_import = upload(world, content)
    assert stock_import.status == ImportStatus.PREVIEWED, stock_import.report["errors"]
    assert stock_import.report["counts"] == {"new": 3, "already": 0}
    assert Instrument.objects.filter(organisation=world.depot).count() == 0  # preview only

    assert actions.commit_inventory(stock_import=stock_import, by=world.staff) == 3
    violin = Instrument.objects.get(asset_tag="LO-90001")
    assert (violin.size.label, violin.make, violin.model_name, violin.serial) == (
        "1/2",
        "Stentor",
        "Student II",
        "S123",
    )
    assert violin.value_cents == 125000
    assert violin.acquired_via == "donation"
    assert violin.acquired_on == date(2019, 3, 14)
    assert violin.condition == "A" and violin.location == world.shelf_a
    cello = Instrument.objects.get(instrument_type__code="cello", organisation=world.depot)
    assert cello.size.label == "1/4" and cello.acquired_via == "purchase"
    assert cello.location == world.shelf_b and cello.condition == "B"
    # Rows without a tag get the next free LO numbers after the highest one.
    assert cello.asset_tag == "LO-90002"
    assert Instrument.objects.filter(asset_tag="LO-90003", instrument_type__code="flute").exists()
    events = InstrumentEvent.objects.filter(instrument__organisation=world.depot)
    assert events.count() == 3
    assert set(events.values_list("kind", flat=True)) == {EventKind.ACQUIRED}
    stock_import.refresh_from_db()
    assert stock_import.status == ImportStatus.COMMITTED and stock_import.created_count == 3


def test_errors_name_row_column_and_reason_and_nothing_is_written():
    world = make_world()
    stock(world, asset_tag="LO-00500")
    content = csv_bytes(
        "LO-00001;Viool;1/2;;;;;;;;",  # fine
        "LO-00002;Ukelele;;;;;;;;;",  # unknown instrument (row 3)
        "LO-00003;Viool;5/4;;;;;;;;",  # not a violin size (row 4)
        "LO-00001;Cello;;;;;;;;;",  # duplicate tag in the file (row 5)
        "LO-00500;Viool;;;;;;;;;",  # already in stock (row 6)
        "LO-00006;Viool;;;;;;;31-02-2019;;",  # bad date (row 7)
        "LO-00007;Viool;;;;;twaalf euro;;;;",  # bad value (row 8)
        "LO-00008;Viool;;;;;;gestolen;;E;Zolder",  # came by, condition, location (row 9)
    )
    stock_import = upload(world, content)
    assert stock_import.status == ImportStatus.INVALID
    assert errors_of(stock_import) == [
        (3, 1, "unknown_instrument"),
        (4, 2, "unknown_size"),
        (5, 0, "duplicate_tag"),
        (6, 0, "tag_in_stock"),
        (7, 8, "bad_date"),
        (8, 6, "bad_value"),
        (9, 7, "bad_via"),
        (9, 9, "bad_condition"),
        (9, 10, "unknown_location"),
    ]
    by_code = {e["code"]: e for e in stock_import.report["errors"]}
    assert "5/4" in message("unknown_size", by_code["unknown_size"]["params"])
    assert "row 2" in message("duplicate_tag", by_code["duplicate_tag"]["params"])
    with pytest.raises(DomainError):
        actions.commit_inventory(stock_import=stock_import, by=world.staff)
    assert Instrument.objects.filter(organisation=world.depot).count() == 1


def test_the_page_lists_the_problems_with_column_letters(client):
    world = make_world()
    stock_import = upload(world, csv_bytes("LO-00002;Ukelele;;;;;;;;;"))
    client.force_login(world.staff)
    html = client.get(reverse("stock:import_detail", args=[stock_import.pk])).content.decode()
    assert "B (Instrument)" in html and "Ukelele" in html
    response = client.post(reverse("stock:import_commit", args=[stock_import.pk]))
    assert response.status_code == 302
    assert not Instrument.objects.filter(organisation=world.depot).exists()


def test_reimporting_the_same_file_creates_nothing_twice(client):
    world = make_world()
    content = csv_bytes(";Viool;1/2;;;;;;;;", ";Viool;1/2;;;;;;;;", "LO-70001;Cello;;;;;;;;;")
    first = upload(world, content)
    assert actions.commit_inventory(stock_import=first, by=world.staff) == 3
    second = upload(world, content, name="nogmaals.csv")
    assert second.status == ImportStatus.PREVIEWED
    assert second.report["counts"] == {"new": 0, "already": 3}
    assert actions.commit_inventory(stock_import=second, by=world.staff) == 0
    # A file with one more identical row adds exactly that one.
    third = upload(world, content + b";Viool;1/2;;;;;;;;\r\n")
    assert third.report["counts"] == {"new": 1, "already": 3}
    assert actions.commit_inventory(stock_import=third, by=world.staff) == 1
    assert Instrument.objects.filter(organisation=world.depot).count() == 4


def test_windows_1252_and_double_encoded_text():
    world = make_world()
    header = "Instrument;Merk;Model"
    cp1252 = f"{header}\r\nViool;Höfner;Allegro\r\n".encode("cp1252")
    stock_import = upload(world, cp1252)
    assert stock_import.status == ImportStatus.PREVIEWED, stock_import.report
    assert stock_import.report["rows"][0]["make"] == "Höfner"
    twice = f"{header}\r\nViool;Höfner;Allegro\r\n".encode().decode("cp1252").encode()
    stock_import = upload(world, twice)
    assert stock_import.report["rows"][0]["make"] == "Höfner"


def test_english_headers_and_title_lines():
    world = make_world()
    content = (
        b"Inventory of the depot, 2026\r\n\r\nAsset tag,Instrument,Size,Value,Came by,Came on\r\n"
        b'LO-60001,Violin,3/4,"1,250.00",purchase,2021-05-04\r\n'
    )
    stock_import = upload(world, content)
    assert stock_import.status == ImportStatus.PREVIEWED, stock_import.report
    [row] = stock_import.report["rows"]
    assert (row["size"], row["value_cents"], row["via"], row["on"]) == (
        "3/4",
        125000,
        "purchase",
        "2021-05-04",
    )


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_a_date_cell_and_a_formula():
    world = make_world()
    header = ["Inventarisnummer", "Instrument", "Maat", "Serienummer", "Waarde", "Datum binnen"]
    good = _xlsx([header, ["LO-80001", "Cello", "1/2", "C-1", 425.5, date(2018, 8, 30)]])
    stock_import = upload(world, good, name="inventaris.xlsx")
    assert stock_import.status == ImportStatus.PREVIEWED, stock_import.report
    assert actions.commit_inventory(stock_import=stock_import, by=world.staff) == 1
    cello = Instrument.objects.get(asset_tag="LO-80001")
    assert cello.acquired_on == date(2018, 8, 30) and cello.value_cents == 42550

    formula = _xlsx([header, ["LO-80002", "Cello", "1/2", "=A2&B2", 100, date(2018, 8, 30)]])
    stock_import = upload(world, formula, name="formule.xlsx")
    assert errors_of(stock_import) == [(2, 3, "formula")]
    assert not Instrument.objects.filter(asset_tag="LO-80002").exists()


def test_columns_can_be_chosen_when_the_headers_are_not_recognised(client):
    world = make_world()
    content = b"Ding;Grootte\r\nViool;1/2\r\n"
    stock_import = upload(world, content)
    assert [e["code"] for e in stock_import.report["errors"]] == ["missing_column"]
    client.force_login(world.staff)
    url = reverse("stock:import_columns", args=[stock_import.pk])
    response = client.post(url, {"instrument": "0", "size": "1"})
    assert response.status_code == 302
    stock_import.refresh_from_db()
    assert stock_import.status == ImportStatus.PREVIEWED
    assert stock_import.report["rows"][0]["size"] == "1/2"
    # One column serves one field.
    response = client.post(url, {"instrument": "0", "size": "0"})
    assert response.status_code == 400


def test_upload_and_commit_through_the_pages(client):
    world = make_world()
    client.force_login(world.staff)
    upload_file = io.BytesIO(csv_bytes("LO-91000;Trompet;;Bach;;;;;;;"))
    upload_file.name = "inventaris.csv"
    response = client.post(reverse("stock:import_new"), {"file": upload_file})
    assert response.status_code == 302
    detail = client.get(response.url)
    assert b"LO-91000" in detail.content
    stock_import = world.depot.pk and actions.StockImport.objects.get()
    client.post(reverse("stock:import_commit", args=[stock_import.pk]))
    assert Instrument.objects.filter(asset_tag="LO-91000", make="Bach").exists()
    # A file that is no spreadsheet at all keeps the form with the error.
    bad = io.BytesIO(b"\xd0\xcf\x11\xe0old excel")
    bad.name = "oud.xls"
    response = client.post(reverse("stock:import_new"), {"file": bad})
    assert response.status_code == 400


def test_a_tag_taken_after_the_preview_writes_nothing(client):
    world = make_world()
    stock_import = upload(world, csv_bytes("LO-92000;Viool;;;;;;;;;", "LO-92001;Viool;;;;;;;;;"))
    assert stock_import.status == ImportStatus.PREVIEWED
    stock(world, asset_tag="LO-92001")  # someone adds it at the desk meanwhile
    client.force_login(world.staff)
    response = client.post(reverse("stock:import_commit", args=[stock_import.pk]))
    assert response.status_code == 302
    stock_import.refresh_from_db()
    assert stock_import.status == ImportStatus.INVALID
    assert errors_of(stock_import) == [(3, 0, "tag_in_stock")]
    assert not Instrument.objects.filter(asset_tag="LO-92000").exists()
    with pytest.raises(DomainError):
        actions.queue_commit(stock_import=stock_import, by=world.staff)
