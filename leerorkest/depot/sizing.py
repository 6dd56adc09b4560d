"""Which size fits a child of a given age, and which children have outgrown their instrument.

The table is a rule of thumb for the first choice; the teacher's fitting (arm length, hand
size) always decides. Sources: the age columns of the size charts of string-instrument makers
and dealers (Stentor's size guide, Gliga's and Yamaha's student-instrument charts) and the
sizing guidance of the American String Teachers Association (ASTA); for the guitar, the usual
classical-guitar charts (1/2 from about 5, 3/4 from 8, 7/8 from 11, 4/4 from 13). Where the
sources differ by a year, the table takes the later age: a child can keep a smaller size a
little longer, while a too-large instrument spoils the posture.
"""

from collections import Counter
from datetime import date

from django.utils import timezone

from leerorkest.depot.models import PupilLoan, Size
from leerorkest.programme.models import InstrumentType

# instrument code -> [(from age in whole years, size label)], ascending.
AGE_SIZES: dict[str, list[tuple[int, str]]] = {
    "violin": [
        (0, "1/16"),
        (5, "1/10"),
        (6, "1/8"),
        (7, "1/4"),
        (8, "1/2"),
        (10, "3/4"),
        (12, "7/8"),
        (13, "4/4"),
    ],
    "viola": [
        (0, '11"'),
        (8, '12"'),
        (9, '13"'),
        (10, '14"'),
        (12, '15"'),
        (13, '15.5"'),
        (14, '16"'),
    ],
    "cello": [(0, "1/8"), (7, "1/4"), (9, "1/2"), (11, "3/4"), (14, "7/8"), (15, "4/4")],
    "double-bass": [(0, "1/8"), (9, "1/4"), (11, "1/2"), (14, "3/4")],
    "guitar": [(0, "1/2"), (8, "3/4"), (11, "7/8"), (13, "4/4")],
}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def suggested_size(code: str, age: int) -> str | None:
    """The size label the table gives for a child of `age` (None: the instrument has no sizes)."""
    rows = AGE_SIZES.get(code)
    if not rows:
        return None
    label = rows[0][1]
    for from_age, size in rows:
        if age >= from_age:
            label = size
    return label


def _type_names() -> dict[int, str]:
    return {t.pk: t.name for t in InstrumentType.objects.all()}


def _size_orders() -> dict[tuple[int, str], tuple[int, int]]:
    return {
        (s["instrument_type_id"], s["label"]): (s["sort_order"], s["pk"])
        for s in Size.objects.values("pk", "instrument_type_id", "label", "sort_order")
    }


FIELDS = (
    "pk",
    "pupil_id",
    "pseudonym",
    "pupil__date_of_birth",
    "loan__instrument_id",
    "loan__instrument__asset_tag",
    "loan__instrument__instrument_type_id",
    "loan__instrument__instrument_type__code",
    "loan__instrument__size__label",
    "loan__instrument__size__sort_order",
)


def _outgrown(pupil_loans, on: date | None = None):
    """Yield (row, suggested label) for each open pupil loan whose instrument is smaller than
    the child's age suggests."""
    on = on or timezone.localdate()
    orders = _size_orders()
    rows = pupil_loans.filter(
        returned_at__isnull=True,
        loan__returned_at__isnull=True,
        pupil__date_of_birth__isnull=False,
        loan__instrument__size__isnull=False,
        loan__instrument__instrument_type__code__in=list(AGE_SIZES),
    ).values(*FIELDS)
    for row in rows.iterator(chunk_size=2000):
        label = suggested_size(
            row["loan__instrument__instrument_type__code"], age_on(row["pupil__date_of_birth"], on)
        )
        wanted = orders.get((row["loan__instrument__instrument_type_id"], label))
        if wanted is not None and row["loan__instrument__size__sort_order"] < wanted[0]:
            yield row, label


def size_up_due(borrowers, on: date | None = None) -> list[dict]:
    """For a programme: its children whose instrument is smaller than their age suggests, one
    row per child with the pupil id (the programme shows the names; the depot never)."""
    on = on or timezone.localdate()
    names = _type_names()
    result = [
        {
            "pupil_loan_id": row["pk"],
            "pupil_id": row["pupil_id"],
            "pseudonym": row["pseudonym"],
            "age": age_on(row["pupil__date_of_birth"], on),
            "instrument_id": row["loan__instrument_id"],
            "asset_tag": row["loan__instrument__asset_tag"],
            "instrument": names.get(row["loan__instrument__instrument_type_id"], ""),
            "size": row["loan__instrument__size__label"],
            "suggested": label,
        }
        for row, label in _outgrown(PupilLoan.objects.filter(loan__borrower__in=borrowers), on)
    ]
    result.sort(key=lambda r: (r["instrument"], r["size"], r["asset_tag"]))
    return result


def size_up_counts(depot=None, on: date | None = None) -> list[dict]:
    """For the depot (and the size-mix forecast): how many children on each instrument and size
    need the next size up, and which size; counts only, no children."""
    pupil_loans = PupilLoan.objects.all()
    if depot is not None:
        pupil_loans = pupil_loans.filter(loan__lender=depot)
    counts: Counter = Counter()
    names = _type_names()
    for row, label in _outgrown(pupil_loans, on):
        key = (
            names.get(row["loan__instrument__instrument_type_id"], ""),
            row["loan__instrument__size__sort_order"],
            row["loan__instrument__size__label"],
            label,
        )
        counts[key] += 1
    return [
        {"instrument": name, "size": size, "suggested": suggested, "count": count}
        for (name, _order, size, suggested), count in sorted(counts.items())
    ]
