"""Donation intake, assessment into instruments, children reached, thank-you, privacy, pages,
API."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from leerorkest.accounts.actions import DomainError, create_api_token
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import EventKind, Instrument, InstrumentStatus, PupilLoan
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.donations import actions
from leerorkest.donations.models import DonationItem, Donor
from leerorkest.privacy import register
from leerorkest.testing import instrument, make_member, make_organisation, make_pupil
from leerorkest.workshop.models import PartMovement, Skill, WorkOrder
from leerorkest.workshop.tests.builders import make_part, make_workshop

Assessment = DonationItem.Assessment


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def staff(depot):
    return make_member(depot, Role.DEPOT_STAFF)


@pytest.fixture
def english(client):
    client.cookies["leerorkest_language"] = "en"
    return client


def _donation(depot, by, *, named=False, email="gever@test.example", items=2):
    return actions.register_donation(
        organisation=depot,
        by=by,
        new_donor={
            "kind": "person",
            "name": "Anna Gever",
            "email": email,
            "consent_thanks": True,
            "consent_named": named,
        },
        received_on=date(2024, 3, 1),
        items=[
            {"description": f"Violin {n}", "instrument_type": instrument("violin")}
            for n in range(items)
        ],
    )


def test_next_asset_tag_follows_the_series(depot):
    make_stock(depot, 2)
    highest = max(Instrument.objects.values_list("asset_tag", flat=True))
    assert actions.next_asset_tag() == f"LO-{int(highest[3:]) + 1:05d}"


def test_playable_becomes_an_instrument_with_its_event(depot, staff):
    donation = _donation(depot, staff)
    item = donation.items.first()
    item = actions.assess_item(
        item=item, assessment=Assessment.PLAYABLE, by=staff, value_cents=20_000
    )
    violin = item.instrument
    assert violin.acquired_via == "donation" and violin.acquired_on == date(2024, 3, 1)
    assert violin.status == InstrumentStatus.AVAILABLE and violin.value_cents == 20_000
    assert violin.asset_tag.startswith("LO-")
    event = violin.events.get()
    assert event.kind == EventKind.ACQUIRED
    assert f" #{donation.pk} " in event.note and "2024-03-01" in event.note
    # Never a donor's name in the append-only history, named or not: it could not be erased.
    assert "Anna Gever" not in event.note
    with pytest.raises(DomainError):  # assessed once
        actions.assess_item(item=item, assessment=Assessment.SCRAP, by=staff)


def test_needs_repair_goes_to_the_workshop(depot, staff):
    workshop = make_workshop(depot, [Skill.STRINGS])
    item = _donation(depot, staff).items.first()
    item = actions.assess_item(item=item, assessment=Assessment.NEEDS_REPAIR, by=staff)
    violin = Instrument.objects.get(pk=item.instrument_id)
    assert violin.status == InstrumentStatus.IN_REPAIR and violin.condition == "D"
    order = WorkOrder.objects.get(instrument=violin)
    assert (order.source, order.workshop, order.status) == ("inspection", workshop, "queued")


def test_parts_only_and_scrap(depot, staff):
    part = make_part(depot, "Pegs")
    donation = _donation(depot, staff)
    first, second = donation.items.all()
    actions.assess_item(item=first, assessment=Assessment.PARTS_ONLY, by=staff, parts=[(part, 4)])
    actions.assess_item(item=second, assessment=Assessment.SCRAP, by=staff)
    assert PartMovement.objects.get(part=part).kind == "harvested"
    part.refresh_from_db()
    assert part.on_hand == 4
    assert not Instrument.objects.exists()
    assert set(donation.items.values_list("assessment", flat=True)) == {"parts_only", "scrap"}


def test_volunteers_register_but_do_not_assess(depot):
    volunteer = make_member(depot, Role.WORKSHOP_VOLUNTEER)
    donation = _donation(depot, volunteer)
    assert donation.intake_by == volunteer and donation.items.count() == 2
    with pytest.raises(DomainError):
        actions.assess_item(
            item=donation.items.first(), assessment=Assessment.PLAYABLE, by=volunteer
        )
    outsider = make_member(make_depot(), Role.DEPOT_STAFF)
    with pytest.raises(DomainError):
        _donation(depot, outsider)


def test_children_reached_counts_distinct_pseudonyms_and_programmes(depot, staff):
    donation = _donation(depot, staff)
    violins = [
        actions.assess_item(item=i, assessment=Assessment.PLAYABLE, by=staff).instrument
        for i in donation.items.all()
    ]
    programme = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Zuid")
    partner = make_organisation(kind=OrgKind.PARTNER, name="Leerorkest Elders")
    pupil = make_pupil(organisation=programme)
    for violin, borrower, names in (
        (violins[0], programme, ["K-1", "K-2"]),
        (violins[1], partner, ["K-1", "K-3"]),
    ):
        loan = depot_actions.checkout_instrument(instrument=violin, borrower=borrower, by=None)
        for name in names:
            PupilLoan.objects.create(
                loan=loan,
                pupil=pupil,
                pseudonym=name,
                signed_by="Ouder",
                agreement_text="-",
                returned_at="2024-06-01T10:00Z",
            )
    reached = actions.reach(donation)
    assert reached == {
        "instruments": 2,
        "children": 3,
        "programmes": ["Leerorkest Elders", "Leerorkest Zuid"],
    }
    assert actions.reach(_donation(depot, staff)) == {
        "instruments": 0,
        "children": 0,
        "programmes": [],
    }


def test_thank_you_mail_only_with_address_and_consent(
    depot, staff, django_capture_on_commit_callbacks
):
    donation = _donation(depot, staff)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_thanks(donation=donation, by=staff)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["gever@test.example"]
    donation.refresh_from_db()
    assert donation.thanked_at is not None
    silent = _donation(depot, staff, email="")
    with pytest.raises(DomainError):
        actions.send_thanks(donation=silent, by=staff)
    assert len(mail.outbox) == 1


def test_privacy_declarations(db):
    assert "donations.Donor" in register.declared_models()
    assert "workshop.WorkshopMember" in register.declared_models()
    assert register.undeclared_personal_models() == []
    labels = [d.model for d in register.DECLARATIONS]
    assert len(labels) == len(set(labels))


def test_audit_trail_holds_no_donor_name(depot, staff):
    donation = _donation(depot, staff)
    actions.update_donor(donor=donation.donor, by=staff, phone="0612345678")
    assert not AuditEvent.objects.filter(object_repr__icontains="Gever").exists()


# --- pages ---------------------------------------------------------------------------------------


def test_intake_page_several_items_in_one_form(english, depot, staff):
    english.force_login(staff)
    url = reverse("donations:intake")
    form = {
        "name": "Muziekschool Oost",
        "kind": "organisation",
        "email": "info@test.example",
        "consent_thanks": "on",
        "consent_named": "on",
        "received_on": "2025-05-02",
        "items-TOTAL_FORMS": "6",
        "items-INITIAL_FORMS": "0",
        "items-0-description": "Cello 1/2",
        "items-0-instrument_type": instrument("cello").pk,
        "items-1-instrument_type": instrument("flute").pk,  # description from the type
        "items-1-make": "Yamaha",
    }
    response = english.post(url, form)
    assert response.status_code == 302
    donor = Donor.objects.get()
    assert donor.kind == "organisation" and donor.consent_named
    items = list(DonationItem.objects.order_by("pk"))
    assert [i.description for i in items] == ["Cello 1/2", "Flute"]
    # A missing donor name: shown next to the field, the items stay typed in.
    bad = english.post(url, {**form, "name": ""})
    assert bad.status_code == 200
    assert bad.context["items"].forms[0]["description"].value() == "Cello 1/2"
    assert bad.context["form"].errors["name"]


def test_assessment_page_and_instrument_panel(english, depot, staff):
    donation = _donation(depot, staff, named=True)
    item = donation.items.first()
    english.force_login(staff)
    page = english.get(reverse("donations:detail", args=[donation.pk]))
    assert page.status_code == 200 and "Violin 0" in page.content.decode()
    response = english.post(
        reverse("donations:item_assess", args=[item.pk]),
        {"assessment": "playable", "instrument_type": instrument("violin").pk, "condition": "B"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    detail = english.get(reverse("depot:instrument_detail", args=[item.instrument_id]))
    html = detail.content.decode()
    assert "Came from a donation by Anna Gever" in html
    assert reverse("donations:detail", args=[donation.pk]) in html
    letter = english.get(reverse("donations:letter", args=[donation.pk]))
    assert "became 1 instrument" in letter.content.decode()


def test_panel_hides_the_name_without_consent(english, depot, staff):
    donation = _donation(depot, staff)
    item = actions.assess_item(item=donation.items.first(), assessment="playable", by=staff)
    english.force_login(staff)
    html = english.get(reverse("depot:instrument_detail", args=[item.instrument_id])).content
    assert b"a private donor" in html and b"Anna Gever" not in html


def test_list_filters_and_donor_page(english, depot, staff):
    donation = _donation(depot, staff)
    elsewhere = make_depot()
    other = _donation(elsewhere, make_member(elsewhere, Role.DEPOT_STAFF))
    english.force_login(staff)
    page = english.get(reverse("donations:list"), {"year": "2024", "pending": "1"})
    assert [d.pk for d in page.context["page"]] == [donation.pk]
    assert other.pk not in [d.pk for d in page.context["page"]]
    assert list(english.get(reverse("donations:list"), {"year": "2023"}).context["page"]) == []
    donor_page = english.get(reverse("donations:donor_detail", args=[donation.donor_id]))
    assert f"#{donation.pk}" in donor_page.content.decode()
    assert english.get(reverse("donations:donor_detail", args=[other.donor_id])).status_code == 404


def test_api_lists_own_donations(client, depot, staff):
    donation = _donation(depot, staff)
    actions.assess_item(item=donation.items.first(), assessment="playable", by=staff)
    _token, raw = create_api_token(user=staff, name="t")
    headers = {"authorization": f"Bearer {raw}"}
    listed = client.get("/api/v1/donations", headers=headers).json()
    assert [d["id"] for d in listed] == [donation.pk]
    detail = client.get(f"/api/v1/donations/{donation.pk}", headers=headers).json()
    assert detail["instruments"] == 1 and len(detail["item_list"]) == 2
    stranger = make_member(make_depot(), Role.DEPOT_STAFF)
    _token, raw = create_api_token(user=stranger, name="t")
    assert (
        client.get(
            f"/api/v1/donations/{donation.pk}", headers={"authorization": f"Bearer {raw}"}
        ).status_code
        == 404
    )


def test_erasing_a_donor_keeps_the_donations(english, depot, staff):
    donation = _donation(depot, staff, named=True)
    donor = donation.donor
    Donor.objects.filter(pk=donor.pk).update(phone="0612345678", postal_address="Gracht 1")
    item = actions.assess_item(item=donation.items.first(), assessment="playable", by=staff)
    english.force_login(staff)
    instrument_url = reverse("depot:instrument_detail", args=[item.instrument_id])
    assert "Anna Gever" in english.get(instrument_url).content.decode()
    url = reverse("donations:donor_erase", args=[donor.pk])
    # Without the confirmation nothing happens.
    english.post(url)
    donor.refresh_from_db()
    assert donor.name == "Anna Gever" and not donor.is_erased
    response = english.post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    donor.refresh_from_db()
    assert donor.name == f"Donor #{donor.pk}" and donor.is_erased
    assert (donor.email, donor.phone, donor.postal_address, donor.notes) == ("", "", "", "")
    assert not donor.consent_thanks and not donor.consent_named
    assert donor.donations.get() == donation and donation.items.count() == 2
    html = english.get(instrument_url).content.decode()
    assert "a private donor" in html and "Anna Gever" not in html
    # Nowhere left to write to, and no trace of the name in the audit trail or history.
    assert not actions.can_email_thanks(donation)
    assert english.get(reverse("donations:letter", args=[donation.pk])).status_code == 302
    erased = AuditEvent.objects.get(action="donations.donor_erased")
    assert erased.object_repr == f"Donor #{donor.pk}"
    trail = " ".join(f"{a.object_repr} {a.details}" for a in AuditEvent.objects.all()) + " ".join(
        e.note for e in item.instrument.events.all()
    )
    assert "Anna" not in trail and "gever@" not in trail
    with pytest.raises(DomainError):
        actions.erase_donor(donor=donor, by=staff)
    with pytest.raises(DomainError):
        actions.update_donor(donor=donor, by=staff, name="Anna Gever")
    with pytest.raises(DomainError):
        actions.register_donation(
            organisation=depot, by=staff, donor=donor, items=[{"description": "Flute"}]
        )
    # The API names the pseudonym only.
    _token, raw = create_api_token(user=staff, name="t")
    listed = english.get("/api/v1/donations", headers={"authorization": f"Bearer {raw}"}).json()
    assert {d["donor"] for d in listed} == {f"Donor #{donor.pk}"}


def test_only_depot_staff_erase_donors(english, depot):
    lead = make_member(depot, Role.WORKSHOP_LEAD)
    donation = _donation(depot, lead)
    with pytest.raises(DomainError):
        actions.erase_donor(donor=donation.donor, by=lead)
    english.force_login(lead)
    page = english.get(reverse("donations:donor_detail", args=[donation.donor_id]))
    assert page.context["can_erase"] is False
    english.post(reverse("donations:donor_erase", args=[donation.donor_id]), {"confirm": "1"})
    assert Donor.objects.get(pk=donation.donor_id).name == "Anna Gever"


def test_letter_prints_on_a4_without_navigation(english, depot, staff):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    donation = _donation(depot, staff)
    english.force_login(staff)
    html = english.get(reverse("donations:letter", args=[donation.pk])).content.decode()
    assert "donations/letter.css" in html and 'class="letter-actions"' in html
    css = Path(finders.find("donations/letter.css")).read_text(encoding="utf-8")
    assert "size: A4" in css
    print_rules = css[css.index("@media print") :]
    for hidden in (".site-header", ".site-footer", ".messages", ".letter-actions"):
        assert hidden in print_rules
