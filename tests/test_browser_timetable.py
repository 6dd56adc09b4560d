"""Browser journeys for the timetable, on the demo site: the coordinator re-plans and publishes
the week; the teacher takes today's register on a phone 360 px wide; the teacher reports an
absence and the coordinator confirms a substitute."""

import re
from datetime import timedelta

import pytest

from tests.test_browser_depot import log_in, open_menu_item
from tests.test_browser_journey import A11Y_PROBE, demo_site, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_coordinator_plans_and_publishes_the_timetable(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, demo_site, "coordinator@leerorkest.example")
    open_menu_item(page, "Timetable")
    main = page.locator("main")
    expect(main).to_contain_text("Published:")
    assert page.evaluate(A11Y_PROBE) == []
    page.get_by_label("Planning time (seconds)").fill("15")
    page.get_by_role("button", name="Start planning").click()
    page.wait_for_url(re.compile(r"/timetable/\d+/$"))
    # The progress bar polls until the planner is done, then the page shows the result.
    expect(main).to_contain_text("All rules kept", timeout=120_000)
    expect(page.locator(".tt-block").first).to_be_visible()
    assert page.evaluate(A11Y_PROBE) == []

    # Per teacher: the same timetable, one teacher's week.
    page.get_by_label("Show", exact=True).select_option("teacher")
    page.wait_for_load_state()
    expect(page.locator(".tt-block").first).to_be_visible()

    page.get_by_role("link", name="Review changes and publish").click()
    page.wait_for_load_state()
    expect(main).to_contain_text(re.compile(r"Compared with the published|Nothing changes"))
    assert page.evaluate(A11Y_PROBE) == []
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    expect(page.locator(".message.success")).to_contain_text("Published")
    expect(main).to_contain_text("Published")
    assert page.console_errors == []


def test_teacher_takes_the_register_on_a_phone(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, demo_site, "docent@leerorkest.example")
    open_menu_item(page, "Today")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.wait_for_load_state("networkidle")
    rows = page.locator("li.register-pupil")
    # The week the demo's planner found depends on the machine, and the first journey may have
    # re-planned today: walk back from today (in Amsterdam) through the teacher's days until a
    # register holds two children or more (a lesson group may have a single child).
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    count = 0
    for back in range(14):
        page.goto(f"{demo_site}/timetable/today/?day={(today - timedelta(days=back)).isoformat()}")
        page.wait_for_load_state("networkidle")  # count() does not wait for the day's lessons
        links = page.locator(".week-title a")
        for href in [links.nth(n).get_attribute("href") for n in range(links.count())]:
            page.goto(demo_site + href)
            page.wait_for_load_state("networkidle")
            count = rows.count()
            if count >= 2:
                break
        if count >= 2:
            break
    assert count >= 2, "the demo teacher has no register with two children in a fortnight"
    assert page.evaluate(A11Y_PROBE) == []
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # One tap per child: the first is absent, the others present.
    rows.nth(0).get_by_role("button", name="Absent").click()
    expect(rows.nth(0).get_by_role("button", name="Absent")).to_have_attribute(
        "aria-pressed", "true"
    )
    for n in range(1, count):
        rows.nth(n).get_by_role("button", name="Present").click()
        expect(rows.nth(n).get_by_role("button", name="Present")).to_have_attribute(
            "aria-pressed", "true"
        )
    page.reload()
    expect(page.locator("main")).to_contain_text(f"{count - 1} present, 1 absent")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.console_errors == []


def test_absence_is_reported_and_a_substitute_confirmed(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, demo_site, "docent@leerorkest.example")
    open_menu_item(page, "Report absence")
    assert page.evaluate(A11Y_PROBE) == []
    # The demo teacher teaches on today's weekday in Amsterdam (Friday at the weekend): next
    # week's lessons need cover.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    music_day = today - timedelta(days=max(0, today.weekday() - 4))
    day = (music_day + timedelta(days=7)).isoformat()
    page.get_by_label("First day").fill(day)
    page.get_by_label("Last day").fill(day)
    page.get_by_label("Ill").check()
    page.locator("main").get_by_role("button", name="Report absence").click()
    page.wait_for_load_state()
    expect(page.locator(".message.success")).to_contain_text("need")

    page.context.clear_cookies()
    log_in(page, demo_site, "coordinator@leerorkest.example")
    open_menu_item(page, "Cover")
    expect(page.get_by_role("button", name=re.compile(r"^Confirm ")).first).to_be_visible()
    assert page.evaluate(A11Y_PROBE) == []
    page.get_by_role("button", name=re.compile(r"^Confirm ")).first.click()
    page.wait_for_load_state()
    expect(page.locator(".message.success")).to_contain_text("both teachers have been e-mailed")
    assert page.console_errors == []
