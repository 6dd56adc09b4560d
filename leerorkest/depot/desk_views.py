"""The return desk: scan many tags (the scanner's Enter adds each one), a short inspection per
instrument with defaults filled in, then each goes to ready, cleaning or repair. And the
one-step size swap."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.depot import desk_actions
from leerorkest.depot.access import stock_for_user
from leerorkest.depot.forms import ScanReturnForm, SwapForm
from leerorkest.depot.models import (
    Condition,
    InstrumentStatus,
    KitItem,
    Loan,
    Outcome,
    PupilLoan,
)
from leerorkest.depot.views import DESK, WIND, _desk

Status = InstrumentStatus


def default_outcome(instrument) -> str:
    """Wind instruments are cleaned between children; the rest are ready."""
    return Outcome.CLEANING if instrument.instrument_type.family in WIND else Outcome.READY


def _rows(instruments, posted=None, errors=None) -> list[dict]:
    """One inspection row per instrument, with the defaults or what was posted."""
    kits: dict[int, list[KitItem]] = {}
    for item in KitItem.objects.filter(
        instrument_type__in={i.instrument_type_id for i in instruments}
    ):
        kits.setdefault(item.instrument_type_id, []).append(item)
    loans = {
        loan.instrument_id: loan
        for loan in Loan.objects.open()
        .filter(instrument__in=instruments)
        .select_related("borrower")
    }
    children = dict(
        PupilLoan.objects.filter(
            loan__in=list(loans.values()), returned_at__isnull=True
        ).values_list("loan__instrument_id", "pseudonym")
    )
    rows = []
    for instrument in instruments:
        key = str(instrument.pk)
        kit = kits.get(instrument.instrument_type_id, [])
        if posted is None:
            condition, outcome, damage = (
                instrument.condition,
                default_outcome(instrument),
                "",
            )
            present = {k.pk for k in kit}
        else:
            condition = posted.get(f"c-{key}", "")
            outcome = posted.get(f"o-{key}", "")
            damage = posted.get(f"d-{key}", "")
            present = {int(v) for v in posted.getlist(f"k-{key}") if v.isdigit()}
        rows.append(
            {
                "instrument": instrument,
                "loan": loans.get(instrument.pk),
                "pseudonym": children.get(instrument.pk),
                "condition": condition,
                "outcome": outcome,
                "damage": damage,
                "kit": [(k, k.pk in present) for k in kit],
                "error": (errors or {}).get(instrument.pk),
            }
        )
    return rows


def _inspection_page(request, rows, *, done=None, refused=None, status=200):
    return render(
        request,
        "depot/desk_inspect.html",
        {
            "rows": rows,
            "done": done or [],
            "refused": refused or [],
            "conditions": Condition.choices,
            "outcomes": Outcome.choices,
        },
        status=status,
    )


@require_POST
@rule(DESK)
def desk_return(request):
    """Scanning: "add" (the default button, so the scanner's Enter) puts the scanned tag on the
    list and shows the form again; "inspect" shows the inspection table. Nothing is written."""
    form = ScanReturnForm(request.POST)
    if not form.is_valid():
        return _desk(request, return_form=form, status=400)
    tags = form.cleaned_data["all_tags"]
    if request.POST.get("return-step") != "inspect":
        again = ScanReturnForm(initial={"tags": "\n".join(tags)})
        again.fields["scan"].widget.attrs["autofocus"] = True
        return _desk(request, return_form=again, scanned=tags, scanning=True)
    if not tags:
        form.add_error("scan", _("Scan at least one asset tag."))
        return _desk(request, return_form=form, status=400)
    found = {
        i.asset_tag.upper(): i
        for i in stock_for_user(request.user)
        .filter(asset_tag__in=tags)
        .select_related("instrument_type", "size")
    }
    refused, instruments = [], []
    for tag in tags:
        instrument = found.get(tag)
        if instrument is None:
            refused.append((tag, _("Unknown asset tag.")))
        elif instrument.status not in {Status.ON_LOAN, Status.IN_TRANSIT, Status.LOST}:
            refused.append((tag, _("%(tag)s is not on loan.") % {"tag": tag}))
        else:
            instruments.append(instrument)
    # The status may say "lost" while the loan is open; only an open loan can come back.
    open_ids = set(
        Loan.objects.open()
        .filter(instrument__in=instruments)
        .values_list("instrument_id", flat=True)
    )
    for instrument in [i for i in instruments if i.pk not in open_ids]:
        refused.append(
            (instrument.asset_tag, _("%(tag)s is not on loan.") % {"tag": instrument.asset_tag})
        )
    instruments = [i for i in instruments if i.pk in open_ids]
    return _inspection_page(request, _rows(instruments), refused=refused)


@require_POST
@rule(DESK)
def desk_inspect(request):
    """Return and inspect each row in its own transaction: what can come back does; refusals
    are named by tag and nothing is written for them. Rows with a bad answer are shown again
    with what was filled in."""
    ids = [int(v) for v in request.POST.getlist("row") if v.isdigit()][:200]
    instruments = list(
        stock_for_user(request.user)
        .filter(pk__in=ids)
        .select_related("instrument_type", "size")
        .order_by("asset_tag")
    )
    kits = {
        k.pk: k
        for k in KitItem.objects.filter(
            instrument_type__in={i.instrument_type_id for i in instruments}
        )
    }
    done, refused, again, errors = [], [], [], {}
    for instrument in instruments:
        key = str(instrument.pk)
        condition = request.POST.get(f"c-{key}", "")
        outcome = request.POST.get(f"o-{key}", "")
        present = {int(v) for v in request.POST.getlist(f"k-{key}") if v.isdigit()}
        missing = [
            k
            for k in kits.values()
            if k.instrument_type_id == instrument.instrument_type_id and k.pk not in present
        ]
        try:
            inspection = desk_actions.return_with_inspection(
                instrument=instrument,
                by=request.user,
                condition=condition,
                outcome=outcome,
                missing_kit=missing,
                damage=request.POST.get(f"d-{key}", ""),
            )
        except DomainError as error:
            if error.field:  # an answer to correct: show the row again
                again.append(instrument)
                errors[instrument.pk] = error.message
            else:
                refused.append((instrument.asset_tag, error.message))
        else:
            done.append((instrument, inspection, missing))
    unknown = len(set(ids) - {i.pk for i in instruments})
    if unknown:
        refused.append(
            ("—", _("%(count)s rows were not instruments of your depot.") % {"count": unknown})
        )
    if done:
        messages.success(request, _("%(count)s instruments returned.") % {"count": len(done)})
    if refused:
        messages.error(request, _("%(count)s tags were refused.") % {"count": len(refused)})
    rows = _rows(again, posted=request.POST, errors=errors) if again else []
    return _inspection_page(
        request, rows, done=done, refused=refused, status=400 if again and not done else 200
    )


@require_POST
@rule(DESK)
def desk_swap(request):
    form = SwapForm(request.POST)
    if not form.is_valid():
        return _desk(request, swap_form=form, status=400)
    data = form.cleaned_data
    stock = stock_for_user(request.user).select_related("instrument_type", "size")
    found = {i.asset_tag.upper(): i for i in stock.filter(asset_tag__in=[data["old"], data["new"]])}
    for name in ("old", "new"):
        if data[name] not in found:
            form.add_error(name, _("Unknown asset tag."))
    if not form.is_valid():
        return _desk(request, swap_form=form, status=400)
    old, new = found[data["old"]], found[data["new"]]
    try:
        loan = desk_actions.swap_size(
            old=old,
            new=new,
            by=request.user,
            condition=data["condition"] or None,
            outcome=data["outcome"],
        )
    except DomainError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        messages.error(request, error.message)
        return _desk(request, swap_form=form, status=400)
    messages.success(
        request,
        _("%(old)s came back; %(new)s is now on loan to %(borrower)s.")
        % {"old": old.asset_tag, "new": new.asset_tag, "borrower": loan.borrower.name},
    )
    return _desk(request, swapped={"old": old, "new": new, "loan": loan})
