"""Absences, substitutes and cancellations: who may cover, what confirming and cancelling do,
who is e-mailed, and who may see what."""

import itertools
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import Role
from leerorkest.programme.models import Sectional, Teacher, TeacherAvailability
from leerorkest.testing import instrument, make_member
from leerorkest.timetable import cover, cover_actions
from leerorkest.timetable.models import (
    LessonDate,
    PlannedLesson,
    SchoolCancellation,
    TeacherAbsence,
    TravelOverride,
)
from leerorkest.timetable.tests.builders import published_week
from tests.access_cover import OBJECT_URLS
from tests.access_teachers import build_school, build_teacher

_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def in_english(client, settings):
    """These tests read the English wording (reasons, messages and e-mails)."""
    client.cookies["leerorkest_language"] = "en"
    settings.LANGUAGE_CODE = "en"  # e-mails go out in the platform's language
    with translation.override("en"):
        yield


@pytest.fixture
def week(personas):
    return published_week(personas.organisation, owner=personas.owner, teacher_user=personas.member)


def next_day(week) -> object:
    """A music day next week (so it is upcoming whatever the time of day)."""
    return (
        LessonDate.objects.filter(
            planned=week.lessons[0], date__gte=timezone.localdate() + timedelta(days=1)
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def lesson_at(week, teacher, school, day, start: time, minutes: int = 45) -> LessonDate:
    """Another dated lesson of `teacher` at `school` on `day`."""
    planned = PlannedLesson.objects.create(
        timetable=week.timetable,
        key=f"x{next(_keys)}",
        kind="lesson",
        school=school,
        title=f"Extra {start:%H:%M}",
        teacher=teacher,
        weekday=day.weekday(),
        starts_at=start,
        minutes=minutes,
    )
    return LessonDate.objects.create(
        planned=planned,
        organisation=week.timetable.organisation,
        date=day,
        starts_at=start,
        minutes=minutes,
        teacher=teacher,
    )


def free(teacher, day, start=time(7, 0), end=time(14, 0)):
    TeacherAvailability.objects.create(
        teacher=teacher, weekday=day.weekday(), starts_at=start, ends_at=end
    )


def report(week, personas, day, **fields) -> TeacherAbsence:
    return cover_actions.report_absence(
        teacher=week.teacher,
        starts_on=day,
        ends_on=fields.pop("ends_on", day),
        reason=fields.pop("reason", "ill"),
        by=personas.member,
        **fields,
    )


def place(school, lat, lon):
    school.latitude, school.longitude = lat, lon
    school.save(update_fields=["latitude", "longitude"])


@pytest.fixture
def field(week, personas):
    """The violin lesson at 09:00 next week needs cover; around it: a near and a far violin
    teacher each with a lesson earlier that morning, a busy one, an absent one, a cellist."""
    programme = personas.organisation
    day = next_day(week)
    place(week.school, 52.3700, 4.9000)
    near_school = build_school(programme, name="OBS Dichtbij")
    place(near_school, 52.3745, 4.9000)  # about half a kilometre
    far_school = build_school(programme, name="OBS Ver Weg")
    place(far_school, 52.4150, 4.9000)  # about five kilometres
    near = build_teacher(programme, name="Anna Dichtbij", email="near@test.example")
    far = build_teacher(programme, name="Bram Verweg", email="far@test.example")
    busy = build_teacher(programme, name="Cor Bezet", email="busy@test.example")
    away = build_teacher(programme, name="Dirk Afwezig", email="away@test.example")
    cellist = build_teacher(programme, name="Eva Cello", instruments=("cello",))
    for teacher in (near, far, busy, away, cellist):
        free(teacher, day)
    lesson_at(week, near, near_school, day, time(7, 15))
    lesson_at(week, far, far_school, day, time(7, 15))
    # More hours for the near teacher that week: only the ride may put them first.
    lesson_at(week, near, near_school, day - timedelta(days=1), time(9, 0), minutes=120)
    lesson_at(week, busy, near_school, day, time(9, 15))
    TeacherAbsence.objects.create(
        teacher=away, starts_on=day, ends_on=day, reason="leave", reported_by=personas.owner
    )
    absence = report(week, personas, day)
    lesson = LessonDate.objects.get(planned=week.lessons[0], date=day)
    return {
        "day": day,
        "lesson": lesson,
        "absence": absence,
        "near": near,
        "far": far,
        "busy": busy,
        "away": away,
        "cellist": cellist,
        "near_school": near_school,
        "far_school": far_school,
    }


# --- Ranking ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ranking_leaves_out_who_cannot_cover_and_puts_the_closest_first(week, field):
    ranked = cover.rank_substitutes(field["lesson"])
    names = [c.teacher.full_name for c in ranked]
    # The cellist does not play the violin, Cor teaches at 9:15, Dirk is absent himself;
    # the colleague has no availability given, so comes after the two who are free.
    assert names == ["Anna Dichtbij", "Bram Verweg", "Docent Cello"]
    near, far = ranked[0], ranked[1]
    assert near.travel_minutes < far.travel_minutes
    assert near.week_minutes > far.week_minutes  # the ride decided, not the hours
    assert near.reasons[0] == "plays violin"
    assert "free 7:00–14:00" in near.reasons
    assert f"{near.travel_minutes} min by bike from OBS Dichtbij" in near.reasons
    assert "no lesson before; comes from home" in ranked[2].reasons
    assert not ranked[2].available


@pytest.mark.django_db
def test_refusals_say_why(week, field):
    refused = {
        c.teacher.full_name: c.refusal
        for c in cover.assess([field["lesson"]])[field["lesson"].pk]
        if not c.can_cover
    }
    assert refused == {
        "Cor Bezet": "Cor Bezet teaches Extra 09:15 at 9:15 that day.",
        "Dirk Afwezig": "Dirk Afwezig is absent that day.",
        "Eva Cello": "Eva Cello does not teach violin.",
    }


@pytest.mark.django_db
def test_a_known_travel_time_overrides_the_estimate(week, field, personas):
    TravelOverride.objects.create(
        organisation=personas.organisation,
        from_school=week.school,  # either direction counts
        to_school=field["far_school"],
        minutes=2,
    )
    names = [c.teacher.full_name for c in cover.rank_substitutes(field["lesson"])]
    assert names[:2] == ["Bram Verweg", "Anna Dichtbij"]


@pytest.mark.django_db
def test_a_sectional_needs_a_teacher_of_the_instrument_that_leads_it(week, field):
    sectional = Sectional.objects.create(
        ensemble=week.orchestra, name="Strijkers", led_by=instrument("cello")
    )
    PlannedLesson.objects.filter(pk=week.lessons[2].pk).update(
        kind="sectional", sectional=sectional
    )
    lesson = LessonDate.objects.get(planned=week.lessons[2], date=field["day"])
    refused = {c.teacher.full_name: c.refusal for c in cover.assess([lesson])[lesson.pk]}
    assert refused["Anna Dichtbij"] == "Anna Dichtbij does not teach cello."
    assert refused["Eva Cello"] == ""


@pytest.mark.django_db
def test_a_substitute_on_public_transport_gets_their_own_travel_time(week, field):
    Teacher.objects.filter(pk=field["near"].pk).update(travel_mode="transit")
    near = next(c for c in cover.rank_substitutes(field["lesson"]) if c.teacher == field["near"])
    # Half a kilometre: 3 minutes by bike, 8 on foot (quicker than tram and waiting).
    assert near.travel_minutes == 8
    assert "8 min by public transport from OBS Dichtbij" in near.reasons


@pytest.mark.django_db
def test_a_substitute_who_would_arrive_late_ranks_after_one_on_time(week, field):
    # The far teacher's early lesson now ends at 8:50: the ride makes them late for 9:00.
    LessonDate.objects.filter(teacher=field["far"], date=field["day"]).update(starts_at=time(8, 5))
    LessonDate.objects.filter(teacher=field["near"], date=field["day"]).update(starts_at=time(7, 0))
    TravelOverride.objects.create(
        organisation=field["lesson"].organisation,
        from_school=field["far_school"],
        to_school=field["lesson"].planned.school,
        minutes=15,
    )
    ranked = cover.rank_substitutes(field["lesson"])
    far = next(c for c in ranked if c.teacher == field["far"])
    assert far.late_minutes == 5
    assert "would be 5 min late" in far.reasons
    assert [c.teacher.full_name for c in ranked][:2] == ["Anna Dichtbij", "Bram Verweg"]


@pytest.mark.django_db
def test_an_orchestra_needs_a_conductor(week, field):
    orchestra = LessonDate.objects.get(planned=week.lessons[2], date=field["day"])
    assert orchestra.absence_id == field["absence"].pk
    assert cover.rank_substitutes(orchestra) == []  # nobody else conducts
    field["far"].is_conductor = True
    field["far"].save()
    ranked = cover.rank_substitutes(orchestra)
    assert [c.teacher for c in ranked] == [field["far"]]
    assert ranked[0].reasons[0] == "conducts"


# --- Confirming and cancelling ------------------------------------------------------------------


@pytest.mark.django_db
def test_confirming_a_substitute_hands_over_the_lesson_and_tells_both(
    week, field, personas, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cover_actions.confirm_cover(
            lesson_date=field["lesson"], substitute=field["near"], by=personas.owner
        )
    lesson = LessonDate.objects.get(pk=field["lesson"].pk)
    assert lesson.teacher == field["near"]
    assert lesson.is_cover
    assert lesson.cover_confirmed_by == personas.owner
    assert lesson.absence_id == field["absence"].pk  # the record of why
    assert sorted(m.to[0] for m in mail.outbox) == ["near@test.example", "viool@test.example"]
    for message in mail.outbox:
        assert "9:00–9:45" in message.body
        assert "Viool 5-1" in message.body
        assert str(week.school) in message.body
        assert "Lokaal 1" in message.body
    # It no longer needs cover: a second confirmation is refused, and it leaves the list.
    with pytest.raises(DomainError, match="does not need cover"):
        cover_actions.confirm_cover(lesson_date=lesson, substitute=field["far"], by=personas.owner)
    assert lesson not in cover.needing_cover(personas.organisation)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "message"),
    [("busy", "teaches Extra 09:15"), ("cellist", "does not teach violin"), ("away", "absent")],
)
def test_a_busy_unqualified_or_absent_substitute_is_refused(week, field, personas, who, message):
    with pytest.raises(DomainError, match=message):
        cover_actions.confirm_cover(
            lesson_date=field["lesson"], substitute=field[who], by=personas.owner
        )
    lesson = LessonDate.objects.get(pk=field["lesson"].pk)
    assert lesson.teacher == week.teacher
    assert not lesson.is_cover


@pytest.mark.django_db
def test_a_teacher_of_another_programme_is_refused(week, field, personas):
    stranger = build_teacher(personas.other, name="Vreemde Viool")
    with pytest.raises(DomainError, match="of this programme"):
        cover_actions.confirm_cover(
            lesson_date=field["lesson"], substitute=stranger, by=personas.owner
        )


@pytest.mark.django_db
def test_the_cover_page_lists_lessons_with_reasons_and_confirms(
    client, week, field, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.owner)
    response = client.get(reverse("timetable:cover"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Viool 5-1" in page and "Orkest 6" in page
    start = page.index(f'id="lesson-{field["lesson"].pk}"')
    nine = page[start : page.index("</article>", start)]
    assert "plays violin · free 7:00–14:00 · " in nine
    assert "Anna Dichtbij" in nine
    # Cor teaches at 9:15 (he is free for the 10:00 lesson); Eva plays the cello.
    assert "Cor Bezet" not in nine and "Eva Cello" not in page
    # A busy teacher posted by hand is refused with the reason, nothing changes.
    url = reverse("timetable:cover_confirm", args=[field["lesson"].pk])
    response = client.post(url, {"substitute": field["busy"].pk}, follow=True)
    assert "Cor Bezet teaches Extra 09:15 at 9:15 that day." in response.content.decode()
    assert LessonDate.objects.get(pk=field["lesson"].pk).teacher == week.teacher
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"substitute": field["far"].pk}, follow=True)
    assert "Bram Verweg covers" in response.content.decode()
    assert LessonDate.objects.get(pk=field["lesson"].pk).teacher == field["far"]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_cover_page_costs_the_same_queries_for_more_lessons(client, week, personas):
    day = next_day(week)
    client.force_login(personas.owner)
    report(week, personas, day)
    with CaptureQueriesContext(connection) as one_day:
        assert client.get(reverse("timetable:cover")).status_code == 200
    report(week, personas, day + timedelta(days=7), ends_on=day + timedelta(days=21))
    assert cover.needing_cover(personas.organisation).count() == 12
    with CaptureQueriesContext(connection) as four_days:
        assert client.get(reverse("timetable:cover")).status_code == 200
    assert len(four_days) == len(one_day)


@pytest.mark.django_db
def test_cancelling_a_lesson_nobody_covers(client, week, field, personas):
    client.force_login(personas.owner)
    url = reverse("timetable:cover_cancel", args=[field["lesson"].pk])
    assert "Teacher absent (ill)" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200  # the reason is required; nothing changed
    assert LessonDate.objects.get(pk=field["lesson"].pk).status == LessonDate.Status.PLANNED
    response = client.post(url, {"reason": "No substitute"})
    assert response.status_code == 302
    lesson = LessonDate.objects.get(pk=field["lesson"].pk)
    assert lesson.status == LessonDate.Status.CANCELLED
    assert lesson.cancelled_by == LessonDate.CancelledBy.TEACHER
    assert lesson.cancel_reason == "No substitute"
    with pytest.raises(DomainError, match="does not need cover"):
        cover_actions.cancel_lesson(lesson_date=lesson, reason="again", by=personas.owner)


# --- Absences -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reporting_an_absence_links_the_lessons_and_tells_the_coordinators(
    client, week, personas, django_capture_on_commit_callbacks
):
    day = next_day(week)
    client.force_login(personas.member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("timetable:absence_report"),
            {"starts_on": day, "ends_on": day, "reason": "ill", "note": "Back on Monday"},
        )
    absence = TeacherAbsence.objects.get(teacher=week.teacher)
    assert response.status_code == 302
    assert response.url == reverse("timetable:absence_detail", args=[absence.pk])
    assert absence.reported_by == personas.member
    assert set(absence.dates.values_list("planned", flat=True)) == {
        lesson.pk for lesson in week.lessons
    }
    [message] = mail.outbox
    assert message.to == [personas.owner.email]
    assert "Docent Viool" in message.subject
    assert "Back on Monday" in message.body
    assert "Viool 5-2" in message.body
    # The teacher sees their own absence and its lessons.
    page = client.get(response.url).content.decode()
    assert "Needs cover" in page and "Orkest 6" in page


@pytest.mark.django_db
def test_a_teacher_can_only_report_their_own_absence(client, week, personas):
    day = next_day(week)
    client.force_login(personas.member)
    # Naming a colleague in the form does not help: the absence is the teacher's own.
    client.post(
        reverse("timetable:absence_report"),
        {"teacher": week.colleague.pk, "starts_on": day, "ends_on": day, "reason": "ill"},
    )
    assert not TeacherAbsence.objects.filter(teacher=week.colleague).exists()
    assert TeacherAbsence.objects.filter(teacher=week.teacher).count() == 1
    with pytest.raises(DomainError, match="your own absence"):
        cover_actions.report_absence(
            teacher=week.colleague, starts_on=day, ends_on=day, reason="ill", by=personas.member
        )
    # A colleague's absence is not theirs to see.
    theirs = TeacherAbsence.objects.create(
        teacher=week.colleague, starts_on=day, ends_on=day, reason="ill", reported_by=personas.owner
    )
    detail = reverse("timetable:absence_detail", args=[theirs.pk])
    assert client.get(detail).status_code == 404


@pytest.mark.django_db
def test_a_coordinator_reports_for_any_teacher_of_the_programme(client, week, personas):
    day = next_day(week)
    stranger = build_teacher(personas.other, name="Vreemde Viool")
    client.force_login(personas.owner)
    url = reverse("timetable:absence_report")
    response = client.post(
        url, {"teacher": stranger.pk, "starts_on": day, "ends_on": day, "reason": "ill"}
    )
    assert response.status_code == 200  # not a teacher of this programme: not a choice
    assert not TeacherAbsence.objects.exists()
    response = client.post(
        url, {"teacher": week.colleague.pk, "starts_on": day, "ends_on": day, "reason": "leave"}
    )
    assert response.status_code == 302
    assert TeacherAbsence.objects.get().teacher == week.colleague


@pytest.mark.django_db
def test_bad_periods_are_refused_and_the_form_keeps_what_was_typed(client, week, personas):
    day = next_day(week)
    client.force_login(personas.member)
    response = client.post(
        reverse("timetable:absence_report"),
        {"starts_on": day, "ends_on": day - timedelta(days=1), "reason": "ill", "note": "fever"},
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert 'value="fever"' in response.content.decode()
    for ends_on, message in (
        (day - timedelta(days=1), "before the first day"),
        (day + timedelta(days=400), "at most a year"),
    ):
        with pytest.raises(DomainError, match=message):
            report(week, personas, day, ends_on=ends_on)
    report(week, personas, day)
    with pytest.raises(DomainError, match="already reported"):
        report(week, personas, day - timedelta(days=7), ends_on=day)
    assert TeacherAbsence.objects.count() == 1


@pytest.mark.django_db
def test_withdrawing_an_absence_gives_back_only_the_undecided_lessons(
    client, week, field, personas, django_capture_on_commit_callbacks
):
    absence = field["absence"]
    covered = field["lesson"]
    cancelled = LessonDate.objects.get(planned=week.lessons[1], date=field["day"])
    undecided = LessonDate.objects.get(planned=week.lessons[2], date=field["day"])
    cover_actions.confirm_cover(lesson_date=covered, substitute=field["near"], by=personas.owner)
    cover_actions.cancel_lesson(lesson_date=cancelled, reason="No substitute", by=personas.owner)
    client.force_login(personas.member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("timetable:absence_withdraw", args=[absence.pk]))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [personas.owner.email]
    assert "1 lesson that nobody covered yet is planned" in message.body
    absence.refresh_from_db()
    assert absence.withdrawn_at is not None
    undecided.refresh_from_db()
    assert undecided.absence_id is None
    assert undecided.teacher == week.teacher
    assert undecided.status == LessonDate.Status.PLANNED
    covered.refresh_from_db()
    assert (covered.teacher, covered.is_cover, covered.absence_id) == (
        field["near"],
        True,
        absence.pk,
    )
    assert LessonDate.objects.get(pk=cancelled.pk).status == LessonDate.Status.CANCELLED
    assert not cover.needing_cover(personas.organisation).exists()
    with pytest.raises(DomainError, match="withdrawn already"):
        cover_actions.withdraw_absence(absence=absence, by=personas.member)


@pytest.mark.django_db
def test_a_substitute_who_falls_ill_hands_the_lesson_back_to_the_cover_list(
    week, field, personas, django_capture_on_commit_callbacks
):
    lesson = field["lesson"]
    cover_actions.confirm_cover(lesson_date=lesson, substitute=field["near"], by=personas.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        substitute_absence = cover_actions.report_absence(
            teacher=field["near"],
            starts_on=field["day"],
            ends_on=field["day"],
            reason="ill",
            by=personas.owner,
        )
    lesson.refresh_from_db()
    # Back with the absent teacher, still for the same absence, needing cover once more.
    assert (lesson.teacher, lesson.is_cover, lesson.absence_id) == (
        week.teacher,
        False,
        field["absence"].pk,
    )
    assert lesson.cover_confirmed_by is None
    assert lesson in cover.needing_cover(personas.organisation)
    # The substitute's own lesson that day is theirs to be covered for.
    assert substitute_absence.dates.filter(planned__title="Extra 07:15").exists()
    [message] = mail.outbox
    assert "Viool 5-1" in message.body and "Extra 07:15" in message.body
    # The far teacher can now be asked; the ill one is refused.
    assert cover_actions.confirm_cover(
        lesson_date=lesson, substitute=field["far"], by=personas.owner
    ).is_cover
    with pytest.raises(DomainError):
        cover_actions.report_absence(
            teacher=field["near"],
            starts_on=field["day"],
            ends_on=field["day"],
            reason="ill",
            by=personas.owner,
        )


@pytest.mark.django_db
def test_a_lesson_whose_absence_was_withdrawn_goes_back_to_its_teacher_when_the_cover_falls_ill(
    week, field, personas
):
    lesson = field["lesson"]
    cover_actions.confirm_cover(lesson_date=lesson, substitute=field["near"], by=personas.owner)
    cover_actions.withdraw_absence(absence=field["absence"], by=personas.owner)
    cover_actions.report_absence(
        teacher=field["near"],
        starts_on=field["day"],
        ends_on=field["day"],
        reason="ill",
        by=personas.owner,
    )
    lesson.refresh_from_db()
    assert (lesson.teacher, lesson.is_cover, lesson.absence_id) == (week.teacher, False, None)
    assert lesson not in cover.needing_cover(personas.organisation)


# --- School cancellations -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_school_cancellation_cancels_planned_lessons_of_the_chosen_year_groups(
    client, week, personas, django_capture_on_commit_callbacks
):
    day = next_day(week)
    given = LessonDate.objects.get(planned=week.lessons[0], date=day)
    given.status = LessonDate.Status.GIVEN
    given.save()
    client.force_login(personas.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("timetable:cancellation_new"),
            {
                "school": week.school.pk,
                "starts_on": day,
                "ends_on": day,
                "reason": "trip",
                "note": "Zoo",
                "year_groups": ["5"],
            },
        )
    assert response.status_code == 302
    cancellation = SchoolCancellation.objects.get()
    assert cancellation.year_groups == [5]
    states = {
        ld.planned_id: ld.status
        for ld in LessonDate.objects.filter(date=day, planned__in=week.lessons)
    }
    assert states == {
        week.lessons[0].pk: LessonDate.Status.GIVEN,  # already given: stays given
        week.lessons[1].pk: LessonDate.Status.CANCELLED,  # groep 5
        week.lessons[2].pk: LessonDate.Status.PLANNED,  # the orchestra is groep 6
    }
    cancelled = LessonDate.objects.get(planned=week.lessons[1], date=day)
    assert cancelled.cancelled_by == LessonDate.CancelledBy.SCHOOL
    assert cancelled.school_cancellation == cancellation
    [message] = mail.outbox
    assert message.to == ["viool@test.example"]
    assert "Viool 5-2" in message.body and "Zoo" in message.body
    assert "Viool 5-1" not in message.body
    listing = client.get(reverse("timetable:cancellations")).content.decode()
    assert "School trip" in listing and "Zoo" in listing


@pytest.mark.django_db
def test_a_school_contact_cancels_only_for_their_own_school(client, week, personas):
    day = next_day(week)
    contact = make_member(week.school.organisation, Role.SCHOOL_CONTACT)
    other_school = build_school(personas.organisation, name="OBS Anders")
    client.force_login(contact)
    page = client.get(reverse("timetable:cancellation_new"))
    assert page.status_code == 200
    assert "OBS Anders" not in page.content.decode()
    response = client.post(
        reverse("timetable:cancellation_new"),
        {"school": other_school.pk, "starts_on": day, "ends_on": day, "reason": "strike"},
    )
    assert response.status_code == 200  # not a choice
    assert not SchoolCancellation.objects.exists()
    with pytest.raises(DomainError, match="cannot cancel lessons of this school"):
        cover_actions.record_school_cancellation(
            school=other_school, starts_on=day, ends_on=day, reason="strike", by=contact
        )
    response = client.post(
        reverse("timetable:cancellation_new"),
        {"school": week.school.pk, "starts_on": day, "ends_on": day, "reason": "strike"},
    )
    assert response.status_code == 302
    assert LessonDate.objects.filter(date=day, status=LessonDate.Status.CANCELLED).count() == 3
    # A teacher may not record school cancellations at all.
    client.force_login(personas.member)
    assert client.get(reverse("timetable:cancellation_new")).status_code == 403


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_an_outsider_gets_404(client, personas, name):
    method, kwargs = OBJECT_URLS[name](personas)
    client.force_login(personas.outsider)
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 404
    client.force_login(personas.owner)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code in (200, 302)


@pytest.mark.django_db
def test_the_menu_shows_each_role_its_entry(client, personas, week):
    client.force_login(personas.owner)
    assert reverse("timetable:cover") in client.get(reverse("home")).content.decode()
    client.force_login(personas.member)
    assert reverse("timetable:absence_report") in client.get(reverse("home")).content.decode()
    contact = make_member(week.school.organisation, Role.SCHOOL_CONTACT)
    client.force_login(contact)
    assert reverse("timetable:cancellation_new") in client.get(reverse("home")).content.decode()
