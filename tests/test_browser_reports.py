"""Browser journey for the reports, at a desk: the coordinator opens the reach dashboard,
narrows it to one district, drills down to a school, and downloads the funder pack."""

import io
import re

import pytest

from tests.test_browser_depot import log_in
from tests.test_browser_journey import A11Y_PROBE, demo_site, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def figure(tab, element_id: str) -> int:
    return int(tab.locator(f"#{element_id}").inner_text())


def test_coordinator_filters_reach_drills_down_and_downloads_the_funder_pack(page, demo_site):  # noqa: F811
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, demo_site, "coordinator@leerorkest.example")
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Reach").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Reach", exact=True)).to_be_visible()
    assert page.evaluate(A11Y_PROBE) == []
    everyone = figure(page, "reach-total")
    assert everyone > 1000

    # Last school year in Zuidoost: choose both filters and show.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    last_year = (today.year if today.month >= 8 else today.year - 1) - 1
    page.get_by_label("School year", exact=True).select_option(str(last_year))
    page.get_by_label("District", exact=True).select_option(label="Zuidoost")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    expect(main.locator(".scope-line")).to_contain_text("Zuidoost")
    zuidoost = figure(page, "reach-total")
    assert 0 < zuidoost < everyone

    # Drill down: the first school in the per-school table.
    schools = main.get_by_role("region", name="Per school")
    school_link = schools.get_by_role("link").first
    school_name = school_link.inner_text()
    school_link.click()
    page.wait_for_load_state()
    expect(main.locator(".scope-line")).to_contain_text(school_name)
    at_school = figure(page, "reach-total")
    assert 0 < at_school <= zuidoost
    assert page.evaluate(A11Y_PROBE) == []

    # The funder pack for this selection (the demo builds it at once), then the spreadsheet.
    page.get_by_label("Title (for whom)").fill("Stadsdeel Zuidoost")
    page.get_by_role("button", name="Make the funder pack").click()
    page.wait_for_url(re.compile(r"/reports/packs/\d+/$"))
    expect(main.get_by_role("heading", name="Stadsdeel Zuidoost")).to_be_visible()
    link = main.get_by_role("link", name="Download as spreadsheet (.xlsx)")
    expect(link).to_be_visible(timeout=60_000)
    assert page.evaluate(A11Y_PROBE) == []
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as saved:
        book = load_workbook(io.BytesIO(saved.read()))
    headline = book[book.sheetnames[0]]
    values = {r[0]: r[1] for r in headline.iter_rows(min_row=5, values_only=True) if r[0]}
    assert values["Children reached"] == (at_school if at_school >= 5 else "<5")
    assert values["Schools taking part"] == 1
    assert page.console_errors == []
