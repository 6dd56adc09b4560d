"""Small-cell suppression for figures that leave the organisation (funder packs, the public
page): a count of 1 to 4 children could point at a child, so it is shown as "<5". Where a
table has a total, one suppressed cell could be worked out from the total and the others, so
the next smallest cell of that row or column is suppressed as well (secondary suppression).
Zero stays zero: it names no one."""

from collections.abc import Sequence

THRESHOLD = 5
HIDDEN = "<5"


def is_small(value) -> bool:
    return isinstance(value, int) and 0 < value < THRESHOLD


def cell(value):
    """One count, suppressed when small."""
    return HIDDEN if is_small(value) else value


def _complement(values: list, hidden: set[int]) -> None:
    """If exactly one cell of this line is hidden, hide the smallest other non-zero one too."""
    if len(hidden) != 1:
        return
    others = [
        (v, i) for i, v in enumerate(values) if i not in hidden and isinstance(v, int) and v > 0
    ]
    if others:
        hidden.add(min(others)[1])


def table(rows: Sequence[Sequence], *, count_columns: Sequence[int], totals: bool = True):
    """Suppress the count columns of a table (a list of rows). With `totals`, the rows and the
    columns are assumed to add up to totals that are shown, and secondary suppression keeps a
    hidden cell from being worked out. Returns new rows; other columns are left as they are."""
    grid = [list(r) for r in rows]
    hidden: set[tuple[int, int]] = {
        (r, c) for r, row in enumerate(grid) for c in count_columns if is_small(row[c])
    }
    if totals:
        changed = True
        while changed:
            changed = False
            for r, row in enumerate(grid):
                line = [row[c] for c in count_columns]
                marks = {i for i, c in enumerate(count_columns) if (r, c) in hidden}
                before = len(marks)
                if len(count_columns) > 1:
                    _complement(line, marks)
                for i in marks:
                    hidden.add((r, count_columns[i]))
                changed |= len(marks) != before
            for c in count_columns:
                line = [row[c] for row in grid]
                marks = {r for r in range(len(grid)) if (r, c) in hidden}
                before = len(marks)
                if len(grid) > 1:
                    _complement(line, marks)
                for r in marks:
                    hidden.add((r, c))
                changed |= len(marks) != before
    for r, c in hidden:
        grid[r][c] = HIDDEN
    return grid
