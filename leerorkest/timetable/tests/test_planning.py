"""Planning from the pages: a new version is solved, shown per school, teacher and room, moved
and locked by hand, compared with the published week and published with a calendar feed."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leerorkest.programme import actions_ensembles
from leerorkest.programme.models import EnsembleMember, Sectional, Teacher, TeacherAvailability
from leerorkest.schools.models import Room
from leerorkest.testing import instrument
from leerorkest.timetable import actions, solving
from leerorkest.timetable.attendance import register_pupils
from leerorkest.timetable.instance import Instance
from leerorkest.timetable.models import CalendarFeed, LessonDate, PlannedLesson, Timetable
from tests.access_teachers import (
    build_ensemble,
    build_lesson_group,
    build_school,
    build_teacher,
    current_year,
)

MONDAY = 0


@pytest.fixture(autouse=True)
def in_english(client):
    from django.utils import translation

    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def programme_data(personas):
    """Two schools on Monday with two rooms each; violin, cello and a conductor; four groups
    and an orchestra."""
    programme = personas.organisation
    schools = []
    for n, (lat, lon) in enumerate(((52.37, 4.80), (52.31, 4.97))):
        school = build_school(programme, music_day=MONDAY, name=f"School {n}")
        school.latitude, school.longitude = lat, lon
        school.save()
        Room.objects.create(school=school, name="Aula", capacity=60)
        Room.objects.create(school=school, name="Lokaal 1", capacity=8)
        schools.append(school)
    violin = build_teacher(
        programme, name="Vera Viool", email="vera@test.example", user=personas.member
    )
    cello = build_teacher(programme, name="Carl Cello", instruments=("cello",))
    conductor = build_teacher(programme, name="Dirk Dirigent", is_conductor=True)
    for teacher in (violin, cello, conductor):
        TeacherAvailability.objects.create(
            teacher=teacher, weekday=MONDAY, starts_at=time(8, 0), ends_at=time(16, 0)
        )
    groups = [
        build_lesson_group(programme, teacher=violin, school=schools[0], name="Viool A"),
        build_lesson_group(programme, teacher=violin, school=schools[0], name="Viool B"),
        build_lesson_group(
            programme, teacher=cello, school=schools[1], code="cello", name="Cello A"
        ),
        build_lesson_group(programme, teacher=violin, school=schools[1], name="Viool C"),
    ]
    orchestra = build_ensemble(
        programme, conductor=conductor, school=schools[0], name="Orkest groep 6", players=12
    )
    return {"schools": schools, "violin": violin, "groups": groups, "orchestra": orchestra}


def solved(personas, **kwargs) -> Timetable:
    timetable = actions.create_timetable(
        programme=personas.organisation,
        year=current_year(),
        by=personas.owner,
        time_limit=10,
    )
    solving.queue_solve(timetable, by=personas.owner)
    return solving.run_solve(timetable.pk, threads=1)


@pytest.mark.django_db
def test_solve_places_every_lesson_without_breaking_a_rule(client, personas, programme_data):
    timetable = solved(personas)
    assert timetable.status == Timetable.Status.READY
    assert timetable.hard_violations == 0
    rows = PlannedLesson.objects.filter(timetable=timetable)
    assert rows.count() == 5
    assert all(row.is_placed and row.weekday == MONDAY for row in rows)
    orchestra = rows.get(kind=PlannedLesson.Kind.ORCHESTRA)
    assert orchestra.room.name == "Aula"  # the only room 12 players fit in
    client.force_login(personas.owner)
    page = client.get(reverse("timetable:detail", args=[timetable.pk]))
    assert page.status_code == 200
    assert b"All rules kept" in page.content
    assert b"Viool A" in page.content
    for view, key in (("teacher", programme_data["violin"].pk), ("room", orchestra.room_id)):
        page = client.get(
            reverse("timetable:detail", args=[timetable.pk]), {"view": view, view: key}
        )
        assert page.status_code == 200
    assert b"Orkest groep 6" in page.content


@pytest.mark.django_db
def test_no_timetable_is_explained_in_plain_words(personas, programme_data):
    TeacherAvailability.objects.filter(teacher__full_name="Carl Cello").delete()
    timetable = solved(personas)
    assert timetable.status == Timetable.Status.FAILED
    assert any("cello" in reason for reason in timetable.result["explanation"])


@pytest.mark.django_db
def test_move_locks_the_lesson_and_reports_a_broken_rule(client, personas, programme_data):
    timetable = solved(personas)
    client.force_login(personas.owner)
    a, b = (
        PlannedLesson.objects.get(timetable=timetable, title="Viool A"),
        PlannedLesson.objects.get(timetable=timetable, title="Viool B"),
    )
    # Put A at the time of B with the same teacher: double booked, and said so.
    response = client.post(
        reverse("timetable:lesson_edit", args=[a.pk]),
        {
            "weekday": MONDAY,
            "starts_at": b.starts_at.strftime("%H:%M"),
            "teacher": b.teacher_id,
            "room": b.room_id,
        },
        follow=True,
    )
    assert b"breaks a rule" in response.content
    a.refresh_from_db()
    assert a.locked and a.starts_at == b.starts_at
    timetable.refresh_from_db()
    assert timetable.hard_violations > 0
    # A time off the five-minute grid is refused and changes nothing.
    response = client.post(
        reverse("timetable:lesson_edit", args=[b.pk]),
        {"weekday": MONDAY, "starts_at": "09:03", "teacher": b.teacher_id, "room": b.room_id},
    )
    assert b"multiple of five minutes" in response.content
    # Re-planning keeps the locked lesson where it is and repairs the rest.
    client.post(reverse("timetable:lesson_lock", args=[a.pk]), {"locked": "1"})
    solving.queue_solve(timetable, by=personas.owner)
    timetable = solving.run_solve(timetable.pk, threads=1)
    assert timetable.hard_violations == 0
    assert PlannedLesson.objects.get(pk=a.pk).starts_at == a.starts_at


@pytest.mark.django_db
def test_publish_makes_dated_lessons_a_feed_and_replanning_changes_little(
    client, personas, programme_data, django_capture_on_commit_callbacks
):
    timetable = solved(personas)
    client.force_login(personas.owner)
    page = client.get(reverse("timetable:changes", args=[timetable.pk]))
    assert b"first timetable" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("timetable:publish", args=[timetable.pk]))
    timetable.refresh_from_db()
    assert timetable.status == Timetable.Status.PUBLISHED
    assert LessonDate.objects.filter(planned__timetable=timetable).exists()
    assert {m.to[0] for m in mail.outbox} >= {"vera@test.example"}

    # The teacher's week and private calendar feed.
    client.force_login(personas.member)
    week = client.get(reverse("timetable:my_week"), {"week": 0})
    assert week.status_code == 200
    token = CalendarFeed.objects.get(teacher=programme_data["violin"]).token
    client.logout()
    feed = client.get(reverse("timetable:feed", args=[token]))
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.rstrip().endswith("END:VCALENDAR")
    mine = PlannedLesson.objects.filter(timetable=timetable, teacher=programme_data["violin"])
    assert mine.exists()
    assert all(f"SUMMARY:{lesson.title}" in body for lesson in mine)
    # A calendar program reads it: every lesson date of hers, 45 minutes, at the school.
    import icalendar

    calendar = icalendar.Calendar.from_ical(feed.content)
    events = calendar.walk("VEVENT")
    dated = LessonDate.objects.filter(planned__in=mine)
    assert (
        len(events)
        == dated.filter(date__gte=timezone.localdate() - timedelta(days=28))
        .filter(date__lte=timezone.localdate() + timedelta(days=200))
        .count()
    )
    first = events[0]
    assert (first.decoded("DTEND") - first.decoded("DTSTART")).total_seconds() == 45 * 60
    assert str(first["LOCATION"]).startswith("School ")
    assert client.get(reverse("timetable:feed", args=["not-a-token"])).status_code == 404

    # A new version re-planned from the published one changes nothing that need not change.
    client.force_login(personas.owner)
    client.cookies["leerorkest_language"] = "en"  # logging out took the cookie
    draft = actions.copy_timetable(timetable, by=personas.owner)
    solving.queue_solve(draft, by=personas.owner)
    draft = solving.run_solve(draft.pk, threads=1)
    assert draft.hard_violations == 0
    assert actions.diff(draft, timetable) == []
    page = client.get(reverse("timetable:changes", args=[draft.pk]))
    assert b"Nothing changes" in page.content
    client.post(reverse("timetable:publish", args=[draft.pk]))
    timetable.refresh_from_db()
    assert timetable.status == Timetable.Status.SUPERSEDED


@pytest.mark.django_db
def test_a_coordinator_of_another_programme_sees_nothing(client, personas, programme_data):
    timetable = solved(personas)
    client.force_login(personas.outsider)
    assert client.get(reverse("timetable:detail", args=[timetable.pk])).status_code in (403, 404)


@pytest.mark.django_db
def test_replanning_after_a_teacher_leaves_changes_only_what_must(personas, programme_data):
    timetable = solved(personas)
    actions.publish(timetable, by=personas.owner, notify=False)
    violin = programme_data["violin"]
    hers = set(
        PlannedLesson.objects.filter(timetable=timetable, teacher=violin).values_list(
            "key", flat=True
        )
    )
    assert hers
    # She stops on Mondays: her lessons need another violinist, the rest should stay.
    TeacherAvailability.objects.filter(teacher=violin).delete()
    draft = actions.copy_timetable(timetable, by=personas.owner)
    solving.queue_solve(draft, by=personas.owner)
    draft = solving.run_solve(draft.pk, threads=1)
    assert draft.hard_violations == 0
    changes = actions.diff(draft, timetable)
    changed = {c["lesson"].key for c in changes}
    assert hers <= changed
    # Besides her lessons at most one other lesson moves to make room.
    assert len(changed - hers) <= 1


@pytest.mark.django_db
def test_a_sectional_is_planned_apart_from_the_orchestra_with_a_teacher_of_its_instrument(
    personas, programme_data
):
    orchestra = programme_data["orchestra"]
    violin, cello = instrument("violin"), instrument("cello")
    members = list(orchestra.members.filter(status=EnsembleMember.Status.ACTIVE))
    for member in members[:5]:
        member.instrument = violin
        member.save(update_fields=["instrument"])
    members[5].instrument = cello
    members[5].save(update_fields=["instrument"])
    sectional = Sectional.objects.create(
        ensemble=orchestra, name="Strijkers", led_by=cello, minutes=30
    )
    sectional.instruments.set([violin, cello])

    timetable = solved(personas)
    assert timetable.hard_violations == 0
    row = PlannedLesson.objects.get(timetable=timetable, kind=PlannedLesson.Kind.SECTIONAL)
    assert (row.sectional, row.ensemble, row.title) == (
        sectional,
        orchestra,
        "Orkest groep 6: Strijkers",
    )
    assert row.is_placed and row.minutes == 30
    assert row.teacher.full_name == "Carl Cello"  # the only one who plays the cello
    rehearsal = PlannedLesson.objects.get(timetable=timetable, kind=PlannedLesson.Kind.ORCHESTRA)
    # Six players are in both: never at the same time.
    assert row.ends_at <= rehearsal.starts_at or rehearsal.ends_at <= row.starts_at
    sectional_players = {f"p{m.pupil_id}" for m in members[:6]}
    [lesson] = [x for x in timetable_instance(timetable).lessons if x.kind == "sectional"]
    assert set(lesson.pupils) == sectional_players

    # Published, its register lists those six players only.
    actions.publish(timetable, by=personas.owner, notify=False)
    lesson_date = LessonDate.objects.filter(planned=row).first()
    assert {p.pupil.pk for p in register_pupils(lesson_date)} == {m.pupil_id for m in members[:6]}

    # Removed, the next version no longer plans it; the published week keeps its lessons.
    actions_ensembles.delete_sectional(sectional=sectional, by=personas.owner)
    row.refresh_from_db()
    assert row.sectional is None and row.title == "Orkest groep 6: Strijkers"
    draft = actions.create_timetable(
        programme=personas.organisation, year=current_year(), by=personas.owner
    )
    assert not PlannedLesson.objects.filter(timetable=draft, kind="sectional").exists()


def timetable_instance(timetable: Timetable) -> Instance:
    return Instance.from_json(timetable.instance)


@pytest.mark.django_db
def test_a_teacher_who_left_is_planned_out_of_a_new_version(personas, programme_data):
    timetable = solved(personas)
    actions.publish(timetable, by=personas.owner, notify=False)
    violin = programme_data["violin"]
    hers = set(
        PlannedLesson.objects.filter(timetable=timetable, teacher=violin).values_list(
            "key", flat=True
        )
    )
    assert hers
    Teacher.objects.filter(pk=violin.pk).update(is_active=False)
    draft = actions.create_timetable(
        programme=personas.organisation, year=current_year(), by=personas.owner, time_limit=10
    )
    inst = timetable_instance(draft)
    gone = f"t{violin.pk}"
    assert not inst.has("teacher", gone)
    assert all(x.preferred_teacher != gone for x in inst.lessons)
    assert all(a.teacher != gone for a in inst.published)
    # The draft starts from the published week without her lessons.
    empty = PlannedLesson.objects.filter(timetable=draft, teacher__isnull=True)
    assert set(empty.values_list("key", flat=True)) == hers
    solving.queue_solve(draft, by=personas.owner)
    draft = solving.run_solve(draft.pk, threads=1)
    assert draft.hard_violations == 0
    changed = {c["lesson"].key for c in actions.diff(draft, timetable)}
    assert hers <= changed
    assert len(changed - hers) <= 1
