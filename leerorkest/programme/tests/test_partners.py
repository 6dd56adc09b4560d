"""Partner organisations with contact persons and agreements: list, pages, forms, access."""

from datetime import date

import pytest
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme.models import Agreement, Partner, PartnerContact
from leerorkest.testing import make_member, make_organisation
from tests.access_partners import build_agreement, build_contact, build_partner

LIST = reverse("programme:partner_list")


@pytest.fixture(autouse=True)
def _english_messages(client):
    """These tests read the English texts; the Dutch ones are checked by the catalogue test."""
    from django.utils import translation

    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


def names(response):
    return [p.name for p in response.context["page"]]


def test_list_searches_filters_and_sorts(client, personas):
    programme = personas.organisation
    nedpho = build_partner(programme, name="NedPhO", kind=Partner.Kind.ORCHESTRA, city="Amsterdam")
    build_contact(nedpho, name="Karin Smit")
    build_partner(programme, name="Bijlmer Parktheater", kind=Partner.Kind.VENUE, city="Zuidoost")
    build_partner(programme, name="Jeugdfonds", kind=Partner.Kind.YOUTH_FUND, city="Utrecht")
    build_partner(personas.other, name="Schouwburg Dordrecht", kind=Partner.Kind.VENUE)
    client.force_login(personas.owner)
    assert names(client.get(LIST)) == ["Bijlmer Parktheater", "Jeugdfonds", "NedPhO"]
    assert names(client.get(LIST, {"kind": "venue"})) == ["Bijlmer Parktheater"]
    assert names(client.get(LIST, {"q": "karin"})) == ["NedPhO"]
    assert names(client.get(LIST, {"q": "utrecht"})) == ["Jeugdfonds"]
    assert names(client.get(LIST, {"sort": "city"})) == [
        "NedPhO",
        "Jeugdfonds",
        "Bijlmer Parktheater",
    ]
    assert client.get(LIST, {"kind": "nonsense", "sort": "x"}).status_code == 200
    htmx = client.get(LIST, {"q": "ned"}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="results"' in htmx and "<h1>" not in htmx


@pytest.mark.parametrize("count", [3, 40])
def test_list_queries_do_not_grow(client, personas, count, django_assert_max_num_queries):
    for n in range(count):
        partner = build_partner(personas.organisation, name=f"Partner {n:02d}")
        build_contact(partner)
        build_agreement(partner)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["page"]) == count
    assert {p.contact_count for p in response.context["page"]} == {1}


def test_coordinator_creates_and_edits_a_partner(client, personas):
    client.force_login(personas.owner)
    bad = client.post(reverse("programme:partner_create"), {"name": " ", "kind": "castle"})
    assert bad.status_code == 400
    assert {"name", "kind"} <= set(bad.context["form"].errors)
    assert not Partner.objects.exists()
    response = client.post(
        reverse("programme:partner_create"),
        {"name": "Muziekgebouw", "kind": "venue", "city": "Amsterdam", "website": "mgah.nl"},
    )
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert partner.organisation == personas.organisation
    assert partner.website == "https://mgah.nl"
    response = client.post(
        reverse("programme:partner_edit", args=[partner.pk]),
        {"name": "Muziekgebouw aan 't IJ", "kind": "venue"},
    )
    partner.refresh_from_db()
    assert partner.name == "Muziekgebouw aan 't IJ"
    assert AuditEvent.objects.filter(action__startswith="partner.").count() == 2


def test_contact_persons_are_added_edited_and_removed(client, personas):
    partner = build_partner(personas.organisation)
    client.force_login(personas.owner)
    add = reverse("programme:partner_contact_add", args=[partner.pk])
    assert client.get(add).status_code == 200
    bad = client.post(add, {"name": "Karin"})
    assert bad.status_code == 400 and "email" in bad.context["form"].errors
    bad = client.post(add, {"name": "Karin", "email": "geen adres"})
    assert "email" in bad.context["form"].errors
    assert not PartnerContact.objects.exists()
    assert client.post(add, {"name": "Karin", "role": "Educatie", "phone": "020 1234"}).status_code
    contact = partner.contacts.get()
    page = client.get(reverse("programme:partner_detail", args=[partner.pk])).content.decode()
    assert "Karin" in page and "Educatie" in page
    client.post(
        reverse("programme:partner_contact_edit", args=[contact.pk]),
        {"name": "Karin Smit", "email": "karin@test.example"},
    )
    contact.refresh_from_db()
    assert contact.name == "Karin Smit" and contact.email == "karin@test.example"
    assert (
        client.get(reverse("programme:partner_contact_remove", args=[contact.pk])).status_code
        == 405
    )
    client.post(reverse("programme:partner_contact_remove", args=[contact.pk]))
    assert not partner.contacts.exists()


def test_agreements_are_recorded_with_valid_dates(client, personas):
    partner = build_partner(personas.organisation)
    client.force_login(personas.owner)
    add = reverse("programme:partner_agreement_add", args=[partner.pk])
    bad = client.post(
        add, {"title": "Zaalhuur", "starts_on": "2026-09-01", "ends_on": "2026-08-01"}
    )
    assert bad.status_code == 400 and "ends_on" in bad.context["form"].errors
    bad = client.post(add, {"title": "", "starts_on": "1-9-2026x"})
    assert {"title", "starts_on"} <= set(bad.context["form"].errors)
    assert not Agreement.objects.exists()
    client.post(
        add,
        {
            "title": "Zaalhuur kerstconcert",
            "starts_on": "2026-09-01",
            "ends_on": "2027-07-31",
            "notes": "Twee concerten, stoelen en lessenaars inbegrepen.",
        },
    )
    agreement = partner.agreements.get()
    assert agreement.ends_on == date(2027, 7, 31)
    page = client.get(reverse("programme:partner_detail", args=[partner.pk])).content.decode()
    assert "lessenaars inbegrepen" in page
    client.post(
        reverse("programme:partner_agreement_edit", args=[agreement.pk]),
        {"title": "Zaalhuur", "starts_on": "2026-09-01", "ends_on": ""},
    )
    agreement.refresh_from_db()
    assert agreement.title == "Zaalhuur" and agreement.ends_on is None
    client.post(reverse("programme:partner_agreement_remove", args=[agreement.pk]))
    assert not partner.agreements.exists()


def test_only_the_programmes_coordinators_see_partners(client, personas):
    partner = build_partner(personas.organisation, name="NedPhO")
    contact = build_contact(partner)
    school = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    school_contact = make_member(school, Role.SCHOOL_CONTACT)
    detail = reverse("programme:partner_detail", args=[partner.pk])
    for user in (personas.member, school_contact):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.get(detail).status_code == 403
    client.force_login(personas.outsider)
    assert "NedPhO" not in client.get(LIST).content.decode()
    assert client.get(detail).status_code == 404
    response = client.post(reverse("programme:partner_contact_remove", args=[contact.pk]))
    assert response.status_code == 404
    assert PartnerContact.objects.filter(pk=contact.pk).exists()
