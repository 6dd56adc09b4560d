"""Pupil pages: the list and a pupil's history across the years. Every read is audited."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leerorkest.accounts.access import LOGIN, MANAGERS, rule
from leerorkest.programme.models import EnsembleMember, InstrumentChoice, LessonGroupMember
from leerorkest.schools import actions
from leerorkest.schools.access import (
    audit_pupil_list,
    can_see_parent_contact,
    get_pupil_for_user,
    schools_for_user,
)
from leerorkest.schools.forms import PupilForm
from leerorkest.schools.models import ClassPlacement, Pupil
from leerorkest.schools.views import selected_year, year_choices

SORTS = {
    "name": ["surname", "given_name"],
    "-name": ["-surname", "-given_name"],
    "groep": ["current_year_group", "surname"],
    "school": ["current_school", "surname"],
}


@rule(LOGIN)
def pupil_list(request):
    """Pupils the user may see, with their class this year: search, filters, sort, pages."""
    year = selected_year(request)
    here = ClassPlacement.objects.filter(school_year=year).select_related(
        "school_class__school__organisation"
    )
    pupils = Pupil.objects.for_user(request.user).filter(placements__school_year=year)
    query = request.GET.get("q", "").strip()
    if query:
        for word in query.split():
            pupils = pupils.filter(
                Q(given_name__icontains=word)
                | Q(surname__icontains=word)
                | Q(surname_prefix__iexact=word)
            )
    school = request.GET.get("school", "")
    if school.isdigit():
        pupils = pupils.filter(
            placements__school_year=year, placements__school_class__school_id=int(school)
        )
    groep = request.GET.get("groep", "")
    if groep.isdigit():
        pupils = pupils.filter(
            placements__school_year=year, placements__school_class__year_group=int(groep)
        )
    sort = request.GET.get("sort", "name")
    from django.db.models import OuterRef, Subquery

    current = ClassPlacement.objects.filter(pupil=OuterRef("pk"), school_year=year)
    pupils = pupils.annotate(
        current_year_group=Subquery(current.values("school_class__year_group")[:1]),
        current_school=Subquery(current.values("school_class__school__organisation__name")[:1]),
    ).order_by(*SORTS.get(sort, SORTS["name"]), "pk")
    page = Paginator(
        pupils.prefetch_related(Prefetch("placements", queryset=here, to_attr="this_year")),
        50,
    ).get_page(request.GET.get("page"))
    audit_pupil_list(request.user, page.object_list)
    template = "schools/pupil_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "year": year,
            "years": year_choices(),
            "query": query,
            "school": school,
            "groep": groep,
            "sort": sort,
            "schools": schools_for_user(request.user).order_by("organisation__name"),
            "groeps": range(3, 9),
        },
    )


@rule(LOGIN)
def pupil_detail(request, pk):
    """A pupil's line across the years: classes, instrument, lesson groups, ensembles."""
    pupil = get_pupil_for_user(request.user, pk)
    placements = pupil.placements.select_related(
        "school_class__school__organisation", "school_year"
    ).order_by("-school_year__starts_on")
    choices = (
        InstrumentChoice.objects.filter(pupil=pupil)
        .select_related("school_year", "first", "second", "third", "assigned")
        .order_by("-school_year__starts_on")
    )
    groups = (
        LessonGroupMember.objects.filter(pupil=pupil)
        .select_related(
            "group__instrument", "group__teacher", "group__school__organisation", "school_year"
        )
        .order_by("-school_year__starts_on")
    )
    ensembles = (
        EnsembleMember.objects.filter(pupil=pupil)
        .select_related("ensemble__school_year", "instrument")
        .order_by("-ensemble__school_year__starts_on")
    )
    return render(
        request,
        "schools/pupil_detail.html",
        {
            "pupil": pupil,
            "placements": placements,
            "choices": choices,
            "groups": groups,
            "ensembles": ensembles,
            "show_parent": can_see_parent_contact(request.user, pupil),
            "can_edit": can_see_parent_contact(request.user, pupil),
        },
    )


@rule(MANAGERS)
def pupil_edit(request, pk):
    pupil = get_pupil_for_user(request.user, pk, write=True, action="pupil.edit")
    form = PupilForm(request.POST or None, instance=Pupil.objects.get(pk=pupil.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_pupil(pupil=pupil, by=request.user, **form.cleaned_data)
        messages.success(request, _("The pupil's details are saved."))
        return redirect("schools:pupil_detail", pupil.pk)
    return render(request, "schools/pupil_form.html", {"pupil": pupil, "form": form})
