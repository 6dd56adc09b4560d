"""Browser journey: a coordinator imports a class list into the demo on a phone. A file with a
wrong date is refused with row, column and reason; the corrected file is previewed and then
committed; the pages pass the accessibility probe."""

import pytest

from tests.test_browser_journey import A11Y_PROBE, demo_site, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

HEADER = "Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;Telefoon\r\n"


def class_list(*rows: str, encoding: str) -> dict:
    text = HEADER + "".join(row + "\r\n" for row in rows)
    return {"name": "groep 5.csv", "mimeType": "text/csv", "buffer": text.encode(encoding)}


def upload(browser_page, site: str, file: dict) -> None:
    browser_page.goto(site + "/imports/new/")
    assert browser_page.evaluate(A11Y_PROBE) == []
    browser_page.locator("#id_school").select_option(index=1)
    browser_page.locator("#id_file").set_input_files(file)
    browser_page.locator("main form.card button[type=submit]").click()
    browser_page.wait_for_url("**/imports/*/")


def test_coordinator_imports_a_class_list(page, demo_site):  # noqa: F811 - fixtures
    from playwright.sync_api import expect

    page.goto(demo_site + "/accounts/login/")
    page.get_by_label("E-mailadres").fill("coordinator@leerorkest.example")
    page.get_by_label("Wachtwoord").fill("leerorkest-demo")
    page.locator("main").get_by_role("button", name="Inloggen").click()
    page.wait_for_url(demo_site + "/")

    # A list with an impossible date: nothing is written, the report points at the cell.
    upload(
        page,
        demo_site,
        class_list(
            "Zoë;;Çelik;14-03-2018;5A;",
            "Noël;van der;Berg;31-02-2018;5A;+31 6 1234 5678",
            encoding="cp1252",  # as Excel on Windows saves "CSV"
        ),
    )
    assert page.locator("main .status-invalid").count() == 1
    report = page.locator("main table tbody tr")
    expect(report).to_have_count(1)
    cells = report.first.locator("td")
    assert cells.nth(0).inner_text() == "3"
    assert cells.nth(1).inner_text() == "D (Geboortedatum)"
    assert "31-02-2018" in cells.nth(2).inner_text()
    assert page.locator("form[action$='/commit/']").count() == 0
    assert page.evaluate(A11Y_PROBE) == []

    # The corrected list replaces it and is previewed.
    upload(
        page,
        demo_site,
        class_list(
            "Zoë;;Çelik;14-03-2018;5A;",
            "Noël;van der;Berg;28-02-2018;5A;+31 6 1234 5678",
            encoding="utf-8-sig",  # "CSV UTF-8": with a byte-order mark
        ),
    )
    assert page.locator("main .status-previewed").count() == 1
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(2)
    assert "Zoë Çelik" in rows.nth(0).inner_text()
    assert "Noël van der Berg" in rows.nth(1).inner_text()
    assert page.evaluate(A11Y_PROBE) == []

    # The name filter narrows the preview in place (htmx).
    page.locator("#row-q").fill("berg")
    expect(rows).to_have_count(1)
    assert "q=berg" in page.url

    # Commit: both pupils are written at once.
    page.locator("form[action$='/commit/'] button").click()
    page.wait_for_load_state()
    assert page.locator("main .status-committed").count() == 1
    assert "2" in page.locator(".figure[data-key=new] .value").inner_text()
    assert page.locator("form[action$='/commit/']").count() == 0

    # The list of imports shows it, once.
    page.goto(demo_site + "/imports/")
    expect(page.locator("#imports tbody tr")).to_have_count(1)
    assert page.locator("#imports .status-committed").count() == 1
    assert page.evaluate(A11Y_PROBE) == []
    assert page.console_errors == []
