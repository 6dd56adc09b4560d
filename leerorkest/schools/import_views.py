"""Class-list import pages: upload, check and preview, choose columns, commit, discard."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.schools import import_actions as actions
from leerorkest.schools.access import audit_pupil_list
from leerorkest.schools.import_access import (
    IMPORT_ROLES,
    get_import_for_user,
    import_schools_for_user,
    imports_for_user,
)
from leerorkest.schools.import_forms import ColumnsForm, UploadForm
from leerorkest.schools.import_rows import FIELD_BY_NAME, column_label, message
from leerorkest.schools.models import ImportStatus, Pupil, SchoolYear

IMPORTERS = roles(*IMPORT_ROLES)
# For leerorkest.schools.navigation.ITEMS (after the school and pupil pages).
NAV_ITEMS = [
    NavItem(
        gettext_lazy("Class-list imports"),
        "schools:import_list",
        frozenset(IMPORT_ROLES),
        order=130,
    )
]
PAGE_SIZE = 50

SORTS = {
    "new": ("-created_at", "-pk"),
    "old": ("created_at", "pk"),
    "school": ("school__organisation__name", "-created_at"),
    "file": ("filename", "-created_at"),
}
SORT_LABELS = {
    "new": gettext_lazy("Newest first"),
    "old": gettext_lazy("Oldest first"),
    "school": gettext_lazy("School"),
    "file": gettext_lazy("File name"),
}
FIGURES = {
    "new": gettext_lazy("New pupils"),
    "placed": gettext_lazy("Pupils who get a class"),
    "moved": gettext_lazy("Pupils who change class"),
    "updated": gettext_lazy("Contact details updated"),
    "unchanged": gettext_lazy("Unchanged"),
    "classes_new": gettext_lazy("New classes"),
}
ACTIONS = {
    "new": gettext_lazy("New pupil"),
    "placed": gettext_lazy("Gets a class"),
    "moved": gettext_lazy("Changes class"),
    "updated": gettext_lazy("Contact details updated"),
    "unchanged": gettext_lazy("Unchanged"),
}


@rule(IMPORTERS)
def import_list(request):
    imports = imports_for_user(request.user).select_related(
        "school__organisation", "school_year", "uploaded_by"
    )
    query = request.GET.get("q", "").strip()
    if query:
        imports = imports.filter(
            Q(filename__icontains=query) | Q(school__organisation__name__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in ImportStatus.values:
        imports = imports.filter(status=status)
    sort = request.GET.get("sort", "new")
    if sort not in SORTS:
        sort = "new"
    page = Paginator(imports.order_by(*SORTS[sort]), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "schools/import_list.html"
    if request.htmx:
        template += "#imports"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": ImportStatus.choices,
            "sort": sort,
            "sorts": SORT_LABELS.items(),
        },
    )


@rule(IMPORTERS)
def import_new(request):
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        schools=import_schools_for_user(request.user).order_by("organisation__name"),
        # A school page links here with ?school=<id>.
        initial={"school": request.GET.get("school")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            class_import = actions.upload_class_list(
                school=form.cleaned_data["school"],
                school_year=SchoolYear.for_start_year(form.cleaned_data["school_year"]),
                filename=upload.name,
                content=upload.read(),
                by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("schools:import_detail", class_import.pk)
    return render(
        request,
        "schools/import_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@rule(IMPORTERS)
def import_template(request):
    """An empty class list with the column names the import recognises, to fill in."""
    header = (
        "Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;Leerkracht;"
        "Ouder/verzorger;Telefoon;E-mail\r\n"
    )
    response = HttpResponse(("\ufeff" + header).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="klassenlijst.csv"'
    return response


@rule(IMPORTERS)
def import_detail(request, pk):
    return _detail(request, get_import_for_user(request.user, pk))


def _detail(request, class_import, columns_form=None, status=200):
    """The import's page: its report (errors or preview), columns, and what can be done next."""
    report = class_import.report or {}
    headers = report.get("headers", [])
    rows = report.get("rows", [])
    action = request.GET.get("action", "")
    if action in ACTIONS:
        rows = [row for row in rows if row["action"] == action]
    query = request.GET.get("q", "").strip().casefold()
    if query:
        rows = [row for row in rows if query in row["name"].casefold()]
    rows_page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in rows_page:
        row["action_label"] = ACTIONS[row["action"]]
        row["born_date"] = date.fromisoformat(row["born"]) if row["born"] else None
        row["update_labels"] = [FIELD_BY_NAME[name].label for name in row["updates"]]
    # Rows that match a pupil show part of that pupil's record: a list read (target A7).
    audit_pupil_list(
        request.user,
        [Pupil(pk=row["pupil"]) for row in rows_page if row["pupil"]],
        action="pupil.list",
    )
    if request.htmx and request.GET:
        return render(
            request,
            "schools/import_detail.html#rows",
            {"class_import": class_import, "rows": rows_page, "action": action},
        )
    errors = [
        {
            "row": error["row"],
            "column": column_label(error["column"], headers),
            "reason": message(error["code"], error["params"]),
        }
        for error in report.get("errors", [])
    ]
    counts = report.get("counts", {})
    figures = [(key, label, counts[key]) for key, label in FIGURES.items() if key in counts]
    is_open = class_import.status in actions.OPEN
    if columns_form is None and is_open and headers:
        columns_form = ColumnsForm.from_import(class_import)
    return render(
        request,
        "schools/import_detail.html",
        {
            "class_import": class_import,
            "is_open": is_open,
            "counts": counts,
            "figures": figures,
            "notices": [message(n["code"], n["params"]) for n in report.get("notices", [])],
            # An import shows either its problems or its preview rows; both page on "page".
            "errors": Paginator(errors, PAGE_SIZE).get_page(request.GET.get("page")),
            "error_count": report.get("error_count", 0),
            "rows": rows_page,
            "action": action,
            "actions": ACTIONS.items(),
            "query": request.GET.get("q", "").strip(),
            "columns_form": columns_form,
        },
        status=status,
    )


@require_POST
@rule(IMPORTERS)
def import_columns(request, pk):
    class_import = get_import_for_user(request.user, pk)
    form = ColumnsForm(request.POST, headers=class_import.report.get("headers", []))
    if form.is_valid():
        try:
            actions.choose_columns(
                class_import=class_import, mapping=form.cleaned_data, by=request.user
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Columns saved; the file was checked again."))
            return redirect("schools:import_detail", class_import.pk)
    return _detail(request, class_import, columns_form=form, status=400)


@require_POST
@rule(IMPORTERS)
def import_commit(request, pk):
    class_import = get_import_for_user(request.user, pk)
    try:
        actions.queue_commit(class_import=class_import, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        # With a task worker the commit is still running: the page shows a progress bar.
        class_import.refresh_from_db()
        counts = class_import.report.get("counts", {})
        if class_import.status == ImportStatus.COMMITTING:
            messages.info(request, _("The class list is being committed; this page follows it."))
        elif class_import.status == ImportStatus.FAILED:
            messages.error(request, _("Committing failed; nothing was written. Try again."))
        elif class_import.status == ImportStatus.COMMITTED:
            messages.success(
                request,
                _(
                    "Class list committed: %(new)s new pupils, %(moved)s changed class, "
                    "%(placed)s got a class."
                )
                % {
                    "new": counts.get("new", 0),
                    "moved": counts.get("moved", 0),
                    "placed": counts.get("placed", 0),
                },
            )
        elif class_import.status == ImportStatus.INVALID:
            messages.error(request, _("The list no longer passes the checks; nothing was written."))
        else:
            messages.error(
                request,
                _(
                    "Pupils changed since the preview, so nothing was written. Check the new "
                    "preview and commit again."
                ),
            )
    return redirect("schools:import_detail", class_import.pk)


@require_POST
@rule(IMPORTERS)
def import_discard(request, pk):
    class_import = get_import_for_user(request.user, pk)
    try:
        actions.discard_class_list(class_import=class_import, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("schools:import_detail", class_import.pk)
    messages.success(request, _("The import and its file were thrown away."))
    return redirect("schools:import_list")
