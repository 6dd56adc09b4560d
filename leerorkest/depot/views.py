"""Depot pages: the stock list, an instrument's page with its whole life, and the desk.

Views never write models themselves: every change goes through `leerorkest.depot.actions`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind, Role
from leerorkest.depot import actions, panels
from leerorkest.depot.forms import LendForm, ReturnForm
from leerorkest.depot.models import Instrument, InstrumentStatus, Loan, Location, Size
from leerorkest.programme.models import InstrumentFamily, InstrumentType

Status = InstrumentStatus

DEPOT_ROLES = frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD})
DEPOT = roles(*DEPOT_ROLES, PLATFORM_ADMIN)
DESK = roles(Role.DEPOT_STAFF, Role.WORKSHOP_LEAD, PLATFORM_ADMIN)

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Instruments"),
        "depot:instrument_list",
        frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD}),
        order=300,
    ),
    NavItem(gettext_lazy("Desk"), "depot:desk", frozenset({Role.DEPOT_STAFF}), order=310),
]

WIND = {InstrumentFamily.WOODWIND, InstrumentFamily.BRASS}

SORTS = {
    "tag": ["asset_tag"],
    "type": ["instrument_type__sort_order", "size__sort_order", "asset_tag"],
    "make": ["make", "model_name", "asset_tag"],
    "status": ["status", "asset_tag"],
    "location": ["location__name", "asset_tag"],
}
SORT_LABELS = {
    "tag": gettext_lazy("Asset tag"),
    "type": gettext_lazy("Instrument and size"),
    "make": gettext_lazy("Make"),
    "status": gettext_lazy("Status"),
    "location": gettext_lazy("Location"),
}


def depots_for_user(user):
    """The depots whose stock the user works with: where they are depot staff or workshop
    lead (platform administrators: every depot)."""
    depots = Organisation.objects.filter(kind=OrgKind.DEPOT, is_active=True)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return depots.none()
    if user.is_platform_admin:
        return depots
    held = Membership.objects.filter(user=user, role__in=DEPOT_ROLES).values("organisation_id")
    return depots.filter(pk__in=held)


def stock_for_user(user):
    """The depot's own stock (not what a programme has borrowed)."""
    return Instrument.objects.filter(organisation__in=depots_for_user(user))


def get_instrument_for_user(user, pk) -> Instrument:
    try:
        return stock_for_user(user).select_related("instrument_type", "size", "location").get(pk=pk)
    except (Instrument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


@rule(DEPOT)
def instrument_list(request):
    instruments = stock_for_user(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        instruments = instruments.filter(
            Q(asset_tag__icontains=query) | Q(serial__icontains=query) | Q(make__icontains=query)
        )
    filters = {
        "type": _int(request.GET.get("type", "")),
        "size": _int(request.GET.get("size", "")),
        "location": _int(request.GET.get("location", "")),
        "status": request.GET.get("status", ""),
    }
    if filters["type"]:
        instruments = instruments.filter(instrument_type_id=filters["type"])
    if filters["size"]:
        instruments = instruments.filter(size_id=filters["size"])
    if filters["location"]:
        instruments = instruments.filter(location_id=filters["location"])
    if filters["status"] in Status.values:
        instruments = instruments.filter(status=filters["status"])
    else:
        filters["status"] = ""
    sort = request.GET.get("sort", "tag")
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "tag", False
    order = [f"-{field}" if descending else field for field in SORTS[key]]
    borrower = Loan.objects.filter(instrument=OuterRef("pk"), returned_at__isnull=True)
    instruments = (
        instruments.select_related("instrument_type", "size", "location")
        .annotate(borrower_name=Subquery(borrower.values("borrower__name")[:1]))
        .order_by(*order, "pk")
    )
    page = Paginator(instruments, 50).get_page(request.GET.get("page"))
    depots = depots_for_user(request.user)
    return render(
        request,
        "depot/instrument_list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "sort": ("-" if descending else "") + key,
            "sorts": list(SORT_LABELS.items()),
            "types": InstrumentType.objects.all(),
            "sizes": Size.objects.select_related("instrument_type"),
            "statuses": Status.choices,
            "locations": Location.objects.filter(organisation__in=depots),
        },
    )


# action name -> (what it does, the statuses it fits, takes a note, button label)
CHANGES = {
    "repair": (
        actions.send_to_repair,
        {Status.AVAILABLE, Status.CLEANING},
        True,
        gettext_lazy("Send to repair"),
    ),
    "repaired": (actions.finish_repair, {Status.IN_REPAIR}, True, gettext_lazy("Repaired")),
    "cleaned": (actions.finish_cleaning, {Status.CLEANING}, False, gettext_lazy("Cleaned")),
    "lost": (
        actions.report_lost,
        {Status.AVAILABLE, Status.ON_LOAN, Status.CLEANING},
        True,
        gettext_lazy("Report lost"),
    ),
    "found": (actions.report_found, {Status.LOST}, False, gettext_lazy("Report found")),
    "retire": (
        actions.retire_instrument,
        {Status.AVAILABLE, Status.IN_REPAIR, Status.LOST},
        True,
        gettext_lazy("Retire"),
    ),
}


@rule(DEPOT)
def instrument_detail(request, pk):
    instrument = get_instrument_for_user(request.user, pk)
    loan = (
        Loan.objects.open()
        .filter(instrument=instrument)
        .select_related("borrower", "checked_out_by")
        .first()
    )
    pupil_loan = None
    if loan is not None:
        pupil_loan = loan.pupil_loans.filter(returned_at__isnull=True).only("pseudonym").first()
    events = instrument.events.select_related("by", "organisation", "loan").order_by("-at", "-id")
    buttons = [
        {"action": name, "label": label, "note": note}
        for name, (_do, fits, note, label) in CHANGES.items()
        if instrument.status in fits
    ]
    return render(
        request,
        "depot/instrument_detail.html",
        {
            "instrument": instrument,
            "loan": loan,
            "pupil_loan": pupil_loan,
            "events": events,
            "buttons": buttons,
            "panels": panels.render_panels(request, instrument),
        },
    )


@require_POST
@rule(DEPOT)
def instrument_change(request, pk, action):
    instrument = get_instrument_for_user(request.user, pk)
    if action not in CHANGES:
        raise Http404
    do, _fits, takes_note, _label = CHANGES[action]
    extra = {"note": request.POST.get("note", "").strip()[:250]} if takes_note else {}
    try:
        do(instrument=instrument, by=request.user, **extra)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        instrument.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("%(tag)s: %(status)s.")
            % {"tag": instrument.asset_tag, "status": instrument.get_status_display()},
        )
    return redirect("depot:instrument_detail", instrument.pk)


def _desk(request, *, lend_form=None, return_form=None, lent=None, returned=None, status=200):
    return render(
        request,
        "depot/desk.html",
        {
            "lend_form": lend_form or LendForm(),
            "return_form": return_form or ReturnForm(),
            "lent": lent,
            "returned": returned,
        },
        status=status,
    )


@rule(DESK)
def desk(request):
    return _desk(request)


def _found(user, tags: list[str]) -> dict[str, Instrument]:
    found = stock_for_user(user).filter(asset_tag__in=tags).select_related("instrument_type")
    return {instrument.asset_tag.upper(): instrument for instrument in found}


@require_POST
@rule(DESK)
def desk_lend(request):
    form = LendForm(request.POST)
    if not form.is_valid():
        return _desk(request, lend_form=form, status=400)
    data = form.cleaned_data
    borrower, key = data["borrower"], data["key"]
    instruments = _found(request.user, data["tags"])
    result = {"borrower": borrower, "loans": [], "refused": []}
    for tag in data["tags"]:
        instrument = instruments.get(tag)
        if instrument is None:
            result["refused"].append((tag, _("Unknown asset tag.")))
            continue
        try:
            # One key per instrument: a repeated submit finds the loan it made (nothing twice);
            # a refusal writes nothing (each checkout is its own transaction).
            loan = actions.checkout_instrument(
                instrument=instrument,
                borrower=borrower,
                by=request.user,
                due_on=data["due_on"],
                idempotency_key=f"{key}:{tag}",
            )
        except DomainError as error:
            result["refused"].append((tag, error.message))
        else:
            result["loans"].append((instrument, loan))
    if result["loans"]:
        messages.success(
            request,
            _("%(count)s instruments lent to %(borrower)s.")
            % {"count": len(result["loans"]), "borrower": borrower},
        )
    if result["refused"]:
        messages.error(
            request, _("%(count)s tags were refused.") % {"count": len(result["refused"])}
        )
    return _desk(request, lent=result)


@require_POST
@rule(DESK)
def desk_return(request):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _desk(request, return_form=form, status=400)
    tags = form.cleaned_data["tags"]
    cleaning = form.cleaned_data["needs_cleaning"]
    instruments = _found(request.user, tags)
    result = {"returned": [], "refused": []}
    for tag in tags:
        instrument = instruments.get(tag)
        if instrument is None:
            result["refused"].append((tag, _("Unknown asset tag.")))
            continue
        to_cleaning = cleaning and instrument.instrument_type.family in WIND
        try:
            loan = actions.return_instrument(
                instrument=instrument, by=request.user, needs_cleaning=to_cleaning
            )
        except DomainError as error:
            result["refused"].append((tag, error.message))
        else:
            result["returned"].append((instrument, loan, to_cleaning))
    if result["returned"]:
        messages.success(
            request, _("%(count)s instruments returned.") % {"count": len(result["returned"])}
        )
    if result["refused"]:
        messages.error(
            request, _("%(count)s tags were refused.") % {"count": len(result["refused"])}
        )
    return _desk(request, returned=result)
