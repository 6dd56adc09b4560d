"""Browser journeys for the learning line and the knowledge site, each on a live server inside
the test (real Chromium; skips without a browser unless REQUIRE_BROWSER is set):

- a teacher records a lesson group's progress for the term on a tablet (768 x 1024);
- a professional of another programme registers, confirms the address from the e-mail, sends in
  material with a PDF, and the public finds it only after an editor approved it.
"""

import re
from contextlib import contextmanager
from itertools import cycle

import pytest
from django.core import mail
from django.urls import reverse

from leerorkest.accounts.roles import Role
from leerorkest.curriculum import actions as curriculum
from leerorkest.curriculum.models import GoalKind, ProgressRecord
from leerorkest.curriculum.progress import current_term
from leerorkest.curriculum.tests.builders import build_line
from leerorkest.knowledge.models import Contributor, Material, MaterialStatus
from leerorkest.knowledge.pdf import tiny_pdf
from leerorkest.knowledge.tests.builders import make_contributor, make_editor
from leerorkest.testing import make_member, make_user
from tests.access_teachers import build_lesson_group, build_teacher
from tests.test_browser_journey import A11Y_PROBE, ARTIFACTS, browser_or_skip

pytestmark = pytest.mark.browser

# The page itself never scrolls sideways; wide tables scroll inside their own box.
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# The classes of the elements in <main> that scroll their content sideways.
SIDEWAYS_SCROLLERS = """
() => [...document.querySelectorAll('main *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1
    && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .map(el => el.className)
"""
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 360, "height": 740}
TITLE = "Ritmespel met bekers voor groep 5"


def _session_cookie(user) -> str:
    from django.test import Client

    visitor = Client()
    visitor.force_login(user)
    return visitor.cookies["sessionid"].value


@contextmanager
def _browser(request):
    """Chromium with a `new_page(viewport, session=None)` helper: each page its own context (its
    own cookies and HTTP cache), English, console errors collected in `page.console_errors`.
    On a failure the last page's screenshot goes to test-artifacts/.

    Playwright's sync API runs an event loop in this thread, so the ORM cannot be used inside
    the block: build the data and the session cookies before, check the database after."""
    from playwright.sync_api import sync_playwright
    from pytest_django.live_server_helper import LiveServer

    chromium = browser_or_skip()
    # Started here rather than as the `live_server` fixture, so that its middleware reads the
    # test settings (plain http, see conftest.py).
    server = LiveServer("localhost:0")
    pages = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
            )

            def new_page(viewport, session=None):
                context = browser.new_context(viewport=viewport, accept_downloads=True)
                cookies = [{"name": "leerorkest_language", "value": "en", "url": server.url}]
                if session is not None:
                    cookies.append({"name": "sessionid", "value": session, "url": server.url})
                context.add_cookies(cookies)
                page = context.new_page()
                page.console_errors = []
                page.on(
                    "console",
                    lambda m: page.console_errors.append(m.text) if m.type == "error" else None,
                )
                pages.append(page)
                return page

            try:
                yield server.url, new_page
            except BaseException:
                if pages:
                    ARTIFACTS.mkdir(exist_ok=True)
                    pages[-1].screenshot(
                        path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True
                    )
                raise
            finally:
                browser.close()
    finally:
        server.stop()


# --- A teacher records progress on a tablet ---------------------------------------------------


# A live server needs committed data; serialized_rollback keeps the migrations' reference rows
# (content types, catalogue) with their ids for the tests after this one in the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_teacher_records_progress_for_a_lesson_group_on_a_tablet(personas, request):
    """The whole group in one save: a milestone and a status per goal of the groep for each
    child; the grid scrolls sideways inside its own box, never the page."""
    from playwright.sync_api import expect

    programme, coordinator = personas.organisation, personas.owner
    line = build_line(
        programme, coordinator, publish=False, year_groups=(5, 6), instruments=("violin", "cello")
    )
    # Six goals for groep 5: the grid is wider than the tablet.
    for number, kind in enumerate(GoalKind.values, start=4):
        curriculum.add_goal(
            line=line,
            year_group=5,
            kind=kind,
            code=f"{kind[0].upper()}5.{number}",
            text=f"Extra goal {number} of groep 5, with a longer description",
            by=coordinator,
        )
    curriculum.publish_line(line=line, by=coordinator)
    goals = list(line.goals.filter(year_group=5).order_by("order", "code"))
    milestones = list(line.milestones.filter(instrument__code="violin").order_by("order"))
    assert len(goals) == 6 and len(milestones) == 3

    teacher_user = make_member(programme, Role.TEACHER)
    teacher = build_teacher(programme, user=teacher_user)
    group = build_lesson_group(programme, teacher=teacher, pupils=5)
    pupils = list(group.pupils.order_by("pk"))
    term = current_term()
    statuses = cycle(["mastered", "developing", "not_yet", "mastered", ""])
    # What the teacher chooses: child n reaches milestone n % 3 (the first "before milestone 1").
    chosen = {}
    for n, pupil in enumerate(pupils):
        milestone = milestones[n % 3 - 1] if n % 3 else None
        chosen[pupil.pk] = (milestone, {goal.pk: next(statuses) for goal in goals})

    url = reverse("curriculum:progress_grid", args=[group.pk])
    session = _session_cookie(teacher_user)
    with _browser(request) as (base, new_page):
        page = new_page(TABLET, session)
        page.goto(base + url)
        expect(page.locator("h1")).to_contain_text(group.name)
        rows = page.locator("table.progress-grid tbody tr")
        expect(rows).to_have_count(5)
        # Only the groep's goals: six status columns, plus pupil, milestone and note.
        expect(page.locator("table.progress-grid thead th")).to_have_count(6 + 3)
        assert page.evaluate(A11Y_PROBE) == []
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        # The grid is wider than the tablet and scrolls in its own box, nothing else does.
        assert page.evaluate(SIDEWAYS_SCROLLERS) == ["table-wrap grid-wrap"]

        for pupil in pupils:
            milestone, goal_statuses = chosen[pupil.pk]
            page.locator(f'select[name="m-{pupil.pk}"]').select_option(
                str(milestone.pk) if milestone else ""
            )
            for goal_pk, status in goal_statuses.items():
                # The last goal columns sit off screen: Playwright scrolls the grid to them.
                page.locator(f'select[name="g-{pupil.pk}-{goal_pk}"]').select_option(status)
        page.locator(f'input[name="n-{pupils[0].pk}"]').fill("Strijkt al mooi recht")
        # To reach the note column the grid scrolled in its box; the page stayed put.
        assert page.locator(".grid-wrap").evaluate("el => el.scrollLeft") > 0
        assert page.evaluate("() => window.scrollX") == 0
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.get_by_role("button", name=f"Save term {term}").click()

        page.wait_for_url(f"**{url}?term={term}")
        expect(page.locator(".message.success")).to_contain_text(f"Progress saved for term {term}")
        # The saved choices show again.
        first = pupils[0]
        expect(page.locator(f'input[name="n-{first.pk}"]')).to_have_value("Strijkt al mooi recht")
        for goal_pk, status in chosen[first.pk][1].items():
            expect(page.locator(f'select[name="g-{first.pk}-{goal_pk}"]')).to_have_value(status)
        assert page.evaluate(A11Y_PROBE) == []
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert page.console_errors == []

    records = ProgressRecord.objects.filter(lesson_group=group).prefetch_related("goals")
    assert sorted(r.pupil_id for r in records) == [p.pk for p in pupils]  # one per child
    for record in records:
        milestone, goal_statuses = chosen[record.pupil_id]
        assert (record.term, record.school_year_id) == (term, group.school_year_id)
        assert record.instrument_id == group.instrument_id
        assert record.milestone_id == (milestone.pk if milestone else None)
        assert record.recorded_by_id == teacher_user.pk
        # An unassessed goal ("–") stores no status.
        assert {s.goal_id: s.status for s in record.goals.all()} == {
            pk: status for pk, status in goal_statuses.items() if status
        }
    assert records.get(pupil=pupils[0]).note == "Strijkt al mooi recht"


# --- Material from another programme appears only after review --------------------------------


def _search(page, base, words):
    """A visitor's search; returns the result cards."""
    page.goto(base + reverse("knowledge:material_list"))
    page.locator("#material-q").fill(words)
    page.locator("#material-q").press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=Ritmespel"))
    page.locator("#results .result-count").wait_for()
    return page.locator("#results .material-card")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_material_from_another_programme_is_public_only_after_review(request, settings, tmp_path):
    from playwright.sync_api import expect

    editor = make_editor(make_user(full_name="Redacteur Expertisecentrum")).user
    pdf = tmp_path / "ritmespel.pdf"
    pdf.write_bytes(tiny_pdf(TITLE))
    session = _session_cookie(editor)
    mail.outbox = []

    with _browser(request) as (base, new_page):
        # The link in the e-mail points at this server.
        settings.SITE_URL = base

        # 1. A professional of a Belgian programme registers (on a phone).
        page = new_page(PHONE)
        page.goto(base + reverse("knowledge:register"))
        assert page.evaluate(A11Y_PROBE) == []
        page.locator("#id_full_name").fill("Els Peeters")
        page.locator("#id_email").fill("els@muziek.example")
        page.locator("#id_password1").fill("een-lang-wachtwoord-42")
        page.locator("#id_password2").fill("een-lang-wachtwoord-42")
        page.locator("#id_organisation_name").fill("Orkest op School Gent")
        page.locator("#id_city").fill("Gent")
        page.locator("#id_country").select_option("BE")
        page.get_by_role("button", name="Register", exact=True).click()
        page.wait_for_url("**" + reverse("knowledge:register_sent"))
        expect(page.locator("h1")).to_have_text("Check your e-mail")

        # 2. The e-mail's one-time link asks to confirm; confirming logs in.
        assert [m.to for m in mail.outbox] == [["els@muziek.example"]]
        link = re.search(r"https?://\S+/knowledge/verify/[^/\s]+/", mail.outbox[0].body).group(0)
        assert link.startswith(base)
        page.goto(link)
        expect(page.locator("main")).to_contain_text("els@muziek.example")
        assert page.evaluate(A11Y_PROBE) == []
        page.get_by_role("button", name="Confirm my address").click()
        page.wait_for_url("**" + reverse("knowledge:my_materials"))
        expect(page.locator(".message.success")).to_contain_text("Your e-mail address is confirmed")

        # 3. Share a lesson plan with a small PDF and send it to the editors.
        page.get_by_role("link", name="Share new material").click()
        page.wait_for_url("**" + reverse("knowledge:material_create"))
        # The form's layout on a phone is checked by test_the_material_form_fits_a_phone.
        page.locator("#id_title").fill(TITLE)
        page.locator("#id_summary").fill("Een ritmespel met plastic bekers voor de hele klas.")
        page.locator("#id_kind").select_option("lesson_plan")
        page.locator("#id_licence").select_option("cc_by")
        page.locator('input[name="year_groups"][value="5"]').check()
        page.locator("#id_files").set_input_files(str(pdf))
        page.get_by_role("button", name="Send to the editors").click()
        page.wait_for_url("**" + reverse("knowledge:my_materials"))
        expect(page.locator(".message.success")).to_contain_text("the editors will review")
        mine = page.locator("main table tbody tr")
        expect(mine).to_have_count(1)
        expect(mine.locator(".status-submitted")).to_have_count(1)
        detail = mine.get_by_role("link", name=TITLE).get_attribute("href")
        assert detail.startswith("/knowledge/materials/ritmespel")
        assert page.console_errors == []

        # 4. A visitor finds nothing yet, and the address of the material is not there.
        visitor = new_page(PHONE)
        cards = _search(visitor, base, "Ritmespel bekers")
        expect(cards).to_have_count(0)
        expect(visitor.locator("#results")).to_contain_text("0 materials found")
        assert visitor.console_errors == []
        response = visitor.goto(base + detail)
        assert response.status == 404
        expect(visitor.locator("h1")).to_be_visible()
        # The only console error is the 404 of that page itself.
        assert [e for e in visitor.console_errors if "404" not in e] == []

        # 5. An editor of the Expertisecentrum approves it from the review queue.
        desk = new_page(TABLET, session)
        desk.goto(base + reverse("knowledge:review_queue"))
        assert desk.evaluate(A11Y_PROBE) == []
        desk.get_by_role("link", name=TITLE).click()
        desk.wait_for_url(re.compile(r"/knowledge/review/\d+/$"))
        expect(desk.locator("h1")).to_have_text(TITLE)
        expect(desk.locator(".file-list")).to_contain_text(".pdf")
        assert desk.evaluate(A11Y_PROBE) == []
        desk.get_by_role("button", name="Approve and publish").click()
        desk.wait_for_url("**" + reverse("knowledge:review_queue"))
        expect(desk.locator(".message.success")).to_contain_text("Published")
        expect(desk.locator("main")).to_contain_text("Nothing is waiting for review.")
        assert desk.console_errors == []

        # 6. Now a visitor finds it, opens it and downloads the PDF. (A fresh visitor: public
        # pages may be kept for five minutes by caches, the visitor's own browser included.)
        visitor = new_page(PHONE)
        cards = _search(visitor, base, "Ritmespel bekers")
        expect(cards).to_have_count(1)
        expect(cards.first).to_contain_text("Orkest op School Gent")
        assert visitor.evaluate(A11Y_PROBE) == []
        cards.first.locator("h3 a").click()
        visitor.wait_for_url("**" + detail)
        expect(visitor.locator("h1")).to_have_text(TITLE)
        assert visitor.evaluate(A11Y_PROBE) == []
        with visitor.expect_download() as info:
            visitor.locator(".file-list a").first.click()
        assert info.value.suggested_filename.endswith(".pdf")
        with open(info.value.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert visitor.console_errors == []

    contributor = Contributor.objects.get(user__email="els@muziek.example")
    assert contributor.is_verified and contributor.user.is_active
    assert (contributor.country, contributor.organisation_name) == ("BE", "Orkest op School Gent")
    material = Material.objects.get()
    assert material.title == TITLE and material.submitted_by == contributor.user
    assert material.organisation_name == "Orkest op School Gent"
    assert material.year_groups == [5]
    assert [f.kind for f in material.files.all()] == ["pdf"]
    assert material.status == MaterialStatus.PUBLISHED
    assert material.reviewed_by == editor
    assert material.download_count == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_material_form_fits_a_phone(request):
    """A contributor opens the material form on a 360 px phone: every field labelled, nothing
    wider than the page."""
    session = _session_cookie(make_contributor().user)
    with _browser(request) as (base, new_page):
        page = new_page(PHONE, session)
        page.goto(base + reverse("knowledge:material_create"))
        page.locator("#id_title").wait_for()
        assert page.evaluate(A11Y_PROBE) == []
