"""Class-list import (target B2): all or nothing, a report naming row, column and reason, a
preview before the commit, and pupils matched rather than duplicated."""

from datetime import date
from datetime import time as clock

import pytest

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.schools.import_actions import (
    choose_columns,
    commit_class_list,
    discard_class_list,
    upload_class_list,
)
from leerorkest.schools.models import (
    ClassListImport,
    ClassPlacement,
    ImportStatus,
    Pupil,
    SchoolClass,
    SchoolParticipation,
)
from leerorkest.schools.tests.import_builders import (
    HEADER,
    class_list,
    make_import,
    many_rows,
    pupil_row,
)
from leerorkest.testing import (
    make_class,
    make_member,
    make_organisation,
    make_pupil,
    make_school,
    make_school_year,
)


@pytest.fixture(autouse=True)
def _english_messages(client):
    """These tests read the English messages; the Dutch ones are checked by the catalogue test."""
    from django.utils import translation

    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def school(personas):
    return make_school(personas.organisation, name="OBS De Regenboog")


@pytest.fixture
def year(db):
    return make_school_year(2026)


def upload(personas, school, year, content, filename="lijst.csv"):
    return upload_class_list(
        school=school, school_year=year, filename=filename, content=content, by=personas.owner
    )


def written() -> tuple[int, int, int]:
    return Pupil.objects.count(), SchoolClass.objects.count(), ClassPlacement.objects.count()


def errors(class_import) -> list[tuple]:
    return [(e["row"], e["column"], e["code"]) for e in class_import.report["errors"]]


# --- Preview, then commit -------------------------------------------------------------------------


def test_a_valid_file_is_previewed_and_writes_nothing(personas, school, year):
    class_import = upload(
        personas,
        school,
        year,
        class_list(
            pupil_row("Sem", "Jansen", "14-03-2017", "5A", teacher="Juf Anna"),
            pupil_row("Noor", "Bakker", "01-02-2016", "groep 6b", prefix="de", email="A@B.NL"),
        ),
    )
    assert class_import.status == ImportStatus.PREVIEWED
    assert written() == (0, 0, 0)
    report = class_import.report
    assert report["counts"] == {
        "rows": 2,
        "new": 2,
        "placed": 0,
        "moved": 0,
        "updated": 0,
        "unchanged": 0,
        "classes_new": 2,
        "skipped": 0,
        "not_on_list": 0,
    }
    assert [(r["row"], r["name"], r["born"], r["class"], r["groep"]) for r in report["rows"]] == [
        (2, "Sem Jansen", "2017-03-14", "5A", 5),
        (3, "Noor de Bakker", "2016-02-01", "6B", 6),
    ]
    assert class_import.organisation == personas.organisation
    assert bytes(class_import.content).startswith(b"Roepnaam;")


def test_commit_writes_pupils_classes_and_placements(personas, school, year):
    class_import = upload(
        personas,
        school,
        year,
        class_list(
            pupil_row("Sem", "Jansen", "14-03-2017", "5A", teacher="Juf Anna"),
            pupil_row(
                "Noor",
                "Bakker",
                "01-02-2016",
                "6B",
                prefix="de",
                parent="Fatima de Bakker",
                phone="06 1234 5678",
                email="Fatima@Example.NL",
            ),
        ),
    )
    committed = commit_class_list(class_import=class_import, by=personas.owner)

    assert committed.status == ImportStatus.COMMITTED
    assert committed.committed_at is not None
    assert bytes(committed.content) == b""
    assert committed.report["rows"] == []  # no children's names kept in the report
    assert committed.report["counts"]["new"] == 2
    noor = Pupil.objects.get(given_name="Noor")
    assert (noor.surname_prefix, noor.surname, noor.date_of_birth) == (
        "de",
        "Bakker",
        date(2016, 2, 1),
    )
    assert (noor.parent_name, noor.parent_phone, noor.parent_email) == (
        "Fatima de Bakker",
        "06 1234 5678",
        "fatima@example.nl",
    )
    assert noor.organisation == personas.organisation
    classes = {c.name: c for c in SchoolClass.objects.filter(school=school, school_year=year)}
    assert {n: (c.year_group, c.class_teacher) for n, c in classes.items()} == {
        "5A": (5, "Juf Anna"),
        "6B": (6, ""),
    }
    placement = ClassPlacement.objects.get(pupil=noor)
    assert (placement.school_class, placement.school_year) == (classes["6B"], year)

    event = AuditEvent.objects.get(action="class_import.commit")
    assert event.actor == personas.owner
    assert event.organisation == personas.organisation
    assert sorted(event.details["created"]) == sorted(Pupil.objects.values_list("pk", flat=True))


def test_a_second_commit_is_refused(personas, school, year):
    class_import = upload(personas, school, year, class_list(pupil_row()))
    commit_class_list(class_import=class_import, by=personas.owner)
    with pytest.raises(DomainError) as refusal:
        commit_class_list(class_import=class_import, by=personas.owner)
    assert refusal.value.code == "already_committed"
    assert written() == (1, 1, 1)


def test_importing_the_same_list_again_changes_nothing(personas, school, year):
    content = class_list(*many_rows(30))
    commit_class_list(class_import=upload(personas, school, year, content), by=personas.owner)
    before = written()
    again = upload(personas, school, year, content)
    assert again.report["counts"]["unchanged"] == 30
    assert again.report["counts"]["new"] == 0
    commit_class_list(class_import=again, by=personas.owner)
    assert written() == before


# --- All or nothing -----------------------------------------------------------------------------


def test_one_bad_row_means_nothing_can_be_written(personas, school, year):
    rows = many_rows(20)
    rows[13] = pupil_row("Kind13", "Achternaam1", "31-02-2017", "5A")
    class_import = upload(personas, school, year, class_list(*rows))
    assert class_import.status == ImportStatus.INVALID
    # Row 15 in the spreadsheet (header on row 1), column D holds the date of birth.
    assert errors(class_import) == [(15, 3, "date_invalid")]
    assert class_import.report["errors"][0]["params"] == {"value": "31-02-2017"}
    assert class_import.report["rows"] == []
    with pytest.raises(DomainError):
        commit_class_list(class_import=class_import, by=personas.owner)
    assert written() == (0, 0, 0)


def test_the_report_names_every_problem_with_row_and_column(personas, school, year):
    class_import = upload(
        personas,
        school,
        year,
        class_list(
            pupil_row("", "Jansen", "14-03-2017", "5A"),  # row 2: no given name
            pupil_row("Ali", "=HYPERLINK(1)", "14-03-2017", "5A"),  # row 3: formula
            pupil_row("Eva", "Smit", "14-03-1990", "5A"),  # row 4: no primary pupil
            pupil_row("Bo", "Kok", "2017-03-14", "9A"),  # row 5: groep 9
            pupil_row("Lin", "Wu", "14-03-2017", "Dolfijnen"),  # row 6: groep unknown
            pupil_row("Tim", "Vos", "14-03-2017", "5A", email="geen-adres"),  # row 7
            pupil_row("Tom", "Vos", "14-03-2017", "5A", phone="bel maar"),  # row 8
            pupil_row("Sem", "Jansen", "14-03-2017", "5A"),  # row 9
            pupil_row("sem", "JANSEN", "14-3-2017", "5a"),  # row 10: same child as row 9
            pupil_row("Mo", "X" * 101, "14-03-2017", "5A"),  # row 11: too long
        ),
    )
    assert class_import.status == ImportStatus.INVALID
    assert errors(class_import) == [
        (2, 0, "required"),
        (3, 2, "formula"),
        (4, 3, "date_implausible"),
        (5, 4, "year_group_unknown"),
        (6, 4, "year_group_unknown"),
        (7, 8, "email_invalid"),
        (8, 7, "phone_invalid"),
        (10, 2, "duplicate"),
        (11, 2, "too_long"),
    ]
    duplicate = class_import.report["errors"][7]
    assert duplicate["params"] == {"other": 9}
    assert class_import.report["error_count"] == 9
    assert written() == (0, 0, 0)


def test_missing_columns_are_reported_and_can_be_chosen(personas, school, year):
    header = ("Voornaam", "Naam", "Geb.", "Klas")
    content = class_list(("Sem", "Jansen", "14-03-2017", "5A"), header=header)
    class_import = upload(personas, school, year, content)
    assert class_import.status == ImportStatus.INVALID
    assert errors(class_import) == [(1, None, "missing_column"), (1, None, "missing_column")]
    assert {e["params"]["field"] for e in class_import.report["errors"]} == {
        "surname",
        "date_of_birth",
    }
    assert class_import.mapping["given_name"] == 0

    mapping = {**class_import.mapping, "surname": 1, "date_of_birth": 2}
    class_import = choose_columns(class_import=class_import, mapping=mapping, by=personas.owner)
    assert class_import.status == ImportStatus.PREVIEWED
    assert class_import.report["rows"][0]["name"] == "Sem Jansen"
    assert AuditEvent.objects.filter(action="class_import.columns").count() == 1


def test_one_column_cannot_serve_two_fields(personas, school, year):
    class_import = upload(personas, school, year, class_list(pupil_row()))
    mapping = {**class_import.mapping, "surname": 0}
    with pytest.raises(DomainError) as refusal:
        choose_columns(class_import=class_import, mapping=mapping, by=personas.owner)
    assert refusal.value.field == "surname"


def test_an_unreadable_file_is_refused_and_nothing_stored(personas, school, year):
    with pytest.raises(DomainError) as refusal:
        upload(personas, school, year, b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "lijst.xls")
    assert refusal.value.field == "file"
    assert refusal.value.code == "old_excel"
    assert ClassListImport.objects.count() == 0


def test_a_header_without_rows_is_reported(personas, school, year):
    class_import = upload(personas, school, year, class_list())
    assert errors(class_import) == [(1, None, "no_rows")]


# --- Matching existing pupils -------------------------------------------------------------------


def test_existing_pupils_are_matched_not_duplicated(personas, school, year):
    other_school = make_school(personas.organisation, name="OBS Het Anker")
    old_class = make_class(other_school, year_group=5, name="5C", school_year=year)
    moving = make_pupil(
        old_class, given_name="Sem", surname="Jansen", date_of_birth=date(2017, 3, 14)
    )
    here = make_class(school, year_group=5, name="5A", school_year=year, class_teacher="Juf Anna")
    staying = make_pupil(here, given_name="Noor", surname="Bakker", date_of_birth=date(2017, 1, 2))
    updated = make_pupil(here, given_name="Ilse", surname="Kok", date_of_birth=date(2017, 5, 6))
    unplaced = make_pupil(
        organisation=personas.organisation,
        given_name="Daan",
        surname="Smit",
        date_of_birth=date(2016, 7, 8),
    )
    not_listed = make_pupil(here, given_name="Lot", surname="Vos", date_of_birth=date(2017, 2, 2))

    class_import = upload(
        personas,
        school,
        year,
        class_list(
            pupil_row("sem", "jansen", "14-03-2017", "5A"),
            pupil_row("Noor", "Bakker", "02-01-2017", "5A", teacher="Juf Anna"),
            pupil_row("Ilse", "Kok", "06-05-2017", "5A", phone="+31 6 1234 5678"),
            pupil_row("Daan", "Smit", "08-07-2016", "6A"),
            pupil_row("Nieuw", "Kind", "09-09-2017", "5A"),
        ),
    )
    rows = {r["name"]: r for r in class_import.report["rows"]}
    assert {name: r["action"] for name, r in rows.items()} == {
        "sem jansen": "moved",
        "Noor Bakker": "unchanged",
        "Ilse Kok": "updated",
        "Daan Smit": "placed",
        "Nieuw Kind": "new",
    }
    assert rows["sem jansen"]["from"] == "OBS Het Anker, 5C"
    assert rows["Ilse Kok"]["updates"] == ["parent_phone"]
    assert class_import.report["counts"]["not_on_list"] == 1

    commit_class_list(class_import=class_import, by=personas.owner)
    assert Pupil.objects.count() == 6
    five_a = SchoolClass.objects.get(school=school, school_year=year, name="5A")
    assert ClassPlacement.objects.get(pupil=moving).school_class == five_a
    assert ClassPlacement.objects.get(pupil=staying).school_class == five_a
    assert ClassPlacement.objects.get(pupil=unplaced).school_class.name == "6A"
    assert ClassPlacement.objects.get(pupil=not_listed).school_class == five_a  # kept
    updated.refresh_from_db()
    assert updated.parent_phone == "+31 6 1234 5678"
    # Names as the record has them; the file's spelling does not overwrite them.
    moving.refresh_from_db()
    assert moving.given_name == "Sem"
    event = AuditEvent.objects.get(action="class_import.commit")
    assert event.details["moved"] == [moving.pk]
    assert event.details["placed"] == [unplaced.pk]
    assert event.details["updated"] == [updated.pk]


def test_an_empty_cell_never_clears_a_parent_contact(personas, school, year):
    here = make_class(school, year_group=5, name="5A", school_year=year)
    pupil = make_pupil(
        here,
        given_name="Noor",
        surname="Bakker",
        date_of_birth=date(2017, 1, 2),
        parent_email="ouder@example.nl",
    )
    class_import = upload(
        personas, school, year, class_list(pupil_row("Noor", "Bakker", "2-1-2017", "5A"))
    )
    assert class_import.report["rows"][0]["action"] == "unchanged"
    commit_class_list(class_import=class_import, by=personas.owner)
    pupil.refresh_from_db()
    assert pupil.parent_email == "ouder@example.nl"


def test_two_pupils_with_one_name_and_birth_date_are_not_guessed_between(personas, school, year):
    for _ in range(2):
        make_pupil(
            organisation=personas.organisation,
            given_name="Sem",
            surname="Jansen",
            date_of_birth=date(2017, 3, 14),
        )
    class_import = upload(personas, school, year, class_list(pupil_row()))
    assert errors(class_import) == [(2, 2, "ambiguous")]


def test_pupils_of_another_programme_are_never_matched(personas, school, year):
    elsewhere = make_school(personas.other)
    make_pupil(
        make_class(elsewhere, school_year=year),
        given_name="Sem",
        surname="Jansen",
        date_of_birth=date(2017, 3, 14),
    )
    class_import = upload(personas, school, year, class_list(pupil_row()))
    assert class_import.report["rows"][0]["action"] == "new"


def test_an_existing_class_keeps_its_groep(personas, school, year):
    make_class(school, year_group=6, name="5A", school_year=year)
    class_import = upload(personas, school, year, class_list(pupil_row(klas="5A")))
    assert errors(class_import) == [(2, 4, "year_group_conflict")]
    assert class_import.report["errors"][0]["params"] == {"class": "5A", "existing": 6, "value": 5}


# --- Classes and groepen ------------------------------------------------------------------------


def test_a_combination_class_is_split_by_groep(personas, school, year):
    header = (*HEADER, "Jaargroep")
    class_import = upload(
        personas,
        school,
        year,
        class_list(
            (*pupil_row("Sem", "Jansen", "14-03-2017", "5/6"), "5"),
            (*pupil_row("Noor", "Bakker", "14-03-2016", "5/6"), "groep 6"),
            (*pupil_row("Ilse", "Kok", "14-05-2017", "5/6"), "5"),
            header=header,
        ),
    )
    assert class_import.status == ImportStatus.PREVIEWED
    assert [r["class"] for r in class_import.report["rows"]] == ["5/6 (5)", "5/6 (6)", "5/6 (5)"]
    assert {"code": "combination", "params": {"class": "5/6", "names": "5/6 (5), 5/6 (6)"}} in (
        class_import.report["notices"]
    )
    commit_class_list(class_import=class_import, by=personas.owner)
    assert set(SchoolClass.objects.values_list("name", "year_group")) == {
        ("5/6 (5)", 5),
        ("5/6 (6)", 6),
    }


def test_rows_in_groepen_the_school_does_not_take_part_with_are_passed_over(personas, school, year):
    SchoolParticipation.objects.create(
        school=school,
        school_year=year,
        year_groups=[5, 6, 7, 8],
        music_day=3,
        day_starts_at=clock(8, 30),
        day_ends_at=clock(14, 0),
    )
    class_import = upload(
        personas,
        school,
        year,
        class_list(
            pupil_row("Sem", "Jansen", "14-03-2017", "5A"),
            pupil_row("Kleuter", "Klein", "14-03-2021", "1A"),
            pupil_row("Bo", "Kok", "14-03-2019", "3A"),
        ),
    )
    assert class_import.report["counts"]["rows"] == 1
    assert class_import.report["counts"]["skipped"] == 2
    commit_class_list(class_import=class_import, by=personas.owner)
    assert list(Pupil.objects.values_list("given_name", flat=True)) == ["Sem"]


def test_class_teachers_are_filled_in_on_existing_classes(personas, school, year):
    five_a = make_class(school, year_group=5, name="5A", school_year=year)
    class_import = upload(personas, school, year, class_list(pupil_row(teacher="Meester Ron")))
    commit_class_list(class_import=class_import, by=personas.owner)
    five_a.refresh_from_db()
    assert five_a.class_teacher == "Meester Ron"


# --- The commit acts on the database as it is then ----------------------------------------------


def test_changes_since_the_preview_stop_the_commit(personas, school, year):
    class_import = upload(personas, school, year, class_list(pupil_row(), pupil_row("Noor")))
    # Meanwhile someone registers Sem by hand.
    make_pupil(
        make_class(school, year_group=5, name="5A", school_year=year),
        given_name="Sem",
        surname="Jansen",
        date_of_birth=date(2017, 3, 14),
    )
    before = written()
    result = commit_class_list(class_import=class_import, by=personas.owner)
    assert result.status == ImportStatus.PREVIEWED
    assert written() == before
    assert [r["action"] for r in result.report["rows"]] == ["unchanged", "new"]
    # Committing the new preview works.
    assert commit_class_list(class_import=result, by=personas.owner).status == "committed"
    assert Pupil.objects.count() == 2


def test_a_failure_halfway_leaves_nothing_behind(personas, school, year, monkeypatch):
    from leerorkest.schools import import_actions

    class_import = upload(personas, school, year, class_list(*many_rows(40)))
    original = ClassPlacement.objects.bulk_create

    def fail(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(import_actions.ClassPlacement.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        commit_class_list(class_import=class_import, by=personas.owner)
    assert written() == (0, 0, 0)
    class_import.refresh_from_db()
    assert class_import.status == ImportStatus.PREVIEWED


# --- Who, and what is kept ----------------------------------------------------------------------


def test_a_new_upload_replaces_an_uncommitted_one(personas, school, year):
    first = upload(personas, school, year, class_list(pupil_row()))
    committed = upload(personas, school, year, class_list(pupil_row("Noor")))
    commit_class_list(class_import=committed, by=personas.owner)
    second = upload(personas, school, year, class_list(pupil_row("Ilse")))
    assert set(ClassListImport.objects.values_list("pk", flat=True)) == {committed.pk, second.pk}
    assert not ClassListImport.objects.filter(pk=first.pk).exists()


def test_discard_throws_the_file_away_but_not_a_committed_import(personas, school, year):
    class_import = upload(personas, school, year, class_list(pupil_row()))
    discard_class_list(class_import=class_import, by=personas.owner)
    assert ClassListImport.objects.count() == 0
    assert AuditEvent.objects.filter(action="class_import.discard").count() == 1
    committed = upload(personas, school, year, class_list(pupil_row()))
    commit_class_list(class_import=committed, by=personas.owner)
    with pytest.raises(DomainError):
        discard_class_list(class_import=committed, by=personas.owner)
    assert ClassListImport.objects.filter(pk=committed.pk).exists()


def test_a_citizen_service_number_column_is_never_stored(personas, school, year):
    header = ("BSN", "Voornaam", "Achternaam", "Geboortedatum", "Groep")
    content = class_list(("123456782", "Sem", "Jansen", "14-03-2017", "5A"), header=header)
    class_import = upload(personas, school, year, content)
    # Even when someone points a field at it, the column is not read.
    with pytest.raises(DomainError):
        choose_columns(
            class_import=class_import,
            mapping={**class_import.mapping, "parent_phone": 0, "surname": 0},
            by=personas.owner,
        )
    class_import = choose_columns(
        class_import=class_import,
        mapping={**class_import.mapping, "parent_phone": 0},
        by=personas.owner,
    )
    assert class_import.mapping["parent_phone"] is None
    assert {"code": "never_stored", "params": {"columns": "BSN"}} in class_import.report["notices"]
    commit_class_list(class_import=class_import, by=personas.owner)
    assert not Pupil.objects.filter(parent_phone__contains="1234").exists()


def test_a_partner_programme_imports_for_its_own_schools(personas, year):
    school = make_school(personas.other)
    class_import = upload_class_list(
        school=school,
        school_year=year,
        filename="lijst.csv",
        content=class_list(pupil_row()),
        by=personas.outsider,
    )
    commit_class_list(class_import=class_import, by=personas.outsider)
    assert Pupil.objects.get().organisation == personas.other


def test_make_import_builder_uses_the_programme_of_the_school(personas):
    programme = make_organisation(kind=OrgKind.PROGRAMME)
    make_member(programme, Role.COORDINATOR)
    class_import = make_import(personas, class_list(pupil_row()), school=make_school(programme))
    assert class_import.organisation == programme
