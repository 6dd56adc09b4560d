"""Loan agreements online: versions the depot writes and publishes, accepted by a borrowing
programme's coordinator with their typed name; loans link to the accepted agreement."""

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions, agreements
from leerorkest.depot.models import AgreementVersion, LoanAgreement
from leerorkest.depot.tests.builders import make_depot, make_stock, published_version
from leerorkest.testing import make_member, make_organisation


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def staff(depot):
    return make_member(depot, Role.DEPOT_STAFF)


@pytest.fixture
def programme(db):
    return make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Noord")


@pytest.fixture
def coordinator(programme):
    return make_member(programme, Role.COORDINATOR, full_name="Carla Coördinator")


def test_current_is_the_newest_published(depot):
    assert agreements.current_version(depot) is None
    first = published_version(depot, "2025-1")
    draft = agreements.save_draft(depot=depot, version="2026-1", text="New terms.", by=None)
    assert agreements.current_version(depot) == first
    agreements.publish_version(version=draft, by=None)
    assert agreements.current_version(depot) == draft
    assert agreements.current_version(make_depot()) is None


def test_a_published_version_is_fixed(depot):
    version = published_version(depot)
    with pytest.raises(DomainError) as refused:
        agreements.save_draft(depot=depot, version="x", text="changed", by=None, draft=version)
    assert refused.value.code == "published"
    with pytest.raises(DomainError):
        agreements.publish_version(version=version, by=None)
    version.refresh_from_db()
    assert version.text == "The terms of the loan."


def test_draft_refuses_empty_and_duplicate(depot):
    with pytest.raises(DomainError) as empty:
        agreements.save_draft(depot=depot, version=" ", text="x", by=None)
    assert empty.value.field == "version"
    published_version(depot, "2026-1")
    with pytest.raises(DomainError) as duplicate:
        agreements.save_draft(depot=depot, version="2026-1", text="x", by=None)
    assert duplicate.value.field == "version"


def test_acceptance_keeps_name_time_user_and_exact_text(depot, programme, coordinator):
    version = published_version(depot, text="Original text.")
    agreement = agreements.accept_agreement(
        borrower=programme, version=version, full_name="  Carla   Coördinator ", by=coordinator
    )
    assert agreement.accepted_by_name == "Carla Coördinator"
    assert agreement.accepted_by == coordinator
    assert agreement.accepted_at is not None
    assert (agreement.version, agreement.text) == ("2026-1", "Original text.")
    assert agreement.agreement_version == version
    # Accepting again changes nothing; the audit trail has the acceptance.
    again = agreements.accept_agreement(
        borrower=programme, version=version, full_name="Carla Coördinator", by=coordinator
    )
    assert again.pk == agreement.pk
    assert AuditEvent.objects.filter(action="depot.agreement_accept").count() == 1
    assert agreements.has_accepted_current(programme, depot)


def test_acceptance_refusals(depot, programme, coordinator):
    old = published_version(depot, "2025-1")
    published_version(depot, "2026-1")
    with pytest.raises(DomainError) as outdated:
        agreements.accept_agreement(
            borrower=programme, version=old, full_name="Carla C", by=coordinator
        )
    assert outdated.value.code == "outdated"
    draft = agreements.save_draft(depot=depot, version="2027-1", text="x", by=None)
    with pytest.raises(DomainError):
        agreements.accept_agreement(
            borrower=programme, version=draft, full_name="Carla C", by=coordinator
        )
    with pytest.raises(DomainError) as nameless:
        agreements.accept_agreement(
            borrower=programme,
            version=agreements.current_version(depot),
            full_name=" ",
            by=coordinator,
        )
    assert nameless.value.field == "full_name"
    assert LoanAgreement.objects.count() == 0


def test_loans_link_to_the_latest_accepted_agreement(depot, programme, coordinator):
    [first, second, third] = make_stock(depot, 3)
    loan = actions.checkout_instrument(instrument=first, borrower=programme, by=None)
    assert loan.agreement is None
    v1 = published_version(depot, "2025-1")
    accepted = agreements.accept_agreement(
        borrower=programme, version=v1, full_name="Carla C", by=coordinator
    )
    loan = actions.checkout_instrument(instrument=second, borrower=programme, by=None)
    assert loan.agreement == accepted
    published_version(depot, "2026-1")  # not accepted yet: the loan keeps the accepted one
    loan = actions.checkout_instrument(instrument=third, borrower=programme, by=None)
    assert loan.agreement == accepted
    assert not agreements.has_accepted_current(programme, depot)


def test_desk_warns_when_the_current_version_is_not_accepted(client, depot, staff, programme):
    published_version(depot)
    stock = make_stock(depot, 2)
    client.cookies["leerorkest_language"] = "en"
    client.force_login(staff)
    page = client.get(reverse("depot:desk"))
    assert programme not in page.context["unaccepted"]  # nothing on loan yet
    response = client.post(
        reverse("depot:desk_lend"),
        {"lend-borrower": programme.pk, "lend-tags": stock[0].asset_tag, "lend-key": "c" * 32},
    )
    assert response.context["lent"]["no_agreement"] is True
    assert "has not accepted the current loan agreement" in response.content.decode()
    assert programme in list(client.get(reverse("depot:desk")).context["unaccepted"])
    agreements.accept_agreement(
        borrower=programme,
        version=agreements.current_version(depot),
        full_name="Carla C",
        by=None,
    )
    response = client.post(
        reverse("depot:desk_lend"),
        {"lend-borrower": programme.pk, "lend-tags": stock[1].asset_tag, "lend-key": "d" * 32},
    )
    assert "no_agreement" not in response.context["lent"]
    assert response.context["lent"]["loans"][0][1].agreement is not None


def test_depot_writes_and_publishes_versions(client, depot, staff, programme, coordinator):
    client.force_login(staff)
    url = reverse("depot:agreement_versions")
    bad = client.post(url, {"version": "", "text": "Some terms"})
    assert bad.status_code == 400
    assert "Some terms" in bad.content.decode()  # what was typed stays
    response = client.post(url, {"version": "2026-1", "text": "Some terms"})
    version = AgreementVersion.objects.get()
    assert response.status_code == 302
    assert version.organisation == depot and version.created_by == staff
    edit = client.post(
        reverse("depot:agreement_version", args=[version.pk]),
        {"version": "2026-1", "text": "Better terms"},
    )
    assert edit.status_code == 302
    client.post(reverse("depot:agreement_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_published and version.text == "Better terms"
    # Published: no more editing.
    client.post(
        reverse("depot:agreement_version", args=[version.pk]), {"version": "x", "text": "y"}
    )
    version.refresh_from_db()
    assert version.text == "Better terms"
    page = client.get(reverse("depot:agreement_version", args=[version.pk]))
    assert (programme, None) in page.context["acceptances"]


def test_portal_accepts_and_downloads(client, depot, programme, coordinator):
    version = published_version(depot, text="Line one.\nLine two.")
    client.force_login(coordinator)
    url = reverse("depot:portal_agreements")
    page = client.get(url)
    assert page.context["pending"] == [(programme, version)]
    assert "Line two." in page.content.decode()
    refused = client.post(url, {"borrower": programme.pk, "version": version.pk, "full_name": ""})
    assert refused.status_code == 400
    assert LoanAgreement.objects.count() == 0
    response = client.post(
        url,
        {
            "borrower": programme.pk,
            "version": version.pk,
            "full_name": "Carla Coördinator",
            "agree": "on",
        },
    )
    assert response.status_code == 302
    agreement = LoanAgreement.objects.get()
    assert agreement.accepted_by == coordinator and agreement.borrower == programme
    assert client.get(url).context["pending"] == []
    printed = client.get(reverse("depot:agreement_print", args=[agreement.pk]))
    assert "Carla Coördinator" in printed.content.decode()
    download = client.get(reverse("depot:agreement_print", args=[agreement.pk]), {"download": 1})
    assert download["Content-Disposition"].startswith("attachment")
    assert "Line one.\nLine two." in download.content.decode()


def test_portal_cannot_accept_for_another_programme(client, depot, programme, coordinator):
    version = published_version(depot)
    other = make_organisation(kind=OrgKind.PARTNER)
    client.force_login(coordinator)
    response = client.post(
        reverse("depot:portal_agreements"),
        {"borrower": other.pk, "version": version.pk, "full_name": "Carla C", "agree": "on"},
    )
    assert response.status_code == 404
    assert LoanAgreement.objects.count() == 0


def test_depot_staff_read_accepted_agreements_of_their_depot_only(client, depot, programme):
    version = published_version(depot)
    agreement = agreements.accept_agreement(
        borrower=programme, version=version, full_name="Carla C", by=None
    )
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    assert client.get(reverse("depot:agreement_print", args=[agreement.pk])).status_code == 200
    client.force_login(make_member(make_depot(), Role.DEPOT_STAFF))
    assert client.get(reverse("depot:agreement_print", args=[agreement.pk])).status_code == 404
