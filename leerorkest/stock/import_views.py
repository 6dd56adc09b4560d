"""Inventory import pages: upload, check and preview, choose columns, commit, discard (B2)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.depot.models import Instrument
from leerorkest.schools.import_rows import column_label
from leerorkest.stock import actions
from leerorkest.stock.access import STAFF, depots_for_user, get_import_for_user, imports_for_user
from leerorkest.stock.forms import ColumnsForm, UploadForm
from leerorkest.stock.inventory import message
from leerorkest.stock.models import ImportStatus

PAGE_SIZE = 50


@rule(STAFF)
def import_list(request):
    imports = imports_for_user(request.user).select_related("uploaded_by")
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stock/import_list.html", {"page": page})


@rule(STAFF)
def import_new(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    depot = depots_for_user(request.user).order_by("pk").first()
    if request.method == "POST" and form.is_valid():
        if depot is None:
            form.add_error(None, _("You work for no depot."))
        else:
            upload = form.cleaned_data["file"]
            try:
                stock_import = actions.upload_inventory(
                    depot=depot, filename=upload.name, content=upload.read(), by=request.user
                )
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("stock:import_detail", stock_import.pk)
    return render(
        request, "stock/import_form.html", {"form": form}, status=400 if form.errors else 200
    )


@rule(STAFF)
def import_template(request):
    """An empty inventory sheet with the column names the import recognises."""
    header = (
        "Inventarisnummer;Instrument;Maat;Merk;Model;Serienummer;Waarde;Herkomst;Datum binnen;"
        "Conditie;Locatie\r\n"
    )
    response = HttpResponse(("\ufeff" + header).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="inventaris.csv"'
    return response


@rule(STAFF)
def import_detail(request, pk):
    return _detail(request, get_import_for_user(request.user, pk))


def _detail(request, stock_import, columns_form=None, status=200):
    report = stock_import.report or {}
    headers = report.get("headers", [])
    errors = [
        {
            "row": error["row"],
            "column": column_label(error["column"], headers),
            "reason": message(error["code"], error["params"]),
        }
        for error in report.get("errors", [])
    ]
    rows = report.get("rows", [])
    names = {kind.code: kind.name for kind in _types()}
    page = Paginator(errors or rows, PAGE_SIZE).get_page(request.GET.get("page"))
    if not errors:
        for row in page:
            row["instrument_name"] = names.get(row["instrument"], row["instrument"])
            row["value"] = f"{row['value_cents'] / 100:.2f}".replace(".", ",")
            row["via_label"] = Instrument.Acquired(row["via"]).label
    is_open = stock_import.status not in (ImportStatus.COMMITTED, ImportStatus.COMMITTING)
    if columns_form is None and is_open and headers:
        columns_form = ColumnsForm.from_import(stock_import)
    return render(
        request,
        "stock/import_detail.html",
        {
            "stock_import": stock_import,
            "is_open": is_open,
            "counts": report.get("counts", {}),
            "notices": [message(n["code"], n["params"]) for n in report.get("notices", [])],
            "errors": errors,
            "error_count": report.get("error_count", 0),
            "page": page,
            "columns_form": columns_form,
        },
        status=status,
    )


def _types():
    from leerorkest.programme.models import InstrumentType

    return InstrumentType.objects.all()


@require_POST
@rule(STAFF)
def import_columns(request, pk):
    stock_import = get_import_for_user(request.user, pk)
    form = ColumnsForm(request.POST, headers=stock_import.report.get("headers", []))
    if form.is_valid():
        try:
            actions.choose_columns(
                stock_import=stock_import, mapping=form.cleaned_data, by=request.user
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Columns saved; the file was checked again."))
            return redirect("stock:import_detail", stock_import.pk)
    return _detail(request, stock_import, columns_form=form, status=400)


@require_POST
@rule(STAFF)
def import_commit(request, pk):
    stock_import = get_import_for_user(request.user, pk)
    try:
        actions.queue_commit(stock_import=stock_import, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        stock_import.refresh_from_db()
        if stock_import.status == ImportStatus.COMMITTED:
            messages.success(
                request,
                _("%(count)s instruments were added to the stock.")
                % {"count": stock_import.created_count},
            )
        elif stock_import.status == ImportStatus.COMMITTING:
            messages.info(request, _("The import is being committed; this page follows it."))
        elif stock_import.status == ImportStatus.FAILED:
            messages.error(request, _("Committing failed; nothing was written. Try again."))
        else:
            messages.error(request, _("The file no longer passes the checks; nothing was written."))
    return redirect("stock:import_detail", stock_import.pk)


@require_POST
@rule(STAFF)
def import_discard(request, pk):
    stock_import = get_import_for_user(request.user, pk)
    try:
        actions.discard_inventory(stock_import=stock_import, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("stock:import_detail", stock_import.pk)
    messages.success(request, _("The import and its file were thrown away."))
    return redirect("stock:import_list")
