"""The instrument assignment on plain data: CP-SAT against the greedy baseline."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from leerorkest.programme.choice.solver import Child, Instance, count, score, solve, solve_greedy

VIOLIN, CELLO, FLUTE, HARP = 1, 2, 3, 4


def assert_valid(instance: Instance, assignment: dict) -> None:
    assert set(assignment) == {c.id for c in instance.children}
    used = Counter(i for i in assignment.values() if i is not None)
    for child in instance.children:
        if child.fixed:
            assert assignment[child.id] == child.assigned
        elif assignment[child.id] is not None:
            assert assignment[child.id] in instance.capacity  # only the menu
    for instrument, places in instance.capacity.items():
        fixed = sum(1 for c in instance.children if c.fixed and c.assigned == instrument)
        assert used[instrument] <= max(places, fixed)


def test_capacity_and_menu_are_respected():
    children = [Child(id=n, preferences=(VIOLIN, HARP, CELLO)) for n in range(1, 8)]
    instance = Instance(children, {VIOLIN: 3, CELLO: 2, FLUTE: 1})  # no harp on the menu
    result = solve(instance)
    assert_valid(instance, result.assignment)
    assert HARP not in result.assignment.values()
    assert result.counts["first"] == 3
    assert result.counts["second"] == 0  # harp is not on the menu
    assert result.counts["third"] == 2
    assert result.counts["other"] == 1  # the flute place is a leftover
    assert result.counts["unplaced"] == 1
    assert result.status == "OPTIMAL"
    assert result.objective == result.bound


def test_more_first_choices_outweigh_any_number_of_second_choices():
    # Giving child 1 the violin (first choice) leaves children 2-4 with nothing they wanted;
    # one first choice still beats three second choices.
    children = [
        Child(id=1, preferences=(VIOLIN,)),
        Child(id=2, preferences=(CELLO, VIOLIN)),
        Child(id=3, preferences=(CELLO, VIOLIN)),
    ]
    result = solve(Instance(children, {VIOLIN: 1, CELLO: 1}))
    assert result.assignment[1] == VIOLIN
    assert result.counts["first"] == 2


def test_cp_sat_beats_greedy_on_a_constructed_case():
    # Greedy hands the only violin to child 1 (lowest id), whose second choice, cello, was
    # free; child 2 wanted violin or flute, and flute has no places. The solver gives child 2
    # the violin and child 1 the cello: as many first choices and one more second choice.
    children = [
        Child(id=1, preferences=(VIOLIN, CELLO)),
        Child(id=2, preferences=(VIOLIN, FLUTE)),
    ]
    instance = Instance(children, {VIOLIN: 1, CELLO: 1, FLUTE: 0})
    greedy = solve_greedy(instance)
    best = solve(instance)
    assert greedy.assignment == {1: VIOLIN, 2: CELLO}
    assert greedy.counts["first"] == 1 and greedy.counts["second"] == 0
    assert best.assignment == {1: CELLO, 2: VIOLIN}
    assert best.counts["first"] == 1 and best.counts["second"] == 1
    assert score(best.counts) > score(greedy.counts)
    assert best.objective > greedy.objective


def test_the_same_input_gives_the_same_result():
    children = [
        Child(id=n, preferences=((VIOLIN, CELLO, FLUTE), (CELLO, VIOLIN), (FLUTE,), ())[n % 4])
        for n in range(1, 41)
    ]
    instance = Instance(children, {VIOLIN: 12, CELLO: 10, FLUTE: 12})
    results = [solve(instance).assignment for _run in range(3)]
    assert results[0] == results[1] == results[2]
    # Input order does not matter either.
    shuffled = Instance(list(reversed(children)), dict(reversed(instance.capacity.items())))
    assert solve(shuffled).assignment == results[0]


def test_fixed_children_are_kept_and_use_up_places():
    children = [
        Child(id=1, preferences=(VIOLIN,), fixed=True, assigned=FLUTE),
        Child(id=2, preferences=(VIOLIN,), fixed=True, assigned=None),
        Child(id=3, preferences=(FLUTE,)),
        Child(id=4, preferences=(FLUTE, VIOLIN)),
    ]
    instance = Instance(children, {VIOLIN: 2, FLUTE: 1})
    for result in (solve(instance), solve_greedy(instance)):
        assert result.assignment[1] == FLUTE
        assert result.assignment[2] is None
        assert result.assignment[4] == VIOLIN  # the only flute place is taken by child 1
        assert result.counts["fixed"] == 2
        assert_valid(instance, result.assignment)


def test_children_without_preferences_get_leftover_places():
    children = [Child(id=1, preferences=(VIOLIN,)), Child(id=2), Child(id=3)]
    result = solve(Instance(children, {VIOLIN: 1, CELLO: 1}))
    assert result.assignment[1] == VIOLIN
    assert sorted(result.assignment[n] or 0 for n in (2, 3)) == [0, CELLO]
    assert result.counts == count(Instance(children, {VIOLIN: 1, CELLO: 1}), result.assignment)
    assert result.counts["none"] == 2 and result.counts["unplaced"] == 1


def test_empty_input():
    for instance in (Instance([], {}), Instance([], {VIOLIN: 3}), Instance([Child(id=1)], {})):
        result = solve(instance)
        assert result.status == "OPTIMAL"
        assert result.objective == 0
        assert all(i is None for i in result.assignment.values())
        assert result.counts["first"] == 0


preferences = st.lists(st.sampled_from([VIOLIN, CELLO, FLUTE, HARP]), max_size=3, unique=True)


@settings(max_examples=40, deadline=None)
@given(
    prefs=st.lists(preferences, max_size=25),
    places=st.tuples(*[st.integers(0, 8)] * 3),
    fixed=st.sets(st.integers(0, 24), max_size=4),
)
def test_cp_sat_is_never_worse_than_greedy(prefs, places, fixed):
    children = [
        Child(
            id=n + 1,
            preferences=tuple(p),
            fixed=n in fixed,
            assigned=(p[0] if p else None) if n in fixed else None,
        )
        for n, p in enumerate(prefs)
    ]
    instance = Instance(children, dict(zip((VIOLIN, CELLO, FLUTE), places, strict=True)))
    best = solve(instance)
    greedy = solve_greedy(instance)
    assert_valid(instance, best.assignment)
    assert_valid(instance, greedy.assignment)
    assert score(best.counts) >= score(greedy.counts)
    assert best.objective == best.bound
