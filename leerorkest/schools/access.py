"""Access helpers for schools and pupils (one door each; 404 outside the user's reach).

Every read of a pupil record through `get_pupil_for_user` writes an audit row (target A7);
lists of pupils write one row per page shown (see `audit_pupil_list`).
"""

from django.db.models import Q
from django.http import Http404

from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.schools.models import Pupil, School


def schools_for_user(user, *, write: bool = False):
    """Schools the user may see: their programmes' schools, or their own school as contact.

    With write: only schools of programmes the user manages.
    """
    organisations = Organisation.objects.for_user(user, write=write)
    # Members of a programme (teachers too) see its schools; a school contact sees their own.
    queryset = School.objects.filter(
        Q(organisation__in=organisations) | Q(organisation__parent__in=organisations)
    )
    return queryset.select_related("organisation", "neighbourhood__district").distinct()


def get_school_for_user(user, pk, *, write: bool = False) -> School:
    try:
        return schools_for_user(user, write=write).get(pk=pk)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_pupil_for_user(user, pk, *, write: bool = False, action: str = "pupil.view") -> Pupil:
    """The pupil, if the user may see it (with write: change it, parents' data included).

    Writes one audit row for the read; pass `action` to name it (e.g. "pupil.export").
    """
    queryset = Pupil.objects.managed_by(user) if write else Pupil.objects.for_user(user)
    try:
        pupil = queryset.select_related("organisation").get(pk=pk)
    except (Pupil.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    audit(actor=user, action=action, obj=pupil)
    return pupil


def can_see_parent_contact(user, pupil: Pupil) -> bool:
    """Parents' contact data is for the programme's coordinators only (target A3)."""
    return Pupil.objects.managed_by(user).filter(pk=pupil.pk).exists()


def audit_pupil_list(user, pupils, *, action: str = "pupil.list") -> None:
    """Record that a list showed these pupils: one row naming their ids, not one per pupil,
    in the organisation of the first (lists never mix programmes), so it shows in the
    programme's audit trail."""
    pupils = list(pupils)
    ids = [p.pk for p in pupils]
    if not ids:
        return
    first = pupils[0]
    organisation_id = getattr(first, "organisation_id", None)
    if organisation_id is None:  # rows of a report rather than Pupil objects
        organisation_id = (
            Pupil.objects.filter(pk=ids[0]).values_list("organisation_id", flat=True).first()
        )
    audit(actor=user, action=action, organisation=organisation_id, pupil_ids=ids)
