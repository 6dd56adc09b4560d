"""Class-list import pages: who may use them, the upload → preview → commit flow, messages next
to the fields, lists with search, filters, sorting and pages, and constant query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.schools.models import ClassListImport, ClassPlacement, ImportStatus, Pupil
from leerorkest.schools.tests.import_builders import class_list, make_import, many_rows, pupil_row
from leerorkest.testing import (
    make_class,
    make_member,
    make_organisation,
    make_pupil,
    make_school,
    make_school_year,
    make_user,
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


def upload_file(content: bytes, name: str = "klas 5.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def post_upload(client, school, content, name="klas 5.csv"):
    return client.post(
        reverse("schools:import_new"),
        {"school": school.pk, "school_year": 2026, "file": upload_file(content, name)},
    )


@pytest.fixture(autouse=True)
def _in_school_year_2026(monkeypatch):
    """The form offers this school year and the next; fix "this" to 2026-2027."""
    from leerorkest.schools import import_forms

    monkeypatch.setattr(import_forms.timezone, "localdate", lambda: date(2026, 11, 27))


# --- Who ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["schools:import_list", "schools:import_new"])
def test_only_programme_coordinators_import(client, personas, platform_admin, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # to the login page
    school_org = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    for user in (
        personas.member,  # teacher
        platform_admin,  # sees no children
        make_member(school_org, Role.SCHOOL_CONTACT),
        make_member(make_organisation(kind=OrgKind.DEPOT), Role.DEPOT_STAFF),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    for user in (personas.owner, personas.outsider):  # coordinator, partner coordinator
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_lists_and_forms_show_only_ones_own_programme(client, personas, school):
    mine = make_import(personas, class_list(pupil_row()), school=school)
    theirs = make_import(personas, class_list(pupil_row()), school=make_school(personas.other))
    client.force_login(personas.owner)
    listed = client.get(reverse("schools:import_list")).context["page"].object_list
    assert list(listed) == [mine]
    form = client.get(reverse("schools:import_new")).context["form"]
    assert list(form.fields["school"].queryset) == [school]
    # Someone else's school cannot be posted either.
    response = post_upload(client, theirs.school, class_list(pupil_row()))
    assert response.status_code == 400
    assert "school" in response.context["form"].errors


# --- Upload, preview, commit --------------------------------------------------------------------


def test_upload_preview_and_commit_through_the_pages(client, personas, school):
    client.force_login(personas.owner)
    response = post_upload(client, school, class_list(*many_rows(12)))
    class_import = ClassListImport.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("schools:import_detail", args=[class_import.pk])
    assert Pupil.objects.count() == 0

    page = client.get(response.headers["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kind0 Achternaam0" in html
    assert "Commit 12 pupils" in html
    assert {key: value for key, _label, value in page.context["figures"]}["new"] == 12
    assert "Ouder 0" not in html and "ouder0@example.nl" not in html  # no parent data shown

    response = client.post(reverse("schools:import_commit", args=[class_import.pk]))
    assert response.status_code == 302
    assert Pupil.objects.count() == 12
    assert ClassPlacement.objects.count() == 12
    page = client.get(response.headers["Location"])
    assert "Class list committed: 12 new pupils" in page.content.decode()
    assert page.context["figures"]
    assert page.context["columns_form"] is None  # nothing left to change

    # Committing again (double click, back button) writes nothing more.
    response = client.post(reverse("schools:import_commit", args=[class_import.pk]), follow=True)
    assert "committed already" in response.content.decode()
    assert Pupil.objects.count() == 12


def test_upload_form_puts_messages_next_to_the_fields(client, personas, school):
    client.force_login(personas.owner)
    url = reverse("schools:import_new")
    response = client.post(url, {"school": "", "school_year": "1990"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"school", "school_year", "file"}
    html = response.content.decode()
    assert 'id="id_file_error"' in html

    response = post_upload(client, school, b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "lijst.xls")
    assert response.status_code == 400
    assert "old Excel file" in response.context["form"].errors["file"][0]
    assert ClassListImport.objects.count() == 0


def test_a_file_with_errors_shows_row_column_and_reason(client, personas, school):
    client.force_login(personas.owner)
    rows = [pupil_row("Sem"), pupil_row("Noor", born="31-02-2017")]
    response = post_upload(client, school, class_list(*rows))
    page = client.get(response.headers["Location"])
    assert page.context["class_import"].status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["reason"]) for e in page.context["errors"].object_list] == [
        (
            3,
            "D (Geboortedatum)",
            "“31-02-2017” is not a date. Write day-month-year, for instance 14-03-2017.",
        )
    ]
    html = page.content.decode()
    assert "Nothing was written" in html
    assert reverse("schools:import_commit", args=[page.context["class_import"].pk]) not in html


def test_missing_columns_are_shown_next_to_their_select_and_can_be_chosen(client, personas, school):
    client.force_login(personas.owner)
    content = class_list(
        ("Sem", "Jansen", "14-03-2017", "5A"), header=("Voornaam", "Naam", "Geb", "Klas")
    )
    response = post_upload(client, school, content)
    detail = response.headers["Location"]
    form = client.get(detail).context["columns_form"]
    assert set(form.errors) == {"surname", "date_of_birth"}

    class_import = ClassListImport.objects.get()
    columns = reverse("schools:import_columns", args=[class_import.pk])
    chosen = {"given_name": "0", "surname": "1", "date_of_birth": "2", "class_name": "3"}
    response = client.post(columns, {**chosen, "parent_email": "1"})
    assert response.status_code == 400
    assert set(response.context["columns_form"].errors) == {"parent_email"}
    response = client.post(columns, {**chosen, "parent_email": "99"})
    assert response.status_code == 400
    assert "parent_email" in response.context["columns_form"].errors

    response = client.post(columns, chosen)
    assert response.status_code == 302
    class_import.refresh_from_db()
    assert class_import.status == ImportStatus.PREVIEWED


def test_discard_from_the_page(client, personas, school):
    class_import = make_import(personas, class_list(pupil_row()), school=school)
    client.force_login(personas.owner)
    response = client.post(reverse("schools:import_discard", args=[class_import.pk]))
    assert response.headers["Location"] == reverse("schools:import_list")
    assert ClassListImport.objects.count() == 0


def test_the_empty_class_list_has_the_recognised_headers(client, personas):
    client.force_login(personas.owner)
    response = client.get(reverse("schools:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbfRoepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep")
    # It reads back as a class list with every column recognised.
    from leerorkest.schools.import_files import read_table
    from leerorkest.schools.import_rows import guess_mapping

    headers = read_table(content + b"Sem;;Jansen;14-03-2017;5A;;;;\r\n").rows[0][1]
    assert None not in [v for k, v in guess_mapping(headers).items() if k != "year_group"]


# --- Preview list -------------------------------------------------------------------------------


def test_preview_filters_rows_and_answers_htmx_with_the_table(client, personas, school):
    year = make_school_year(2026)
    make_pupil(
        make_class(school, year_group=5, name="5A", school_year=year),
        given_name="Sem",
        surname="Jansen",
        date_of_birth=date(2017, 3, 14),
    )
    class_import = make_import(
        personas,
        class_list(pupil_row(klas="5B"), pupil_row("Noor"), pupil_row("Ilse")),
        school=school,
        year=year,
    )
    client.force_login(personas.owner)
    url = reverse("schools:import_detail", args=[class_import.pk])
    response = client.get(url, {"action": "moved"})
    assert [r["name"] for r in response.context["rows"]] == ["Sem Jansen"]
    response = client.get(url, {"q": "noor"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rows"')
    assert "<h1>" not in html
    assert [r["name"] for r in response.context["rows"]] == ["Noor Jansen"]


def test_preview_records_which_pupils_it_showed(client, personas, school):
    year = make_school_year(2026)
    sem = make_pupil(
        make_class(school, year_group=5, name="5A", school_year=year),
        given_name="Sem",
        surname="Jansen",
        date_of_birth=date(2017, 3, 14),
    )
    class_import = make_import(
        personas, class_list(pupil_row(), pupil_row("Noor")), school=school, year=year
    )
    client.force_login(personas.owner)
    client.get(reverse("schools:import_detail", args=[class_import.pk]))
    event = AuditEvent.objects.filter(action="pupil.list").get()
    assert event.details == {"pupil_ids": [sem.pk]}
    assert event.actor == personas.owner


def test_import_list_searches_filters_sorts_and_answers_htmx(client, personas):
    anker = make_school(personas.organisation, name="Basisschool Het Anker")
    regenboog = make_school(personas.organisation, name="OBS De Regenboog")
    a = make_import(personas, class_list(pupil_row()), school=anker, filename="anker.csv")
    b = make_import(personas, class_list(pupil_row(born="x")), school=regenboog, filename="r.csv")
    client.force_login(personas.owner)
    url = reverse("schools:import_list")

    def listed(**params):
        return list(client.get(url, params).context["page"].object_list)

    assert listed() == [b, a]
    assert listed(sort="old") == [a, b]
    assert listed(sort="school") == [a, b]
    assert listed(q="regenboog") == [b]
    assert listed(q="anker.csv") == [a]
    assert listed(status="invalid") == [b]
    assert listed(sort="nonsense", status="nonsense") == [b, a]
    response = client.get(url, {"q": "anker"}, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="imports"')


# --- Query counts (target F1) -------------------------------------------------------------------


def _imports(personas, count):
    year = make_school_year(2026)
    school = make_school(personas.organisation)
    user = make_user()
    ClassListImport.objects.bulk_create(
        ClassListImport(
            organisation=personas.organisation,
            school=school,
            school_year=year,
            uploaded_by=user,
            filename=f"lijst{n}.csv",
            content=b"",
            status=ImportStatus.INVALID,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 40])
def test_import_list_queries_do_not_grow_with_rows(
    client, personas, count, django_assert_max_num_queries
):
    _imports(personas, count)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("schools:import_list"))
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [3, 40])
def test_preview_queries_do_not_grow_with_rows(
    client, personas, school, count, django_assert_max_num_queries
):
    year = make_school_year(2026)
    rows = many_rows(count)
    # Half of them are known pupils already, so the page also audits what it showed.
    for row in rows[::2]:
        day, month, born_year = (int(part) for part in row[3].split("-"))
        make_pupil(
            organisation=personas.organisation,
            given_name=row[0],
            surname=row[2],
            date_of_birth=date(born_year, month, day),
        )
    class_import = make_import(personas, class_list(*rows), school=school, year=year)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("schools:import_detail", args=[class_import.pk]))
    assert len(response.context["rows"].object_list) == count


def test_a_school_page_can_preselect_the_school(client, personas, school):
    client.force_login(personas.owner)
    response = client.get(reverse("schools:import_new"), {"school": school.pk})
    assert response.context["form"]["school"].value() == str(school.pk)
    assert f'<option value="{school.pk}" selected>' in response.content.decode()


def test_the_menu_entry_is_for_the_roles_that_may_import():
    from leerorkest.schools.import_access import IMPORT_ROLES
    from leerorkest.schools.import_views import NAV_ITEMS

    (item,) = NAV_ITEMS
    assert reverse(item.url_name) == reverse("schools:import_list")
    assert item.roles == frozenset(IMPORT_ROLES) == {Role.COORDINATOR, Role.PARTNER_COORDINATOR}


def test_many_problems_are_listed_page_by_page(client, personas, school):
    rows = [pupil_row(f"Kind{n}", born="31-02-2017") for n in range(60)]
    class_import = make_import(personas, class_list(*rows), school=school)
    client.force_login(personas.owner)
    url = reverse("schools:import_detail", args=[class_import.pk])
    first = client.get(url)
    assert first.context["error_count"] == 60
    assert [e["row"] for e in first.context["errors"]][:2] == [2, 3]
    assert "page=2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert [e["row"] for e in second.context["errors"]] == list(range(52, 62))
