"""Funder packs: ask for one from the reach page's filters, watch it being built, read it as a
printable page, download it as a spreadsheet."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.audit import audit
from leerorkest.accounts.roles import PLATFORM_ADMIN
from leerorkest.reports import packs
from leerorkest.reports.access import REPORTERS
from leerorkest.reports.models import FunderPack
from leerorkest.reports.scope import ScopeError, period_from, reportable_programmes, scope_from
from leerorkest.reports.xlsx import pack_workbook


def packs_for(request):
    """The packs the user may see in their role: their programme's; every pack for admins."""
    context = request.context
    if context.role == PLATFORM_ADMIN:
        return FunderPack.objects.all()
    if context.organisation is None:
        return FunderPack.objects.none()
    return FunderPack.objects.filter(organisation=context.organisation)


def get_pack_for_user(request, pk) -> FunderPack:
    try:
        return packs_for(request).get(pk=pk)
    except (FunderPack.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@rule(REPORTERS)
def pack_list(request):
    page = Paginator(packs_for(request).select_related("requested_by"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request, "reports/pack_list.html", {"page": page, "reach_url": reverse("reports:reach")}
    )


@require_POST
@rule(REPORTERS)
def pack_create(request):
    """Queue a pack for the filters posted from the reach page."""
    programmes = reportable_programmes(request.context)
    try:
        scope = scope_from(request.POST, programmes)
        period = period_from(request.POST, timezone.localdate())
    except ScopeError as error:
        messages.error(request, str(error))
        return redirect("reports:reach")
    if not period.years:
        messages.error(request, _("There is no school year in this period."))
        return redirect("reports:reach")
    organisation = None if request.context.role == PLATFORM_ADMIN else request.context.organisation
    pack = packs.request_pack(
        scope=scope,
        period=period,
        title=request.POST.get("title", ""),
        by=request.user,
        organisation=organisation,
    )
    messages.success(request, _("The funder pack is being built."))
    return redirect("reports:pack_detail", pack.pk)


def _scope_line(pack: FunderPack) -> str:
    try:
        scope, period = packs.scope_of(pack.params)
    except (KeyError, ValueError, ScopeError):
        return ""
    return f"{period.label()} · {scope.label()}"


@rule(REPORTERS)
def pack_detail(request, pk):
    pack = get_pack_for_user(request, pk)
    template = "reports/pack_detail.html"
    if request.htmx and not pack.is_finished:
        template = "reports/pack_progress.html"
    response = render(request, template, {"pack": pack, "scope_line": _scope_line(pack)})
    if request.htmx and pack.is_finished:
        response["HX-Refresh"] = "true"
    return response


@rule(REPORTERS)
def pack_print(request, pk):
    pack = get_pack_for_user(request, pk)
    if pack.status != FunderPack.Status.DONE:
        raise Http404
    return render(
        request, "reports/pack_print.html", {"pack": pack, "scope_line": _scope_line(pack)}
    )


@rule(REPORTERS)
def pack_xlsx(request, pk):
    pack = get_pack_for_user(request, pk)
    if pack.status != FunderPack.Status.DONE:
        raise Http404
    audit(actor=request.user, action="reports.pack_download", obj=pack)
    content = pack_workbook(pack.title, _scope_line(pack), pack.tables)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = slugify(pack.title)[:60] or "funder-pack"
    response["Content-Disposition"] = f'attachment; filename="{name}-{pack.pk}.xlsx"'
    return response
