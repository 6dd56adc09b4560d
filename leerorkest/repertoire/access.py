"""Access helpers for the repertoire (one door each; 404 outside the user's reach).

Reading: the members of the owner, and every programme's members for shared pieces. Writing:
the coordinators of the owner. Performances: the coordinators of the ensemble's programme.
The finder: the ensemble's conductor and the coordinators of its programme.
"""

from django.http import Http404

from leerorkest.accounts.access import roles
from leerorkest.accounts.roles import PLATFORM_ADMIN, Role
from leerorkest.programme.access_programme import PROGRAMME_MANAGER_ROLES, managed_programmes
from leerorkest.repertoire.models import Part, Performance, Piece, PieceFile

# Who opens the repertoire pages at all; which pieces they see is decided below.
READERS = roles(Role.COORDINATOR, Role.PARTNER_COORDINATOR, Role.TEACHER, PLATFORM_ADMIN)
WRITERS = roles(*PROGRAMME_MANAGER_ROLES)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pieces_for_user(user, *, write: bool = False):
    if write:
        return Piece.objects.filter(organisation__in=managed_programmes(user))
    return Piece.objects.for_user(user)


def get_piece_for_user(user, pk, *, write: bool = False) -> Piece:
    queryset = pieces_for_user(user, write=write).select_related(
        "organisation", "line__organisation"
    )
    return _get(queryset, pk)


def get_part_for_user(user, pk, *, write: bool = False) -> Part:
    queryset = Part.objects.filter(piece__in=pieces_for_user(user, write=write))
    return _get(queryset.select_related("piece__line", "instrument", "milestone"), pk)


def get_file_for_user(user, pk, *, write: bool = False) -> PieceFile:
    queryset = PieceFile.objects.filter(piece__in=pieces_for_user(user, write=write))
    return _get(queryset.select_related("piece", "part"), pk)


def get_performance_for_user(user, pk, *, write: bool = False) -> Performance:
    """A performance of a piece the user reads; with write, one of an ensemble of a programme
    they manage (the ensemble's programme records it, whoever owns the piece)."""
    queryset = Performance.objects.filter(piece__in=pieces_for_user(user))
    if write:
        queryset = queryset.filter(ensemble__organisation__in=managed_programmes(user))
    return _get(queryset.select_related("piece", "ensemble"), pk)
