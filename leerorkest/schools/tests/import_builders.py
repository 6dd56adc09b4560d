"""Builders for the class-list import tests (CSV bytes in the shape schools send them)."""

from leerorkest.schools.import_actions import upload_class_list
from leerorkest.testing import make_school, make_school_year

HEADER = (
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Groep",
    "Leerkracht",
    "Ouder/verzorger",
    "Telefoon",
    "E-mail",
)


def pupil_row(
    given="Sem",
    surname="Jansen",
    born="14-03-2017",
    klas="5A",
    *,
    prefix="",
    teacher="",
    parent="",
    phone="",
    email="",
):
    return (given, prefix, surname, born, klas, teacher, parent, phone, email)


def class_list(*rows, header=HEADER, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    """A CSV as Excel writes it: CRLF line ends, the given delimiter and encoding."""
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    text = ("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n"
    return text.encode(encoding)


def many_rows(count: int, *, start: int = 0) -> list[tuple]:
    """`count` distinct pupils spread over groep 3 to 8, two classes each."""
    rows = []
    for n in range(start, start + count):
        groep = 3 + n % 6
        born_year = 2026 - 6 - (groep - 3)
        rows.append(
            pupil_row(
                f"Kind{n}",
                f"Achternaam{n // 7}",
                f"{1 + n % 28:02d}-{1 + n % 12:02d}-{born_year}",
                f"{groep}{'AB'[n // 6 % 2]}",
                teacher=f"Juf {groep}",
                parent=f"Ouder {n}",
                phone=f"06{n:08d}",
                email=f"ouder{n}@example.nl",
            )
        )
    return rows


def make_import(personas, content: bytes, *, school=None, year=None, filename="lijst.csv"):
    school = school or make_school(personas.organisation)
    return upload_class_list(
        school=school,
        school_year=year or make_school_year(2026),
        filename=filename,
        content=content,
        by=personas.owner,
    )
