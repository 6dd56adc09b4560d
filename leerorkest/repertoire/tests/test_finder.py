"""The finder: what can this orchestra play, and what is missing for the rest."""

from django.urls import reverse
from django.utils import translation

from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import Role
from leerorkest.curriculum.models import ProgressRecord
from leerorkest.programme.models import EnsembleMember
from leerorkest.repertoire.finder import find_repertoire
from leerorkest.repertoire.tests.builders import (
    build_line,
    build_piece,
    build_players,
    milestone,
    place,
)
from leerorkest.schools.models import SchoolYear
from leerorkest.testing import make_member
from tests.access_teachers import build_teacher, current_year


def _find(ensemble, user):
    with translation.override("en"):
        finding = find_repertoire(ensemble, by=user)
        return finding, {o.piece.title: o for o in finding.pieces}


def test_fully_playable_pieces_come_first_and_missing_parts_are_named(personas):
    org = personas.organisation
    line = build_line(org)
    ensemble, players = build_players(org, [("violin", 3), ("violin", 1), ("cello", 2)])
    place(players, line)
    build_piece(org, line, [("Viool 1", "violin", 3), ("Viool 2", "violin", 1)], title="Easy")
    build_piece(
        org,
        line,
        [("Viool 1", "violin", 2), ("Cello 1", "cello", 3), ("Trompet", "trumpet", 1)],
        title="Hard",
    )
    build_piece(org, line, [("Cello 1", "cello", 3)], title="Almost")
    finding, by_title = _find(ensemble, personas.owner)
    assert [o.piece.title for o in finding.pieces] == ["Easy", "Almost", "Hard"]
    assert by_title["Easy"].playable and finding.playable_count == 1
    problems = [o.problem for o in by_title["Hard"].missing_required]
    assert problems == [
        "Cello 1 needs a cello player at Ijkpunt 3; the best cello player is at Ijkpunt 2",
        "Trompet: nobody plays the trumpet",
    ]
    assert by_title["Hard"].parts[0].player is not None  # Viool 1 has its player


def test_one_child_is_never_used_for_two_parts(personas):
    org = personas.organisation
    line = build_line(org)
    ensemble, players = build_players(org, [("violin", 3), ("violin", 1)])
    place(players, line)
    build_piece(org, line, [("Viool 1", "violin", 2), ("Viool 2", "violin", 2)], title="Two")
    # Hardest first, the weakest good-enough player: the stage-1 child takes Viool 2 here.
    build_piece(org, line, [("Viool 1", "violin", 3), ("Viool 2", "violin", 1)], title="Fits")
    _finding, by_title = _find(ensemble, personas.owner)
    two = by_title["Two"]
    assert len(two.missing_required) == 1
    assert two.missing_required[0].problem == (
        "Viool 2 needs one more violin player at Ijkpunt 2: those at that level play other parts"
    )
    fits = by_title["Fits"]
    assert fits.playable
    assert len({o.player.member_id for o in fits.parts}) == 2


def test_a_member_without_progress_is_below_the_first_milestone(personas):
    org = personas.organisation
    line = build_line(org)
    ensemble, players = build_players(org, [("cello", None), ("violin", 0)])
    place(players, line)
    build_piece(org, line, [("Cello", "cello", 1)], title="Cello piece")
    build_piece(org, line, [("Viool", "violin", 1)], title="Violin piece")
    _finding, by_title = _find(ensemble, personas.owner)
    assert by_title["Cello piece"].missing_required[0].problem == (
        "Cello needs a cello player at Ijkpunt 1; "
        "no cello player has reached the first milestone yet"
    )
    assert not by_title["Violin piece"].playable


def test_the_newest_record_counts_and_stages_compare_across_versions(personas):
    org = personas.organisation
    old = build_line(org)
    new = build_line(org, version=2)
    ensemble, players = build_players(org, [("violin", 1)])
    place(players, old)  # this year, term 1: stage 1 of the old version
    member = players[0][0]
    last_year = SchoolYear.for_start_year(current_year().starts_on.year - 1)
    ProgressRecord.objects.create(
        organisation=org,
        pupil=member.pupil,
        school_year=last_year,
        term=3,
        instrument=member.instrument,
        milestone=milestone(old, "violin", 4),
    )
    ProgressRecord.objects.create(
        organisation=org,
        pupil=member.pupil,
        school_year=current_year(),
        term=2,
        instrument=member.instrument,
        milestone=milestone(old, "violin", 3),
    )
    build_piece(org, new, [("Viool", "violin", 3)], title="Three")
    build_piece(org, new, [("Viool", "violin", 4)], title="Four")
    _finding, by_title = _find(ensemble, personas.owner)
    assert by_title["Three"].playable
    assert not by_title["Four"].playable


def test_only_pieces_the_programme_may_play_and_only_active_members(personas):
    org = personas.organisation
    line = build_line(personas.other, shared=True)
    ensemble, players = build_players(org, [("violin", 2)])
    place(players, line)
    EnsembleMember.objects.filter(ensemble=ensemble, status="left").update(
        instrument=players[0][0].instrument
    )
    build_piece(personas.other, line, [("Viool", "violin", 1)], title="Private elsewhere")
    build_piece(personas.other, line, [("Viool", "violin", 1)], shared=True, title="Shared")
    build_piece(org, line, [], title="No parts")
    finding, by_title = _find(ensemble, personas.owner)
    assert list(by_title) == ["Shared"]
    assert len(finding.players) == 1 and finding.without_parts == 1


def test_finder_page_for_the_conductor_and_coordinators_with_constant_queries(
    client, personas, django_assert_max_num_queries
):
    org = personas.organisation
    line = build_line(org)
    conductor_user = make_member(org, Role.TEACHER)
    conductor = build_teacher(org, user=conductor_user, is_conductor=True)
    ensemble, players = build_players(org, [("violin", 2), ("cello", 1), ("trumpet", 1)])
    ensemble.conductor = conductor
    ensemble.save()
    place(players, line)
    for _n in range(3):
        build_piece(org, line, [("Viool", "violin", 2), ("Trompet", "trumpet", 2)])
    url = reverse("repertoire:finder", args=[ensemble.pk])
    client.force_login(conductor_user)
    response = client.get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="repertoire.finder", object_id=str(ensemble.pk))
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _n in range(25):
        build_piece(org, line, [("Viool", "violin", 2), ("Cello", "cello", 3)], shared=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["finding"].pieces) == 28
    # A teacher who does not conduct it gets nothing; the coordinators do.
    client.force_login(personas.member)
    assert client.get(url).status_code == 404
    client.force_login(personas.owner)
    assert client.get(url).status_code == 200
