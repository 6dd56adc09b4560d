"""Instrument choice pages: the preference grid, section sizes, the run, overrides, access."""

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.programme.choice import actions
from leerorkest.programme.models import AssignmentRun, InstrumentChoice, SectionTarget
from leerorkest.testing import instrument, make_school
from tests.access_choice import make_year_group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English, so the messages checked below do not depend on the translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, data, **extra):
    kwargs = {"school_pk": data.school.pk, "year_group": data.scope.year_group, **extra}
    return reverse(f"programme:{name}", kwargs=kwargs) + f"?year={data.year.pk}"


def grid_post(data, rows):
    """POST body for the grid: rows maps pupil -> up to three instrument codes."""
    body = {}
    for pupil in data.pupils:
        codes = [*rows.get(pupil, ()), "", "", ""][:3]
        for slot, code in zip(actions.SLOTS, codes, strict=True):
            body[f"p{pupil.pk}-{slot}"] = instrument(code).pk if code else ""
    return body


def test_grid_lists_every_pupil_with_three_selects_from_the_menu(client, personas):
    data = make_year_group(personas.organisation, pupils=4, menu=("violin", "cello"))
    client.force_login(personas.owner)
    response = client.get(url("choice_grid", data))
    assert response.status_code == 200
    html = response.content.decode()
    for pupil in data.pupils:
        for slot in actions.SLOTS:
            assert f'name="p{pupil.pk}-{slot}"' in html
    assert html.count(f'<option value="{instrument("violin").pk}">Violin</option>') == 12
    assert f'<option value="{instrument("flute").pk}"' not in html  # not on the menu
    # Showing the grid is a read of these pupils: one audit row naming them.
    event = AuditEvent.objects.get(action="pupil.list")
    assert sorted(event.details["pupil_ids"]) == sorted(p.pk for p in data.pupils)


def test_grid_saves_every_row(client, personas):
    data = make_year_group(personas.organisation, pupils=3)
    first, second, third = data.pupils
    client.force_login(personas.owner)
    body = grid_post(data, {first: ("violin", "cello", "flute"), second: ("flute",), third: ()})
    response = client.post(url("choice_grid", data), body)
    assert response.status_code == 302
    saved = {c.pupil_id: c for c in InstrumentChoice.objects.all()}
    assert set(saved) == {first.pk, second.pk}  # an empty row makes no choice
    assert saved[first.pk].preferences == [instrument(c) for c in ("violin", "cello", "flute")]
    assert saved[second.pk].preferences == [instrument("flute")]
    assert AuditEvent.objects.filter(action="instrument_choice.save").count() == 1
    # Saving the same again changes nothing.
    client.post(url("choice_grid", data), body)
    assert AuditEvent.objects.filter(action="instrument_choice.save").count() == 1
    # Clearing a row keeps the row (an assignment may hang on it) without preferences.
    client.post(url("choice_grid", data), grid_post(data, {first: ("violin",)}))
    assert InstrumentChoice.objects.get(pupil=second).preferences == []


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (("violin", "violin"), "The same instrument is chosen twice."),
        (("", "cello"), "Fill in the choices in order"),
    ],
)
def test_grid_refuses_a_bad_row_and_saves_nothing(client, personas, bad_row, message):
    data = make_year_group(personas.organisation, pupils=3)
    good, bad, _other = data.pupils
    client.force_login(personas.owner)
    response = client.post(
        url("choice_grid", data), grid_post(data, {good: ("violin",), bad: bad_row})
    )
    assert response.status_code == 400
    assert not InstrumentChoice.objects.exists()
    form = response.context["form"]
    assert list(form.row_errors) == [bad.pk]
    assert message in form.row_errors[bad.pk][0]
    html = response.content.decode()
    assert f'id="row-error-{bad.pk}"' in html
    # The error sits in the child's row, and what was typed is still there.
    row = html[html.index(bad.sort_name) : html.index("</tr>", html.index(bad.sort_name))]
    assert message.split(":")[0] in row.replace("&#x27;", "'")
    assert f'value="{instrument("violin").pk}" selected' in html


def test_grid_refuses_instruments_off_the_menu(client, personas):
    data = make_year_group(personas.organisation, pupils=2, menu=("violin", "cello"))
    client.force_login(personas.owner)
    body = grid_post(data, {data.pupils[0]: ("violin",)})
    body[f"p{data.pupils[1].pk}-first"] = instrument("harp").pk
    response = client.post(url("choice_grid", data), body)
    assert response.status_code == 400
    assert not InstrumentChoice.objects.exists()
    assert list(response.context["form"].row_errors) == [data.pupils[1].pk]


def test_save_choices_checks_menu_and_pupils_itself(personas):
    data = make_year_group(personas.organisation, pupils=2, menu=("violin",))
    harp, violin = instrument("harp").pk, instrument("violin").pk
    with pytest.raises(actions.ChoiceGridError) as refused:
        actions.save_choices(
            scope=data.scope,
            preferences={data.pupils[0].pk: [violin], data.pupils[1].pk: [harp]},
            by=personas.owner,
        )
    assert set(refused.value.errors) == {data.pupils[1].pk}
    other = make_year_group(personas.organisation, pupils=1)
    with pytest.raises(DomainError):
        actions.save_choices(
            scope=data.scope, preferences={other.pupils[0].pk: [violin]}, by=personas.owner
        )
    assert not InstrumentChoice.objects.exists()


def test_default_section_sizes_spread_the_class_over_the_menu():
    menu = [instrument(c) for c in ("violin", "cello", "double-bass", "flute", "trumpet")]
    targets = actions.default_targets(28, 1, menu)
    assert sum(targets.values()) == 28
    # One group per class: no more than a lesson group holds, unless the class needs more.
    assert targets[instrument("double-bass").pk] <= 4 + 4
    assert max(targets.values()) - min(targets.values()) <= 2
    assert actions.default_targets(12, 1, menu)[instrument("violin").pk] == 3
    # One class of 20 fits in one group of each: nobody above its lesson-group size.
    assert all(
        n <= i.lesson_group_size
        for i, n in zip(menu, actions.default_targets(20, 1, menu).values(), strict=True)
    )
    assert actions.default_targets(0, 1, menu) == {i.pk: 0 for i in menu}
    assert actions.default_targets(5, 1, []) == {}


def test_section_sizes_page_suggests_and_saves(client, personas):
    data = make_year_group(personas.organisation, pupils=9, menu=("violin", "cello", "flute"))
    client.force_login(personas.owner)
    response = client.get(url("choice_sections", data))
    assert response.status_code == 200
    violin = response.context["form"].fields[f"i{instrument('violin').pk}"]
    assert violin.initial == 3
    assert violin.help_text  # "suggested" until saved
    assert response.context["total"] == 9
    fields = {f"i{instrument(c).pk}": n for c, n in (("violin", 4), ("cello", 3), ("flute", -1))}
    response = client.post(url("choice_sections", data), fields)
    assert response.status_code == 400  # negative size
    assert not SectionTarget.objects.exists()
    fields[f"i{instrument('flute').pk}"] = 2
    assert client.post(url("choice_sections", data), fields).status_code == 302
    saved = dict(SectionTarget.objects.values_list("instrument__code", "wanted"))
    assert saved == {"violin": 4, "cello": 3, "flute": 2}
    response = client.get(url("choice_sections", data))
    assert not response.context["form"].fields[f"i{instrument('violin').pk}"].help_text
    assert AuditEvent.objects.filter(action="section_targets.save").exists()


def set_preferences(data, rows):
    for pupil, codes in rows.items():
        first, second, third = [*[instrument(c) for c in codes], None, None, None][:3]
        InstrumentChoice.objects.create(
            pupil=pupil, school_year=data.year, first=first, second=second, third=third
        )


def targets(data, **wanted):
    for code, n in wanted.items():
        SectionTarget.objects.create(
            school=data.school,
            school_year=data.year,
            year_group=5,
            instrument=instrument(code),
            wanted=n,
        )


def test_running_the_assignment_stores_counts_and_writes_the_audit(client, personas):
    data = make_year_group(personas.organisation, pupils=5)
    a, b, c, d, _e = data.pupils  # e gave no preferences
    set_preferences(
        data,
        {a: ("violin", "cello"), b: ("violin", "flute"), c: ("violin",), d: ("cello", "violin")},
    )
    targets(data, violin=1, cello=1, flute=2)
    client.force_login(personas.owner)
    response = client.post(url("choice_run", data))
    assert response.status_code == 302
    run = AssignmentRun.objects.get()
    assert run.summary["status"] == "OPTIMAL"
    assert run.summary["objective"] == run.summary["bound"]
    assert run.summary["capacity"] == {"violin": 1, "cello": 1, "flute": 2}
    counts = {k: run.summary[k] for k in ("first", "second", "third", "none", "unplaced")}
    assert counts == {"first": 2, "second": 1, "third": 0, "none": 2, "unplaced": 1}
    assigned = dict(InstrumentChoice.objects.values_list("pupil_id", "assigned__code"))
    assert len(assigned) == 5  # a choice row for the child without preferences too
    assert sum(1 for v in assigned.values() if v == "violin") == 1
    assert sum(1 for v in assigned.values() if v == "flute") <= 2
    assert InstrumentChoice.objects.filter(assigned_by_run=run).count() == 5
    event = AuditEvent.objects.get(action="instrument_assignment.run")
    assert event.details["first"] == 2
    assert event.organisation == personas.organisation

    response = client.get(url("choice_result", data))
    assert response.status_code == 200
    assert response.context["counts"]["first"] == 2
    assert response.context["counts"]["unplaced"] == 1
    html = response.content.decode()
    assert 'data-key="first"><span><span class="value">2<' in html


def test_override_is_recorded_audited_and_kept_by_the_next_run(client, personas):
    data = make_year_group(personas.organisation, pupils=2)
    a, b = data.pupils
    set_preferences(data, {a: ("violin",), b: ("violin",)})
    targets(data, violin=1, cello=1, flute=0)
    client.force_login(personas.owner)
    client.post(url("choice_run", data))
    winner = InstrumentChoice.objects.get(assigned__code="violin").pupil
    loser = b if winner == a else a
    response = client.post(
        url("choice_override", data, pupil_pk=loser.pk), {"assigned": instrument("violin").pk}
    )
    assert response.status_code == 302
    choice = InstrumentChoice.objects.get(pupil=loser)
    assert choice.assigned == instrument("violin")
    assert choice.overridden_by == personas.owner
    event = AuditEvent.objects.get(action="instrument_choice.override")
    assert event.details["pupil_id"] == loser.pk
    assert event.details["assigned"] == "violin"

    # The next run keeps the override; the violin place it took is no longer free.
    client.post(url("choice_run", data))
    assert InstrumentChoice.objects.get(pupil=loser).assigned == instrument("violin")
    assert InstrumentChoice.objects.get(pupil=winner).assigned == instrument("cello")
    assert AssignmentRun.objects.first().summary["fixed"] == 1

    # Back to the run: the override is released and the next run decides again.
    client.post(url("choice_override", data, pupil_pk=loser.pk), {"assigned": "auto"})
    assert InstrumentChoice.objects.get(pupil=loser).overridden_by is None
    client.post(url("choice_override", data, pupil_pk=loser.pk), {"assigned": "none"})
    assert InstrumentChoice.objects.get(pupil=loser).assigned is None


def test_override_with_htmx_returns_the_result_with_new_counts(client, personas):
    data = make_year_group(personas.organisation, pupils=2)
    set_preferences(data, {data.pupils[0]: ("violin",), data.pupils[1]: ("cello",)})
    client.force_login(personas.owner)
    client.post(url("choice_run", data))
    response = client.post(
        url("choice_override", data, pupil_pk=data.pupils[0].pk),
        {"assigned": instrument("flute").pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="result"')
    assert "<h1>" not in html
    assert response.context["counts"]["first"] == 1
    assert response.context["counts"]["overridden"] == 1


def test_override_refuses_instruments_off_the_menu_and_other_pupils(client, personas):
    data = make_year_group(personas.organisation, pupils=1, menu=("violin",))
    other = make_year_group(personas.organisation, pupils=1)
    client.force_login(personas.owner)
    response = client.post(
        url("choice_override", data, pupil_pk=data.pupils[0].pk),
        {"assigned": instrument("harp").pk},
    )
    assert response.status_code == 302
    response = client.post(
        url("choice_override", data, pupil_pk=other.pupils[0].pk),
        {"assigned": instrument("violin").pk},
    )
    assert not InstrumentChoice.objects.exists()
    assert not AuditEvent.objects.filter(action="instrument_choice.override").exists()


def test_run_without_menu_or_pupils_is_refused(client, personas):
    data = make_year_group(personas.organisation, pupils=0)
    with pytest.raises(DomainError):
        actions.run_assignment(scope=data.scope, by=personas.owner)
    data = make_year_group(personas.organisation, pupils=2, menu=())
    client.force_login(personas.owner)
    response = client.post(url("choice_run", data), follow=True)
    assert "no instrument menu" in response.content.decode()
    assert not AssignmentRun.objects.exists()


def test_teachers_school_contacts_and_others_cannot_reach_the_pages(
    client, personas, platform_admin
):
    data = make_year_group(personas.organisation, pupils=1)
    for user, status in ((personas.member, 403), (platform_admin, 403), (personas.outsider, 404)):
        client.force_login(user)
        assert client.get(url("choice_grid", data)).status_code == status
        assert client.post(url("choice_run", data)).status_code == status
    client.force_login(personas.member)
    assert client.get(reverse("programme:choice_index")).status_code == 403
    assert not AssignmentRun.objects.exists()


def test_index_shows_only_the_programmes_schools(client, personas):
    mine = make_year_group(personas.organisation, pupils=3)
    set_preferences(mine, {mine.pupils[0]: ("violin",)})
    theirs = make_school(personas.other, name="Andere school")
    client.force_login(personas.owner)
    response = client.get(reverse("programme:choice_index"))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [s.pk for s in rows] == [mine.school.pk]
    assert (rows[0].pupils, rows[0].entered, rows[0].assigned) == (3, 1, 0)
    assert theirs.organisation.name not in response.content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_index_costs_the_same_queries_for_few_and_many_schools(
    client, personas, count, django_assert_max_num_queries
):
    first = make_year_group(personas.organisation, pupils=2)
    for _n in range(count - 1):
        make_year_group(personas.organisation, pupils=2, school_year=first.year)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme:choice_index") + "?sort=pupils")
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [3, 40])
def test_grid_and_result_cost_the_same_queries_for_few_and_many_pupils(
    client, personas, count, django_assert_max_num_queries
):
    data = make_year_group(personas.organisation, pupils=count, classes=2)
    set_preferences(data, dict.fromkeys(data.pupils, ("violin", "cello")))
    actions.run_assignment(scope=data.scope, by=personas.owner)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(16):
        response = client.get(url("choice_grid", data))
    assert len(response.context["placements"]) == count
    with django_assert_max_num_queries(18):
        response = client.get(url("choice_result", data))
    assert len(response.context["page"]) == count
