"""Donation pages: intake at the table, the list, a donation with its assessment, the donors,
and the thank-you letter. Every change goes through `leerorkest.donations.actions`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.donations import actions
from leerorkest.donations.forms import AssessForm, DonorForm, IntakeForm, ItemFormSet
from leerorkest.donations.models import Donation, DonationItem, Donor
from leerorkest.workshop import access
from leerorkest.workshop.access import MANAGE, WORK
from leerorkest.workshop.forms import cents

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Donations"),
        "donations:list",
        frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD}),
        order=340,
    ),
    NavItem(
        gettext_lazy("Donation intake"),
        "donations:intake",
        frozenset({Role.WORKSHOP_VOLUNTEER}),
        order=345,
    ),
]


def _depot(request, depots):
    context = getattr(request, "context", None)
    current = getattr(context, "organisation", None)
    if current is not None and depots.filter(pk=current.pk).exists():
        return current
    depot = depots.order_by("pk").first()
    if depot is None:
        raise Http404
    return depot


def get_donation_for_user(user, pk) -> Donation:
    try:
        return (
            Donation.objects.filter(organisation__in=access.managed_depots(user))
            .select_related("donor", "location", "intake_by", "organisation")
            .get(pk=pk)
        )
    except (Donation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_item_for_user(user, pk) -> DonationItem:
    try:
        return (
            DonationItem.objects.filter(donation__organisation__in=access.managed_depots(user))
            .select_related("donation__donor")
            .get(pk=pk)
        )
    except (DonationItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_donor_for_user(user, pk) -> Donor:
    try:
        return Donor.objects.filter(organisation__in=access.managed_depots(user)).get(pk=pk)
    except (Donor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@rule(WORK)
def intake(request):
    depot = _depot(request, access.work_depots(request.user))
    manager = access.can_manage(request.user, depot.pk)
    form = IntakeForm(
        request.POST or None,
        organisation=depot,
        show_donors=manager,
        initial={"received_on": timezone.localdate()},
    )
    items = ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [row for row in (f.item() for f in items.forms) if row]
        data = form.cleaned_data
        try:
            donation = actions.register_donation(
                organisation=depot,
                by=request.user,
                items=rows,
                donor=data.get("donor"),
                new_donor=form.new_donor(),
                received_on=data["received_on"],
                location=data["location"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Donation #%(pk)s registered with %(n)s items.")
                % {"pk": donation.pk, "n": len(rows)},
            )
            if manager:
                return redirect("donations:detail", donation.pk)
            return redirect("donations:intake")
    return render(
        request,
        "donations/intake.html",
        {"form": form, "items": items, "manager": manager},
    )


@rule(MANAGE)
def donation_list(request):
    donations = Donation.objects.filter(
        organisation__in=access.managed_depots(request.user)
    ).select_related("donor")
    filters = {
        "q": request.GET.get("q", "").strip(),
        "year": request.GET.get("year", ""),
        "pending": request.GET.get("pending") == "1",
    }
    if filters["q"]:
        donations = donations.filter(donor__name__icontains=filters["q"])
    if filters["year"].isdigit():
        donations = donations.filter(received_on__year=int(filters["year"]))
    else:
        filters["year"] = ""
    if filters["pending"]:
        donations = donations.filter(items__assessment=DonationItem.Assessment.PENDING)
    if filters["pending"]:
        donations = donations.distinct()
    donations = donations.order_by("-received_on", "-pk")
    page = Paginator(donations, 50).get_page(request.GET.get("page"))
    # The counts for this page only: grouping every donation before paging is what made the
    # list slow at national scale (F2).
    counts = {
        row["donation_id"]: row
        for row in DonationItem.objects.filter(donation__in=[d.pk for d in page.object_list])
        .values("donation_id")
        .annotate(
            item_count=Count("pk"),
            instrument_count=Count("instrument"),
            pending_count=Count("pk", filter=Q(assessment=DonationItem.Assessment.PENDING)),
        )
        .order_by()
    }
    for donation in page.object_list:
        found = counts.get(donation.pk, {})
        donation.item_count = found.get("item_count", 0)
        donation.instrument_count = found.get("instrument_count", 0)
        donation.pending_count = found.get("pending_count", 0)
    years = range(timezone.localdate().year, timezone.localdate().year - 12, -1)
    return render(
        request,
        "donations/list.html",
        {"page": page, "filters": filters, "years": years},
    )


def _detail(request, donation, *, forms=None):
    forms = forms or {}
    items = list(donation.items.select_related("instrument_type", "size", "instrument"))
    for item in items:
        if item.assessment == DonationItem.Assessment.PENDING:
            item.form = forms.get(item.pk) or AssessForm(
                organisation_id=donation.organisation_id,
                auto_id=f"a{item.pk}_%s",
                initial={"instrument_type": item.instrument_type_id, "size": item.size_id},
            )
    return render(
        request,
        "donations/detail.html",
        {
            "donation": donation,
            "items": items,
            "reach": actions.reach(donation),
            "can_email": actions.can_email_thanks(donation),
        },
    )


@rule(MANAGE)
def donation_detail(request, pk):
    return _detail(request, get_donation_for_user(request.user, pk))


@require_POST
@rule(MANAGE)
def item_assess(request, pk):
    item = get_item_for_user(request.user, pk)
    donation = get_donation_for_user(request.user, item.donation_id)
    form = AssessForm(
        request.POST, organisation_id=donation.organisation_id, auto_id=f"a{item.pk}_%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        parts = [(data["part"], data["quantity"])] if data.get("part") else []
        try:
            item = actions.assess_item(
                item=item,
                assessment=data["assessment"],
                by=request.user,
                instrument_type=data["instrument_type"],
                size=data["size"],
                condition=data["condition"],
                value_cents=cents(data["value"]) or 0,
                parts=parts,
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if item.instrument_id:
                messages.success(
                    request,
                    _("%(what)s is now %(tag)s.")
                    % {"what": item.description, "tag": item.instrument.asset_tag},
                )
            else:
                messages.success(request, _("Assessment recorded."))
            return redirect("donations:detail", donation.pk)
    return _detail(request, donation, forms={item.pk: form})


@rule(MANAGE)
def letter(request, pk):
    donation = get_donation_for_user(request.user, pk)
    if donation.donor.is_erased:
        messages.error(request, _("The donor was erased: there is no one to write to."))
        return redirect("donations:detail", donation.pk)
    return render(
        request,
        "donations/letter.html",
        {"donation": donation, "donor": donation.donor, "reach": actions.reach(donation)},
    )


@require_POST
@rule(MANAGE)
def thank(request, pk):
    donation = get_donation_for_user(request.user, pk)
    try:
        actions.send_thanks(donation=donation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The thank-you is on its way to %(email)s.") % {"email": donation.donor.email},
        )
    return redirect("donations:detail", donation.pk)


@rule(MANAGE)
def donor_list(request):
    donors = Donor.objects.filter(organisation__in=access.managed_depots(request.user))
    query = request.GET.get("q", "").strip()
    if query:
        donors = donors.filter(Q(name__icontains=query) | Q(email__icontains=query))
    donors = donors.annotate(donation_count=Count("donations")).order_by("name", "pk")
    page = Paginator(donors, 50).get_page(request.GET.get("page"))
    return render(request, "donations/donors.html", {"page": page, "query": query})


@rule(MANAGE)
def donor_detail(request, pk):
    donor = get_donor_for_user(request.user, pk)
    form = None if donor.is_erased else DonorForm(request.POST or None, instance=donor)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            actions.update_donor(donor=donor, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Donor saved."))
        return redirect("donations:donor_detail", donor.pk)
    donations = donor.donations.annotate(
        item_count=Count("items", distinct=True),
        instrument_count=Count("items__instrument", distinct=True),
    ).order_by("-received_on")
    return render(
        request,
        "donations/donor.html",
        {
            "donor": donor,
            "form": form,
            "donations": donations,
            "can_erase": not donor.is_erased
            and actions.is_depot_staff(request.user, donor.organisation_id),
        },
    )


@require_POST
@rule(MANAGE)
def donor_erase(request, pk):
    """Erase a donor on request (name and contact details become a pseudonym)."""
    donor = get_donor_for_user(request.user, pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the donor asked to be erased."))
        return redirect("donations:donor_detail", donor.pk)
    try:
        donor = actions.erase_donor(donor=donor, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The donor is erased and is now %(name)s; their donations are kept.")
            % {"name": donor.name},
        )
    return redirect("donations:donor_detail", donor.pk)
