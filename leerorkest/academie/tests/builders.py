"""Builders for the Academie tests."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from leerorkest.academie.models import AcademieWorkshop, Registration, RegistrationStatus

_counter = itertools.count(1)


def make_workshop(organisation, *, days: int = 14, capacity: int = 10, **fields):
    """A workshop `days` from now (negative: in the past), two and a half hours long."""
    starts = fields.pop("starts_at", timezone.now() + timedelta(days=days))
    return AcademieWorkshop.objects.create(
        organisation=organisation,
        title=fields.pop("title", f"Orkestspel {next(_counter)}"),
        place=fields.pop("place", "Muziekcentrum Zuidoost"),
        starts_at=starts,
        ends_at=fields.pop("ends_at", starts + timedelta(hours=2, minutes=30)),
        capacity=capacity,
        hours=fields.pop("hours", Decimal("2.5")),
        **fields,
    )


def make_registration(workshop, user, status=RegistrationStatus.REGISTERED, **fields):
    return Registration.objects.create(workshop=workshop, user=user, status=status, **fields)
