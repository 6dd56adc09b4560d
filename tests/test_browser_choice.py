"""Browser journey: a coordinator runs the instrument assignment of a school's groep 5 in the
demo, sees the counts, overrides one child, sees the override kept by the next run, and forms
the lesson groups."""

import re

import pytest

from tests.test_browser_journey import A11Y_PROBE, demo_site, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_coordinator_assigns_instruments_and_overrides_one_child(page, demo_site):  # noqa: F811
    from playwright.sync_api import expect

    # In English, so the journey does not depend on the Dutch translations of these pages.
    page.context.add_cookies([{"name": "leerorkest_language", "value": "en", "url": demo_site}])
    page.goto(demo_site + "/accounts/login/")
    page.get_by_label("E-mail address").fill("coordinator@leerorkest.example")
    page.get_by_label("Password").fill("leerorkest-demo")
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(demo_site + "/")

    # Instrument choice from the menu: the programme's schools, groep 5 of the current year.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Instrument choice"
    ).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Instrument choice"
    assert page.get_by_label("Groep").input_value() == "5"
    schools = page.locator("#schools tbody tr")
    assert schools.count() >= 10
    assert page.evaluate(A11Y_PROBE) == []
    school_name = schools.first.locator("td").first.inner_text()
    schools.first.get_by_role("link", name=school_name).click()

    # The grid holds every child's three preferences, entered from the paper forms.
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Instrument preferences"
    rows = page.locator(".choice-grid tbody tr")
    pupils = rows.count()
    assert pupils >= 20
    first_choice = rows.first.locator("select").first
    assert first_choice.input_value() != ""
    assert page.evaluate(A11Y_PROBE) == []

    # Run the assignment: the counts of 1st, 2nd and 3rd choice and none add up to the class.
    page.get_by_role("button", name="Run the assignment").click()
    page.wait_for_url(re.compile(r"/result/"))
    expect(page.locator(".message.success")).to_contain_text("Instruments assigned")

    def figure(key: str) -> int:
        return int(page.locator(f'#counts [data-key="{key}"] .value').inner_text())

    counts = {key: figure(key) for key in ("first", "second", "third", "none")}
    assert sum(counts.values()) == pupils
    assert counts["first"] > pupils // 2
    assert figure("overridden") == 0
    assert page.evaluate(A11Y_PROBE) == []

    # Override one child: the select saves at once (htmx), the row shows it was done by hand.
    row = page.locator(".choice-result tbody tr").first
    row_id = row.get_attribute("id")
    assigned_before = row.locator("td.assigned").inner_text()
    select = row.locator("select")
    options = select.locator("option")
    labels = [options.nth(n).inner_text() for n in range(options.count())]
    values = [options.nth(n).get_attribute("value") for n in range(options.count())]
    target = next(
        (v, label)
        for v, label in zip(values, labels, strict=True)
        if v not in ("auto", "none") and not assigned_before.startswith(label)
    )
    select.select_option(target[0])
    overridden = page.locator(f"#{row_id}")
    expect(overridden.locator("td.assigned")).to_contain_text("by hand")
    expect(overridden.locator("td.assigned")).to_contain_text(target[1])
    expect(page.locator('#counts [data-key="overridden"] .value')).to_have_text("1")

    # Running again keeps the override.
    page.get_by_role("button", name="Run the assignment again").click()
    page.wait_for_load_state()
    expect(page.locator(".message.success")).to_contain_text("Instruments assigned")
    kept = page.locator(f"#{row_id}")
    expect(kept.locator("td.assigned")).to_contain_text(target[1])
    expect(kept.locator("td.assigned")).to_contain_text("by hand")
    assert kept.locator("select").input_value() == target[0]
    assert figure("overridden") == 1

    # Form the lesson groups from the assignment: every child is placed.
    page.get_by_role("button", name="Form lesson groups").click()
    page.wait_for_url(re.compile(r"/lesson-groups/"))
    expect(page.locator(".message.success")).to_contain_text(f"{pupils} pupils placed")
    groups = page.locator("#groups tbody tr")
    assert groups.count() >= 4
    assert all(school_name in text for text in groups.all_inner_texts())
    assert page.evaluate(A11Y_PROBE) == []
    groups.first.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Pupils").is_visible()
    assert page.evaluate(A11Y_PROBE) == []
    assert page.console_errors == []
