"""Repertoire pages for reading: the list with its filters, a piece, its files, and the finder
("what can this orchestra play?")."""

from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import PLATFORM_ADMIN, Role
from leerorkest.programme.access_programme import get_ensemble_for_teacher, managed_programmes
from leerorkest.programme.models import InstrumentType
from leerorkest.repertoire.access import (
    READERS,
    get_file_for_user,
    get_piece_for_user,
    pieces_for_user,
)
from leerorkest.repertoire.finder import find_repertoire
from leerorkest.repertoire.models import Part
from leerorkest.uploads import KINDS

FINDER = roles(Role.COORDINATOR, Role.PARTNER_COORDINATOR, Role.TEACHER, PLATFORM_ADMIN)
LEVELS = range(1, 9)


NAV_ITEMS = [
    NavItem(
        gettext_lazy("Repertoire"),
        "repertoire:piece_list",
        frozenset({Role.TEACHER, Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=150,
    ),
]


def _int(raw) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def filter_pieces(pieces, *, instrument: int | None, level: int | None, query: str):
    """Pieces with a part for the instrument; whose hardest part is at `level` or below; whose
    title, composer or arranger holds the query."""
    if instrument is not None:
        pieces = pieces.filter(pk__in=Part.objects.filter(instrument_id=instrument).values("piece"))
    pieces = pieces.annotate(hardest=Max("parts__milestone__order"))
    if level is not None:
        pieces = pieces.filter(hardest__lte=level)
    if query:
        pieces = pieces.filter(
            Q(title__icontains=query) | Q(composer__icontains=query) | Q(arranger__icontains=query)
        )
    return pieces


@rule(READERS)
def piece_list(request):
    instrument = _int(request.GET.get("instrument", ""))
    level = _int(request.GET.get("level", ""))
    query = request.GET.get("q", "").strip()[:100]
    pieces = filter_pieces(
        pieces_for_user(request.user), instrument=instrument, level=level, query=query
    )
    pieces = (
        pieces.select_related("organisation")
        .annotate(part_count=Count("parts", distinct=True))
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=Part.objects.select_related("instrument").order_by(
                    "instrument__sort_order", "name"
                ),
            )
        )
        .order_by("title", "pk")
    )
    page = Paginator(pieces, 50).get_page(request.GET.get("page"))
    for piece in page:
        seen = {}
        for part in piece.parts.all():
            seen.setdefault(part.instrument_id, part.instrument.name)
        piece.instrument_names = list(seen.values())
    return render(
        request,
        "repertoire/piece_list.html",
        {
            "page": page,
            "instruments": InstrumentType.objects.order_by("sort_order"),
            "levels": LEVELS,
            "instrument": instrument,
            "level": level,
            "query": query,
            "can_write": managed_programmes(request.user).exists(),
        },
    )


@rule(READERS)
def piece_detail(request, pk):
    piece = get_piece_for_user(request.user, pk)
    managed = set(managed_programmes(request.user).values_list("pk", flat=True))
    parts = list(piece.parts.select_related("instrument", "milestone"))
    files = list(piece.files.select_related("part"))
    performances = list(
        piece.performances.select_related("ensemble__organisation", "ensemble__school_year")
    )
    user_orgs = set(request.user.memberships.values_list("organisation_id", flat=True))
    for performance in performances:
        # Another programme's ensembles are theirs: show only who played it when.
        performance.own = performance.ensemble.organisation_id in user_orgs | managed
        performance.removable = performance.ensemble.organisation_id in managed
    return render(
        request,
        "repertoire/piece_detail.html",
        {
            "piece": piece,
            "parts": parts,
            "files": files,
            "performances": performances,
            "can_edit": piece.organisation_id in managed,
            "can_record": bool(managed),
        },
    )


@rule(READERS)
def file_download(request, pk):
    """The file as an attachment with the content type of what it is (never shown inline)."""
    stored = get_file_for_user(request.user, pk)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.download_name,
        content_type=KINDS[stored.kind].content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@rule(FINDER)
def finder(request, pk):
    """What can this orchestra play? For its conductor and its programme's coordinators."""
    ensemble = get_ensemble_for_teacher(request.user, pk)
    finding = find_repertoire(ensemble, by=request.user)
    return render(request, "repertoire/finder.html", {"finding": finding, "ensemble": ensemble})
