"""Browser journey: a coordinator logs in to the demo site, sees the home page, switches to
English and logs out. Runs the real `leerorkest demo` server and Debian's Chromium.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = pytest.mark.browser


def browser_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"REQUIRE_BROWSER is set but there is no browser at {CHROMIUM}")
    pytest.skip(f"no browser at {CHROMIUM}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    browser_or_skip()
    var = tmp_path_factory.mktemp("demo-var")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env["VAR_DIR"] = str(var)
    yield from serve(
        [sys.executable, "-m", "leerorkest.cli", "demo", "--port", str(port)], port, var, env
    )


def serve(command: list[str], port: int, var, env: dict):
    """Start a server process, yield its address once /healthz answers 200, stop it after."""
    log = (var / "server.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 420  # the demo build, on a busy machine
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("server did not start:\n" + (var / "server.log").read_text())
        time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture
def page(demo_site, request):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_or_skip(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
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


def test_coordinator_logs_in_switches_language_and_logs_out(page, demo_site):
    from playwright.sync_api import expect

    page.goto(demo_site + "/")
    # Not logged in: the Dutch login page.
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_label("E-mailadres").fill("coordinator@leerorkest.example")
    page.get_by_label("Wachtwoord").fill("leerorkest-demo")
    page.locator("main").get_by_role("button", name="Inloggen").click()

    # Home page in Dutch with the coordinator's figures and navigation (behind the menu button
    # on a phone).
    page.wait_for_url(demo_site + "/")
    assert page.locator("h1").inner_text().startswith("Welkom")
    assert page.locator(".figure").count() >= 3
    page.get_by_role("button", name="Menu").click()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link", name="Auditlog").is_visible()

    # The member list filters as the coordinator types (htmx), without leaving the page.
    nav.get_by_role("link", name="Onze organisatie").click()
    page.wait_for_load_state()
    rows = page.locator("#members tbody tr")
    assert rows.count() == 50
    page.get_by_label("Naam of e-mailadres").fill("docent17@")
    expect(rows).to_have_count(1)
    assert "docent17@leerorkest.example" in rows.first.inner_text()
    assert "q=docent17" in page.url

    # Switch to English (on a phone the switch sits behind the menu button).
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    # Back on the same page, now in English.
    assert page.url.endswith("/accounts/organisations/1/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Members").is_visible()
    page.goto(demo_site + "/")
    assert page.locator("h1").inner_text().startswith("Welcome")
    page.get_by_role("button", name="Menu").click()
    assert (
        page.get_by_role("navigation", name="Main navigation")
        .get_by_role("link", name="Audit trail")
        .is_visible()
    )

    # Log out: back to the login page, the home page is closed again.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto(demo_site + "/")
    assert "/accounts/login/" in page.url
    assert page.console_errors == []


A11Y_PROBE = """
() => {
  const problems = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`))
      || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push('unlabelled ' + (el.name || el.outerHTML.slice(0, 60)));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    if (!(el.innerText || el.getAttribute('aria-label') || '').trim()) {
      problems.push('nameless ' + el.outerHTML.slice(0, 60));
    }
  }
  for (const img of document.querySelectorAll('img:not([alt])')) problems.push('no alt ' + img.src);
  if (!document.documentElement.lang) problems.push('no lang');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not one h1');
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (el.clientWidth > 0 && style.overflowX === 'visible' && style.display !== 'inline'
        && el.scrollWidth > el.clientWidth + 1 && !el.closest('.table-wrap')) {
      problems.push('text overflows ' + el.outerHTML.slice(0, 60));
    }
  }
  if (document.scrollingElement.scrollWidth > window.innerWidth) {
    problems.push('horizontal scroll: ' + document.scrollingElement.scrollWidth);
  }
  return problems;
}
"""


@pytest.mark.parametrize(
    ("email", "paths"),
    [
        ("coordinator@leerorkest.example", ["/", "/accounts/profile/", "/accounts/audit/"]),
        (
            "beheer@leerorkest.example",
            ["/", "/accounts/organisations/", "/accounts/organisations/new/"],
        ),
        ("icc@leerorkest.example", ["/"]),
    ],
)
def test_pages_meet_accessibility_basics_on_a_phone(page, demo_site, email, paths):
    page.goto(demo_site + "/accounts/login/")
    assert page.evaluate(A11Y_PROBE) == []
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("leerorkest-demo")
    page.locator("main").get_by_role("button", name="Inloggen").click()
    page.wait_for_url(demo_site + "/")
    for path in paths:
        page.goto(demo_site + path)
        assert page.evaluate(A11Y_PROBE) == [], path
    # The first Tab lands on the skip link, and following it moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.console_errors == []
