"""Funder packs: the tables agree with direct counts, small cells are suppressed, the pack is
built once in the background, and only its programme (and administrators) can read it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme.models import LessonGroupMember
from leerorkest.reports import packs
from leerorkest.reports.models import FunderPack
from leerorkest.reports.scope import Period, Scope
from leerorkest.reports.suppression import HIDDEN
from leerorkest.reports.tests.builders import build_world
from leerorkest.testing import make_member, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def built(world, **scope) -> FunderPack:
    pack = packs.request_pack(
        scope=Scope((world.programme,), **scope),
        period=Period.of_year(world.now),
        title="Gemeente",
        by=world.coordinator,
        organisation=world.programme,
    )
    assert packs.run_pack(pack.pk) == FunderPack.Status.DONE
    pack.refresh_from_db()
    return pack


def table(pack, key):
    return next(t for t in pack.tables if t["key"] == key)


def test_the_pack_agrees_with_direct_counts_and_hides_small_cells(world):
    pack = built(world)
    assert (pack.status, pack.progress) == (FunderPack.Status.DONE, 100)
    headline = dict(table(pack, "headline")["rows"])
    direct = LessonGroupMember.objects.filter(
        school_year=world.now, group__organisation=world.programme
    ).count()
    assert direct == 6
    assert headline["Children reached"] == 10  # 6 in lessons + 3 orchestra + 1 talent orchestra
    assert headline["Schools taking part"] == 3
    places = {(r[0], r[1]): r[2] for r in table(pack, "places")["rows"]}
    assert places[("Zuidoost", "Bijlmer-Centrum")] == 5
    assert places[("Zuidoost", "Gaasperdam")] == HIDDEN  # one child
    assert places[("Noord", "Banne")] == HIDDEN  # three children
    assert places[("Total", "")] == 10
    schools = {r[0]: r[1:] for r in table(pack, "schools")["rows"]}
    # groep 3..8 and the total: School A's 5 are all in groep 6.
    assert schools["School A"][3] == 5 and schools["School A"][6] == 5
    for rows in (t["rows"] for t in pack.tables if t["note"]):
        for row in rows:
            assert not any(isinstance(v, int) and 0 < v < 5 for v in row[1:]), row


def test_a_pack_for_one_district(world):
    pack = built(world, district=world.zuidoost)
    assert dict(table(pack, "headline")["rows"])["Children reached"] == 6
    assert "Noord" not in {r[0] for r in table(pack, "places")["rows"]}


def test_a_task_run_twice_builds_the_pack_once(world):
    pack = built(world)
    finished = pack.finished_at
    assert packs.run_pack(pack.pk) == FunderPack.Status.DONE
    pack.refresh_from_db()
    assert pack.finished_at == finished


def test_the_spreadsheet_opens_with_the_same_figures(client, world):
    pack = built(world)
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:pack_xlsx", args=[pack.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == len(pack.tables)
    sheet = book[book.sheetnames[0]]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert values["Children reached"] == 10
    places = book[book.sheetnames[1]]
    cells = [row for row in places.iter_rows(min_row=5, values_only=True) if row[0]]
    assert ("Zuidoost", "Gaasperdam", HIDDEN) in cells
    assert ("Total", None, 10) in cells


def test_asking_for_a_pack_from_the_reach_page(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:pack_create"),
            {"year": world.now.starts_on.year, "district": world.zuidoost.pk, "title": "Fonds"},
        )
    pack = FunderPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:pack_detail", args=[pack.pk])
    assert pack.title == "Fonds"
    assert pack.params["district"] == world.zuidoost.pk
    page = client.get(reverse("reports:pack_detail", args=[pack.pk]))
    assert page.status_code == 200
    assert "Download as spreadsheet" in page.content.decode()
    assert client.get(reverse("reports:pack_print", args=[pack.pk])).status_code == 200


def test_a_bad_filter_makes_no_pack(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("reports:pack_create"), {"district": "999999"})
    assert response.status_code == 302
    assert not FunderPack.objects.exists()


def test_other_programmes_cannot_read_a_pack(client, world):
    pack = built(world)
    elsewhere = make_organisation(kind=OrgKind.PROGRAMME, name="Elders")
    client.force_login(make_member(elsewhere, Role.COORDINATOR))
    for name in ("pack_detail", "pack_xlsx", "pack_print"):
        assert client.get(reverse(f"reports:{name}", args=[pack.pk])).status_code == 404
    client.force_login(make_member(world.programme, Role.TEACHER))
    assert client.get(reverse("reports:pack_detail", args=[pack.pk])).status_code == 403
