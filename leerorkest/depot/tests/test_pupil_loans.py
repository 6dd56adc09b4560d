"""Loans to children, run by the programme: a pupil of its own, the parent's signature (tablet
or paper), a random pseudonym that is all the depot sees, return from the child; erasing the
child keeps the loan (target L6)."""

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions, pupil_loans
from leerorkest.depot.models import InstrumentStatus, Loan, PupilLoan
from leerorkest.depot.tests.builders import lent, make_depot, make_stock
from leerorkest.privacy.actions import erase_pupil
from leerorkest.testing import make_class, make_member, make_organisation, make_pupil, make_school

SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def programme(db):
    return make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Zuid")


@pytest.fixture
def coordinator(programme):
    return make_member(programme, Role.COORDINATOR)


@pytest.fixture
def pupil(programme):
    return make_pupil(
        make_class(make_school(programme)), given_name="Noor", surname="Bakker", parent_name="Els"
    )


@pytest.fixture
def loan(depot, programme):
    return lent(depot, programme)[0]


def lend(loan, pupil, by=None, **extra):
    values = {"signed_by": "Els Bakker", "signed_how": "paper", "paper_signed": True}
    return pupil_loans.lend_to_pupil(loan=loan, pupil=pupil, by=by, **{**values, **extra})


def test_lend_on_paper_and_on_the_tablet(loan, pupil, coordinator, depot, programme):
    on_paper = lend(loan, pupil, by=coordinator)
    assert on_paper.signed_how == "paper" and on_paper.paper_confirmed_by == coordinator
    assert on_paper.signature == ""
    assert loan.instrument.asset_tag in on_paper.agreement_text
    assert on_paper.lent_by == coordinator
    pupil_loans.return_from_pupil(pupil_loan=on_paper, by=coordinator)
    on_tablet = lend(loan, pupil, signed_how="tablet", signature=SIGNATURE, paper_signed=False)
    assert on_tablet.signature == SIGNATURE and on_tablet.paper_confirmed_by is None
    # The same child keeps the same pseudonym; the loan history keeps both rows.
    assert on_tablet.pseudonym == on_paper.pseudonym
    assert PupilLoan.objects.filter(loan=loan).count() == 2


def test_pseudonym_is_random_not_from_the_name(depot, programme, pupil):
    other = make_pupil(
        make_class(make_school(programme)), given_name="Noor", surname="Bakker", parent_name="Els"
    )
    first = lend(lent(depot, programme)[0], pupil)
    second = lend(lent(depot, programme)[0], other)
    assert first.pseudonym != second.pseudonym  # same name, different children
    for p in (first, second):
        assert p.pseudonym.startswith("K-") and len(p.pseudonym) == 9
        assert "noor" not in p.pseudonym.lower() and "bakker" not in p.pseudonym.lower()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"signed_how": "tablet", "signature": "", "paper_signed": False}, "signature"),
        ({"signed_how": "tablet", "signature": "javascript:alert(1)"}, "signature"),
        ({"signed_how": "paper", "paper_signed": False}, "paper_signed"),
        ({"signed_how": "fax"}, "signed_how"),
        ({"signed_by": " "}, "signed_by"),
    ],
)
def test_no_loan_without_the_parents_signature(loan, pupil, extra, field):
    with pytest.raises(DomainError) as refused:
        lend(loan, pupil, **extra)
    assert refused.value.field == field
    assert PupilLoan.objects.count() == 0


def test_refusals_in_transit_other_programme_and_second_child(depot, programme, pupil):
    [violin] = make_stock(depot)
    shipped = actions.checkout_instrument(instrument=violin, borrower=programme, by=None, ship=True)
    with pytest.raises(DomainError) as in_transit:
        lend(shipped, pupil)
    assert in_transit.value.code == "not_received"
    actions.confirm_receipt(instrument=violin, by=None)
    other_programme = make_organisation(kind=OrgKind.PARTNER)
    stranger = make_pupil(organisation=other_programme)
    with pytest.raises(DomainError) as not_ours:
        lend(shipped, stranger)
    assert not_ours.value.field == "pupil"
    lend(shipped, pupil)
    with pytest.raises(DomainError) as busy:
        lend(shipped, make_pupil(organisation=programme))
    assert busy.value.code == "with_a_child"
    assert PupilLoan.objects.count() == 1


def test_database_keeps_one_open_pupil_loan_per_loan(loan, pupil):
    first = lend(loan, pupil)
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilLoan.objects.create(
            loan=loan, pupil=pupil, pseudonym="K-X", signed_by="x", agreement_text="x"
        )
    assert PupilLoan.objects.get() == first


def test_return_to_the_depot_closes_the_childs_loan(loan, pupil):
    child = lend(loan, pupil)
    actions.return_instrument(instrument=loan.instrument, by=None)
    child.refresh_from_db()
    assert child.returned_at is not None
    with pytest.raises(DomainError):
        pupil_loans.return_from_pupil(pupil_loan=child, by=None)


def test_erasing_the_child_keeps_the_loan(loan, pupil, coordinator):
    """L6: erasure pseudonymises the person; the loan rows stay, with the same pseudonym."""
    child = lend(loan, pupil, signed_how="tablet", signature=SIGNATURE, paper_signed=False)
    assert child.signed_by == "Els Bakker" and child.signature == SIGNATURE
    erase_pupil(pupil=pupil, by=coordinator)
    pupil.refresh_from_db()
    assert pupil.given_name == "Leerling" and pupil.surname != "Bakker"
    child.refresh_from_db()
    assert child.pupil_id == pupil.pk and child.returned_at is None
    assert child.pseudonym.startswith("K-")
    # The parent's name and signature on it are gone with the child's.
    assert child.signed_by == "" and child.signature == ""
    assert Loan.objects.filter(pk=loan.pk).exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        PupilLoan.objects.filter(pk=child.pk).delete()
    assert PupilLoan.objects.filter(pk=child.pk).exists()


# --- pages -----------------------------------------------------------------------------------


def test_portal_lends_to_a_pupil_on_paper(client, loan, pupil, coordinator):
    client.force_login(coordinator)
    url = reverse("depot:portal_lend_pupil", args=[loan.pk])
    page = client.get(url, {"q": "noor"})
    assert page.status_code == 200
    assert list(page.context["form"].fields["pupil"].queryset) == [pupil]
    assert AuditEvent.objects.filter(action="pupil.list", actor=coordinator).exists()
    missing = client.post(url, {"pupil": pupil.pk, "signed_how": "paper", "signed_by": "Els B"})
    assert missing.status_code == 400
    assert "Tick the box" in missing.content.decode() or missing.context["form"].errors
    assert missing.context["form"]["signed_by"].value() == "Els B"  # kept
    response = client.post(
        url, {"pupil": pupil.pk, "signed_how": "paper", "signed_by": "Els B", "paper_signed": "on"}
    )
    assert response.status_code == 302
    child = PupilLoan.objects.get()
    assert child.pupil == pupil and child.paper_confirmed_by == coordinator
    detail = client.get(reverse("depot:portal_loan", args=[loan.pk]))
    html = detail.content.decode()
    assert "Noor Bakker" in html and child.pseudonym in html


def test_portal_lends_with_a_tablet_signature(client, loan, pupil, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("depot:portal_lend_pupil", args=[loan.pk]),
        {"pupil": pupil.pk, "signed_how": "tablet", "signed_by": "Els B", "signature": SIGNATURE},
    )
    assert response.status_code == 302
    assert PupilLoan.objects.get().signature == SIGNATURE
    page = client.get(reverse("depot:portal_loan", args=[loan.pk]))
    assert 'class="signature-image"' in page.content.decode()


def test_lend_page_has_the_signature_box_without_inline_script(client, loan, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("depot:portal_lend_pupil", args=[loan.pk])).content.decode()
    assert "data-signature-pad" in html and "js/signature.js" in html
    assert "<script>" not in html


def test_another_programmes_pupil_cannot_be_chosen(client, loan, coordinator):
    stranger = make_pupil(organisation=make_organisation(kind=OrgKind.PARTNER))
    client.force_login(coordinator)
    response = client.post(
        reverse("depot:portal_lend_pupil", args=[loan.pk]),
        {"pupil": stranger.pk, "signed_how": "paper", "signed_by": "X Y", "paper_signed": "on"},
    )
    assert response.status_code == 400
    assert PupilLoan.objects.count() == 0


def test_printable_form_per_child_is_audited(client, loan, pupil, coordinator):
    client.force_login(coordinator)
    url = reverse("depot:portal_pupil_form", args=[loan.pk])
    page = client.get(url, {"pupil": pupil.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Noor Bakker" in html and loan.instrument.asset_tag in html
    assert AuditEvent.objects.filter(action="pupil.loan_form", object_id=str(pupil.pk)).exists()
    stranger = make_pupil(organisation=make_organisation(kind=OrgKind.PARTNER))
    assert client.get(url, {"pupil": stranger.pk}).status_code == 404
    assert client.get(url).status_code == 200  # a blank form


def test_return_from_the_child_on_the_portal(client, loan, pupil, coordinator):
    child = lend(loan, pupil)
    client.force_login(coordinator)
    response = client.post(reverse("depot:portal_pupil_return", args=[child.pk]))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.returned_at is not None
    loan.instrument.refresh_from_db()
    assert loan.instrument.status == InstrumentStatus.ON_LOAN  # still with the programme


def test_depot_sees_the_pseudonym_never_the_name(client, depot, loan, pupil):
    child = lend(loan, pupil)
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    html = client.get(reverse("depot:instrument_detail", args=[loan.instrument_id])).content
    html = html.decode()
    assert child.pseudonym in html
    assert "Noor" not in html and "Bakker" not in html and "Els" not in html
