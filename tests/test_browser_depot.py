"""Browser journeys for the depot, on the demo site: a partner programme's coordinator requests
instruments and confirms a delivery; depot staff lend ten instruments at the desk by scanning
and take them back with an inspection that sends one to repair."""

import re

import pytest

from tests.test_browser_journey import A11Y_PROBE, demo_site, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def log_in(tab, site: str, email: str) -> None:
    # In English, so the journeys do not depend on the wording of the Dutch translations.
    tab.context.add_cookies([{"name": "leerorkest_language", "value": "en", "url": site}])
    tab.goto(site + "/accounts/login/")
    tab.get_by_label("E-mail address").fill(email)
    tab.get_by_label("Password").fill("leerorkest-demo")
    tab.locator("main").get_by_role("button", name="Log in").click()
    tab.wait_for_url(site + "/")


def open_menu_item(tab, name: str) -> None:
    tab.get_by_role("button", name="Menu").click()
    tab.get_by_role("navigation", name="Main navigation").get_by_role("link", name=name).click()
    tab.wait_for_load_state()


def test_programme_requests_instruments_and_confirms_a_delivery(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, demo_site, "partner@leerorkest.example")

    # A request for next season: four violins 1/2 (3/4 is fine too) and two cellos 1/4.
    open_menu_item(page, "Instrument requests")
    page.get_by_role("link", name="New request").click()
    page.wait_for_load_state()
    assert page.evaluate(A11Y_PROBE) == []
    page.get_by_label("Instrument (line 1)").select_option(label="Violin")
    page.get_by_label("Size (line 1)").select_option(label="Violin 1/2")
    page.get_by_label("Number (line 1)").fill("4")
    page.get_by_label("One size up is fine (line 1)").check()
    page.get_by_label("Instrument (line 2)").select_option(label="Cello")
    page.get_by_label("Size (line 2)").select_option(label="Cello 1/4")
    page.get_by_label("Number (line 2)").fill("2")
    page.get_by_role("button", name="Send to the depot").click()
    page.wait_for_url(re.compile(r"/depot/requests/\d+/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Submitted")
    expect(main).to_contain_text("Violin")
    expect(main).to_contain_text("Cello")
    assert page.evaluate(A11Y_PROBE) == []

    # The demo's run underway brings three instruments to this programme: confirm them all.
    open_menu_item(page, "Deliveries")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    assert page.evaluate(A11Y_PROBE) == []
    page.get_by_role("button", name=re.compile(r"Confirm receipt of all 3 instruments")).click()
    page.wait_for_load_state()
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("main table tbody tr")).to_have_count(0)
    assert page.console_errors == []


def test_desk_lends_ten_by_scanning_and_takes_them_back_with_one_to_repair(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, demo_site, "depot@leerorkest.example")

    # Ten violins on the shelf, from the stock list.
    open_menu_item(page, "Instruments")
    page.get_by_label("Status").select_option(label="Available")
    page.get_by_label("Instrument", exact=True).select_option(label="Violin")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    tags = [
        page.locator("main table tbody tr").nth(n).locator("td").first.inner_text().strip()
        for n in range(10)
    ]
    assert len(set(tags)) == 10

    # The desk: choose the programme, then "scan" each tag (the scanner types it and Enter).
    open_menu_item(page, "Desk")
    assert page.evaluate(A11Y_PROBE) == []
    page.get_by_label("Borrowing programme").select_option(label="Leerorkest Drechtsteden")
    scanner = page.locator("#id_lend-tags")
    for tag in tags:
        scanner.press_sequentially(tag)
        scanner.press("Enter")
    page.get_by_role("button", name="Lend", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".message.success")).to_contain_text("10 instruments lent")
    lent = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Lent to")))
    expect(lent.locator("tbody tr")).to_have_count(10)

    # End of the season: scan them back one by one (Enter adds each), then inspect.
    scan = page.get_by_label("Scan", exact=True)
    for count, tag in enumerate(tags, start=1):
        scan.fill(tag)
        scan.press("Enter")
        page.wait_for_load_state()
        expect(page.get_by_role("status")).to_contain_text(f"{count} instrument")
    page.get_by_role("button", name="Inspect and take back").click()
    page.wait_for_load_state()
    rows = page.locator("main form table tbody tr")
    expect(rows).to_have_count(10)
    assert page.evaluate(A11Y_PROBE) == []
    broken = rows.filter(has_text=tags[3])
    broken.get_by_label("Damage").fill("Kam gebroken, snaar los")
    broken.get_by_label("Repair").check()
    page.get_by_role("button", name="Take back").click()
    page.wait_for_load_state()
    expect(page.locator(".message.success")).to_contain_text("10 instruments returned")
    done = page.locator("section", has=page.get_by_role("heading", name="Returned"))
    expect(done.locator("tbody tr").filter(has_text="In repair")).to_have_count(1)
    expect(done.locator("tbody tr").filter(has_text="Available")).to_have_count(9)

    # The broken one is in repair, with a work order from the inspection on its page.
    done.get_by_role("link", name=tags[3]).click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main).to_contain_text("In repair")
    expect(main).to_contain_text("Kam gebroken")
    expect(main.get_by_role("heading", name="Repairs")).to_be_visible()
    assert page.console_errors == []
