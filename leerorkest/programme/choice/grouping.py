"""Splitting children into lesson groups, naming the groups and choosing teachers (plain data)."""

from dataclasses import dataclass


def split_sizes(count: int, largest: int) -> list[int]:
    """Sizes of the fewest groups of at most `largest` for `count` children, as even as possible.

    split_sizes(13, 6) == [5, 4, 4]; larger groups first.
    """
    if count <= 0:
        return []
    largest = max(1, largest)
    groups = -(-count // largest)
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def fill_existing(members: list[int], max_sizes: list[int], count: int) -> tuple[list[int], int]:
    """Spread up to `count` newcomers over existing groups, smallest group first.

    `members[i]` and `max_sizes[i]` describe group i. Returns how many newcomers each group
    takes, and how many are left over for new groups.
    """
    taken = [0] * len(members)
    left = count
    while left > 0:
        open_groups = [i for i in range(len(members)) if members[i] + taken[i] < max_sizes[i]]
        if not open_groups:
            break
        smallest = min(open_groups, key=lambda i: (members[i] + taken[i], i))
        taken[smallest] += 1
        left -= 1
    return taken, left


def group_name(instrument: str, label: str, taken: set[str]) -> str:
    """The first free name of the form "Viool 5A-1", "Viool 5A-2", … (unique per school year)."""
    number = 1
    while f"{instrument} {label}-{number}" in taken:
        number += 1
    name = f"{instrument} {label}-{number}"
    taken.add(name)
    return name


def group_label(class_names: set[str], year_group: int) -> str:
    """The class when all children share one ("5A"), otherwise the year group ("5")."""
    return next(iter(class_names)) if len(class_names) == 1 else str(year_group)


@dataclass
class TeacherLoad:
    id: int
    name: str
    at_school: bool  # already teaches a lesson group at this school this year
    groups: int  # lesson groups this school year


def pick_teacher(candidates: list[TeacherLoad]) -> TeacherLoad | None:
    """Prefer a teacher already at the school, then the one with the fewest groups."""
    if not candidates:
        return None
    return min(candidates, key=lambda t: (not t.at_school, t.groups, t.name, t.id))
