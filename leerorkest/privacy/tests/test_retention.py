"""Target P3: pupils whose time ended more than RETENTION_YEARS ago are pseudonymised by the
`retention` command and task; idempotent, with a dry run, one audit row per run, no names."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from leerorkest.accounts.models import AuditEvent
from leerorkest.privacy import actions
from leerorkest.privacy.tasks import retention
from leerorkest.programme.models import Ensemble, EnsembleKind, EnsembleMember
from leerorkest.schools.models import ClassPlacement, Pupil
from leerorkest.testing import make_class, make_pupil, make_school, make_school_year


def school_year_start(day: date) -> int:
    return day.year if day.month >= 8 else day.year - 1


@pytest.fixture
def pupils(personas):
    """One pupil per case, placed relative to today (the command uses the real date)."""
    today = timezone.localdate()
    this_year = school_year_start(today)
    school = make_school(personas.organisation)
    old_class = make_class(school, year_group=8, school_year=make_school_year(this_year - 4))
    last_year_class = make_class(school, year_group=8, school_year=make_school_year(this_year - 1))
    current_class = make_class(school, year_group=6, school_year=make_school_year(this_year))
    neighbourhood = Ensemble.objects.create(
        organisation=personas.organisation,
        kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA,
        name="Wijktalentorkest Oost",
        school_year=make_school_year(this_year),
    )
    cases = {
        "left_long_ago": make_pupil(
            organisation=personas.organisation,
            given_name="Ada",
            left_on=today - timedelta(days=3 * 365),
        ),
        "left_recently": make_pupil(
            organisation=personas.organisation, left_on=today - timedelta(days=200)
        ),
        "last_class_long_ago": make_pupil(old_class, given_name="Bram"),
        "last_class_last_year": make_pupil(last_year_class),
        "current": make_pupil(current_class),
        "old_class_but_plays_on": make_pupil(old_class),
        "registered_long_ago_never_placed": make_pupil(organisation=personas.organisation),
        "registered_recently_never_placed": make_pupil(organisation=personas.organisation),
    }
    EnsembleMember.objects.create(
        ensemble=neighbourhood, pupil=cases["old_class_but_plays_on"], is_senior=True
    )
    Pupil.objects.filter(pk=cases["registered_long_ago_never_placed"].pk).update(
        created_at=timezone.now() - timedelta(days=3 * 365)
    )
    return cases


EXPIRED = {"left_long_ago", "last_class_long_ago", "registered_long_ago_never_placed"}


def erased(pupils) -> set[str]:
    done = set(Pupil.objects.filter(pseudonymised_at__isnull=False).values_list("pk", flat=True))
    return {case for case, pupil in pupils.items() if pupil.pk in done}


def test_retention_pseudonymises_exactly_the_expired_pupils(pupils):
    placements = ClassPlacement.objects.count()
    result = actions.apply_retention()
    assert result.count == len(EXPIRED)
    assert erased(pupils) == EXPIRED
    ada = Pupil.objects.get(pk=pupils["left_long_ago"].pk)
    assert ada.given_name == "Leerling" and ada.date_of_birth is None
    assert ada.left_on == pupils["left_long_ago"].left_on  # kept for statistics
    assert ClassPlacement.objects.count() == placements


def test_a_second_run_changes_nothing_and_each_run_is_logged(pupils):
    first = actions.apply_retention()
    snapshot = list(Pupil.objects.order_by("pk").values())
    second = actions.apply_retention()
    assert second.count == 0
    assert list(Pupil.objects.order_by("pk").values()) == snapshot
    runs = list(AuditEvent.objects.filter(action="privacy.retention").order_by("id"))
    assert [run.details["count"] for run in runs] == [first.count, 0]
    assert runs[0].actor is None
    assert sorted(runs[0].details["pupil_ids"]) == sorted(pupils[c].pk for c in EXPIRED)
    # No names in the trail of a run.
    text = json.dumps([run.details for run in runs]) + " ".join(r.object_repr for r in runs)
    assert "Ada" not in text and "Bram" not in text


def test_dry_run_counts_and_changes_nothing(pupils):
    result = actions.apply_retention(dry_run=True)
    assert result.count == len(EXPIRED)
    assert erased(pupils) == set()
    run = AuditEvent.objects.get(action="privacy.retention")
    assert run.details["dry_run"] is True


def test_the_period_is_configurable(pupils, settings):
    settings.RETENTION_YEARS = 5
    assert actions.apply_retention().count == 0
    settings.RETENTION_YEARS = 1
    assert erased(pupils) == set()
    ids = actions.apply_retention().pupil_ids
    # A year on: the pupil who left 200 days ago is still kept, last year's class too.
    assert {case for case, p in pupils.items() if p.pk in ids} == EXPIRED


def test_cutoff_on_a_leap_day():
    assert actions.retention_cutoff(date(2028, 2, 29), years=2) == date(2026, 2, 28)
    assert actions.retention_cutoff(date(2026, 11, 27), years=2) == date(2024, 11, 27)


def test_command_reports_counts_without_names(pupils):
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert out.getvalue().startswith(f"Dry run: {len(EXPIRED)} pupils would be pseudonymised")
    assert erased(pupils) == set()
    out = StringIO()
    call_command("retention", stdout=out)
    assert out.getvalue().startswith(f"{len(EXPIRED)} pupils pseudonymised")
    assert "Ada" not in out.getvalue()
    out = StringIO()
    call_command("retention", stdout=out)
    assert out.getvalue().startswith("Nothing to do")
    assert erased(pupils) == EXPIRED


def test_task_runs_the_same_action(pupils):
    result = retention.enqueue()
    assert result.return_value == len(EXPIRED)
    assert erased(pupils) == EXPIRED
    assert retention.enqueue().return_value == 0
