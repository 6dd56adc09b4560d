"""The programme portal: a borrowing programme's coordinator sees its own loans (and nothing
else), reports damage, accepts the loan agreement, lends instruments on to its pupils and sees
which children have outgrown their instrument. Another programme's loan is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind, Role
from leerorkest.depot import agreements, desk_actions, pupil_loans, sizing
from leerorkest.depot.access import (
    borrowers_for_user,
    get_agreement_for_user,
    get_portal_loan_for_user,
    get_pupil_loan_for_user,
    portal_loans,
)
from leerorkest.depot.forms import AcceptForm, DamageForm, PupilLoanForm
from leerorkest.depot.models import (
    AgreementVersion,
    InstrumentStatus,
    LoanAgreement,
    PupilLoan,
)
from leerorkest.schools.access import audit_pupil_list, get_pupil_for_user
from leerorkest.schools.models import Pupil

PORTAL = roles(Role.COORDINATOR, Role.PARTNER_COORDINATOR)
AGREEMENT_READERS = roles(
    Role.COORDINATOR,
    Role.PARTNER_COORDINATOR,
    Role.DEPOT_STAFF,
    Role.WORKSHOP_LEAD,
    PLATFORM_ADMIN,
)
MAX_PUPIL_CHOICES = 100
Status = InstrumentStatus


def _open_children(loans) -> dict[int, PupilLoan]:
    """The open pupil loan per programme loan, with the pupil (names are the programme's)."""
    found = PupilLoan.objects.filter(loan__in=loans, returned_at__isnull=True).select_related(
        "pupil"
    )
    return {p.loan_id: p for p in found}


def _pending_versions(borrowers) -> list[tuple[Organisation, AgreementVersion]]:
    """(borrower, current version) pairs the borrower has not accepted yet."""
    depots = Organisation.objects.filter(
        kind=OrgKind.DEPOT, is_active=True, agreement_versions__published_at__isnull=False
    ).distinct()
    pending = []
    for depot in depots:
        version = agreements.current_version(depot)
        for borrower in borrowers:
            if not LoanAgreement.objects.filter(
                borrower=borrower, agreement_version=version
            ).exists():
                pending.append((borrower, version))
    return pending


@rule(PORTAL)
def portal(request):
    borrowers = list(borrowers_for_user(request.user))
    show = request.GET.get("show", "open")
    loans = portal_loans(request.user).select_related(
        "instrument__instrument_type", "instrument__size", "borrower"
    )
    if show == "past":
        loans = loans.filter(returned_at__isnull=False).order_by("-returned_at", "-pk")
    else:
        show = "open"
        loans = loans.filter(returned_at__isnull=True).order_by("due_on", "instrument__asset_tag")
    page = Paginator(loans, 50).get_page(request.GET.get("page"))
    children = _open_children(list(page)) if show == "open" else {}
    audit_pupil_list(request.user, [c.pupil for c in children.values()], action="pupil.list")
    rows = [(loan, children.get(loan.pk)) for loan in page]
    return render(
        request,
        "depot/portal/loans.html",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "borrowers": borrowers,
            "pending": _pending_versions(borrowers),
            "in_transit": portal_loans(request.user)
            .filter(returned_at__isnull=True, instrument__status=Status.IN_TRANSIT)
            .count(),
        },
    )


def _loan_page(request, loan, *, damage_form=None, status=200):
    history = list(loan.pupil_loans.select_related("pupil").order_by("-out_at", "-id"))
    audit_pupil_list(request.user, [p.pupil for p in history], action="pupil.list")
    child = next((p for p in history if p.returned_at is None), None)
    return render(
        request,
        "depot/portal/loan.html",
        {
            "loan": loan,
            "instrument": loan.instrument,
            "history": history,
            "child": child,
            "can_lend": loan.returned_at is None
            and loan.instrument.status == Status.ON_LOAN
            and child is None,
            "damage_form": damage_form or DamageForm(),
            "events": loan.events.select_related("by").order_by("-at", "-id"),
        },
        status=status,
    )


@rule(PORTAL)
def portal_loan(request, pk):
    return _loan_page(request, get_portal_loan_for_user(request.user, pk))


@require_POST
@rule(PORTAL)
def portal_damage(request, pk):
    loan = get_portal_loan_for_user(request.user, pk)
    form = DamageForm(request.POST)
    if form.is_valid():
        try:
            desk_actions.report_damage(
                loan=loan, description=form.cleaned_data["description"], by=request.user
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Thank you: the depot has your damage report."))
            return redirect("depot:portal_loan", loan.pk)
    # The page again, the description kept and the problem next to it.
    return _loan_page(request, loan, damage_form=form)


def _pupil_choices(request, loan):
    """The programme's pupils to choose from: those matching the search, at most 100 (and the
    one chosen, when the form comes back)."""
    pupils = Pupil.objects.managed_by(request.user).filter(
        organisation=loan.borrower, pseudonymised_at__isnull=True
    )
    query = request.GET.get("q", "").strip()
    shown = pupils
    if query:
        for word in query.split()[:3]:
            shown = shown.filter(Q(given_name__icontains=word) | Q(surname__icontains=word))
    ids = list(
        shown.order_by("surname", "given_name").values_list("pk", flat=True)[:MAX_PUPIL_CHOICES]
    )
    chosen = request.POST.get("pupil", "")
    if chosen.isdigit():
        ids.append(int(chosen))
    return pupils.filter(pk__in=ids).order_by("surname", "given_name"), query


@rule(PORTAL)
def portal_lend_pupil(request, pk):
    loan = get_portal_loan_for_user(request.user, pk)
    pupils, query = _pupil_choices(request, loan)
    form = PupilLoanForm(request.POST or None, pupils=pupils)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                pupil_loans.lend_to_pupil(
                    loan=loan,
                    pupil=data["pupil"],
                    signed_by=data["signed_by"],
                    signed_how=data["signed_how"],
                    signature=data["signature"],
                    paper_signed=data["paper_signed"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("%(tag)s is lent to %(pupil)s.")
                    % {"tag": loan.instrument.asset_tag, "pupil": data["pupil"].full_name},
                )
                return redirect("depot:portal_loan", loan.pk)
        status = 400
    shown = list(pupils)
    audit_pupil_list(request.user, shown, action="pupil.list")
    return render(
        request,
        "depot/portal/lend_pupil.html",
        {"loan": loan, "form": form, "query": query, "count": len(shown)},
        status=status,
    )


@rule(PORTAL)
def portal_pupil_form(request, pk):
    """The printable form a parent signs on paper, for one child (or blank)."""
    loan = get_portal_loan_for_user(request.user, pk)
    pupil = None
    raw = request.GET.get("pupil", "")
    if raw:
        pupil = get_pupil_for_user(request.user, raw, write=True, action="pupil.loan_form")
        if pupil.organisation_id != loan.borrower_id:
            raise Http404
    return render(
        request,
        "depot/portal/pupil_form.html",
        {"loan": loan, "pupil": pupil, "text": pupil_loans.agreement_text(loan)},
    )


@require_POST
@rule(PORTAL)
def portal_pupil_return(request, pk):
    pupil_loan = get_pupil_loan_for_user(request.user, pk)
    try:
        pupil_loans.return_from_pupil(pupil_loan=pupil_loan, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(tag)s is back from the child.") % {"tag": pupil_loan.loan.instrument.asset_tag},
        )
    return redirect("depot:portal_loan", pupil_loan.loan_id)


@rule(PORTAL)
def portal_agreements(request):
    borrowers = list(borrowers_for_user(request.user))
    form = AcceptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        borrower = next(
            (b for b in borrowers if str(b.pk) == request.POST.get("borrower", "")), None
        )
        version = (
            AgreementVersion.objects.published()
            .filter(
                pk=request.POST.get("version", "0")
                if request.POST.get("version", "").isdigit()
                else 0
            )
            .first()
        )
        if borrower is None or version is None:
            raise Http404
        if form.is_valid():
            try:
                agreements.accept_agreement(
                    borrower=borrower,
                    version=version,
                    full_name=form.cleaned_data["full_name"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("%(programme)s accepted loan agreement %(version)s.")
                    % {"programme": borrower.name, "version": version.version},
                )
                return redirect("depot:portal_agreements")
        status = 400
    accepted = LoanAgreement.objects.filter(borrower__in=borrowers).select_related("borrower")
    return render(
        request,
        "depot/portal/agreements.html",
        {
            "pending": _pending_versions(borrowers),
            "accepted": accepted,
            "form": form,
        },
        status=status,
    )


@rule(AGREEMENT_READERS)
def agreement_print(request, pk):
    """An accepted agreement as it was accepted: a page to print, or a text file."""
    agreement = get_agreement_for_user(request.user, pk)
    if request.GET.get("download"):
        body = "\n\n".join(
            [
                _("Loan agreement %(version)s") % {"version": agreement.version},
                agreement.text,
                _("Accepted for %(programme)s by %(name)s on %(when)s.")
                % {
                    "programme": agreement.borrower.name,
                    "name": agreement.accepted_by_name,
                    "when": agreement.accepted_at.strftime("%d-%m-%Y %H:%M"),
                },
            ]
        )
        response = HttpResponse(body + "\n", content_type="text/plain; charset=utf-8")
        filename = slugify(f"agreement {agreement.borrower.name} {agreement.version}")
        response["Content-Disposition"] = f'attachment; filename="{filename}.txt"'
        return response
    return render(request, "depot/portal/agreement_print.html", {"agreement": agreement})


@rule(PORTAL)
def portal_size_up(request):
    borrowers = borrowers_for_user(request.user)
    rows = sizing.size_up_due(borrowers)
    names = {
        p.pk: p
        for p in Pupil.objects.managed_by(request.user).filter(pk__in=[r["pupil_id"] for r in rows])
    }
    for row in rows:
        row["pupil"] = names.get(row["pupil_id"])
    audit_pupil_list(request.user, list(names.values()), action="pupil.list")
    return render(request, "depot/portal/size_up.html", {"rows": rows})
