"""Who sees what of the stock handling: the depot's staff their depot's runs, stock-takes and
imports; a programme's coordinators the deliveries on their way to their own programme."""

from django.http import Http404

from leerorkest.accounts.access import roles
from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind, Role
from leerorkest.depot.access import depots_for_user, stock_for_user
from leerorkest.depot.models import Instrument, InstrumentStatus, Loan
from leerorkest.stock.models import StockImport, StockTake, TransportRun

DEPOT_ROLES = frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD})
PROGRAMME_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR})
DEPOT = roles(*DEPOT_ROLES, PLATFORM_ADMIN)
STAFF = roles(Role.DEPOT_STAFF, PLATFORM_ADMIN)
PROGRAMME = roles(*PROGRAMME_ROLES)


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def programmes_for_user(user):
    """The programmes (own or partner) the user coordinates."""
    held = Membership.objects.filter(user=user, role__in=PROGRAMME_ROLES).values("organisation_id")
    if not _active(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=held, is_active=True, kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER]
    )


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_instrument_for_user(user, pk) -> Instrument:
    return _get(stock_for_user(user).select_related("instrument_type", "size", "location"), pk)


def runs_for_user(user):
    return TransportRun.objects.filter(organisation__in=depots_for_user(user))


def get_run_for_user(user, pk) -> TransportRun:
    return _get(runs_for_user(user), pk)


def get_stop_for_user(user, pk):
    from leerorkest.stock.models import Stop

    return _get(Stop.objects.filter(run__in=runs_for_user(user)).select_related("run"), pk)


def stocktakes_for_user(user):
    return StockTake.objects.filter(organisation__in=depots_for_user(user))


def get_stocktake_for_user(user, pk) -> StockTake:
    return _get(stocktakes_for_user(user).select_related("location"), pk)


def imports_for_user(user):
    return StockImport.objects.filter(organisation__in=depots_for_user(user))


def get_import_for_user(user, pk) -> StockImport:
    return _get(imports_for_user(user), pk)


def deliveries_for_user(user):
    """Open loans of instruments on their way to one of the user's programmes."""
    return (
        Loan.objects.open()
        .filter(
            borrower__in=programmes_for_user(user),
            instrument__status=InstrumentStatus.IN_TRANSIT,
        )
        .select_related("instrument__instrument_type", "instrument__size", "borrower")
    )


def get_delivery_for_user(user, instrument_pk) -> Loan:
    """The open loan of an instrument in transit to the user's programme; 404 otherwise."""
    try:
        return deliveries_for_user(user).get(instrument_id=instrument_pk)
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
