"""Access helpers for the learning line (one door each; 404 outside the user's reach).

Reading: anyone reads shared published lines (the knowledge site links to them); members of an
organisation also read its own lines, drafts included. Writing: the coordinators of the owner.
Progress: the teacher of a lesson group and the programme's coordinators (see
`leerorkest.programme.access_programme.get_lesson_group_for_teacher`).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from leerorkest.accounts.audit import audit
from leerorkest.curriculum.models import LearningGoal, LearningLine, Milestone
from leerorkest.programme.access_programme import managed_programmes, my_lesson_groups
from leerorkest.schools.models import Pupil


def lines_for_user(user, *, write: bool = False) -> QuerySet[LearningLine]:
    if write:
        return LearningLine.objects.filter(organisation__in=managed_programmes(user))
    return LearningLine.objects.for_user(user)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_line_for_user(user, pk, *, write: bool = False) -> LearningLine:
    return _get(lines_for_user(user, write=write).select_related("organisation", "based_on"), pk)


def get_goal_for_user(user, pk, *, write: bool = False) -> LearningGoal:
    queryset = LearningGoal.objects.filter(line__in=lines_for_user(user, write=write))
    return _get(queryset.select_related("line__organisation"), pk)


def get_milestone_for_user(user, pk, *, write: bool = False) -> Milestone:
    queryset = Milestone.objects.filter(line__in=lines_for_user(user, write=write))
    return _get(queryset.select_related("line__organisation", "instrument"), pk)


def progress_pupils_for_user(user) -> QuerySet[Pupil]:
    """Pupils whose progress the user may read: every pupil of a programme they coordinate, and
    the pupils of the lesson groups they teach (this year or before)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Pupil.objects.none()
    taught = my_lesson_groups(user).values("pupils")
    return Pupil.objects.filter(
        Q(organisation__in=managed_programmes(user)) | Q(pk__in=taught),
        pseudonymised_at__isnull=True,
    )


def get_progress_pupil_for_user(user, pk, *, action: str = "progress.view") -> Pupil:
    """A pupil whose progress the user may read; the read is audited."""
    pupil = _get(progress_pupils_for_user(user).select_related("organisation"), pk)
    audit(actor=user, action=action, obj=pupil)
    return pupil
