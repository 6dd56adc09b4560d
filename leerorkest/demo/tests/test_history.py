"""Last school year's playing history in the demo (issue 7), on the Amsterdam programme's schools,
classes, pupils and this year's groups and ensembles (the steps the history stands on; the depot,
timetable and knowledge steps are left out to keep the test quick)."""

import random

import pytest
from django.db import transaction

from leerorkest.demo import build as demo_build
from leerorkest.demo import programme as programme_steps
from leerorkest.demo.history import step_history
from leerorkest.programme.models import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    LessonGroup,
    LessonGroupMember,
)
from leerorkest.schools.models import ClassPlacement, Pupil

BASE_STEPS = [
    demo_build.step_places,
    demo_build.step_organisations,
    demo_build.step_schools,
    demo_build.step_people,
    *programme_steps.STEPS,
]


class Rollback(Exception):
    pass


def build_history(seed: int) -> demo_build.Demo:
    demo = demo_build.Demo(
        scale=demo_build.SCALES["amsterdam"],
        rng=random.Random(seed),
        password_hash="!",  # nobody logs in here
    )
    for step in BASE_STEPS:
        step(demo)
    step_history(demo)
    return demo


def summary(demo) -> dict:
    last, now = demo.years[-1], demo.years[0]
    groups = LessonGroup.objects.filter(school_year=last)
    return {
        "groups": sorted(
            groups.values_list("school__organisation__name", "name", "teacher__email")
        ),
        "players": LessonGroupMember.objects.filter(school_year=last).count(),
        "new pupils": sorted(
            Pupil.objects.filter(placements__school_year=last)
            .exclude(placements__school_year=now)
            .values_list("given_name", "surname_prefix", "surname", "date_of_birth")
        ),
        "members": sorted(
            EnsembleMember.objects.filter(ensemble__school_year=last).values_list(
                "ensemble__name", "pupil__given_name", "pupil__surname", "instrument__code"
            )
        ),
        "playing on": sorted(
            EnsembleMember.objects.filter(
                ensemble__school_year=now, pupil__placements__school_year=last
            )
            .exclude(pupil__placements__school_year=now)
            .values_list("ensemble__name", "pupil__given_name", "pupil__surname", "is_senior")
        ),
    }


def test_last_year_has_groups_dropouts_leavers_and_ensembles(db):
    demo = build_history(seed=2026)
    programme = demo.organisations["programme"]
    last, now = demo.years[-1], demo.years[0]
    groups = LessonGroup.objects.filter(school_year=last)
    assert set(groups.values_list("year_group", flat=True)) == {5, 6, 7, 8}
    assert not groups.exclude(organisation=programme).exists()
    # Every player is in a group of last year's groep of their class then.
    placed = dict(
        ClassPlacement.objects.filter(school_year=last).values_list(
            "pupil_id", "school_class__year_group"
        )
    )
    school_of = dict(
        ClassPlacement.objects.filter(school_year=last).values_list(
            "pupil_id", "school_class__school_id"
        )
    )
    rows = LessonGroupMember.objects.filter(school_year=last).values_list(
        "pupil_id", "group__year_group", "group__school_id", "group__max_size", "group_id"
    )
    sizes: dict[int, int] = {}
    for pupil_id, year_group, school_id, max_size, group_id in rows:
        assert placed[pupil_id] == year_group
        assert school_of[pupil_id] == school_id
        sizes[group_id] = sizes.get(group_id, 0) + 1
        assert sizes[group_id] <= max_size
    # Last year's groep 5–7 are this year's groep 6–8: all of them played last year.
    now_groep_6_to_8 = set(
        ClassPlacement.objects.filter(
            school_year=now, school_class__year_group__in=(6, 7, 8)
        ).values_list("pupil_id", flat=True)
    )
    played_last = set(
        LessonGroupMember.objects.filter(school_year=last).values_list("pupil_id", flat=True)
    )
    assert now_groep_6_to_8 <= played_last
    # The demo teacher's groups are this year's only.
    demo_teacher = demo.teachers[0]
    assert not groups.filter(teacher=demo_teacher).exists()

    # A few switched instrument: last year's group another instrument than this year's.
    instrument_last = dict(
        LessonGroupMember.objects.filter(school_year=last).values_list(
            "pupil_id", "group__instrument_id"
        )
    )
    instrument_now = dict(
        LessonGroupMember.objects.filter(school_year=now).values_list(
            "pupil_id", "group__instrument_id"
        )
    )
    switched = [p for p, i in instrument_now.items() if instrument_last[p] != i]
    assert 0.01 * len(instrument_now) < len(switched) < 0.08 * len(instrument_now)

    # The children who stopped: last year only, left at its end, in no group this year.
    dropouts = Pupil.objects.filter(
        placements__school_year=last, placements__school_class__year_group__lt=8
    ).exclude(placements__school_year=now)
    assert 0.03 * len(now_groep_6_to_8) < dropouts.count() < 0.12 * len(now_groep_6_to_8)
    assert set(dropouts.values_list("left_on", flat=True)) == {last.ends_on}
    assert not dropouts.exclude(pk__in=played_last).exists()
    assert not LessonGroupMember.objects.filter(school_year=now, pupil__in=dropouts).exists()
    assert not dropouts.exclude(organisation=programme).exists()

    # Last year's groep 8 left for secondary school; some play on this year.
    leavers = Pupil.objects.filter(
        placements__school_year=last, placements__school_class__year_group=8
    )
    schools = len(demo.menus)
    assert 23 * schools <= leavers.count() <= 27 * schools
    assert not ClassPlacement.objects.filter(pupil__in=leavers, is_leaving=False).exists()
    assert not leavers.filter(secondary_school="").exists()
    assert set(leavers.values_list("left_on", flat=True)) == {last.ends_on}
    assert not leavers.exclude(pk__in=played_last).exists()
    playing_on = EnsembleMember.objects.filter(
        pupil__in=leavers, ensemble__school_year=now, status=EnsembleMember.Status.ACTIVE
    )
    seniors = playing_on.filter(ensemble__kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA)
    assert seniors.exists() and not seniors.filter(is_senior=False).exists()
    assert playing_on.filter(ensemble__kind=EnsembleKind.SECONDARY).count() == 20
    assert 0.05 * leavers.count() < playing_on.count() < 0.11 * leavers.count()

    # Last year's ensembles: a school orchestra per school and groep 5–8, three talent
    # orchestras named as this year's.
    orchestras = Ensemble.objects.filter(school_year=last, kind=EnsembleKind.SCHOOL_ORCHESTRA)
    assert orchestras.count() == 4 * schools
    assert set(orchestras.values_list("year_group", flat=True)) == {5, 6, 7, 8}
    in_orchestras = set(
        EnsembleMember.objects.filter(ensemble__in=orchestras).values_list("pupil_id", flat=True)
    )
    assert in_orchestras == played_last
    talent = Ensemble.objects.filter(school_year=last, kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA)
    assert sorted(talent.values_list("name", "venue")) == sorted(
        Ensemble.objects.filter(
            school_year=now, kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA
        ).values_list("name", "venue")
    )
    talent_members = EnsembleMember.objects.filter(ensemble__in=talent)
    for ensemble in talent:
        assert 23 <= ensemble.members.filter(status=EnsembleMember.Status.ACTIVE).count() <= 27
    talent_ids = list(talent_members.values_list("pupil_id", flat=True))
    assert len(talent_ids) == len(set(talent_ids))  # a child plays in one talent orchestra
    assert {placed[p] for p in talent_ids} <= {6, 7, 8}


def test_the_history_follows_the_seed(db):
    summaries = []
    for seed in (7, 7, 8):
        with pytest.raises(Rollback), transaction.atomic():
            summaries.append(summary(build_history(seed)))
            raise Rollback
    assert summaries[0] == summaries[1]
    assert summaries[0]["players"] > 2000 and summaries[0]["playing on"]
    assert summaries[0] != summaries[2]


def test_nothing_to_look_back_on_without_last_years_participation(db):
    from leerorkest.schools.models import SchoolParticipation

    demo = demo_build.Demo(
        scale=demo_build.SCALES["amsterdam"], rng=random.Random(1), password_hash="!"
    )
    for step in BASE_STEPS:
        step(demo)
    SchoolParticipation.objects.filter(school_year=demo.years[-1]).delete()
    pupils = Pupil.objects.count()
    step_history(demo)
    assert not LessonGroup.objects.filter(school_year=demo.years[-1]).exists()
    assert not Ensemble.objects.filter(school_year=demo.years[-1]).exists()
    assert Pupil.objects.count() == pupils
