"""Registers: one tap per child saves a mark and records the lesson as given; nobody disappears
from a register; only the lesson's teacher and the programme's coordinators reach it; the
teacher's "Today" and the coordinator's "Registers today"."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.privacy.actions import erase_pupil
from leerorkest.programme.models import EnsembleMember, LessonGroupMember
from leerorkest.schools.models import Pupil
from leerorkest.testing import make_class, make_member, make_organisation, make_pupil
from leerorkest.timetable import attendance
from leerorkest.timetable.models import AttendanceMark, LessonDate, PlannedLesson
from leerorkest.timetable.tests.builders import Week, published_week
from tests.access_teachers import build_lesson_group, build_school, current_year

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording of the pages and messages."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def week(personas) -> Week:
    return published_week(personas.organisation, owner=personas.owner, teacher_user=personas.member)


def on(week: Week, index: int, day: date) -> LessonDate:
    """The week's lesson `index` (0, 1: groups at 09:00 and 10:00; 2: orchestra at 11:00) on
    `day`, created when the published week has no date there (a weekend, say)."""
    lesson = week.lessons[index]
    found, _created = LessonDate.objects.get_or_create(
        planned=lesson,
        date=day,
        defaults={
            "organisation": week.timetable.organisation,
            "starts_at": lesson.starts_at,
            "minutes": lesson.minutes,
            "teacher": lesson.teacher,
        },
    )
    return found


def today() -> date:
    return timezone.localdate()


def pupils_of(group) -> list[Pupil]:
    return list(Pupil.objects.filter(lesson_groups=group).order_by("surname", "given_name"))


def register_url(lesson_date) -> str:
    return reverse("timetable:register", args=[lesson_date.pk])


def mark_url(lesson_date, pupil) -> str:
    return reverse("timetable:register_mark", args=[lesson_date.pk, pupil.pk])


# --- One tap --------------------------------------------------------------------------------


def test_one_tap_saves_the_mark_and_records_the_lesson_as_given(client, personas, week):
    lesson = on(week, 0, today())
    child = pupils_of(week.groups[0])[0]
    client.force_login(personas.member)

    page = client.get(register_url(lesson))
    assert page.status_code == 200
    html = page.content.decode()
    assert child.full_name in html
    assert html.count('name="status"') == 4 * 3  # four buttons for each of the three children
    assert "Register not taken yet." in html

    response = client.post(mark_url(lesson, child), {"status": "late"}, headers=HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    # The child's line comes back with "late" pressed, and the register's state out of band.
    assert f'id="pupil-{child.pk}"' in row
    assert 'value="late" class="mark-late" aria-pressed="true"' in row
    assert 'value="present" class="mark-present secondary" aria-pressed="false"' in row
    assert 'id="register-state"' in row and 'hx-swap-oob="true"' in row
    assert "2 still to mark" in row

    saved = AttendanceMark.objects.get(lesson_date=lesson, pupil=child)
    assert saved.status == AttendanceMark.Status.LATE
    assert saved.marked_by == personas.member
    lesson.refresh_from_db()
    assert lesson.status == LessonDate.Status.GIVEN
    assert lesson.register_taken_by == personas.member
    assert lesson.register_taken_at is not None


def test_without_javascript_a_tap_is_a_form_post_and_a_redirect(client, personas, week):
    lesson = on(week, 0, today())
    child = pupils_of(week.groups[0])[1]
    client.force_login(personas.member)
    response = client.post(mark_url(lesson, child), {"status": "absent"})
    assert response.status_code == 302
    assert response["Location"] == register_url(lesson) + f"#pupil-{child.pk}"
    assert AttendanceMark.objects.get(lesson_date=lesson, pupil=child).status == "absent"
    page = client.get(response["Location"])
    assert 'value="absent" class="mark-absent" aria-pressed="true"' in page.content.decode()


def test_a_mark_can_be_changed_and_the_change_is_kept_in_the_trail(client, personas, week):
    lesson = on(week, 0, today())
    child = pupils_of(week.groups[0])[0]
    client.force_login(personas.member)
    client.post(mark_url(lesson, child), {"status": "absent"}, headers=HTMX)
    lesson.refresh_from_db()
    taken_at = lesson.register_taken_at

    # The coordinator corrects it: the child came late after all.
    client.force_login(personas.owner)
    client.post(mark_url(lesson, child), {"status": "late"}, headers=HTMX)
    marks = AttendanceMark.objects.filter(lesson_date=lesson, pupil=child)
    assert [(m.status, m.marked_by) for m in marks] == [("late", personas.owner)]
    lesson.refresh_from_db()
    # The register was taken by the teacher, when the first mark was saved.
    assert (lesson.register_taken_at, lesson.register_taken_by) == (taken_at, personas.member)
    change = AuditEvent.objects.get(action="timetable.mark_changed")
    assert change.actor == personas.owner
    assert change.details["pupil_ids"] == [child.pk]
    assert child.full_name not in str(change.details) + change.object_repr


def test_an_unknown_mark_is_refused(client, personas, week):
    lesson = on(week, 0, today())
    child = pupils_of(week.groups[0])[0]
    with pytest.raises(DomainError, match="Choose present, absent, late or excused"):
        attendance.mark(lesson, child, "asleep", personas.member)
    client.force_login(personas.member)
    response = client.post(mark_url(lesson, child), {"status": "asleep"})
    assert response.status_code == 302
    assert not AttendanceMark.objects.exists()
    lesson.refresh_from_db()
    assert lesson.status == LessonDate.Status.PLANNED and lesson.register_taken_at is None


def test_everyone_present_marks_the_rest_and_keeps_the_taps(client, personas, week):
    lesson = on(week, 0, today())
    first, second, third = pupils_of(week.groups[0])
    Pupil.objects.filter(pk=third.pk).update(left_on=today() - timedelta(days=3))
    client.force_login(personas.member)
    client.post(mark_url(lesson, first), {"status": "absent"}, headers=HTMX)

    response = client.post(
        reverse("timetable:register_all_present", args=[lesson.pk]), headers=HTMX
    )
    assert response.status_code == 200
    assert "1 pupil marked present." in response.content.decode()
    marks = dict(
        AttendanceMark.objects.filter(lesson_date=lesson).values_list("pupil_id", "status")
    )
    # The tap stays; the child who left the programme before the lesson is left to the teacher.
    assert marks == {first.pk: "absent", second.pk: "present"}
    assert f'id="pupil-{third.pk}"' in response.content.decode()

    again = client.post(reverse("timetable:register_all_present", args=[lesson.pk]))
    assert again.status_code == 302
    assert (
        "Everyone on the register has a mark already."
        in client.get(again["Location"]).content.decode()
    )


# --- Nobody disappears ----------------------------------------------------------------------


def test_pupils_who_left_after_being_marked_still_show_with_a_note(client, personas, week):
    lesson = on(week, 0, today() - timedelta(days=7))
    moved, left, erased = pupils_of(week.groups[0])
    for child in (moved, left, erased):
        attendance.mark(lesson, child, "present", personas.member)
    # One child moves to the other group, one leaves the programme, one is erased since.
    LessonGroupMember.objects.filter(pupil=moved).update(group=week.groups[1])
    LessonGroupMember.objects.filter(pupil=left).delete()
    Pupil.objects.filter(pk=left.pk).update(left_on=today() - timedelta(days=2))
    erase_pupil(pupil=erased, by=personas.owner)
    erased.refresh_from_db()
    assert erased.given_name == "Leerling"

    client.force_login(personas.member)
    html = client.get(register_url(lesson)).content.decode()
    for child in (moved, left, erased):
        assert f'id="pupil-{child.pk}"' in html
    assert moved.full_name in html and left.full_name in html
    assert erased.full_name in html  # the pseudonym, as everywhere else
    assert html.count("No longer in this lesson group") == 2
    assert "Left the programme on" in html
    # And they can still be corrected.
    response = client.post(mark_url(lesson, moved), {"status": "excused"}, headers=HTMX)
    assert response.status_code == 200
    assert AttendanceMark.objects.get(lesson_date=lesson, pupil=moved).status == "excused"


def test_a_new_member_shows_on_registers_already_taken(client, personas, week):
    lesson = on(week, 0, today() - timedelta(days=7))
    attendance.mark_all_present(lesson, personas.member)
    newcomer = make_pupil(
        make_class(week.school, year_group=5, school_year=current_year(), name="5Z")
    )
    LessonGroupMember.objects.create(group=week.groups[0], pupil=newcomer)

    rows = attendance.register_pupils(lesson)
    assert [r.pk for r in rows if r.mark is None] == [newcomer.pk]
    assert attendance.count(rows).unmarked == 1
    client.force_login(personas.member)
    html = client.get(register_url(lesson)).content.decode()
    assert newcomer.full_name in html and "1 still to mark" in html


def test_an_orchestra_register_lists_its_playing_members(client, personas, week):
    lesson = on(week, 2, today() - timedelta(days=7))
    playing = EnsembleMember.objects.filter(
        ensemble=week.orchestra, status=EnsembleMember.Status.ACTIVE
    )
    gone = EnsembleMember.objects.get(ensemble=week.orchestra, status="left")
    latecomer = playing.first()
    latecomer.since = timezone.now()
    latecomer.save()

    rows = {r.pk: r for r in attendance.register_pupils(lesson)}
    assert set(rows) == set(playing.values_list("pupil_id", flat=True))
    assert gone.pupil_id not in rows
    assert any(note.startswith("Joined on") for note in rows[latecomer.pupil_id].notes)
    # The date is when the membership was recorded, so the child is still marked with the rest.
    assert attendance.mark_all_present(lesson, personas.member) == len(rows) == 3
    # Someone who leaves the orchestra afterwards stays on this register.
    marked = playing.exclude(pk=latecomer.pk).first()
    EnsembleMember.objects.filter(pk=marked.pk).update(status=EnsembleMember.Status.LEFT)
    rows = {r.pk: r for r in attendance.register_pupils(lesson)}
    assert rows[marked.pupil_id].notes == ["No longer in this orchestra"]
    assert rows[marked.pupil_id].mark.status == "present"


# --- Who may open a register ----------------------------------------------------------------


def test_a_teacher_cannot_open_a_colleagues_register(client, personas, week):
    colleagues = on(week, 1, today())
    LessonDate.objects.filter(pk=colleagues.pk).update(teacher=week.colleague)
    child = pupils_of(week.groups[1])[0]
    client.force_login(personas.member)
    assert client.get(register_url(colleagues)).status_code == 404
    assert client.post(mark_url(colleagues, child), {"status": "present"}).status_code == 404
    assert (
        client.post(reverse("timetable:register_all_present", args=[colleagues.pk])).status_code
        == 404
    )
    assert not AttendanceMark.objects.exists()
    # The colleague, who gives it, can.
    client.force_login(week.colleague.user)
    assert client.get(register_url(colleagues)).status_code == 200
    # A pupil who is not on this register cannot be marked through it.
    stranger = pupils_of(week.groups[0])[0]
    assert client.post(mark_url(colleagues, stranger), {"status": "present"}).status_code == 404


def test_a_teacher_cannot_open_another_programmes_register(client, personas, week):
    other = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest West")
    other_week = published_week(other, owner=make_member(other, Role.COORDINATOR))
    theirs = on(other_week, 0, today())
    client.force_login(personas.member)
    assert client.get(register_url(theirs)).status_code == 404
    child = pupils_of(other_week.groups[0])[0]
    assert client.post(mark_url(theirs, child), {"status": "present"}).status_code == 404
    # Nor does the other programme's lesson appear on our coordinator's list.
    client.force_login(personas.owner)
    lines = client.get(reverse("timetable:registers")).context["open"]
    assert theirs.pk not in [line.lesson.pk for line in lines]


def test_the_substitute_takes_the_register_and_the_replaced_teacher_loses_it(
    client, personas, week
):
    covered = on(week, 1, today())
    LessonDate.objects.filter(pk=covered.pk).update(teacher=week.colleague, is_cover=True)
    client.force_login(personas.member)
    assert client.get(register_url(covered)).status_code == 404
    mine = client.get(reverse("timetable:today")).context["lines"]
    assert covered.pk not in [line.lesson.pk for line in mine]

    client.force_login(week.colleague.user)
    page = client.get(reverse("timetable:today"))
    assert [line.lesson.pk for line in page.context["lines"]] == [covered.pk]
    assert "You stand in for Docent Viool" in page.content.decode()
    child = pupils_of(week.groups[1])[0]
    client.post(mark_url(covered, child), {"status": "present"})
    covered.refresh_from_db()
    assert covered.register_taken_by == week.colleague.user


# --- Today ----------------------------------------------------------------------------------


def test_today_lists_the_teachers_lessons_in_time_order_with_their_state(client, personas, week):
    lessons = [on(week, index, today()) for index in (2, 0, 1)]
    cancelled = lessons[0]
    LessonDate.objects.filter(pk=cancelled.pk).update(
        status=LessonDate.Status.CANCELLED, cancel_reason="Study day"
    )
    attendance.mark(lessons[1], pupils_of(week.groups[0])[0], "present", personas.member)
    client.force_login(personas.member)

    page = client.get(reverse("timetable:today"))
    assert page.status_code == 200
    lines = page.context["lines"]
    assert [line.lesson.starts_at for line in lines] == [time(9), time(10), time(11)]
    html = page.content.decode()
    assert "Register taken" in html and "1 present, 0 absent, 0 late, 0 excused" in html
    assert "Cancelled: Study day" in html
    assert register_url(lessons[2]) in html  # 10:00, not taken yet
    assert register_url(cancelled) not in html
    assert reverse("timetable:today") in html  # the menu item


def test_today_catches_up_on_the_last_two_weeks(client, personas, week):
    last_week = on(week, 0, today() - timedelta(days=7))
    long_ago = on(week, 0, today() - timedelta(days=21))
    client.force_login(personas.member)
    page = client.get(reverse("timetable:today"))
    # The published week has all three lessons on this weekday, a week and two weeks ago.
    behind = LessonDate.objects.filter(
        teacher=week.teacher, date__range=(today() - timedelta(days=14), today() - timedelta(1))
    ).count()
    assert behind >= 3
    assert page.context["behind"] == behind
    html = page.content.decode()
    assert f"{behind} registers of the last two weeks are not taken yet" in html
    that_day = LessonDate.objects.filter(teacher=week.teacher, date=last_week.date).count()
    label = dict(page.context["days"])[last_week.date.isoformat()]
    assert label.endswith(f"({that_day} register{'s' if that_day > 1 else ''} not taken)")

    page = client.get(reverse("timetable:today"), {"day": last_week.date.isoformat()})
    assert last_week.pk in [line.lesson.pk for line in page.context["lines"]]
    # Further back than two weeks, or nonsense, is today.
    for day in (long_ago.date.isoformat(), "yesterday"):
        page = client.get(reverse("timetable:today"), {"day": day})
        assert page.context["day"] == today()


# --- The coordinator's registers ------------------------------------------------------------


def test_coordinator_sees_registers_not_taken_in_lesson_order_then_taken(client, personas, week):
    day = today()
    for index in (2, 1, 0):
        on(week, index, day)
    # A second school with a lesson at 09:00 too: same start, so ordered by school name.
    school = build_school(personas.organisation, name="Zonnebloem")
    group = build_lesson_group(personas.organisation, teacher=week.colleague, school=school)
    planned = PlannedLesson.objects.create(
        timetable=week.timetable,
        key=f"g{group.pk}",
        kind="lesson",
        lesson_group=group,
        school=school,
        title=group.name,
        teacher=week.colleague,
        weekday=day.weekday(),
        starts_at=time(9),
        minutes=45,
    )
    zon = LessonDate.objects.create(
        planned=planned,
        organisation=personas.organisation,
        date=day,
        starts_at=time(9),
        minutes=45,
        teacher=week.colleague,
    )
    assert week.school.organisation.name < "Zonnebloem"
    client.force_login(personas.owner)
    url = reverse("timetable:registers")
    page = client.get(url)
    assert page.status_code == 200
    opened = [(line.lesson.starts_at, line.school) for line in page.context["open"]]
    name = week.school.organisation.name
    assert opened == [
        (time(9), name),
        (time(9), "Zonnebloem"),
        (time(10), name),
        (time(11), name),
    ]
    assert page.context["taken"] == []
    assert reverse("timetable:registers") in page.content.decode()  # the menu item

    ten = on(week, 1, day)
    child = pupils_of(week.groups[1])[0]
    client.force_login(personas.member)
    client.post(mark_url(ten, child), {"status": "absent"}, headers=HTMX)
    client.force_login(personas.owner)
    page = client.get(url)
    assert ten.pk not in [line.lesson.pk for line in page.context["open"]]
    [taken] = page.context["taken"]
    assert (taken.lesson.pk, taken.absent, taken.present) == (ten.pk, 1, 0)
    assert zon.pk in [line.lesson.pk for line in page.context["open"]]

    # Another day through the date picker.
    earlier = on(week, 0, day - timedelta(days=7))
    page = client.get(url, {"date": earlier.date.isoformat()})
    assert next(line.lesson.pk for line in page.context["open"]) == earlier.pk


def test_the_lesson_state_follows_the_clock():
    from leerorkest.timetable.attendance_views import _phase

    lesson = LessonDate(date=date(2026, 3, 2), starts_at=time(9), minutes=45)
    assert _phase(lesson, timezone.datetime(2026, 3, 2, 8, 59)) == "upcoming"
    assert _phase(lesson, timezone.datetime(2026, 3, 2, 9, 44)) == "running"
    assert _phase(lesson, timezone.datetime(2026, 3, 2, 9, 45)) == "ended"


# --- Cancelled and future lessons -----------------------------------------------------------


def test_a_cancelled_lesson_refuses_marks_with_a_clear_message(client, personas, week):
    lesson = on(week, 0, today())
    LessonDate.objects.filter(pk=lesson.pk).update(
        status=LessonDate.Status.CANCELLED,
        cancelled_by=LessonDate.CancelledBy.SCHOOL,
        cancel_reason="School trip",
    )
    lesson.refresh_from_db()
    child = pupils_of(week.groups[0])[0]
    message = "This lesson was cancelled (School trip), so it has no register."
    client.force_login(personas.member)

    page = client.get(register_url(lesson))
    assert message in page.content.decode()
    assert 'name="status"' not in page.content.decode()

    response = client.post(mark_url(lesson, child), {"status": "present"}, follow=True)
    assert message in response.content.decode()
    response = client.post(mark_url(lesson, child), {"status": "present"}, headers=HTMX)
    # htmx gets the child's line back with the message, and no register state to swap in.
    assert message in response.content.decode()
    assert f'id="pupil-{child.pk}"' in response.content.decode()
    assert 'id="register-state"' not in response.content.decode()
    response = client.post(reverse("timetable:register_all_present", args=[lesson.pk]), follow=True)
    assert message in response.content.decode()
    with pytest.raises(DomainError, match="cancelled"):
        attendance.mark(lesson, child, "present", personas.owner)
    assert not AttendanceMark.objects.exists()
    lesson.refresh_from_db()
    assert lesson.status == LessonDate.Status.CANCELLED and lesson.register_taken_at is None


def test_a_register_opens_on_the_day_of_the_lesson(client, personas, week):
    lesson = on(week, 0, today() + timedelta(days=7))
    child = pupils_of(week.groups[0])[0]
    with pytest.raises(DomainError, match="its register opens on that day"):
        attendance.mark(lesson, child, "present", personas.member)
    client.force_login(personas.member)
    assert "its register opens on that day" in client.get(register_url(lesson)).content.decode()


# --- Audit ----------------------------------------------------------------------------------


def test_reading_a_register_is_audited(client, personas, week):
    lesson = on(week, 0, today())
    children = pupils_of(week.groups[0])
    client.force_login(personas.member)
    client.get(register_url(lesson))
    read = AuditEvent.objects.filter(action="pupil.list", actor=personas.member).get()
    assert sorted(read.details["pupil_ids"]) == sorted(c.pk for c in children)
    assert read.organisation == personas.organisation

    # A tap shows one child's line again: one more row, naming that child only.
    client.post(mark_url(lesson, children[0]), {"status": "present"}, headers=HTMX)
    rows = AuditEvent.objects.filter(action="pupil.list").order_by("pk")
    assert rows.count() == 2
    assert rows.last().details["pupil_ids"] == [children[0].pk]
    assert AuditEvent.objects.filter(action="timetable.register_taken").count() == 1
    # Lists without names (today, the coordinator's registers) write nothing.
    client.get(reverse("timetable:today"))
    client.force_login(personas.owner)
    client.get(reverse("timetable:registers"))
    assert AuditEvent.objects.filter(action="pupil.list").count() == 2


# --- On a 360 px phone ----------------------------------------------------------------------


@pytest.mark.browser
# A live server needs committed data; serialized_rollback keeps the migrations' reference rows
# (content types, catalogue) with their ids for the tests after this one in the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_teacher_takes_the_register_on_a_phone(personas):
    """Real Chromium at 360 px: nothing scrolls sideways, each tap saves without a reload
    (htmx under the strict CSP), "Everyone else present" fills in the rest."""
    from django.test import Client
    from playwright.sync_api import expect, sync_playwright
    from pytest_django.live_server_helper import LiveServer

    from tests.test_browser_journey import A11Y_PROBE, browser_or_skip

    chromium = browser_or_skip()
    # Started here rather than as the `live_server` fixture, so that its middleware reads the
    # test settings (plain http, see conftest.py).
    live_server = LiveServer("localhost:0")
    week = published_week(personas.organisation, owner=personas.owner, teacher_user=personas.member)
    lesson = on(week, 0, today())
    first, *_rest = pupils_of(week.groups[0])
    Pupil.objects.filter(pk=first.pk).update(
        given_name="Maximiliaan-Alexander", surname="Boogaard-Hoogstraten", surname_prefix="van den"
    )
    cookies = []
    for user in (personas.member, personas.owner):
        visitor = Client()
        visitor.force_login(user)
        cookies.append(visitor.cookies["sessionid"].value)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies(
            [
                {"name": "sessionid", "value": cookies[0], "url": live_server.url},
                {"name": "leerorkest_language", "value": "en", "url": live_server.url},
            ]
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        page.goto(live_server.url + reverse("timetable:today"))
        assert page.evaluate(A11Y_PROBE) == []
        page.locator(f'a[href="{register_url(lesson)}"]').first.click()
        page.wait_for_url("**" + register_url(lesson))
        assert page.evaluate(A11Y_PROBE) == []

        row = page.locator(f"#pupil-{first.pk}")
        row.get_by_role("button", name="Late").click()
        expect(page.locator(f"#pupil-{first.pk} .mark-late")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.locator("#register-state")).to_contain_text("2 still to mark")
        assert page.url.endswith(register_url(lesson))  # no reload
        page.get_by_role("button", name="Everyone else present").click()
        expect(page.locator('#register [aria-pressed="true"]')).to_have_count(3)
        assert page.evaluate(A11Y_PROBE) == []

        page.reload()
        expect(page.locator(f"#pupil-{first.pk} .mark-late")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert errors == []

        context.clear_cookies()
        context.add_cookies(
            [
                {"name": "sessionid", "value": cookies[1], "url": live_server.url},
                {"name": "leerorkest_language", "value": "en", "url": live_server.url},
            ]
        )
        page.goto(live_server.url + reverse("timetable:registers"))
        counts = page.locator(f"#lesson-{lesson.pk} td.num")
        assert counts.all_inner_texts() == ["2", "0", "1", "0"]  # present, absent, late, excused
        assert page.evaluate(A11Y_PROBE) == []
        browser.close()
    live_server.stop()

    marks = AttendanceMark.objects.filter(lesson_date=lesson)
    assert sorted(marks.values_list("status", flat=True)) == ["late", "present", "present"]
