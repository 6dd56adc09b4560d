"""Instrument choice, assignment and lesson-group pages, for the programme's coordinators."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.choice import actions
from leerorkest.programme.choice.access import (
    COORDINATORS,
    coordinated_schools,
    get_school_for_coordinator,
)
from leerorkest.programme.choice.forms import (
    ChoiceGridForm,
    OverrideForm,
    SectionTargetForm,
)
from leerorkest.programme.choice.queries import (
    YEAR_GROUP_CHOICES,
    result_counts,
    result_rows,
    school_overview,
)
from leerorkest.programme.models import AssignmentRun
from leerorkest.schools.access import audit_pupil_list
from leerorkest.schools.models import SchoolYear

PAGE_SIZE = 50
_COORDINATOR_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR})
NAV_ITEMS = [
    NavItem(
        gettext_lazy("Instrument choice"), "programme:choice_index", _COORDINATOR_ROLES, order=130
    ),
    NavItem(
        gettext_lazy("Lesson groups"), "programme:lessongroup_list", _COORDINATOR_ROLES, order=140
    ),
]


def int_or(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def school_year_for(request, schools) -> SchoolYear:
    """The school year asked for (?year=<id>), else the default one; 404 when none exists."""
    asked = int_or(request.GET.get("year") or request.POST.get("year"))
    year = SchoolYear.objects.filter(pk=asked).first() if asked else None
    year = year or actions.default_school_year(schools)
    year = year or SchoolYear.objects.order_by("-starts_on").first()
    if year is None:
        raise Http404
    return year


def scope_for(request, school_pk: int, year_group: int) -> actions.Scope:
    school = get_school_for_coordinator(request.user, school_pk)
    if not 1 <= year_group <= 8:
        raise Http404
    year = school_year_for(request, [school])
    return actions.Scope(school, year, year_group)


def scope_url(name: str, scope: actions.Scope, **kwargs) -> str:
    path = reverse(name, kwargs={"school_pk": scope.school.pk, "year_group": scope.year_group})
    return f"{path}?year={scope.school_year.pk}"


def _context(scope: actions.Scope, tab: str, **extra) -> dict:
    return {
        "scope": scope,
        "school": scope.school,
        "school_year": scope.school_year,
        "year_group": scope.year_group,
        "tab": tab,
        "years": SchoolYear.objects.order_by("-starts_on"),
        **extra,
    }


@rule(COORDINATORS)
def choice_index(request):
    """The schools of the programme with how far instrument choice is for one year group."""
    schools = coordinated_schools(request.user)
    year = school_year_for(request, schools)
    year_group = int_or(request.GET.get("year_group"), actions.DEFAULT_YEAR_GROUP)
    if year_group not in YEAR_GROUP_CHOICES:
        year_group = actions.DEFAULT_YEAR_GROUP
    query = request.GET.get("q", "").strip()
    if query:
        schools = schools.filter(Q(organisation__name__icontains=query) | Q(brin__icontains=query))
    sorts = {
        "name": ("organisation__name", "pk"),
        "pupils": ("-pupils", "organisation__name"),
        "open": ("entered", "organisation__name"),
        "run": ("-last_run", "organisation__name"),
    }
    sort = request.GET.get("sort", "name")
    sort = sort if sort in sorts else "name"
    overview = school_overview(schools, year, year_group).order_by(*sorts[sort])
    page = Paginator(overview, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "programme/choice_index.html"
    if request.htmx:
        template += "#schools"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "school_year": year,
            "years": SchoolYear.objects.order_by("-starts_on"),
            "year_group": year_group,
            "year_groups": YEAR_GROUP_CHOICES,
            "sort": sort,
        },
    )


@rule(COORDINATORS)
def choice_grid(request, school_pk: int, year_group: int):
    """One grid to type in every pupil's three preferences from the paper forms."""
    scope = scope_for(request, school_pk, year_group)
    placements = list(scope.placements())
    menu = scope.menu()
    choices = scope.choices([p.pupil_id for p in placements])
    form = ChoiceGridForm(request.POST or None, placements=placements, menu=menu, choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = actions.save_choices(
                    scope=scope, preferences=form.preferences(), by=request.user
                )
            except actions.ChoiceGridError as error:
                for pupil_id, message in error.errors.items():
                    form.row_errors.setdefault(pupil_id, []).append(message)
                messages.error(request, error.message)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Preferences saved (%(count)s changed).") % {"count": changed}
                )
                return redirect(scope_url("programme:choice_grid", scope))
        else:
            messages.error(request, _("Nothing was saved: correct the marked rows."))
        status = 400
    audit_pupil_list(request.user, [p.pupil for p in placements], action="pupil.list")
    entered = sum(1 for c in choices.values() if c.first_id)
    return render(
        request,
        "programme/choice_grid.html",
        _context(scope, "grid", form=form, menu=menu, entered=entered, placements=placements),
        status=status,
    )


@rule(COORDINATORS)
def choice_sections(request, school_pk: int, year_group: int):
    """Wanted players per instrument of the menu, with a suggestion until they are saved."""
    scope = scope_for(request, school_pk, year_group)
    menu = scope.menu()
    pupils = scope.placements().count()
    targets = actions.section_targets(scope, menu, pupils)
    form = SectionTargetForm(
        request.POST or None, menu=menu, targets=targets, stored=scope.stored_targets()
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_section_targets(scope=scope, wanted=form.wanted(), by=request.user)
        except DomainError as error:
            form.add_error(f"i{error.field}" if error.field else None, error.message)
        else:
            messages.success(request, _("Section sizes saved."))
            return redirect(scope_url("programme:choice_sections", scope))
    capacity = scope.group_capacity()
    return render(
        request,
        "programme/choice_sections.html",
        _context(
            scope,
            "sections",
            form=form,
            menu=menu,
            pupils=pupils,
            total=sum(targets.values()),
            group_capacity=[(i, capacity[i.pk]) for i in menu if i.pk in capacity],
        ),
        status=400 if form.errors else 200,
    )


@require_POST
@rule(COORDINATORS)
def choice_run(request, school_pk: int, year_group: int):
    scope = scope_for(request, school_pk, year_group)
    try:
        run = actions.run_assignment(scope=scope, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        s = run.summary
        messages.success(
            request,
            _(
                "Instruments assigned: %(first)s 1st choice, %(second)s 2nd, %(third)s 3rd, "
                "%(none)s none of their choices."
            )
            % {k: s[k] for k in ("first", "second", "third", "none")},
        )
    return redirect(scope_url("programme:choice_result", scope))


RESULT_FILTERS = {  # lazy: translated when shown
    "first": gettext_lazy("1st choice"),
    "second": gettext_lazy("2nd choice"),
    "third": gettext_lazy("3rd choice"),
    "other": gettext_lazy("Another instrument"),
    "unplaced": gettext_lazy("No instrument"),
    "overridden": gettext_lazy("Chosen by hand"),
}


def _result_context(request, scope: actions.Scope) -> dict:
    rows = result_rows(scope)
    counts = result_counts(rows)
    classes = sorted({r.placement.school_class.name for r in rows})
    query = request.GET.get("q", "").strip().lower()
    shown = request.GET.get("show", "")
    class_name = request.GET.get("class", "")
    listed = [
        r
        for r in rows
        if (not query or query in r.pupil.full_name.lower())
        and (not class_name or r.placement.school_class.name == class_name)
        and (
            not shown
            or (shown == "overridden" and r.overridden)
            or (shown != "overridden" and r.status == shown)
        )
    ]
    if request.GET.get("sort") == "rank":
        order = {1: 0, 2: 1, 3: 2, 0: 3, None: 4}
        listed.sort(key=lambda r: order[r.rank])
    page = Paginator(listed, 100).get_page(request.GET.get("page"))
    audit_pupil_list(request.user, [r.pupil for r in page], action="pupil.list")
    # Override forms post back with the page's filters, so the swapped-in result keeps them.
    keep = request.GET.copy()
    keep["year"] = scope.school_year.pk
    return _context(
        scope,
        "result",
        page=page,
        counts=counts,
        classes=classes,
        query=request.GET.get("q", ""),
        show=shown,
        class_name=class_name,
        filters=RESULT_FILTERS,
        keep=keep.urlencode(),
        menu=scope.menu(),
        run=AssignmentRun.objects.filter(
            school=scope.school, school_year=scope.school_year, year_group=scope.year_group
        )
        .select_related("created_by")
        .first(),
    )


@rule(COORDINATORS)
def choice_result(request, school_pk: int, year_group: int):
    """Per child the preferences, the instrument assigned with its rank, and an override."""
    scope = scope_for(request, school_pk, year_group)
    template = "programme/choice_result.html"
    if request.htmx:
        template += "#result"
    return render(request, template, _result_context(request, scope))


@require_POST
@rule(COORDINATORS)
def choice_override(request, school_pk: int, year_group: int, pupil_pk: int):
    """Set one child's instrument by hand; saved at once (htmx swaps the result back in)."""
    scope = scope_for(request, school_pk, year_group)
    form = OverrideForm(request.POST, menu=scope.menu())
    status = 200
    if not form.is_valid():
        messages.error(request, _("Choose an instrument of the menu."))
        status = 400
    else:
        value = form.cleaned_data["assigned"]
        try:
            actions.override_choice(
                scope=scope,
                pupil_id=pupil_pk,
                instrument=form.menu.get(value),
                release=value == OverrideForm.RELEASE,
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("Instrument changed; later runs keep it."))
    if request.htmx:
        return render(
            request,
            "programme/choice_result.html#result",
            _result_context(request, scope),
            status=status,
        )
    return redirect(scope_url("programme:choice_result", scope))
