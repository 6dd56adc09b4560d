"""The return desk with inspection (scanner first) and the one-step size swap."""

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions, desk_actions, pupil_loans, signals
from leerorkest.depot.models import (
    Inspection,
    InstrumentEvent,
    InstrumentStatus,
    KitItem,
    Loan,
    PupilLoan,
)
from leerorkest.depot.sizes import install_kits
from leerorkest.depot.tests.builders import lent, make_depot, make_stock, sized
from leerorkest.programme.models import InstrumentType
from leerorkest.testing import make_member, make_organisation, make_pupil

Status = InstrumentStatus


@pytest.fixture
def depot(db):
    install_kits(KitItem, InstrumentType)
    return make_depot()


@pytest.fixture
def programme(db):
    return make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest West")


@pytest.fixture
def staff_client(client, depot):
    client.cookies["leerorkest_language"] = "en"
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    return client


@pytest.fixture
def repairs():
    heard = []

    def receiver(sender, instrument, by, note, source, **kwargs):
        heard.append((instrument.pk, note, source))

    signals.sent_to_repair.connect(receiver)
    yield heard
    signals.sent_to_repair.disconnect(receiver)


# --- the action ----------------------------------------------------------------------------------


def test_return_with_inspection_to_each_outcome(depot, programme, repairs):
    ready, cleaning, repair = lent(depot, programme, 3)
    case = KitItem.objects.get(instrument_type=ready.instrument.instrument_type, name="Koffer")
    desk_actions.return_with_inspection(
        instrument=ready.instrument, by=None, condition="A", outcome="ready"
    )
    desk_actions.return_with_inspection(
        instrument=cleaning.instrument, by=None, condition="B", outcome="cleaning"
    )
    inspection = desk_actions.return_with_inspection(
        instrument=repair.instrument,
        by=None,
        condition="D",
        outcome="repair",
        missing_kit=[case],
        damage="cracked top",
    )
    statuses = {
        loan.instrument.pk: (loan.instrument.__class__.objects.get(pk=loan.instrument.pk))
        for loan in (ready, cleaning, repair)
    }
    assert statuses[ready.instrument.pk].status == Status.AVAILABLE
    assert statuses[ready.instrument.pk].condition == "A"
    assert statuses[cleaning.instrument.pk].status == Status.CLEANING
    assert statuses[repair.instrument.pk].status == Status.IN_REPAIR
    assert statuses[repair.instrument.pk].condition == "D"
    assert list(inspection.missing_kit.all()) == [case]
    assert (inspection.loan, inspection.damage, inspection.outcome) == (
        repair,
        "cracked top",
        "repair",
    )
    assert repairs == [(repair.instrument.pk, "cracked top", "inspection")]
    kinds = list(repair.instrument.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["acquired", "checked_out", "returned", "inspected", "to_repair"]
    assert Loan.objects.open().count() == 0


def test_a_bad_answer_writes_nothing(depot, programme):
    [loan] = lent(depot, programme)
    events = InstrumentEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        desk_actions.return_with_inspection(
            instrument=loan.instrument, by=None, condition="Z", outcome="ready"
        )
    assert refused.value.field == "condition"
    assert InstrumentEvent.objects.count() == events
    assert Loan.objects.open().count() == 1 and Inspection.objects.count() == 0


# --- the desk pages --------------------------------------------------------------------------


def scan(client, tag, tags="", step="add"):
    return client.post(
        reverse("depot:desk_return"), {"return-scan": tag, "return-tags": tags, "return-step": step}
    )


def test_scanning_adds_each_tag_with_enter(staff_client, depot, programme):
    loans = lent(depot, programme, 2)
    first = scan(staff_client, loans[0].instrument.asset_tag.lower())
    assert first.status_code == 200
    assert first.context["scanned"] == [loans[0].instrument.asset_tag]
    form = first.context["return_form"]
    assert form["scan"].value() in (None, "")
    assert "autofocus" in str(form["scan"])
    second = scan(staff_client, loans[1].instrument.asset_tag, tags=form["tags"].value())
    assert len(second.context["scanned"]) == 2
    assert Loan.objects.open().count() == 2  # nothing written while scanning


def test_inspect_step_shows_defaults_and_names_refused_tags(staff_client, depot, programme):
    [violin] = lent(depot, programme)
    [clarinet] = lent(depot, programme, code="clarinet")
    [never_out] = make_stock(depot)
    events = InstrumentEvent.objects.count()
    tags = "\n".join(
        [violin.instrument.asset_tag, clarinet.instrument.asset_tag, never_out.asset_tag]
    )
    response = scan(staff_client, "LO-GHOST", tags=tags, step="inspect")
    assert response.status_code == 200
    rows = {r["instrument"].pk: r for r in response.context["rows"]}
    assert set(rows) == {violin.instrument_id, clarinet.instrument_id}
    assert rows[violin.instrument_id]["outcome"] == "ready"
    assert rows[clarinet.instrument_id]["outcome"] == "cleaning"  # wind between children
    assert all(present for _k, present in rows[violin.instrument_id]["kit"])
    assert [k.name for k, _p in rows[violin.instrument_id]["kit"]] == [
        "Koffer",
        "Strijkstok",
        "Schoudersteun",
        "Hars",
    ]
    refused = dict(response.context["refused"])
    assert set(refused) == {never_out.asset_tag, "LO-GHOST"}
    assert InstrumentEvent.objects.count() == events


def test_inspection_submit_sends_one_to_repair(staff_client, depot, programme, repairs):
    loans = lent(depot, programme, 3)
    [clarinet] = lent(depot, programme, code="clarinet")
    broken = loans[1].instrument
    bow = KitItem.objects.get(instrument_type=broken.instrument_type, name="Strijkstok")
    data = {"row": [loan.instrument_id for loan in [*loans, clarinet]]}
    kit = KitItem.objects.filter(instrument_type=broken.instrument_type)
    for loan in loans:
        key = loan.instrument_id
        data |= {f"c-{key}": "B", f"o-{key}": "ready", f"d-{key}": ""}
        data[f"k-{key}"] = [k.pk for k in kit]
    data |= {f"c-{clarinet.instrument_id}": "B", f"o-{clarinet.instrument_id}": "cleaning"}
    # One click: this one goes to repair, with a damage note and the bow missing.
    data |= {f"o-{broken.pk}": "repair", f"c-{broken.pk}": "D", f"d-{broken.pk}": "loose neck"}
    data[f"k-{broken.pk}"] = [k.pk for k in kit if k != bow]
    response = staff_client.post(reverse("depot:desk_inspect"), data)
    assert response.status_code == 200
    assert len(response.context["done"]) == 4
    broken.refresh_from_db()
    assert broken.status == Status.IN_REPAIR and broken.condition == "D"
    assert repairs == [(broken.pk, "loose neck", "inspection")]
    inspection = Inspection.objects.get(instrument=broken)
    assert list(inspection.missing_kit.all()) == [bow]
    clarinet.instrument.refresh_from_db()
    assert clarinet.instrument.status == Status.CLEANING
    assert Inspection.objects.count() == 4
    assert InstrumentEvent.objects.filter(kind="inspected").count() == 4
    # Submitting the same table again writes nothing: they are back already (L8: by tag).
    events = InstrumentEvent.objects.count()
    again = staff_client.post(reverse("depot:desk_inspect"), data)
    assert len(again.context["refused"]) == 4
    assert InstrumentEvent.objects.count() == events


def test_inspection_row_with_a_bad_answer_comes_back_with_what_was_typed(
    staff_client, depot, programme
):
    good, bad = lent(depot, programme, 2)
    data = {
        "row": [good.instrument_id, bad.instrument_id],
        f"c-{good.instrument_id}": "A",
        f"o-{good.instrument_id}": "ready",
        f"c-{bad.instrument_id}": "B",
        f"o-{bad.instrument_id}": "",
        f"d-{bad.instrument_id}": "scratch on the back",
    }
    response = staff_client.post(reverse("depot:desk_inspect"), data)
    [row] = response.context["rows"]
    assert row["instrument"].pk == bad.instrument_id
    assert row["damage"] == "scratch on the back" and row["error"]
    assert "scratch on the back" in response.content.decode()
    assert Loan.objects.open().get() == bad


def test_another_depots_instrument_cannot_be_inspected(staff_client, programme):
    [theirs] = lent(make_depot(), programme)
    response = staff_client.post(
        reverse("depot:desk_inspect"),
        {
            "row": theirs.instrument_id,
            f"c-{theirs.instrument_id}": "A",
            f"o-{theirs.instrument_id}": "ready",
        },
    )
    assert response.context["done"] == []
    assert Loan.objects.open().get() == theirs


# --- size swap -------------------------------------------------------------------------------


def test_size_swap_moves_the_child_and_keeps_history(depot, programme):
    [half] = sized(depot, "violin", "1/2")
    [three_quarter] = sized(depot, "violin", "3/4")
    loan = actions.checkout_instrument(
        instrument=half, borrower=programme, by=None, due_on="2027-07-31"
    )
    pupil = make_pupil(organisation=programme)
    child = pupil_loans.lend_to_pupil(
        loan=loan, pupil=pupil, signed_by="Parent", signed_how="paper", paper_signed=True, by=None
    )
    new_loan = desk_actions.swap_size(old=half, new=three_quarter, by=None, condition="C")
    assert new_loan.borrower == programme and str(new_loan.due_on) == "2027-07-31"
    half.refresh_from_db()
    three_quarter.refresh_from_db()
    assert (half.status, half.condition) == (Status.AVAILABLE, "C")
    assert three_quarter.status == Status.ON_LOAN
    child.refresh_from_db()
    assert child.returned_at is not None
    moved = PupilLoan.objects.get(loan=new_loan)
    assert (moved.pupil, moved.pseudonym, moved.returned_at) == (pupil, child.pseudonym, None)
    assert half.events.filter(kind="size_swap").count() == 1
    assert three_quarter.events.filter(kind="size_swap").count() == 1
    assert Inspection.objects.filter(instrument=half, loan=loan).exists()


@pytest.mark.parametrize("problem", ["other_type", "same_size", "not_available", "not_on_loan"])
def test_size_swap_refusals_write_nothing(depot, programme, problem):
    [half] = sized(depot, "violin", "1/2")
    [other] = {
        "other_type": lambda: sized(depot, "cello", "1/2"),
        "same_size": lambda: sized(depot, "violin", "1/2"),
        "not_available": lambda: sized(depot, "violin", "3/4"),
        "not_on_loan": lambda: sized(depot, "violin", "3/4"),
    }[problem]()
    if problem != "not_on_loan":
        actions.checkout_instrument(instrument=half, borrower=programme, by=None)
    if problem == "not_available":
        actions.send_to_repair(instrument=other, by=None)
    loans, events = Loan.objects.count(), InstrumentEvent.objects.count()
    with pytest.raises(DomainError):
        desk_actions.swap_size(old=half, new=other, by=None)
    assert (Loan.objects.count(), InstrumentEvent.objects.count()) == (loans, events)
    assert Inspection.objects.count() == 0


def test_desk_swap_page(staff_client, depot, programme):
    [half] = sized(depot, "violin", "1/2")
    [bigger] = sized(depot, "violin", "3/4")
    actions.checkout_instrument(instrument=half, borrower=programme, by=None)
    response = staff_client.post(
        reverse("depot:desk_swap"),
        {"swap-old": half.asset_tag.lower(), "swap-new": bigger.asset_tag, "swap-outcome": "ready"},
    )
    assert response.status_code == 200
    assert response.context["swapped"]["new"] == bigger
    bad = staff_client.post(
        reverse("depot:desk_swap"),
        {"swap-old": bigger.asset_tag, "swap-new": "LO-NOPE", "swap-outcome": "ready"},
    )
    assert bad.status_code == 400
    assert bad.context["swap_form"]["old"].value() == bigger.asset_tag
    assert "Unknown asset tag." in bad.content.decode()
