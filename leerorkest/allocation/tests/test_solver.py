"""The allocation solver on plain data (no database)."""

from leerorkest.allocation.solver import (
    Instance,
    Line,
    StockGroup,
    achievable_per_programme,
    km,
    solve,
    solve_greedy,
)

AMSTERDAM = (52.37, 4.90)
GRONINGEN = (53.22, 6.57)
VIOLIN, CELLO = 1, 2


def group(gid, size, n, *, condition="B", place=AMSTERDAM, type_id=VIOLIN, location=None):
    return StockGroup(gid, type_id, size, condition, location or gid, n, *place)


def line(lid, size, n, *, programme=1, up=False, down=False, place=AMSTERDAM, type_id=VIOLIN):
    return Line(lid, programme, type_id, size, n, up, down, *place, arrival=lid)


def picks(result, line_id):
    return sorted((p.group_id, p.count, p.offset) for p in result.lines[line_id].picks)


def test_exact_size_before_a_substitute():
    instance = Instance(
        [line(1, 4, 3, up=True, down=True)],
        [group(10, 5, 5), group(11, 4, 2), group(12, 3, 5)],
    )
    result = solve(instance)
    assert result.status == "OPTIMAL"
    assert result.lines[1].exact == 2
    assert result.lines[1].substituted == 1
    assert result.lines[1].short == 0


def test_substitution_only_where_the_line_allows_it():
    instance = Instance(
        [line(1, 4, 3), line(2, 4, 3, programme=2, up=True)],
        [group(10, 5, 10), group(11, 3, 10)],  # one up and one down in stock, no exact
    )
    result = solve(instance)
    assert result.lines[1].filled == 0 and result.lines[1].short == 3
    assert picks(result, 2) == [(10, 3, 1)]  # up allowed, down not


def test_a_substitute_that_lets_another_line_have_the_exact_size():
    # One 1/2 in stock and one 3/4: the flexible line takes 3/4 so the strict line can be served.
    instance = Instance(
        [line(1, 4, 1, up=True), line(2, 4, 1, programme=2)],
        [group(10, 4, 1), group(11, 5, 1)],
    )
    result = solve(instance)
    assert picks(result, 1) == [(11, 1, 1)]
    assert picks(result, 2) == [(10, 1, 0)]
    greedy = solve_greedy(instance)  # first come: line 1 takes the exact one, line 2 nothing
    assert greedy.lines[2].filled == 0


def test_better_condition_first_then_nearest():
    instance = Instance(
        [line(1, 4, 2, place=GRONINGEN)],
        [
            group(10, 4, 5, condition="C", place=GRONINGEN),
            group(11, 4, 1, condition="A", place=AMSTERDAM),
            group(12, 4, 5, condition="B", place=AMSTERDAM),
            group(13, 4, 5, condition="B", place=GRONINGEN),
        ],
    )
    result = solve(instance)
    assert picks(result, 1) == [(11, 1, 0), (13, 1, 0)]


def test_condition_does_not_beat_the_exact_size():
    instance = Instance(
        [line(1, 4, 1, up=True)],
        [group(10, 4, 1, condition="C"), group(11, 5, 1, condition="A")],
    )
    assert picks(solve(instance), 1) == [(10, 1, 0)]


def test_fair_share_when_stock_is_short():
    # Ten cellos 1/4; programme 1 asked first for ten, programme 2 for ten.
    instance = Instance(
        [line(1, 1, 10, type_id=CELLO), line(2, 1, 10, programme=2, type_id=CELLO)],
        [group(10, 1, 10, type_id=CELLO)],
    )
    result = solve(instance)
    assert result.lines[1].filled == 5
    assert result.lines[2].filled == 5
    figures = result.figures(instance)
    assert figures["min_fair_share"] == 0.5
    greedy = solve_greedy(instance)
    assert (greedy.lines[1].filled, greedy.lines[2].filled) == (10, 0)
    assert greedy.figures(instance)["min_fair_share"] == 0.0


def test_fair_share_is_of_what_the_stock_could_give():
    # Programme 3 wants something the depot lacks: it must not pull the others down to zero.
    instance = Instance(
        [
            line(1, 4, 6),
            line(2, 4, 6, programme=2),
            line(3, 0, 5, programme=3),  # violin 1/16: none in stock
        ],
        [group(10, 4, 6)],
    )
    assert achievable_per_programme(instance) == {1: 6, 2: 6, 3: 0}
    result = solve(instance)
    assert (result.lines[1].filled, result.lines[2].filled) == (3, 3)


def test_balance_between_programmes_beyond_the_smallest_share():
    # Programmes 1 and 2 share scarce cellos (the smallest share); 3 and 4 share violins,
    # which are less scarce: they must still split them evenly, not 6-2.
    instance = Instance(
        [
            line(1, 1, 10, type_id=CELLO),
            line(2, 1, 10, programme=2, type_id=CELLO),
            line(3, 4, 6, programme=3),
            line(4, 4, 6, programme=4),
        ],
        [group(10, 1, 2, type_id=CELLO), group(11, 4, 8)],
    )
    result = solve(instance)
    assert (result.lines[3].filled, result.lines[4].filled) == (4, 4)


def test_no_sizes_match_only_no_sizes():
    instance = Instance(
        [line(1, None, 2, type_id=3)],
        [group(10, None, 1, type_id=3), group(11, 2, 5, type_id=3)],
    )
    assert picks(solve(instance), 1) == [(10, 1, 0)]


def test_same_input_same_output():
    lines = [line(i, 3 + i % 3, 2 + i % 4, programme=i % 5, up=i % 2 == 0) for i in range(40)]
    groups = [
        group(100 + g, 2 + g % 6, 1 + g % 5, condition="ABC"[g % 3], location=g % 4)
        for g in range(60)
    ]
    first = solve(Instance(lines, groups))
    second = solve(Instance(list(reversed(lines)), list(reversed(groups))))
    assert {k: picks(first, k) for k in first.lines} == {k: picks(second, k) for k in second.lines}
    assert first.status == "OPTIMAL"


def test_cp_sat_never_less_fair_than_greedy_and_reports_the_same_shape():
    lines = [line(i, 4 + i % 2, 3, programme=i % 4, up=True) for i in range(12)]
    groups = [group(10, 4, 7), group(11, 5, 9)]
    instance = Instance(lines, groups)
    best, greedy = solve(instance), solve_greedy(instance)
    a, b = best.figures(instance), greedy.figures(instance)
    assert a["min_fair_share"] >= b["min_fair_share"]
    assert set(a) == set(b)
    assert a["filled"] + a["short"] == a["requested"] == 36


def test_distance():
    assert km(line(1, 1, 1), group(1, 1, 1)) == 0
    assert 140 < km(line(1, 1, 1, place=GRONINGEN), group(1, 1, 1)) < 155  # as the crow flies
