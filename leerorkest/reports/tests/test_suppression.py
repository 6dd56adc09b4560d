"""Small-cell suppression: no count of 1–4 children leaves the organisation, and a hidden cell
cannot be worked out from a row's or column's total and the cells beside it."""

from hypothesis import given
from hypothesis import strategies as st

from leerorkest.reports.suppression import HIDDEN, cell, table


def test_one_count():
    assert [cell(n) for n in (0, 1, 4, 5, 120)] == [0, HIDDEN, HIDDEN, 5, 120]
    assert cell("Zuidoost") == "Zuidoost"


def test_a_lone_small_cell_takes_its_smallest_neighbour_with_it():
    rows = [["Noord", 3], ["Oost", 12], ["Zuidoost", 30]]
    # 12 goes too: the total minus 30 would give the 3 away.
    assert table(rows, count_columns=[1]) == [["Noord", HIDDEN], ["Oost", HIDDEN], ["Zuidoost", 30]]


def test_secondary_suppression_follows_rows_and_columns_until_nothing_can_be_worked_out():
    rows = [["Noord", 3, 40], ["Oost", 12, 30], ["Zuidoost", 25, 8], ["West", 50, 60]]
    # Noord's 3 takes 40 (row) and 12 (column); 12 takes 30 (row); 40 and 30 are both hidden
    # in column 2 already; Zuidoost's 8 takes 25 (row) and 25 is the third hidden in column 1.
    assert table(rows, count_columns=[1, 2]) == [
        ["Noord", HIDDEN, HIDDEN],
        ["Oost", HIDDEN, HIDDEN],
        ["Zuidoost", HIDDEN, HIDDEN],
        ["West", 50, 60],
    ]


def test_two_small_cells_in_a_line_need_nothing_more():
    rows = [["A", 2], ["B", 3], ["C", 50]]
    assert table(rows, count_columns=[1]) == [["A", HIDDEN], ["B", HIDDEN], ["C", 50]]


def test_without_totals_only_the_small_cells_go():
    rows = [["A", 2, 9], ["B", 30, 7]]
    assert table(rows, count_columns=[1, 2], totals=False) == [["A", HIDDEN, 9], ["B", 30, 7]]


def test_zero_is_shown():
    assert table([["A", 0], ["B", 9]], count_columns=[1]) == [["A", 0], ["B", 9]]


counts = st.integers(min_value=0, max_value=60)


grids = st.integers(min_value=1, max_value=5).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=8)
)


@given(grids)
def test_no_small_count_and_no_lone_hidden_cell(grid):
    width = len(grid[0])
    result = table([["label", *row] for row in grid], count_columns=list(range(1, width + 1)))
    for original, shown in zip(grid, result, strict=True):
        for value, out in zip(original, shown[1:], strict=True):
            assert out == HIDDEN or (out == value and not 0 < value < 5)
    # In any row or column, a hidden cell has company, unless it is the only non-zero cell
    # (then the total is the cell itself and is hidden with it wherever it is shown).
    lines = [row[1:] for row in result] + [
        list(col) for col in zip(*(r[1:] for r in result), strict=True)
    ]
    originals = [list(row) for row in grid] + [list(col) for col in zip(*grid, strict=True)]
    for line, original in zip(lines, originals, strict=True):
        hidden = sum(1 for v in line if v == HIDDEN)
        nonzero = sum(1 for v in original if v > 0)
        assert hidden != 1 or nonzero == 1, (line, original)
