"""Learning line pages: everyone reads shared published lines, members read their own, the
owner's coordinators edit drafts, publish and make new versions."""

from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import PUBLIC, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.curriculum import actions
from leerorkest.curriculum.access import (
    get_goal_for_user,
    get_line_for_user,
    get_milestone_for_user,
    lines_for_user,
)
from leerorkest.curriculum.forms import ChooseLineForm, GoalForm, LineForm, MilestoneForm
from leerorkest.curriculum.models import GoalKind
from leerorkest.forms_flow import act_and_return, save_or_show
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGERS,
    active_programme,
    managed_programmes,
)

PAGE_SIZE = 50


NAV_ITEMS = [
    NavItem(
        gettext_lazy("Learning lines"),
        "curriculum:line_list",
        frozenset({Role.TEACHER, Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=148,
    ),
    NavItem(
        gettext_lazy("Progress per cohort"),
        "curriculum:cohort",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=149,
    ),
]


def _programme_context(request):
    """The programme the user coordinates right now, or None (anonymous, teachers, …)."""
    context = getattr(request, "context", None)
    organisation = getattr(context, "organisation", None)
    if organisation is None or not managed_programmes(request.user).filter(pk=organisation.pk):
        return None
    return organisation


@rule(PUBLIC)
def line_list(request):
    lines = (
        lines_for_user(request.user)
        .select_related("organisation")
        .annotate(
            goal_count=Count("goals", distinct=True),
            milestone_count=Count("milestones", distinct=True),
        )
        .order_by("name", "organisation__name", "-version", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        lines = lines.filter(Q(name__icontains=query) | Q(description__icontains=query))
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    programme = _programme_context(request)
    in_use = choose_form = None
    if programme is not None:
        in_use = actions.line_for_organisation(programme)
        choose_form = ChooseLineForm(
            lines=actions.choosable_lines(programme), initial={"line": in_use}
        )
    return render(
        request,
        "curriculum/line_list.html",
        {
            "page": page,
            "query": query,
            "programme": programme,
            "in_use": in_use,
            "choose_form": choose_form,
        },
    )


def _can_edit(request, line) -> bool:
    return managed_programmes(request.user).filter(pk=line.organisation_id).exists()


@rule(PUBLIC)
def line_detail(request, pk):
    line = get_line_for_user(request.user, pk)
    kinds = dict(GoalKind.choices)
    rank = {kind: index for index, kind in enumerate(kinds)}
    goals = sorted(line.goals.all(), key=lambda g: (g.year_group, rank[g.kind], g.order, g.code))
    by_year = [
        (
            year_group,
            [(kinds[kind], list(items)) for kind, items in groupby(rows, key=lambda g: g.kind)],
        )
        for year_group, rows in groupby(goals, key=lambda g: g.year_group)
    ]
    milestones = list(line.milestones.select_related("instrument"))
    by_instrument = [
        (instrument, list(items))
        for instrument, items in groupby(milestones, key=lambda m: m.instrument)
    ]
    family = list(
        lines_for_user(request.user)
        .filter(organisation_id=line.organisation_id, name=line.name)
        .exclude(pk=line.pk)
        .order_by("-version")
    )
    return render(
        request,
        "curriculum/line_detail.html",
        {
            "line": line,
            "by_year": by_year,
            "by_instrument": by_instrument,
            "can_edit": _can_edit(request, line),
            "family": family,
        },
    )


def _form_page(request, form, *, title, line, status=200, delete_url=None):
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": title, "line": line, "delete_url": delete_url},
        status=status,
    )


def _to_line(line_id: int):
    return ("curriculum:line_detail", line_id)


@rule(PROGRAMME_MANAGERS)
def line_create(request):
    programme = active_programme(request)
    return save_or_show(
        request,
        LineForm(request.POST or None),
        save=lambda data: actions.create_line(organisation=programme, by=request.user, **data),
        saved=_("Learning line created as a draft."),
        to=lambda line: _to_line(line.pk),
        show=lambda form, status: _form_page(
            request, form, title=_("New learning line"), line=None, status=status
        ),
    )


@rule(PROGRAMME_MANAGERS)
def line_edit(request, pk):
    line = get_line_for_user(request.user, pk, write=True)
    return save_or_show(
        request,
        LineForm(request.POST or None, instance=line),
        save=lambda data: actions.update_line(line=line, by=request.user, **data),
        to=_to_line(line.pk),
        show=lambda form, status: _form_page(
            request, form, title=_("Change the learning line"), line=line, status=status
        ),
    )


@rule(PROGRAMME_MANAGERS)
def goal_add(request, pk):
    line = get_line_for_user(request.user, pk, write=True)
    return save_or_show(
        request,
        GoalForm(request.POST or None, initial={"year_group": request.GET.get("groep")}),
        save=lambda data: actions.add_goal(line=line, by=request.user, **data),
        saved=_("Learning goal added."),
        to=_to_line(line.pk),
        show=lambda form, status: _form_page(
            request, form, title=_("Add a learning goal"), line=line, status=status
        ),
    )


def _keeping_order(data: dict, current: int) -> dict:
    """An empty order on an edit form keeps the place the row has."""
    if data.get("order") is None:
        data["order"] = current
    return data


@rule(PROGRAMME_MANAGERS)
def goal_edit(request, pk):
    goal = get_goal_for_user(request.user, pk, write=True)
    line = goal.line
    return save_or_show(
        request,
        GoalForm(request.POST or None, instance=goal),
        save=lambda data: actions.update_goal(
            goal=goal, by=request.user, **_keeping_order(data, goal.order)
        ),
        to=_to_line(line.pk),
        show=lambda form, status: _form_page(
            request,
            form,
            title=_("Change learning goal %(code)s") % {"code": goal.code},
            line=line,
            status=status,
            delete_url=("curriculum:goal_delete", goal.pk),
        ),
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def goal_delete(request, pk):
    goal = get_goal_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.remove_goal(goal=goal, by=request.user),
        done=_("Learning goal removed."),
        to=_to_line(goal.line_id),
    )


@rule(PROGRAMME_MANAGERS)
def milestone_add(request, pk):
    line = get_line_for_user(request.user, pk, write=True)
    return save_or_show(
        request,
        MilestoneForm(request.POST or None),
        save=lambda data: actions.add_milestone(line=line, by=request.user, **data),
        saved=_("Milestone added."),
        to=_to_line(line.pk),
        show=lambda form, status: _form_page(
            request, form, title=_("Add a milestone"), line=line, status=status
        ),
    )


@rule(PROGRAMME_MANAGERS)
def milestone_edit(request, pk):
    milestone = get_milestone_for_user(request.user, pk, write=True)
    line = milestone.line
    return save_or_show(
        request,
        MilestoneForm(request.POST or None, instance=milestone),
        save=lambda data: actions.update_milestone(
            milestone=milestone, by=request.user, **_keeping_order(data, milestone.order)
        ),
        to=_to_line(line.pk),
        show=lambda form, status: _form_page(
            request,
            form,
            title=_("Change milestone %(name)s") % {"name": milestone.name},
            line=line,
            status=status,
            delete_url=("curriculum:milestone_delete", milestone.pk),
        ),
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def milestone_delete(request, pk):
    milestone = get_milestone_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.remove_milestone(milestone=milestone, by=request.user),
        done=_("Milestone removed."),
        to=_to_line(milestone.line_id),
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def line_publish(request, pk):
    line = get_line_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.publish_line(line=line, by=request.user),
        done=lambda _published: _("Version %(v)s is published.") % {"v": line.version},
        to=_to_line(line.pk),
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def line_new_version(request, pk):
    line = get_line_for_user(request.user, pk, write=True)
    try:
        draft = actions.new_version(line=line, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("curriculum:line_detail", line.pk)
    messages.success(request, _("Version %(v)s is a new draft.") % {"v": draft.version})
    return redirect("curriculum:line_detail", draft.pk)


@require_POST
@rule(PROGRAMME_MANAGERS)
def line_choose(request):
    programme = active_programme(request)
    form = ChooseLineForm(request.POST, lines=actions.choosable_lines(programme))
    if form.is_valid():
        try:
            actions.choose_line(
                organisation=programme, line=form.cleaned_data["line"], by=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your programme uses this learning line now."))
    else:
        messages.error(request, _("Choose a published learning line that your programme can see."))
    return redirect("curriculum:line_list")
