"""Depot pages: the stock list, an instrument's page with its whole life, and the desk.

Views never write models themselves: every change goes through `leerorkest.depot.actions`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind, Role
from leerorkest.depot import actions, panels, photos
from leerorkest.depot.access import (
    DEPOT_ROLES,
    depots_for_user,
    get_instrument_for_user,
    stock_for_user,
)
from leerorkest.depot.forms import LendForm, PhotoForm
from leerorkest.depot.models import (
    Instrument,
    InstrumentPhoto,
    InstrumentStatus,
    Loan,
    Location,
    PupilLoan,
    Size,
)
from leerorkest.programme.models import InstrumentFamily, InstrumentType

Status = InstrumentStatus

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
    NavItem(
        gettext_lazy("Loan agreement"),
        "depot:agreement_versions",
        frozenset({Role.DEPOT_STAFF}),
        order=370,
    ),
    NavItem(gettext_lazy("Reminders"), "depot:reminders", frozenset({Role.DEPOT_STAFF}), order=375),
    NavItem(
        gettext_lazy("Catalogue"),
        "depot:catalogue",
        frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD}),
        order=385,
    ),
    NavItem(
        gettext_lazy("Figures"),
        "depot:figures",
        frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD}),
        order=390,
    ),
    # The programme portal.
    NavItem(
        gettext_lazy("Our instruments"),
        "depot:portal",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=400,
    ),
    NavItem(
        gettext_lazy("Loan agreement"),
        "depot:portal_agreements",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=470,
    ),
    NavItem(
        gettext_lazy("Size-up due"),
        "depot:portal_size_up",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=475,
    ),
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
    if key != "tag":  # asset tags are unique; other keys need the tie-breaker
        order.append("pk")
    # Page through the ids alone, then read the 50 rows with what they show: a page deep in a
    # 100,000-row list stays fast (target F2).
    page = Paginator(instruments.order_by(*order).values_list("pk", flat=True), 50).get_page(
        request.GET.get("page")
    )
    ids = list(page.object_list)
    rows = stock_for_user(request.user).select_related("instrument_type", "size", "location")
    found = {instrument.pk: instrument for instrument in rows.filter(pk__in=ids)}
    page.object_list = [found[pk] for pk in ids if pk in found]
    # Who has each instrument on the page: one query for these 50, not a subquery per row of
    # the whole (possibly 100,000-row) list.
    borrowers = dict(
        Loan.objects.filter(instrument__in=ids, returned_at__isnull=True).values_list(
            "instrument_id", "borrower__name"
        )
    )
    for instrument in page.object_list:
        instrument.borrower_name = borrowers.get(instrument.pk)
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


# action name -> (what it does, the statuses it fits, takes a note, button label). A repair
# finishes only through the workshop's QA sign-off, so there is no "repaired" button here.
CHANGES = {
    "repair": (
        actions.send_to_repair,
        {Status.AVAILABLE, Status.CLEANING},
        True,
        gettext_lazy("Send to repair"),
    ),
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
    # Every borrower: the programmes, and the children by pseudonym only.
    children = {}
    for child in PupilLoan.objects.filter(loan__instrument=instrument).order_by("out_at"):
        children.setdefault(child.loan_id, []).append(child)
    loans = [
        (past, children.get(past.pk, []))
        for past in instrument.loans.select_related("borrower").order_by("-out_at", "-id")
    ]
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
            "loans": loans,
            "photos": instrument.photos.all(),
            "photo_form": PhotoForm(),
            "can_add_photo": True,
        },
    )


@require_POST
@rule(DEPOT)
def photo_add(request, pk):
    instrument = get_instrument_for_user(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.add_photo(
                instrument=instrument,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("depot:instrument_detail", instrument.pk)


@rule(DEPOT)
def photo_view(request, pk, photo_pk):
    instrument = get_instrument_for_user(request.user, pk)
    try:
        photo = instrument.photos.get(pk=photo_pk)
        handle = photo.image.open("rb")
    except (InstrumentPhoto.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    response = FileResponse(handle, content_type=photos.content_type(photo))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


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


def _desk(request, *, status=200, **context):
    """The desk page: lend, return (scan, then inspect), size swap. `context` replaces the
    empty forms with bound ones (keeping what was typed) and adds results."""
    from leerorkest.depot.agreements import current_version
    from leerorkest.depot.forms import ScanReturnForm, SwapForm

    depot = depots_for_user(request.user).first()
    version = current_version(depot) if depot else None
    unaccepted = []
    if version is not None:
        unaccepted = (
            Organisation.objects.filter(
                is_active=True,
                kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER],
                pk__in=Loan.objects.open().filter(lender=depot).values("borrower_id"),
            )
            .exclude(loan_agreements__agreement_version=version)
            .order_by("name")
        )
    values = {
        "lend_form": LendForm(),
        "return_form": ScanReturnForm(),
        "swap_form": SwapForm(),
        "lent": None,
        "returned": None,
        "version": version,
        "unaccepted": unaccepted,
        **context,
    }
    return render(request, "depot/desk.html", values, status=status)


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
    if not _accepted(borrower, request.user):
        result["no_agreement"] = True
        messages.warning(
            request,
            _("%(borrower)s has not accepted the current loan agreement.") % {"borrower": borrower},
        )
    return _desk(request, lent=result)


def _accepted(borrower, user) -> bool:
    from leerorkest.depot.agreements import has_accepted_current

    depot = depots_for_user(user).first()
    return has_accepted_current(borrower, depot)
