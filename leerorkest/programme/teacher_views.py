"""Teacher pages: the office's teacher list and profiles, and a teacher's own groups on a phone."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Invitation
from leerorkest.accounts.navigation import HOME_FIGURES, Figure, NavItem
from leerorkest.accounts.roles import Role
from leerorkest.forms_flow import act_and_return
from leerorkest.programme import actions_teachers as actions
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGERS,
    TEACHING,
    active_programme,
    get_ensemble_for_teacher,
    get_lesson_group_for_teacher,
    get_teacher_for_user,
    my_ensembles,
    my_lesson_groups,
)
from leerorkest.programme.forms_teachers import (
    AvailabilityFormSet,
    TeacherForm,
    TrainingFormSet,
    availability_initial,
    training_initial,
)
from leerorkest.programme.models import (
    Ensemble,
    EnsembleMember,
    InstrumentType,
    LessonGroup,
    LessonGroupMember,
    Teacher,
)
from leerorkest.programme.models.teachers import VOG_VALID_DAYS, VOG_WARNING_DAYS
from leerorkest.schools.access import audit_pupil_list
from leerorkest.schools.models import ClassPlacement, District, SchoolParticipation, SchoolYear
from leerorkest.schools.models.years import Weekday

PAGE_SIZE = 50

VOG_CHOICES = [
    ("attention", gettext_lazy("Expiring or expired")),
    ("expiring", gettext_lazy("Expires within 60 days")),
    ("expired", gettext_lazy("Expired")),
    ("missing", gettext_lazy("No date known")),
    ("valid", gettext_lazy("Valid")),
]
TEACHER_SORTS = {
    "name": ("full_name", "pk"),
    "-name": ("-full_name", "-pk"),
    "vog": (F("vog_date").asc(nulls_first=True), "full_name"),
    "hours": ("-contracted_hours", "full_name"),
}


def filter_vog(queryset: QuerySet[Teacher], status: str, today: date | None = None):
    """Teachers whose certificate (`Teacher.vog_status`) is in `status`, decided in the database."""
    today = today or timezone.localdate()
    # vog_status compares the expiry date (issued + VOG_VALID_DAYS) with today.
    expired_before = today - timedelta(days=VOG_VALID_DAYS)
    warn_until = today + timedelta(days=VOG_WARNING_DAYS - VOG_VALID_DAYS)
    conditions = {
        "missing": Q(vog_date__isnull=True),
        "expired": Q(vog_date__lt=expired_before),
        "expiring": Q(vog_date__gte=expired_before, vog_date__lte=warn_until),
        "valid": Q(vog_date__gt=warn_until),
        "attention": Q(vog_date__lte=warn_until),
    }
    return queryset.filter(conditions[status]) if status in conditions else queryset


# --- The home-page figure -----------------------------------------------------------------------


def vog_figures(context) -> list[Figure]:
    """Coordinators see how many active teachers need a new certificate of good conduct."""
    organisation = context.organisation
    if organisation is None:
        return []
    count = filter_vog(
        Teacher.objects.filter(organisation=organisation, is_active=True), "attention"
    ).count()
    return [
        Figure(
            "vog_expiring",
            gettext_lazy("Teachers whose VOG expires soon or has expired"),
            count,
            reverse("programme:teacher_list") + "?vog=attention",
        )
    ]


for _role in (Role.COORDINATOR, Role.PARTNER_COORDINATOR):
    if vog_figures not in HOME_FIGURES[_role]:
        HOME_FIGURES[_role].append(vog_figures)


# --- The office's pages -------------------------------------------------------------------------


@rule(PROGRAMME_MANAGERS)
def teacher_list(request):
    programme = active_programme(request)
    year = SchoolYear.objects.current()
    teachers = (
        Teacher.objects.filter(organisation=programme)
        .select_related("user")
        .prefetch_related("instruments", "districts")
        .annotate(
            group_count=Count(
                "lesson_groups", filter=Q(lesson_groups__school_year=year), distinct=True
            )
        )
    )
    get = request.GET
    query = get.get("q", "").strip()
    if query:
        teachers = teachers.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    instrument = get.get("instrument", "")
    if instrument:
        teachers = teachers.filter(instruments__code=instrument)
    conductor = get.get("conductor", "")
    if conductor in ("yes", "no"):
        teachers = teachers.filter(is_conductor=conductor == "yes")
    district = get.get("district", "")
    if district.isdigit():
        teachers = teachers.filter(districts__pk=int(district))
    vog = get.get("vog", "")
    teachers = filter_vog(teachers, vog)
    status = get.get("status", "active")
    if status == "active":
        teachers = teachers.filter(is_active=True)
    elif status == "inactive":
        teachers = teachers.filter(is_active=False)
    sort = get.get("sort", "name")
    if sort not in TEACHER_SORTS:
        sort = "name"
    page = Paginator(teachers.order_by(*TEACHER_SORTS[sort]), PAGE_SIZE).get_page(get.get("page"))
    template = "programme/teacher_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "instrument": instrument,
            "instruments": InstrumentType.objects.order_by("sort_order", "code"),
            "conductor": conductor,
            "district": district,
            "districts": District.objects.filter(
                Q(city__iexact=programme.city)
                | Q(neighbourhoods__schools__organisation__parent=programme)
            )
            .distinct()
            .order_by("city", "name"),
            "vog": vog,
            "vog_choices": VOG_CHOICES,
            "status": status,
            "sort": sort,
            "sorts": [
                ("name", _("Name A–Z")),
                ("-name", _("Name Z–A")),
                ("vog", _("VOG date, oldest first")),
                ("hours", _("Most contracted hours")),
            ],
        },
    )


@rule(PROGRAMME_MANAGERS)
def teacher_detail(request, pk):
    teacher = get_teacher_for_user(request.user, pk)
    _link_after_invitation(request, teacher)
    year = SchoolYear.objects.current()
    groups = (
        LessonGroup.objects.filter(teacher=teacher, school_year=year)
        .select_related("school__organisation", "instrument")
        .annotate(pupil_count=Count("members"))
        .order_by("school__organisation__name", "year_group", "name")
    )
    ensembles = (
        Ensemble.objects.filter(conductor=teacher, school_year=year)
        .select_related("school__organisation")
        .annotate(
            member_count=Count("members", filter=Q(members__status=EnsembleMember.Status.ACTIVE))
        )
        .order_by("kind", "name")
    )
    candidate = actions.account_candidate(teacher)
    return render(
        request,
        "programme/teacher_detail.html",
        {
            "teacher": teacher,
            "year": year,
            "instruments": teacher.instruments.order_by("sort_order"),
            "districts": teacher.districts.all(),
            "availability": teacher.availability.all(),
            "training": teacher.training.all(),
            "groups": groups,
            "ensembles": ensembles,
            "candidate": candidate,
            "invitation": None if candidate else actions.open_invitation(teacher),
        },
    )


def _link_after_invitation(request, teacher: Teacher) -> None:
    """An invited teacher who accepted is linked when the office next opens the profile."""
    if teacher.user_id or not teacher.email:
        return
    accepted = Invitation.objects.filter(
        organisation_id=teacher.organisation_id,
        role=Role.TEACHER,
        email__iexact=teacher.email,
        accepted_at__isnull=False,
    ).exists()
    if not accepted or actions.account_candidate(teacher) is None:
        return
    try:
        user = actions.link_teacher_account(teacher=teacher, by=request.user)
    except DomainError:
        return
    teacher.user = user
    messages.success(
        request,
        _("%(name)s accepted the invitation; the profile is now linked to their account.")
        % {"name": teacher.full_name},
    )


@rule(PROGRAMME_MANAGERS)
def teacher_create(request):
    programme = active_programme(request)
    return _teacher_form(request, programme, None)


@rule(PROGRAMME_MANAGERS)
def teacher_edit(request, pk):
    teacher = get_teacher_for_user(request.user, pk, write=True)
    return _teacher_form(request, teacher.organisation, teacher)


def _teacher_form(request, programme, teacher):
    data = request.POST if request.method == "POST" else None
    form = TeacherForm(data, instance=teacher, organisation=programme)
    availability = AvailabilityFormSet(
        data, initial=availability_initial(teacher), prefix="availability"
    )
    training = TrainingFormSet(data, initial=training_initial(teacher), prefix="training")
    if data is not None and all([form.is_valid(), availability.is_valid(), training.is_valid()]):
        try:
            saved = actions.save_teacher(
                organisation=programme,
                teacher=teacher,
                details=form.details(),
                instruments=form.cleaned_data["instruments"],
                districts=form.cleaned_data["districts"],
                availability=availability.windows(),
                training=training.rows(),
                by=request.user,
            )
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            elif error.field == "availability":
                availability._non_form_errors = availability.error_class([error.message])
            elif error.field == "training":
                training._non_form_errors = training.error_class([error.message])
            else:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("The profile of %(name)s is saved.") % {"name": saved})
            return redirect("programme:teacher_detail", saved.pk)
    invalid = data is not None
    return render(
        request,
        "programme/teacher_form.html",
        {"form": form, "availability": availability, "training": training, "teacher": teacher},
        status=400 if invalid else 200,
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def teacher_link(request, pk):
    teacher = get_teacher_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.link_teacher_account(teacher=teacher, by=request.user),
        done=lambda user: _("Linked to the account of %(email)s.") % {"email": user.email},
        to=("programme:teacher_detail", teacher.pk),
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def teacher_unlink(request, pk):
    teacher = get_teacher_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.unlink_teacher_account(teacher=teacher, by=request.user),
        done=_("The account is no longer linked to this profile."),
        to=("programme:teacher_detail", teacher.pk),
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def teacher_invite(request, pk):
    teacher = get_teacher_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.invite_teacher(teacher=teacher, by=request.user),
        done=lambda invitation: (
            _(
                "Invitation sent to %(email)s. The profile is linked once they have accepted "
                "and open their groups."
            )
            % {"email": invitation.email}
        ),
        to=("programme:teacher_detail", teacher.pk),
    )


# --- A teacher's own groups ---------------------------------------------------------------------


@dataclass
class PupilRow:
    """What a teacher sees of a child: the name and the class, nothing else."""

    pk: int
    name: str
    sort_name: str
    class_name: str = ""
    senior: bool = False


@dataclass
class GroupCard:
    kind: str  # "group" or "ensemble"
    pk: int
    name: str
    school: str
    year_group: int | None
    instrument: str
    day: int | None
    starts_at: object = None
    ends_at: object = None
    venue: str = ""
    pupils: list[PupilRow] = field(default_factory=list)

    @property
    def day_label(self) -> str:
        return str(Weekday(self.day).label) if self.day is not None else ""

    @property
    def url(self) -> str:
        name = "programme:my_group" if self.kind == "group" else "programme:my_ensemble"
        return reverse(name, args=[self.pk])


@dataclass
class DaySection:
    day: int | None
    label: str
    is_today: bool
    cards: list[GroupCard]


def _pupil_rows(pairs, year) -> dict[int, list[PupilRow]]:
    """pairs: (owner id, pupil id, given name, prefix, surname, senior) → rows per owner, with
    the class of the school year (one query)."""
    pupil_ids = {pair[1] for pair in pairs}
    classes = dict(
        ClassPlacement.objects.filter(pupil_id__in=pupil_ids, school_year=year).values_list(
            "pupil_id", "school_class__name"
        )
    )
    rows: dict[int, list[PupilRow]] = {}
    for owner, pupil_id, given, prefix, surname, senior in pairs:
        name = " ".join(p for p in (given, prefix, surname) if p)
        rows.setdefault(owner, []).append(
            PupilRow(
                pk=pupil_id,
                name=name,
                sort_name=f"{surname} {prefix} {given}".lower(),
                class_name=classes.get(pupil_id, ""),
                senior=senior,
            )
        )
    for owner_rows in rows.values():
        owner_rows.sort(key=lambda r: r.sort_name)
    return rows


def _group_cards(groups: QuerySet[LessonGroup], year) -> list[GroupCard]:
    groups = list(groups.select_related("school__organisation", "instrument"))
    members = LessonGroupMember.objects.filter(
        group__in=[g.pk for g in groups], pupil__pseudonymised_at__isnull=True
    ).values_list(
        "group_id", "pupil_id", "pupil__given_name", "pupil__surname_prefix", "pupil__surname"
    )
    pupils = _pupil_rows([(*m, False) for m in members], year)
    days = _music_days({g.school_id for g in groups}, year)
    return [
        GroupCard(
            kind="group",
            pk=g.pk,
            name=g.name,
            school=g.school.organisation.name,
            year_group=g.year_group,
            instrument=g.instrument.name,
            day=days.get(g.school_id, (None,))[0],
            starts_at=days.get(g.school_id, (None, None))[1],
            ends_at=days.get(g.school_id, (None, None, None))[2],
            pupils=pupils.get(g.pk, []),
        )
        for g in groups
    ]


def _ensemble_cards(ensembles: QuerySet[Ensemble], year) -> list[GroupCard]:
    ensembles = list(ensembles.select_related("school__organisation"))
    members = EnsembleMember.objects.filter(
        ensemble__in=[e.pk for e in ensembles],
        status=EnsembleMember.Status.ACTIVE,
        pupil__pseudonymised_at__isnull=True,
    ).values_list(
        "ensemble_id",
        "pupil_id",
        "pupil__given_name",
        "pupil__surname_prefix",
        "pupil__surname",
        "is_senior",
    )
    pupils = _pupil_rows(list(members), year)
    days = _music_days({e.school_id for e in ensembles if e.school_id}, year)
    cards = []
    for e in ensembles:
        school_day = days.get(e.school_id, (None, None, None))
        fixed = e.weekday is not None
        cards.append(
            GroupCard(
                kind="ensemble",
                pk=e.pk,
                name=e.name,
                school=e.school.organisation.name if e.school_id else "",
                year_group=e.year_group,
                instrument="",
                day=e.weekday if fixed else school_day[0],
                starts_at=e.starts_at if fixed else school_day[1],
                ends_at=e.ends_at if fixed else school_day[2],
                venue=e.venue,
                pupils=pupils.get(e.pk, []),
            )
        )
    return cards


def _music_days(school_ids, year) -> dict[int, tuple]:
    """School id → (music day, from, until) in the school year."""
    return {
        school_id: (day, starts, ends)
        for school_id, day, starts, ends in SchoolParticipation.objects.filter(
            school_id__in=school_ids, school_year=year
        ).values_list("school_id", "music_day", "day_starts_at", "day_ends_at")
    }


def _by_day(cards: list[GroupCard], today: date) -> list[DaySection]:
    """Today's groups first, then the coming days of the week; groups without a day last."""
    weekday = today.weekday()

    def ahead(day):
        return 99 if day is None else (day - weekday) % 7

    sections: dict[int | None, DaySection] = {}
    for card in sorted(
        cards, key=lambda c: (ahead(c.day), str(c.starts_at or ""), c.school, c.name)
    ):
        section = sections.get(card.day)
        if section is None:
            if card.day is None:
                label = _("No fixed day")
            elif card.day == weekday:
                label = _("Today, %(day)s") % {"day": Weekday(card.day).label}
            elif ahead(card.day) == 1:
                label = _("Tomorrow, %(day)s") % {"day": Weekday(card.day).label}
            else:
                label = str(Weekday(card.day).label)
            section = sections[card.day] = DaySection(card.day, label, card.day == weekday, [])
        section.cards.append(card)
    return list(sections.values())


@rule(TEACHING)
def my_groups(request):
    """The lesson groups and ensembles of the current school year the user teaches or conducts,
    today's first, with the pupils' names and classes. One audit row for the page."""
    actions.link_pending_profiles(user=request.user)
    year = SchoolYear.objects.current()
    today = timezone.localdate()
    cards: list[GroupCard] = []
    if year is not None:
        cards = _group_cards(my_lesson_groups(request.user).filter(school_year=year), year)
        cards += _ensemble_cards(my_ensembles(request.user).filter(school_year=year), year)
    audit_pupil_list(request.user, [p for card in cards for p in card.pupils])
    return render(
        request,
        "programme/my_groups.html",
        {
            "sections": _by_day(cards, today),
            "today": today,
            "year": year,
            "has_profile": Teacher.objects.filter(user=request.user).exists(),
        },
    )


@rule(TEACHING)
def my_group(request, pk):
    group = get_lesson_group_for_teacher(request.user, pk)
    card = _group_cards(LessonGroup.objects.filter(pk=group.pk), group.school_year)[0]
    return _one_card(request, card, group.school_year)


@rule(TEACHING)
def my_ensemble(request, pk):
    ensemble = get_ensemble_for_teacher(request.user, pk)
    card = _ensemble_cards(Ensemble.objects.filter(pk=ensemble.pk), ensemble.school_year)[0]
    return _one_card(request, card, ensemble.school_year)


def _one_card(request, card: GroupCard, year):
    audit_pupil_list(request.user, card.pupils)
    today = timezone.localdate()
    return render(
        request,
        "programme/teacher_group.html",
        {"card": card, "year": year, "is_today": card.day == today.weekday()},
    )


# --- Menu entries (spread into leerorkest.programme.navigation.ITEMS) ---------------------------

_MANAGERS = frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR})
NAV_ITEMS = [
    NavItem(gettext_lazy("My groups"), "programme:my_groups", frozenset({Role.TEACHER}), order=110),
    NavItem(gettext_lazy("Teachers"), "programme:teacher_list", _MANAGERS, order=150),
    NavItem(gettext_lazy("Partners"), "programme:partner_list", _MANAGERS, order=160),
    NavItem(gettext_lazy("Events"), "programme:event_list", _MANAGERS, order=170),
]
