"""The workshop pages and the work-order API."""

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import EventKind, InstrumentStatus
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_member
from leerorkest.workshop import actions, parts
from leerorkest.workshop.models import Part, Skill, WorkOrder
from leerorkest.workshop.tests.builders import add_member, in_repair, make_part, make_workshop

Status = WorkOrder.Status


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def lead(depot):
    return make_member(depot, Role.WORKSHOP_LEAD, full_name="Wim Werkmeester")


@pytest.fixture
def strings(depot, lead):
    return make_workshop(depot, [Skill.STRINGS], lead=lead, name="Strijkers")


@pytest.fixture
def volunteer(strings):
    user = make_member(strings.organisation, Role.WORKSHOP_VOLUNTEER, full_name="Vera Vrijwillig")
    add_member(strings, user)
    return user


@pytest.fixture
def english(client):
    client.cookies["leerorkest_language"] = "en"
    return client


def test_queue_shows_unassigned_first_and_filters(english, strings, lead, volunteer):
    orders = [WorkOrder.objects.get(instrument=in_repair(strings.organisation)) for _ in range(3)]
    actions.assign(work_order=orders[0], to=volunteer, by=lead)
    english.force_login(volunteer)
    url = reverse("workshop:queue", args=[strings.pk])
    response = english.get(url)
    assert response.status_code == 200
    shown = [o.pk for o in response.context["page"]]
    assert shown == [orders[1].pk, orders[2].pk, orders[0].pk]
    assert [o.pk for o in english.get(url, {"assigned": "me"}).context["page"]] == [orders[0].pk]
    assert [o.pk for o in english.get(url, {"assigned": "unassigned"}).context["page"]] == [
        orders[1].pk,
        orders[2].pk,
    ]
    assert list(english.get(url, {"skill": "brass"}).context["page"]) == []


def test_volunteer_sees_only_own_workshops(english, strings, volunteer, depot):
    other = make_workshop(depot, [Skill.BRASS])
    english.force_login(volunteer)
    assert english.get(reverse("workshop:queue", args=[other.pk])).status_code == 404
    page = english.get(reverse("workshop:overview"))
    assert [r["workshop"] for r in page.context["rows"]] == [strings]
    # Parts and plans are for the managers.
    assert english.get(reverse("workshop:parts")).status_code == 403


def test_my_work_on_a_phone_hours_parts_and_ready(english, strings, lead, volunteer):
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    actions.assign(work_order=order, to=volunteer, by=lead)
    part = make_part(strings.organisation, "E string", on_hand=4, cost=400)
    english.force_login(volunteer)
    page = english.get(reverse("workshop:my_work"))
    assert page.status_code == 200
    assert order.instrument.asset_tag in page.content.decode()
    my_work = reverse("workshop:my_work")
    response = english.post(
        reverse("workshop:work_order_labour", args=[order.pk]),
        {"hours": "1.25", "note": "New bridge", "next": my_work},
    )
    assert response.status_code == 302 and response.url == my_work
    english.post(
        reverse("workshop:work_order_part", args=[order.pk]), {"part": part.pk, "quantity": 1}
    )
    # Too many: an error next to the field, the input kept.
    refused = english.post(
        reverse("workshop:work_order_part", args=[order.pk]), {"part": part.pk, "quantity": 9}
    )
    assert refused.status_code == 200
    assert "Only 3 of E string on hand" in refused.content.decode()
    assert refused.context["part_form"]["quantity"].value() == "9"
    english.post(reverse("workshop:work_order_action", args=[order.pk, "ready"]))
    order.refresh_from_db()
    assert order.status == Status.AWAITING_QA
    assert order.hours == 1.25 and order.parts_cost_cents == 400
    # The volunteer cannot sign it off, not even by posting.
    english.post(reverse("workshop:work_order_action", args=[order.pk, "sign_off"]))
    order.refresh_from_db()
    assert order.status == Status.AWAITING_QA


def test_work_order_page_and_sign_off_by_the_lead(english, strings, lead, volunteer, settings):
    settings.REPAIR_COST_WARNING_PERCENT = 10
    violin = in_repair(strings.organisation, value_cents=10_000)
    order = WorkOrder.objects.get(instrument=violin)
    actions.assign(work_order=order, to=volunteer, by=lead)
    parts.use_part(
        work_order=order,
        part=make_part(strings.organisation, on_hand=1, cost=2000),
        quantity=1,
        by=volunteer,
    )
    actions.ready_for_qa(work_order=order, by=volunteer)
    english.force_login(lead)
    page = english.get(reverse("workshop:work_order", args=[order.pk]))
    html = page.content.decode()
    assert page.context["warn"] and "Cost warning" in html
    assert page.context["can_sign"]
    assert reverse("depot:instrument_detail", args=[violin.pk]) in html
    queue = english.get(reverse("workshop:queue", args=[strings.pk]))
    assert "Cost warning" in queue.content.decode()
    response = english.post(reverse("workshop:work_order_action", args=[order.pk, "sign_off"]))
    assert response.status_code == 302
    violin.refresh_from_db()
    assert violin.status == InstrumentStatus.AVAILABLE
    # The instrument page shows the work order with its cost.
    detail = english.get(reverse("depot:instrument_detail", args=[violin.pk]))
    assert f"#{order.pk}" in detail.content.decode() and "20.00" in detail.content.decode()


def test_assign_and_new_order_pages(english, strings, lead, volunteer):
    [violin] = make_stock(strings.organisation)
    english.force_login(lead)
    url = reverse("workshop:work_order_new")
    assert violin.asset_tag in english.get(url, {"instrument": violin.pk}).content.decode()
    bad = english.post(url, {"asset_tag": "LO-NOPE", "description": "Seam open"})
    assert bad.status_code == 200 and "No instrument of your depot" in bad.content.decode()
    assert bad.context["form"]["description"].value() == "Seam open"
    response = english.post(url, {"asset_tag": violin.asset_tag, "description": "Seam open"})
    order = WorkOrder.objects.get(instrument=violin)
    assert response.url == reverse("workshop:work_order", args=[order.pk])
    english.post(reverse("workshop:work_order_assign", args=[order.pk]), {"to": volunteer.pk})
    order.refresh_from_db()
    assert order.assigned_to == volunteer


def test_parts_page_receive_and_low_stock(english, strings, lead):
    part = make_part(strings.organisation, "Bow hair", on_hand=1, reorder=3)
    english.force_login(lead)
    page = english.get(reverse("workshop:parts"))
    assert page.context["low_count"] == 1 and "Reorder" in page.content.decode()
    english.post(
        reverse("workshop:part_receive"), {"part": part.pk, "quantity": 10, "unit_cost": "7.50"}
    )
    part.refresh_from_db()
    assert (part.on_hand, part.unit_cost_cents) == (11, 750)
    english.post(
        reverse("workshop:part_create"),
        {"name": "Rosin", "kind": "consumable", "unit_cost": "3", "reorder_level": 5},
    )
    assert Part.objects.get(name="Rosin").unit_cost_cents == 300
    ledger = english.get(reverse("workshop:part_detail", args=[part.pk]))
    assert "Purchased" in ledger.content.decode()


def test_harvest_from_the_instrument_page(english, strings, lead):
    [violin] = make_stock(strings.organisation)
    depot_actions.retire_instrument(instrument=violin, by=lead)
    part = make_part(strings.organisation, "Pegs")
    english.force_login(lead)
    page = english.get(reverse("depot:instrument_detail", args=[violin.pk]))
    assert "Harvest parts into stock" in page.content.decode()
    english.post(
        reverse("workshop:harvest", args=[violin.pk]), {"part_1": part.pk, "quantity_1": 4}
    )
    assert Part.objects.get(pk=part.pk).on_hand == 4
    assert violin.events.filter(kind=EventKind.HARVESTED).exists()


def test_plans_page_add_and_run(english, strings, lead):
    english.force_login(lead)
    url = reverse("workshop:plans")
    english.post(
        url,
        {"family": "strings", "interval_months": 12, "workshop": strings.pk, "skill": "strings"},
    )
    assert english.get(url).context["plans"][0].interval_months == 12
    response = english.post(reverse("workshop:plans_run"))
    assert response.status_code == 302


# --- API ----------------------------------------------------------------------------------------


def _api(client, user):
    _token, raw = create_api_token(user=user, name="test")
    return {"authorization": f"Bearer {raw}"}


def test_api_create_lines_and_status(client, strings, lead, volunteer):
    [violin] = make_stock(strings.organisation)
    part = make_part(strings.organisation, on_hand=2, cost=500)
    headers = _api(client, lead)
    created = client.post(
        "/api/v1/work-orders",
        {"instrument_id": violin.pk, "description": "Open seam"},
        content_type="application/json",
        headers={**headers, "Idempotency-Key": "wo-1"},
    )
    assert created.status_code == 201
    order_id = created.json()["id"]
    again = client.post(
        "/api/v1/work-orders",
        {"instrument_id": violin.pk, "description": "Open seam"},
        content_type="application/json",
        headers={**headers, "Idempotency-Key": "wo-1"},
    )
    assert again.json()["id"] == order_id and WorkOrder.objects.count() == 1
    url = f"/api/v1/work-orders/{order_id}"
    assign = client.patch(
        url,
        {"action": "assign", "assigned_to_id": volunteer.pk},
        content_type="application/json",
        headers=headers,
    )
    assert assign.json()["assigned_to_id"] == volunteer.pk
    mine = _api(client, volunteer)
    hours = client.post(
        url + "/labour", {"hours": 2}, content_type="application/json", headers=mine
    )
    assert hours.status_code == 201 and hours.json()["paid"] is False
    too_many = client.post(
        url + "/parts",
        {"part_id": part.pk, "quantity": 5},
        content_type="application/json",
        headers=mine,
    )
    assert too_many.status_code == 400 and too_many.json()["code"] == "not_enough_stock"
    client.post(
        url + "/parts",
        {"part_id": part.pk, "quantity": 1},
        content_type="application/json",
        headers=mine,
    )
    client.patch(url, {"action": "ready"}, content_type="application/json", headers=mine)
    refused = client.patch(
        url, {"action": "sign_off"}, content_type="application/json", headers=mine
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_allowed"
    done = client.patch(
        url, {"action": "sign_off"}, content_type="application/json", headers=headers
    )
    assert done.json()["status"] == "done"
    assert done.json()["parts_cost_cents"] == 500 and len(done.json()["labour"]) == 1
    listed = client.get("/api/v1/work-orders?status=done", headers=mine).json()
    assert [o["id"] for o in listed] == [order_id]


def test_api_scoped_to_the_depot(client, strings, lead):
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    stranger = make_member(make_depot(), Role.DEPOT_STAFF)
    headers = _api(client, stranger)
    assert client.get(f"/api/v1/work-orders/{order.pk}", headers=headers).status_code == 404
    assert client.get("/api/v1/work-orders", headers=headers).json() == []
    response = client.post(
        "/api/v1/work-orders",
        {"instrument_id": order.instrument_id, "description": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404
