"""Who sees which depot objects (one door each; 404 outside the user's reach).

The depot's staff work with their depot's stock and loans; a borrowing programme's coordinators
see the loans of their own programme and nothing else.
"""

from django.db.models import Q
from django.http import Http404

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot.models import (
    AgreementVersion,
    Instrument,
    Loan,
    LoanAgreement,
    PupilLoan,
)

DEPOT_ROLES = frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD})
BORROWER_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR})
BORROWER_KINDS = (OrgKind.PROGRAMME, OrgKind.PARTNER)


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def depots_held(user, role_names):
    """The active depots where the user holds one of `role_names` (platform administrators:
    every depot). The one door the depot's apps use, each with the roles it serves."""
    depots = Organisation.objects.filter(kind=OrgKind.DEPOT, is_active=True)
    if not _active(user):
        return depots.none()
    if user.is_platform_admin:
        return depots
    held = Membership.objects.filter(user=user, role__in=role_names).values("organisation_id")
    return depots.filter(pk__in=held)


def depots_for_user(user):
    """The depots whose stock the user works with: where they are depot staff or workshop
    lead (platform administrators: every depot)."""
    return depots_held(user, DEPOT_ROLES)


def borrowers_for_user(user):
    """The borrowing programmes the user coordinates (programme or partner programme)."""
    organisations = Organisation.objects.filter(kind__in=BORROWER_KINDS, is_active=True)
    if not _active(user):
        return organisations.none()
    held = Membership.objects.filter(user=user, role__in=BORROWER_ROLES).values("organisation_id")
    return organisations.filter(pk__in=held).order_by("name")


def stock_for_user(user):
    """The depot's own stock (not what a programme has borrowed)."""
    return Instrument.objects.filter(organisation__in=depots_for_user(user))


def get_instrument_for_user(user, pk) -> Instrument:
    try:
        return stock_for_user(user).select_related("instrument_type", "size", "location").get(pk=pk)
    except (Instrument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_instruments(user):
    """For the API: the depot's stock for its staff, and what a programme has on loan now."""
    return Instrument.objects.filter(
        Q(organisation__in=depots_for_user(user))
        | Q(
            pk__in=Loan.objects.open()
            .filter(borrower__in=borrowers_for_user(user))
            .values("instrument_id")
        )
    )


def visible_loans(user):
    """The depot's loans for its staff; a programme's own loans for its coordinators."""
    return Loan.objects.filter(
        Q(lender__in=depots_for_user(user)) | Q(borrower__in=borrowers_for_user(user))
    )


def portal_loans(user):
    """A programme's own loans, for the portal (never another programme's)."""
    return Loan.objects.filter(borrower__in=borrowers_for_user(user))


def get_portal_loan_for_user(user, pk) -> Loan:
    try:
        return (
            portal_loans(user)
            .select_related("instrument__instrument_type", "instrument__size", "borrower", "lender")
            .get(pk=pk)
        )
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_pupil_loan_for_user(user, pk) -> PupilLoan:
    try:
        return (
            PupilLoan.objects.filter(loan__borrower__in=borrowers_for_user(user))
            .select_related("loan__instrument__instrument_type", "loan__borrower", "pupil")
            .get(pk=pk)
        )
    except (PupilLoan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_agreement_for_user(user, pk) -> LoanAgreement:
    """An accepted agreement: for the borrowing programme's coordinators and the depot's staff."""
    queryset = LoanAgreement.objects.filter(
        Q(borrower__in=borrowers_for_user(user))
        | Q(agreement_version__organisation__in=depots_for_user(user))
    )
    try:
        return queryset.select_related("borrower", "agreement_version").get(pk=pk)
    except (LoanAgreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_version_for_user(user, pk) -> AgreementVersion:
    try:
        return AgreementVersion.objects.filter(organisation__in=depots_for_user(user)).get(pk=pk)
    except (AgreementVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
