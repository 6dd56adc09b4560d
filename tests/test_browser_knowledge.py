"""Browser journey on the knowledge site: a visitor (no account) searches, filters with htmx,
opens a material and downloads its file. Runs a real server on a fresh database that holds the
knowledge site's demo data, and Debian's Chromium; skips without a browser."""

import os
import re
import sys

import pytest

from tests.test_browser_journey import A11Y_PROBE, ARTIFACTS, browser_or_skip, free_port, serve

pytestmark = pytest.mark.browser

SERVER = """
import os, random, sys
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from leerorkest.demo.build import SCALES, Demo
from leerorkest.demo.knowledge import step_knowledge
call_command("migrate", verbosity=0)
demo = Demo(scale=SCALES["amsterdam"], rng=random.Random(1), password_hash=make_password("x"))
step_knowledge(demo)
call_command("runserver", sys.argv[1], use_reloader=False, skip_checks=True)
"""


@pytest.fixture(scope="module")
def knowledge_site(tmp_path_factory):
    browser_or_skip()
    var = tmp_path_factory.mktemp("knowledge-var")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        VAR_DIR=str(var),
        DEBUG="true",
        TASK_BACKEND="immediate",
        TWO_FACTOR_REQUIRED="false",
        DJANGO_SETTINGS_MODULE="leerorkest.settings",
    )
    yield from serve([sys.executable, "-c", SERVER, f"127.0.0.1:{port}"], port, var, env)


@pytest.fixture
def page(knowledge_site, request):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_or_skip(),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="nl-NL", accept_downloads=True
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors
        yield page
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


def test_a_visitor_searches_filters_and_downloads(page, knowledge_site):
    from playwright.sync_api import expect

    # Selectors use ids and names, not labels: the Dutch labels are added later.
    page.goto(knowledge_site + "/knowledge/")
    assert page.evaluate(A11Y_PROBE) == []
    page.locator("#home-q").fill("vioolles groep 6")
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/knowledge/materials/?q=vioolles+groep+6")
    cards = page.locator("#results .material-card")
    expect(cards.first).to_contain_text("Vioolles voor groep 6: streken")
    assert page.evaluate(A11Y_PROBE) == []

    # Filters update the results in place (htmx) and keep the address shareable.
    page.locator("#material-q").fill("")
    expect(page).to_have_url(re.compile(r"\?q=&"))
    page.locator("#material-kind").select_option("lesson_plan")
    expect(page).to_have_url(re.compile(r"kind=lesson_plan"))
    expect(cards).to_have_count(20)  # a full page of lesson plans
    page.locator("#material-groep").select_option("6")
    expect(page).to_have_url(re.compile(r"groep=6"))
    page.locator("#material-instrument").select_option("violin")
    expect(page).to_have_url(re.compile(r"instrument=violin"))
    expect(cards).to_have_count(1)

    link = cards.first.locator("h3 a")
    assert link.get_attribute("href") == "/knowledge/materials/vioolles-voor-groep-6-streken/"
    link.click()
    page.wait_for_url("**/knowledge/materials/vioolles-voor-groep-6-streken/")
    expect(page.locator(".licence")).to_have_count(1)
    assert page.evaluate(A11Y_PROBE) == []
    with page.expect_download() as info:
        page.locator(".file-list a").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert page.console_errors == []
