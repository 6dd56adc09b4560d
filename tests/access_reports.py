"""A2 builders for the reports: a funder pack belongs to the programme that asked for it."""

from leerorkest.reports.models import FunderPack


def _pack(p):
    return FunderPack.objects.create(
        organisation=p.organisation,
        title="Fonds",
        params={},
        status=FunderPack.Status.DONE,
        progress=100,
        tables=[],
        requested_by=p.owner,
    )


OBJECT_URLS = {
    "reports:pack_detail": lambda p: ("get", {"pk": _pack(p).pk}),
    "reports:pack_print": lambda p: ("get", {"pk": _pack(p).pk}),
    "reports:pack_xlsx": lambda p: ("get", {"pk": _pack(p).pk}),
}
