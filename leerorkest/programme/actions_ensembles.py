"""Ensembles: school orchestras per year group, neighbourhood talent orchestras with a waiting
list, and the secondary follow-up that groep 8 leavers are invited to."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.programme.models import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    LessonGroupMember,
    Sectional,
)
from leerorkest.schools.models import Pupil, School, SchoolParticipation, SchoolYear

Status = EnsembleMember.Status


def _active_count(ensemble: Ensemble) -> int:
    return ensemble.members.filter(status=Status.ACTIVE).count()


@transaction.atomic
def enrol(*, ensemble: Ensemble, pupil: Pupil, by) -> EnsembleMember:
    """Add a pupil: playing when there is a place, otherwise on the waiting list.

    A secondary-school pupil (left the primary programme) joins as a senior. Refuses pupils of
    another programme and pupils already enrolled.
    """
    ensemble = Ensemble.objects.select_for_update().get(pk=ensemble.pk)
    if pupil.organisation_id != ensemble.organisation_id:
        raise DomainError(_("This pupil belongs to another programme."))
    full = ensemble.capacity is not None and _active_count(ensemble) >= ensemble.capacity
    instrument_id = (
        LessonGroupMember.objects.filter(pupil=pupil, school_year=ensemble.school_year)
        .values_list("group__instrument_id", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            member = EnsembleMember.objects.create(
                ensemble=ensemble,
                pupil=pupil,
                status=Status.WAITING if full else Status.ACTIVE,
                is_senior=pupil.left_on is not None,
                instrument_id=instrument_id,
            )
    except IntegrityError:
        raise DomainError(_("%(pupil)s is already in this ensemble.") % {"pupil": pupil}) from None
    audit(actor=by, action="ensemble.enrol", obj=ensemble, pupil=pupil.pk, status=member.status)
    return member


@transaction.atomic
def leave(*, member: EnsembleMember, by) -> EnsembleMember | None:
    """A member stops. When that frees a place, the longest-waiting child moves up; returns
    that member (or None)."""
    ensemble = Ensemble.objects.select_for_update().get(pk=member.ensemble_id)
    was_active = member.status == Status.ACTIVE
    member.status = Status.LEFT
    member.save(update_fields=["status"])
    audit(actor=by, action="ensemble.leave", obj=ensemble, pupil=member.pupil_id)
    if not was_active:
        return None
    return _promote(ensemble, by)


def _promote(ensemble: Ensemble, by) -> EnsembleMember | None:
    if ensemble.capacity is not None and _active_count(ensemble) >= ensemble.capacity:
        return None
    waiting = ensemble.members.filter(status=Status.WAITING).order_by("since", "pk").first()
    if waiting is None:
        return None
    waiting.status = Status.ACTIVE
    waiting.save(update_fields=["status"])
    audit(actor=by, action="ensemble.promote", obj=ensemble, pupil=waiting.pupil_id)
    return waiting


@transaction.atomic
def respond_to_invitation(*, member: EnsembleMember, accept: bool, by) -> EnsembleMember:
    """An invited leaver says yes (playing, or waiting when full) or no (left)."""
    if member.status != Status.INVITED:
        raise DomainError(_("Only an invitation can be accepted or declined."))
    ensemble = Ensemble.objects.select_for_update().get(pk=member.ensemble_id)
    if not accept:
        member.status = Status.LEFT
    elif ensemble.capacity is not None and _active_count(ensemble) >= ensemble.capacity:
        member.status = Status.WAITING
    else:
        member.status = Status.ACTIVE
    member.since = timezone.now()
    member.save(update_fields=["status", "since"])
    audit(
        actor=by,
        action="ensemble.respond",
        obj=ensemble,
        pupil=member.pupil_id,
        status=member.status,
    )
    return member


@transaction.atomic
def invite_leavers(*, ensemble: Ensemble, from_year: SchoolYear, by) -> int:
    """Invite the groep 8 leavers of `from_year` of the ensemble's programme to a secondary
    follow-up; children already invited or playing are left alone. Returns how many."""
    if ensemble.kind != EnsembleKind.SECONDARY:
        raise DomainError(_("Only a secondary follow-up invites groep 8 leavers."))
    already = ensemble.members.values("pupil_id")
    leavers = (
        Pupil.objects.filter(
            organisation=ensemble.organisation,
            placements__school_year=from_year,
            placements__school_class__year_group=8,
            pseudonymised_at__isnull=True,
        )
        .exclude(pk__in=already)
        .distinct()
    )
    created = EnsembleMember.objects.bulk_create(
        [
            EnsembleMember(ensemble=ensemble, pupil=p, status=Status.INVITED, is_senior=True)
            for p in leavers
        ]
    )
    audit(actor=by, action="ensemble.invite_leavers", obj=ensemble, count=len(created))
    return len(created)


@transaction.atomic
def form_school_orchestras(*, school: School, school_year: SchoolYear, by) -> list[Ensemble]:
    """One orchestra per taking-part year group from groep 5, its players the children of that
    groep's lesson groups. Existing orchestras keep their conductor and members; new players
    are added."""
    participation = SchoolParticipation.objects.filter(
        school=school, school_year=school_year
    ).first()
    year_groups = [g for g in (participation.year_groups if participation else []) if g >= 5]
    if not year_groups:
        raise DomainError(_("The school takes part with no year group from groep 5 this year."))
    orchestras = []
    for year_group in year_groups:
        orchestra, _created = Ensemble.objects.get_or_create(
            kind=EnsembleKind.SCHOOL_ORCHESTRA,
            school=school,
            school_year=school_year,
            year_group=year_group,
            defaults={
                "organisation": school.organisation.parent,
                "name": _("Leerorkest %(school)s groep %(groep)s")
                % {"school": school.organisation.name, "groep": year_group},
                "venue": school.organisation.name,
            },
        )
        players = LessonGroupMember.objects.filter(
            group__school=school, school_year=school_year, group__year_group=year_group
        ).exclude(pupil_id__in=orchestra.members.values("pupil_id"))
        EnsembleMember.objects.bulk_create(
            [
                EnsembleMember(
                    ensemble=orchestra, pupil_id=m.pupil_id, instrument_id=m.group.instrument_id
                )
                for m in players.select_related("group")
            ]
        )
        orchestras.append(orchestra)
    audit(
        actor=by,
        action="ensemble.form_school_orchestras",
        obj=school.organisation,
        school_year=str(school_year),
        count=len(orchestras),
    )
    return orchestras


@transaction.atomic
def save_sectional(*, ensemble: Ensemble, form, by) -> Sectional:
    """Create or change a sectional of a school orchestra from a valid `SectionalForm`; the
    next timetable plans it."""
    if ensemble.kind != EnsembleKind.SCHOOL_ORCHESTRA:
        raise DomainError(_("Only a school orchestra has sectionals."))
    creating = form.instance.pk is None
    sectional = form.save(commit=False)
    sectional.ensemble = ensemble
    sectional.save()
    form.save_m2m()
    audit(
        actor=by,
        action="sectional.create" if creating else "sectional.change",
        obj=sectional,
        ensemble=ensemble.pk,
        instruments=sorted(i.code for i in sectional.instruments.all()),
        minutes=sectional.minutes,
    )
    return sectional


@transaction.atomic
def delete_sectional(*, sectional: Sectional, by) -> None:
    """Remove a sectional: the next timetable no longer plans it. Timetables made before keep
    its lessons under its name, and their registers keep who was marked."""
    audit(actor=by, action="sectional.delete", obj=sectional, ensemble=sectional.ensemble_id)
    sectional.delete()
