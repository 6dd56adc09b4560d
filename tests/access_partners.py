"""A2 builders for the partner and event pages, and the data builders their tests share."""

from datetime import date, timedelta

from django.utils import timezone

from leerorkest.programme.actions_events import create_event
from leerorkest.programme.models import Agreement, Event, Partner, PartnerContact


def build_partner(programme, *, name: str = "Muziekgebouw", kind=Partner.Kind.VENUE, **fields):
    return Partner.objects.create(organisation=programme, name=name, kind=kind, **fields)


def build_contact(partner, *, name: str = "Anna de Vries"):
    return PartnerContact.objects.create(partner=partner, name=name, email="anna@test.example")


def build_agreement(partner, *, title: str = "Zaalhuur kerstconcert"):
    return Agreement.objects.create(
        partner=partner, title=title, starts_on=date(2026, 9, 1), notes="Twee keer per jaar."
    )


def build_event(programme, *, by, ensembles=(), days: int = 14, title: str = "Kerstconcert"):
    """An event `days` from now (negative: in the past), with the default checklist."""
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return create_event(
        organisation=programme,
        details={
            "title": title,
            "kind": Event.Kind.CONCERT,
            "venue": "Muziekgebouw",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
        },
        ensembles=ensembles,
        by=by,
    )


def _partner(p):
    return "get", {"pk": build_partner(p.organisation).pk}


def _contact(method):
    return lambda p: (method, {"pk": build_contact(build_partner(p.organisation)).pk})


def _agreement(method):
    return lambda p: (method, {"pk": build_agreement(build_partner(p.organisation)).pk})


def _event(method):
    return lambda p: (method, {"pk": build_event(p.organisation, by=p.owner).pk})


def _task(p):
    return "post", {"pk": build_event(p.organisation, by=p.owner).tasks.first().pk}


OBJECT_URLS = {
    "programme:partner_detail": _partner,
    "programme:partner_edit": _partner,
    "programme:partner_contact_add": _partner,
    "programme:partner_agreement_add": _partner,
    "programme:partner_contact_edit": _contact("get"),
    "programme:partner_contact_remove": _contact("post"),
    "programme:partner_agreement_edit": _agreement("get"),
    "programme:partner_agreement_remove": _agreement("post"),
    "programme:event_detail": _event("get"),
    "programme:event_edit": _event("get"),
    "programme:event_no_consent": _event("get"),
    "programme:event_task_add": _event("post"),
    "programme:event_task_toggle": _task,
    "programme:event_task_remove": _task,
}
