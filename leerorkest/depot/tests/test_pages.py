"""The depot pages: stock list, instrument page with its history and status buttons, the desk."""

import pytest
from django.urls import reverse

from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions
from leerorkest.depot.models import InstrumentEvent, InstrumentStatus, Loan
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_member, make_organisation

Status = InstrumentStatus


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def staff(depot):
    return make_member(depot, Role.DEPOT_STAFF, full_name="Desk Person")


@pytest.fixture
def programme(db):
    return make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Noord")


@pytest.fixture
def staff_client(client, staff):
    client.cookies["leerorkest_language"] = "en"  # the refusals are checked in English
    client.force_login(staff)
    return client


def lend(client, borrower, tags, key="0" * 31 + "1", **extra):
    return client.post(
        reverse("depot:desk_lend"),
        {"lend-borrower": borrower.pk, "lend-tags": "\n".join(tags), "lend-key": key, **extra},
    )


# --- the list ------------------------------------------------------------------------------------


def test_list_shows_own_stock_only(staff_client, depot):
    own = make_stock(depot, 2)
    other = make_stock(make_depot(), 1)
    response = staff_client.get(reverse("depot:instrument_list"))
    assert response.status_code == 200
    shown = {i.asset_tag for i in response.context["page"]}
    assert shown == {i.asset_tag for i in own}
    assert other[0].asset_tag not in response.content.decode()


def test_list_search_and_filters(staff_client, depot, programme):
    violins = make_stock(depot, 3)
    [cello] = make_stock(depot, 1, code="cello")
    actions.checkout_instrument(instrument=violins[0], borrower=programme, by=None)
    actions.send_to_repair(instrument=violins[1], by=None)
    url = reverse("depot:instrument_list")

    def tags(**params):
        return [i.asset_tag for i in staff_client.get(url, params).context["page"]]

    assert tags(q=violins[2].asset_tag.lower()) == [violins[2].asset_tag]
    assert tags(type=cello.instrument_type_id) == [cello.asset_tag]
    assert tags(status="on_loan") == [violins[0].asset_tag]
    assert tags(status="in_repair") == [violins[1].asset_tag]
    assert tags(status="nonsense") == sorted(i.asset_tag for i in [*violins, cello])
    assert tags(sort="-tag") == sorted((i.asset_tag for i in [*violins, cello]), reverse=True)
    page = staff_client.get(url, {"status": "on_loan"})
    assert programme.name in page.content.decode()


def test_list_filters_by_size_and_location(staff_client, depot):
    from leerorkest.depot.models import Location, Size
    from leerorkest.testing import instrument

    half = Size.objects.get_or_create(instrument_type=instrument("violin"), label="1/2")[0]
    shelf = Location.objects.create(organisation=depot, name="Shelf A", kind="shelf")
    sized = actions.acquire_instrument(
        by=None,
        organisation=depot,
        asset_tag="LO-SIZED",
        instrument_type=instrument("violin"),
        size=half,
        location=shelf,
        acquired_via="purchase",
    )
    make_stock(depot, 2)
    url = reverse("depot:instrument_list")
    for params in ({"size": half.pk}, {"location": shelf.pk}):
        page = staff_client.get(url, params).context["page"]
        assert [i.pk for i in page] == [sized.pk]


def test_list_query_count_is_constant(
    staff_client, depot, programme, django_assert_max_num_queries
):
    url = reverse("depot:instrument_list")
    stock = make_stock(depot, 3)
    actions.checkout_instrument(instrument=stock[0], borrower=programme, by=None)
    with django_assert_max_num_queries(13) as few:
        staff_client.get(url)
    stock += make_stock(depot, 37)
    for instrument in stock[1:10]:
        actions.checkout_instrument(instrument=instrument, borrower=programme, by=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(url)
    assert len(response.context["page"]) == 40


# --- the instrument page -------------------------------------------------------------------------


def test_instrument_page_shows_loan_and_history_newest_first(staff_client, depot, programme, staff):
    [violin] = make_stock(depot)
    actions.checkout_instrument(instrument=violin, borrower=programme, by=staff)
    actions.return_instrument(instrument=violin, by=staff, note="scratch on the back")
    actions.send_to_repair(instrument=violin, by=staff, note="new bridge")
    actions.finish_repair(instrument=violin, by=staff)
    actions.checkout_instrument(instrument=violin, borrower=programme, by=staff)
    response = staff_client.get(reverse("depot:instrument_detail", args=[violin.pk]))
    assert response.status_code == 200
    kinds = [e.kind for e in response.context["events"]]
    assert kinds == ["checked_out", "repaired", "to_repair", "returned", "checked_out", "acquired"]
    assert response.context["loan"].borrower == programme
    html = response.content.decode()
    for text in ("scratch on the back", "new bridge", "Desk Person", programme.name):
        assert text in html
    # On loan: only "report lost" fits.
    assert [b["action"] for b in response.context["buttons"]] == ["lost"]


@pytest.mark.parametrize(
    ("prepare", "action", "after"),
    [
        ([], "repair", Status.IN_REPAIR),
        (["cleaning"], "cleaned", Status.AVAILABLE),
        ([], "lost", Status.LOST),
        (["lost"], "found", Status.AVAILABLE),
        ([], "retire", Status.RETIRED),
    ],
)
def test_each_status_button(staff_client, depot, programme, prepare, action, after):
    [violin] = make_stock(depot)
    for step in prepare:
        if step == "repair":
            actions.send_to_repair(instrument=violin, by=None)
        elif step == "cleaning":
            actions.checkout_instrument(instrument=violin, borrower=programme, by=None)
            actions.return_instrument(instrument=violin, by=None, needs_cleaning=True)
        elif step == "lost":
            actions.report_lost(instrument=violin, by=None)
    page = staff_client.get(reverse("depot:instrument_detail", args=[violin.pk]))
    assert action in [b["action"] for b in page.context["buttons"]]
    response = staff_client.post(
        reverse("depot:instrument_change", args=[violin.pk, action]), {"note": "by the button"}
    )
    assert response.status_code == 302
    violin.refresh_from_db()
    assert violin.status == after
    assert violin.events.first().status_after == after


def test_no_repaired_button_repairs_finish_through_the_workshop(staff_client, depot):
    """A repair ends only with the workshop's QA sign-off: the page has no "repaired" button
    and the address does not exist."""
    [violin] = make_stock(depot)
    actions.send_to_repair(instrument=violin, by=None)
    page = staff_client.get(reverse("depot:instrument_detail", args=[violin.pk]))
    assert "repaired" not in [b["action"] for b in page.context["buttons"]]
    response = staff_client.post(reverse("depot:instrument_change", args=[violin.pk, "repaired"]))
    assert response.status_code == 404
    violin.refresh_from_db()
    assert violin.status == Status.IN_REPAIR


def test_a_button_that_does_not_fit_shows_the_refusal(staff_client, depot, programme):
    [violin] = make_stock(depot)
    actions.checkout_instrument(instrument=violin, borrower=programme, by=None)
    events = InstrumentEvent.objects.count()
    response = staff_client.post(
        reverse("depot:instrument_change", args=[violin.pk, "retire"]), follow=True
    )
    assert "still on loan" in response.content.decode()
    assert InstrumentEvent.objects.count() == events
    unknown = staff_client.post(reverse("depot:instrument_change", args=[violin.pk, "paint"]))
    assert unknown.status_code == 404


# --- the desk ------------------------------------------------------------------------------------


def test_desk_lends_scanned_tags_and_names_the_refused(staff_client, depot, programme, staff):
    stock = make_stock(depot, 9)
    other = make_organisation(kind=OrgKind.PARTNER)
    for instrument in stock[:2]:
        actions.checkout_instrument(instrument=instrument, borrower=other, by=None)
    page = staff_client.get(reverse("depot:desk"))
    key = page.context["lend_form"].initial["key"]
    loans_before = Loan.objects.count()
    events_before = InstrumentEvent.objects.count()
    tags = [i.asset_tag for i in stock] + ["LO-NOPE"]
    response = lend(staff_client, programme, tags, key=key)
    assert response.status_code == 200
    result = response.context["lent"]
    assert len(result["loans"]) == 7
    refused = dict(result["refused"])
    assert set(refused) == {stock[0].asset_tag, stock[1].asset_tag, "LO-NOPE"}
    assert "already on loan" in refused[stock[0].asset_tag]
    html = response.content.decode()
    for tag in refused:
        assert tag in html
    assert Loan.objects.count() == loans_before + 7
    assert InstrumentEvent.objects.count() == events_before + 7
    # The refused ones stay with the borrower they had; nothing was written for them.
    assert Loan.objects.filter(borrower=programme).count() == 7


def test_desk_lends_ten_with_two_out_and_one_unknown(staff_client, depot, programme):
    stock = make_stock(depot, 10)
    for instrument in stock[:2]:
        actions.checkout_instrument(instrument=instrument, borrower=programme, by=None)
    tags = [i.asset_tag for i in stock[:9]] + ["LO-UNKNOWN"]
    response = lend(staff_client, programme, tags)
    assert len(response.context["lent"]["loans"]) == 7
    assert len(response.context["lent"]["refused"]) == 3
    scanned = [i.asset_tag for i in stock] + ["LO-UNKNOWN"]  # ten known tags + one unknown
    response = lend(staff_client, programme, scanned, key="f" * 32)
    lent, refused = response.context["lent"]["loans"], response.context["lent"]["refused"]
    assert [i.asset_tag for i, _loan in lent] == [stock[9].asset_tag]
    assert len(refused) == 10


def test_desk_ten_scanned_eight_lent_three_refused(staff_client, depot, programme):
    """The brief's case: ten scans, two of them already out, one unknown."""
    stock = make_stock(depot, 10)
    actions.checkout_instrument(instrument=stock[0], borrower=programme, by=None)
    actions.checkout_instrument(instrument=stock[1], borrower=programme, by=None)
    tags = [i.asset_tag for i in stock[:10]] + ["XX-404"]
    response = lend(staff_client, programme, tags)
    result = response.context["lent"]
    assert len(result["loans"]) == 8
    assert sorted(tag for tag, _why in result["refused"]) == sorted(
        [stock[0].asset_tag, stock[1].asset_tag, "XX-404"]
    )


def test_desk_double_submit_lends_nothing_twice(staff_client, depot, programme):
    stock = make_stock(depot, 3)
    tags = [i.asset_tag for i in stock]
    key = "a" * 32
    first = lend(staff_client, programme, tags, key=key)
    assert len(first.context["lent"]["loans"]) == 3
    second = lend(staff_client, programme, tags, key=key)
    assert second.status_code == 200
    assert [loan.pk for _i, loan in second.context["lent"]["loans"]] == [
        loan.pk for _i, loan in first.context["lent"]["loans"]
    ]
    assert Loan.objects.count() == 3
    assert InstrumentEvent.objects.filter(kind="checked_out").count() == 3
    # A new form (new key) for the same tags is refused: they are out.
    third = lend(staff_client, programme, tags, key="b" * 32)
    assert third.context["lent"]["loans"] == []
    assert len(third.context["lent"]["refused"]) == 3


def test_desk_rejects_an_empty_scan_and_a_bad_key(staff_client, programme):
    assert lend(staff_client, programme, []).status_code == 400
    assert lend(staff_client, programme, ["LO-1"], key="not-a-uuid").status_code == 400
    assert Loan.objects.count() == 0


def _submit_defaults(client, page):
    """Submit the inspection table as shown: every default kept."""
    data = {"row": []}
    for row in page.context["rows"]:
        key = row["instrument"].pk
        data["row"].append(key)
        data |= {f"c-{key}": row["condition"], f"o-{key}": row["outcome"], f"d-{key}": ""}
        data[f"k-{key}"] = [item.pk for item, present in row["kit"] if present]
    return client.post(reverse("depot:desk_inspect"), data)


def test_desk_bulk_return(staff_client, depot, programme):
    strings = make_stock(depot, 2)
    [clarinet] = make_stock(depot, 1, code="clarinet")
    for instrument in [*strings, clarinet]:
        actions.checkout_instrument(instrument=instrument, borrower=programme, by=None)
    [never_out] = make_stock(depot)
    tags = [i.asset_tag for i in [*strings, clarinet, never_out]] + ["LO-GHOST"]
    page = staff_client.post(
        reverse("depot:desk_return"), {"return-tags": "\n".join(tags), "return-step": "inspect"}
    )
    assert page.status_code == 200
    assert [r["instrument"].asset_tag for r in page.context["rows"]] == tags[:3]
    refused = dict(page.context["refused"])
    assert set(refused) == {never_out.asset_tag, "LO-GHOST"}
    assert "not on loan" in refused[never_out.asset_tag]
    assert Loan.objects.open().count() == 3  # nothing written before the inspection
    response = _submit_defaults(staff_client, page)
    assert [i.asset_tag for i, _inspection, _m in response.context["done"]] == sorted(tags[:3])
    assert "Awaiting cleaning" in response.content.decode()
    for instrument in strings:
        instrument.refresh_from_db()
        assert instrument.status == Status.AVAILABLE
    clarinet.refresh_from_db()
    assert clarinet.status == Status.CLEANING
    assert Loan.objects.open().count() == 0
    never_out.refresh_from_db()
    assert never_out.events.count() == 1


def test_bulk_return_wind_to_ready_when_chosen(staff_client, depot, programme):
    [clarinet] = make_stock(depot, 1, code="clarinet")
    actions.checkout_instrument(instrument=clarinet, borrower=programme, by=None)
    staff_client.post(
        reverse("depot:desk_inspect"),
        {"row": clarinet.pk, f"c-{clarinet.pk}": "B", f"o-{clarinet.pk}": "ready"},
    )
    clarinet.refresh_from_db()
    assert clarinet.status == Status.AVAILABLE


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TEACHER, Role.COORDINATOR])
def test_programme_people_cannot_open_depot_pages(client, depot, programme, role):
    [violin] = make_stock(depot)
    client.force_login(make_member(programme, role))
    for url in (
        reverse("depot:instrument_list"),
        reverse("depot:instrument_detail", args=[violin.pk]),
        reverse("depot:desk"),
    ):
        assert client.get(url).status_code in {403, 404}, url
    for url in (reverse("depot:desk_lend"), reverse("depot:desk_return")):
        assert client.post(url, {}).status_code in {403, 404}, url
    response = client.post(reverse("depot:instrument_change", args=[violin.pk, "retire"]))
    assert response.status_code in {403, 404}
    violin.refresh_from_db()
    assert violin.status == Status.AVAILABLE


def test_another_depots_instrument_is_404(staff_client, programme):
    [theirs] = make_stock(make_depot())
    assert staff_client.get(reverse("depot:instrument_detail", args=[theirs.pk])).status_code == 404
    response = staff_client.post(reverse("depot:instrument_change", args=[theirs.pk, "repair"]))
    assert response.status_code == 404
    # Nor can the desk lend or take back another depot's instrument: it is an unknown tag.
    response = lend(staff_client, programme, [theirs.asset_tag])
    assert response.context["lent"]["refused"] == [(theirs.asset_tag, "Unknown asset tag.")]
    assert Loan.objects.count() == 0


def test_workshop_volunteer_has_no_desk(client, depot):
    client.force_login(make_member(depot, Role.WORKSHOP_VOLUNTEER))
    assert client.get(reverse("depot:desk")).status_code == 403


def test_depot_staff_see_the_menu(staff_client):
    names = {item["name"] for item in staff_client.get("/").context["nav_items"]}
    assert {"depot:instrument_list", "depot:desk"} <= names
