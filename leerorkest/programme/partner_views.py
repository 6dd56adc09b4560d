"""Partner organisations with their contacts and agreements; events with their checklists."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.forms_flow import put_error_on_form, save_or_show
from leerorkest.programme import actions_events as actions
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGERS,
    active_programme,
    get_agreement_for_user,
    get_event_for_user,
    get_event_task_for_user,
    get_partner_contact_for_user,
    get_partner_for_user,
)
from leerorkest.programme.forms_events import (
    AgreementForm,
    EventForm,
    EventTaskForm,
    PartnerContactForm,
    PartnerForm,
)
from leerorkest.programme.models import Ensemble, EnsembleMember, Event, Partner
from leerorkest.schools.access import audit_pupil_list
from leerorkest.schools.models import ClassPlacement, Consent, ConsentPurpose, SchoolYear

PAGE_SIZE = 50


# --- Partners -----------------------------------------------------------------------------------

PARTNER_SORTS = {
    "name": ("name", "pk"),
    "kind": ("kind", "name"),
    "city": ("city", "name"),
}


@rule(PROGRAMME_MANAGERS)
def partner_list(request):
    programme = active_programme(request)
    today = timezone.localdate()
    partners = Partner.objects.filter(organisation=programme).annotate(
        contact_count=Count("contacts", distinct=True),
        current_agreements=Count(
            "agreements",
            filter=Q(agreements__starts_on__lte=today)
            & (Q(agreements__ends_on__isnull=True) | Q(agreements__ends_on__gte=today)),
            distinct=True,
        ),
    )
    query = request.GET.get("q", "").strip()
    if query:
        partners = partners.filter(
            Q(name__icontains=query) | Q(city__icontains=query) | Q(contacts__name__icontains=query)
        ).distinct()
    kind = request.GET.get("kind", "")
    if kind in Partner.Kind.values:
        partners = partners.filter(kind=kind)
    sort = request.GET.get("sort", "name")
    if sort not in PARTNER_SORTS:
        sort = "name"
    page = Paginator(partners.order_by(*PARTNER_SORTS[sort]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "programme/partner_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": Partner.Kind.choices,
            "sort": sort,
            "sorts": [("name", _("Name")), ("kind", _("Type")), ("city", _("City"))],
        },
    )


@rule(PROGRAMME_MANAGERS)
def partner_detail(request, pk):
    partner = get_partner_for_user(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "programme/partner_detail.html",
        {
            "partner": partner,
            "contacts": partner.contacts.all(),
            "agreements": partner.agreements.all(),
            "today": today,
            "events": partner.events.filter(ends_at__gte=timezone.now()).order_by("starts_at")[:10],
        },
    )


@rule(PROGRAMME_MANAGERS)
def partner_create(request):
    programme = active_programme(request)
    return save_or_show(
        request,
        PartnerForm(request.POST or None),
        save=lambda details: actions.save_partner(
            organisation=programme, details=details, by=request.user
        ),
        saved=_("Partner added."),
        to=lambda partner: _to_partner(partner.pk),
        show=lambda form, status: _form_page(
            request, form, _("New partner"), back=None, status=status
        ),
    )


@rule(PROGRAMME_MANAGERS)
def partner_edit(request, pk):
    partner = get_partner_for_user(request.user, pk, write=True)
    return save_or_show(
        request,
        PartnerForm(request.POST or None, instance=partner),
        save=lambda details: actions.save_partner(
            organisation=partner.organisation, partner=partner, details=details, by=request.user
        ),
        saved=_("Partner saved."),
        to=_to_partner(partner.pk),
        show=lambda form, status: _form_page(
            request, form, _("Edit %(name)s") % {"name": partner.name}, back=partner, status=status
        ),
    )


def _form_page(request, form, title, *, back, status, submit=None):
    return render(
        request,
        "programme/partner_form.html",
        {"form": form, "title": title, "back": back, "submit": submit or _("Save")},
        status=status,
    )


def _to_partner(partner_id: int):
    return ("programme:partner_detail", partner_id)


def _save_or_show(request, form, *, save, saved: str, partner_id: int, title: str, back):
    """The shared flow of the contact and agreement forms: save through the action and go back
    to the partner, or show the form with the refusal next to its field."""
    return save_or_show(
        request,
        form,
        save=save,
        saved=saved,
        to=_to_partner(partner_id),
        show=lambda form, status: _form_page(request, form, title, back=back, status=status),
    )


@rule(PROGRAMME_MANAGERS)
def partner_contact_add(request, pk):
    partner = get_partner_for_user(request.user, pk, write=True)
    return _save_or_show(
        request,
        PartnerContactForm(request.POST or None),
        save=lambda details: actions.save_partner_contact(
            partner=partner, details=details, by=request.user
        ),
        saved=_("Contact person added."),
        partner_id=partner.pk,
        title=_("New contact person at %(name)s") % {"name": partner.name},
        back=partner,
    )


@rule(PROGRAMME_MANAGERS)
def partner_contact_edit(request, pk):
    contact = get_partner_contact_for_user(request.user, pk, write=True)
    return _save_or_show(
        request,
        PartnerContactForm(request.POST or None, instance=contact),
        save=lambda details: actions.save_partner_contact(
            partner=contact.partner, contact=contact, details=details, by=request.user
        ),
        saved=_("Contact person saved."),
        partner_id=contact.partner_id,
        title=_("Edit %(name)s") % {"name": contact.name},
        back=contact.partner,
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def partner_contact_remove(request, pk):
    contact = get_partner_contact_for_user(request.user, pk, write=True)
    partner_id = contact.partner_id
    actions.remove_partner_contact(contact=contact, by=request.user)
    messages.success(request, _("Contact person removed."))
    return redirect("programme:partner_detail", partner_id)


@rule(PROGRAMME_MANAGERS)
def partner_agreement_add(request, pk):
    partner = get_partner_for_user(request.user, pk, write=True)
    return _save_or_show(
        request,
        AgreementForm(request.POST or None),
        save=lambda details: actions.save_agreement(
            partner=partner, details=details, by=request.user
        ),
        saved=_("Agreement recorded."),
        partner_id=partner.pk,
        title=_("New agreement with %(name)s") % {"name": partner.name},
        back=partner,
    )


@rule(PROGRAMME_MANAGERS)
def partner_agreement_edit(request, pk):
    agreement = get_agreement_for_user(request.user, pk, write=True)
    return _save_or_show(
        request,
        AgreementForm(request.POST or None, instance=agreement),
        save=lambda details: actions.save_agreement(
            partner=agreement.partner, agreement=agreement, details=details, by=request.user
        ),
        saved=_("Agreement saved."),
        partner_id=agreement.partner_id,
        title=_("Edit %(title)s") % {"title": agreement.title},
        back=agreement.partner,
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def partner_agreement_remove(request, pk):
    agreement = get_agreement_for_user(request.user, pk, write=True)
    partner_id = agreement.partner_id
    actions.remove_agreement(agreement=agreement, by=request.user)
    messages.success(request, _("Agreement removed."))
    return redirect("programme:partner_detail", partner_id)


# --- Events -------------------------------------------------------------------------------------

PERIODS = [
    ("upcoming", gettext_lazy("Upcoming")),
    ("30d", gettext_lazy("Next 30 days")),
    ("year", gettext_lazy("This school year")),
    ("past", gettext_lazy("Past")),
    ("all", gettext_lazy("All")),
]


@rule(PROGRAMME_MANAGERS)
def event_list(request):
    """Upcoming events first (soonest on top), past ones after them (latest on top)."""
    programme = active_programme(request)
    now = timezone.now()
    events = (
        Event.objects.filter(organisation=programme)
        .select_related("partner")
        .prefetch_related(Prefetch("ensembles", queryset=Ensemble.objects.order_by("name")))
        .annotate(
            task_count=Count("tasks", distinct=True),
            tasks_done=Count("tasks", filter=Q(tasks__done=True), distinct=True),
            is_past=Case(
                When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
    )
    query = request.GET.get("q", "").strip()
    if query:
        events = events.filter(
            Q(title__icontains=query)
            | Q(venue__icontains=query)
            | Q(partner__name__icontains=query)
        )
    kind = request.GET.get("kind", "")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    period = request.GET.get("period", "upcoming")
    if period not in dict(PERIODS):
        period = "upcoming"
    if period == "upcoming":
        events = events.filter(ends_at__gte=now)
    elif period == "30d":
        events = events.filter(ends_at__gte=now, starts_at__lte=now + timedelta(days=30))
    elif period == "past":
        events = events.filter(ends_at__lt=now)
    elif period == "year":
        year = SchoolYear.objects.current()
        if year is not None:
            events = events.filter(
                starts_at__date__gte=year.starts_on, starts_at__date__lte=year.ends_on
            )
    events = events.order_by(
        "is_past",
        Case(When(is_past=0, then=F("starts_at"))).asc(nulls_last=True),
        Case(When(is_past=1, then=F("starts_at"))).desc(nulls_last=True),
        "pk",
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "programme/event_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": Event.Kind.choices,
            "period": period,
            "periods": PERIODS,
        },
    )


@rule(PROGRAMME_MANAGERS)
def event_detail(request, pk):
    event = get_event_for_user(request.user, pk)
    return render(request, "programme/event_detail.html", _event_context(event))


def _event_context(event, task_form=None) -> dict:
    ensembles = (
        event.ensembles.select_related("school__organisation", "conductor")
        .annotate(
            player_count=Count("members", filter=Q(members__status=EnsembleMember.Status.ACTIVE))
        )
        .order_by("kind", "name")
    )
    return {
        "event": event,
        "ensembles": ensembles,
        "tasks": event.tasks.all(),
        "task_form": task_form or EventTaskForm(),
    }


@rule(PROGRAMME_MANAGERS)
def event_create(request):
    programme = active_programme(request)
    form = EventForm(request.POST or None, organisation=programme)
    return save_or_show(
        request,
        form,
        save=lambda data: actions.create_event(
            organisation=programme,
            details=form.details(),
            ensembles=data["ensembles"],
            by=request.user,
        ),
        saved=_("Event planned, with a checklist to start from."),
        to=lambda event: ("programme:event_detail", event.pk),
        show=lambda form, status: _event_form(request, form, None, status),
    )


@rule(PROGRAMME_MANAGERS)
def event_edit(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event, organisation=event.organisation)
    return save_or_show(
        request,
        form,
        save=lambda data: actions.update_event(
            event=event, details=form.details(), ensembles=data["ensembles"], by=request.user
        ),
        saved=_("Event saved."),
        to=("programme:event_detail", event.pk),
        show=lambda form, status: _event_form(request, form, event, status),
    )


def _event_form(request, form, event, status):
    return render(
        request, "programme/event_form.html", {"form": form, "event": event}, status=status
    )


def _checklist_response(request, event, task_form=None):
    """htmx gets the checklist alone; a plain form post goes back to the event page, or shows it
    again with the message next to the field. (200 with errors: htmx swaps no 4xx answers.)"""
    if request.htmx:
        return render(
            request, "programme/event_detail.html#checklist", _event_context(event, task_form)
        )
    if task_form is not None and task_form.errors:
        return render(request, "programme/event_detail.html", _event_context(event, task_form))
    return redirect("programme:event_detail", event.pk)


@require_POST
@rule(PROGRAMME_MANAGERS)
def event_task_add(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    form = EventTaskForm(request.POST)
    if form.is_valid():
        try:
            actions.add_event_task(event=event, label=form.cleaned_data["label"], by=request.user)
        except DomainError as error:
            put_error_on_form(form, error)
        else:
            form = None
    return _checklist_response(request, event, form)


@require_POST
@rule(PROGRAMME_MANAGERS)
def event_task_toggle(request, pk):
    task = get_event_task_for_user(request.user, pk, write=True)
    done = request.POST.get("done", "")
    if done not in ("0", "1"):
        # Without a value (an old form), flip it.
        done = "0" if task.done else "1"
    actions.set_event_task_done(task=task, done=done == "1", by=request.user)
    return _checklist_response(request, task.event)


@require_POST
@rule(PROGRAMME_MANAGERS)
def event_task_remove(request, pk):
    task = get_event_task_for_user(request.user, pk, write=True)
    event = task.event
    actions.remove_event_task(task=task, by=request.user)
    return _checklist_response(request, event)


@dataclass
class ChildRow:
    """A participating child without photo/video consent, as the organiser needs to see them."""

    pk: int
    name: str
    sort_name: str
    class_name: str = ""
    school: str = ""
    ensembles: list[str] = field(default_factory=list)


def children_without_photo_consent(event: Event) -> list[ChildRow]:
    """Active members of the event's ensembles whose newest photo/video decision is not yes.

    Queries do not grow with the number of children: members, consents, placements.
    """
    members = EnsembleMember.objects.filter(
        ensemble__in=event.ensembles.all(),
        ensemble__organisation=event.organisation,
        status=EnsembleMember.Status.ACTIVE,
        pupil__pseudonymised_at__isnull=True,
    ).values_list(
        "pupil_id",
        "pupil__given_name",
        "pupil__surname_prefix",
        "pupil__surname",
        "ensemble__name",
    )
    rows: dict[int, ChildRow] = {}
    for pupil_id, given, prefix, surname, ensemble in members:
        row = rows.get(pupil_id)
        if row is None:
            row = rows[pupil_id] = ChildRow(
                pk=pupil_id,
                name=" ".join(p for p in (given, prefix, surname) if p),
                sort_name=f"{surname} {prefix} {given}".lower(),
            )
        if ensemble not in row.ensembles:
            row.ensembles.append(ensemble)
    consenting = Consent.objects.consenting_pupil_ids(ConsentPurpose.PHOTO_VIDEO, list(rows))
    without = {pk: row for pk, row in rows.items() if pk not in consenting}
    day = timezone.localtime(event.starts_at).date()
    year = SchoolYear.objects.containing(day) or SchoolYear.objects.current()
    if year is not None and without:
        for pupil_id, class_name, school in ClassPlacement.objects.filter(
            pupil_id__in=list(without), school_year=year
        ).values_list("pupil_id", "school_class__name", "school_class__school__organisation__name"):
            without[pupil_id].class_name = class_name
            without[pupil_id].school = school
    return sorted(without.values(), key=lambda r: (r.sort_name, r.pk))


@rule(PROGRAMME_MANAGERS)
def event_no_consent(request, pk):
    """For the organiser: who must stay out of photos and video. Opening it is a pupil read."""
    event = get_event_for_user(request.user, pk)
    children = children_without_photo_consent(event)
    audit_pupil_list(request.user, children, action="pupil.list_no_photo_consent")
    return render(
        request,
        "programme/event_no_consent.html",
        {"event": event, "children": children, "printed_at": timezone.now()},
    )
