"""Browser journeys on a 360 px phone: the demo teacher opens today's groups from the menu; the
coordinator looks at teachers and ticks off an event's checklist (htmx, under the strict CSP).
"""

import re

import pytest

from tests.test_browser_journey import A11Y_PROBE, demo_site, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def log_in(page, demo_site, email):  # noqa: F811 - the fixture, passed on
    page.goto(demo_site + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("leerorkest-demo")
    page.locator("main").get_by_role("button", name="Inloggen").click()
    page.wait_for_url(demo_site + "/")


def test_teacher_opens_todays_groups_on_a_phone(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    assert page.viewport_size["width"] == 360
    log_in(page, demo_site, "docent@leerorkest.example")

    # "My groups" sits in the menu, behind the menu button on a phone.
    page.get_by_role("button", name="Menu").click()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.locator('a[href="/my/groups/"]').click()
    page.wait_for_url(demo_site + "/my/groups/")

    # The first day shown is today (on a weekday: the demo teacher has groups at a school whose
    # music day is today), with its groups open and the pupils' names readable.
    first_day = page.locator("section.day").first
    if page.evaluate("new Date().getDay() % 6 !== 0"):  # Monday to Friday
        expect(first_day).to_have_class(re.compile(r"\btoday\b"))
    cards = first_day.locator(".group-card")
    assert cards.count() >= 1
    names = cards.first.locator(".pupil-name")
    expect(names.first).to_be_visible()
    assert names.count() >= 2
    assert all(name.strip() for name in names.all_inner_texts())
    # Names and classes only: no dates of birth (dd-mm-yyyy) anywhere in the pupil lists.
    pupils_text = " ".join(page.locator(".pupils").all_inner_texts())
    assert not re.search(r"\b\d{1,2}-\d{1,2}-(19|20)\d\d\b", pupils_text)

    # Nothing overflows a 360 px screen; every control has a label.
    assert page.evaluate(A11Y_PROBE) == []

    # One group's own page, e.g. to read the list out in the lesson.
    title = cards.first.locator("h3 a")
    group_name = title.inner_text()
    title.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == group_name
    expect(page.locator(".pupil-name").first).to_be_visible()
    assert page.evaluate(A11Y_PROBE) == []
    assert page.console_errors == []


def test_coordinator_ticks_off_the_checklist_on_a_phone(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, demo_site, "coordinator@leerorkest.example")
    for path in ("/teachers/", "/teachers/?vog=attention", "/partners/", "/events/"):
        page.goto(demo_site + path)
        assert page.evaluate(A11Y_PROBE) == [], path

    # The first teacher's profile and edit form fit a phone too.
    page.goto(demo_site + "/teachers/")
    page.locator("#results tbody a").first.click()
    page.wait_for_load_state()
    assert page.evaluate(A11Y_PROBE) == [], page.url
    page.goto(page.url + "edit/")
    assert page.evaluate(A11Y_PROBE) == [], page.url

    # The next event: tick off a checklist line without reloading the page (htmx).
    page.goto(demo_site + "/events/")
    page.locator("#results tbody a").first.click()
    page.wait_for_load_state()
    event_url = page.url
    assert page.evaluate(A11Y_PROBE) == [], event_url
    page.evaluate("window.__same_page = true")
    task = page.locator("#checklist .task-toggle").first
    label = task.locator(".task-label").inner_text()
    before = task.get_attribute("aria-pressed")
    task.click()
    toggled = page.locator("#checklist .task-toggle", has_text=label).first
    expect(toggled).to_have_attribute("aria-pressed", "false" if before == "true" else "true")
    assert page.evaluate("window.__same_page === true")  # no full page load happened
    page.reload()
    expect(page.locator("#checklist .task-toggle", has_text=label).first).to_have_attribute(
        "aria-pressed", "false" if before == "true" else "true"
    )

    # The organiser's list of children without photo consent, printable and readable on a phone.
    page.goto(event_url + "no-photo-consent/")
    assert page.evaluate(A11Y_PROBE) == []
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")
    assert page.console_errors == []
