"""Home-page figures about schools and pupils, per role."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.navigation import HOME_FIGURES, Figure
from leerorkest.accounts.roles import Role
from leerorkest.schools.models import ClassPlacement, SchoolClass, SchoolParticipation, SchoolYear


def programme_figures(context) -> list[Figure]:
    """For a programme's coordinators: this year's schools, classes and pupils."""
    year = SchoolYear.objects.current()
    if year is None:
        return []
    programme = context.organisation
    placements = ClassPlacement.objects.filter(
        school_year=year, school_class__school__organisation__parent=programme
    ).aggregate(
        pupils=Count("pk"),
        leaving=Count("pk", filter=Q(is_leaving=True)),
    )
    taking_part = SchoolParticipation.objects.filter(
        school_year=year, school__organisation__parent=programme
    ).count()
    return [
        Figure(
            "schools_taking_part",
            _("Schools taking part this year"),
            taking_part,
            reverse("schools:school_list"),
        ),
        Figure(
            "pupils_this_year",
            _("Pupils this year"),
            placements["pupils"],
            reverse("schools:pupil_list"),
        ),
        Figure(
            "leaving_groep_8",
            _("Leaving groep 8"),
            placements["leaving"],
            reverse("schools:pupil_list") + "?groep=8",
        ),
    ]


def school_contact_figures(context) -> list[Figure]:
    """For a school contact: their school's classes and pupils this year."""
    year = SchoolYear.objects.current()
    if year is None:
        return []
    classes = SchoolClass.objects.filter(
        school__organisation=context.organisation, school_year=year
    ).aggregate(classes=Count("pk", distinct=True), pupils=Count("placements"))
    return [
        Figure(
            "classes_this_year",
            _("Classes this year"),
            classes["classes"],
            reverse("schools:school_list"),
        ),
        Figure(
            "pupils_this_year",
            _("Pupils this year"),
            classes["pupils"],
            reverse("schools:pupil_list"),
        ),
    ]


def register_figures() -> None:
    for role in (Role.COORDINATOR, Role.PARTNER_COORDINATOR):
        if programme_figures not in HOME_FIGURES[role]:
            HOME_FIGURES[role].append(programme_figures)
    if school_contact_figures not in HOME_FIGURES[Role.SCHOOL_CONTACT]:
        HOME_FIGURES[Role.SCHOOL_CONTACT].append(school_contact_figures)
