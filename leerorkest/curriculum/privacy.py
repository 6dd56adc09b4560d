"""The learning line's entries in the processing register and its section of the subject-access
export, added from CurriculumConfig.ready so neither the register nor the export needs to know us.
"""

from django.utils.translation import gettext_lazy as _


def progress_rows(pupil) -> list[dict]:
    """Every progress record of the pupil with its goal statuses (subject-access export)."""
    from leerorkest.curriculum.models import ProgressRecord

    records = (
        ProgressRecord.objects.filter(pupil=pupil)
        .select_related("school_year", "instrument", "milestone", "lesson_group")
        .prefetch_related("goals__goal")
        .order_by("school_year__starts_on", "term", "instrument__sort_order", "pk")
    )
    erased = pupil.pseudonymised_at is not None
    return [
        {
            "school_year": str(r.school_year),
            "term": r.term,
            "instrument": r.instrument.code,
            "group": r.lesson_group.name if r.lesson_group else None,
            "milestone": r.milestone.name if r.milestone else None,
            "milestone_notes": r.milestone.notes if r.milestone else None,
            "goals": {s.goal.code: s.status for s in r.goals.all()},
            # Free text may name the child: left out after erasure.
            "note": None if erased else r.note,
            "recorded_at": r.recorded_at.isoformat(timespec="seconds"),
        }
        for r in records
    ]


def declare() -> None:
    from leerorkest.privacy import export, register

    declarations = [
        register.Declaration(
            "curriculum.ProgressRecord",
            _(
                "Where a pupil stands on the learning line each term: the milestone reached on "
                "their instrument, a short note by the teacher, who recorded it and when. For "
                "the lessons, the report to parents and (counted, without names) the "
                "programme's figures."
            ),
            register.PUPIL_BASIS,
            register.PUPIL_RETENTION,
            _("The programme's coordinators and the pupil's teachers; parents through the report."),
        ),
        register.Declaration(
            "curriculum.GoalStatus",
            _("Per term and learning goal: mastered, developing or not yet."),
            register.PUPIL_BASIS,
            register.PUPIL_RETENTION,
            _("The programme's coordinators and the pupil's teachers; parents through the report."),
        ),
    ]
    known = register.declared_models()
    register.DECLARATIONS.extend(d for d in declarations if d.model not in known)
    register.NOT_PERSONAL.setdefault("curriculum.LearningLine", "name of a learning line")
    register.NOT_PERSONAL.setdefault("curriculum.Milestone", "name of a milestone (ijkpunt)")
    export.register_section(
        export.Section(
            "learning_progress",
            _("Progress on the learning line"),
            ("curriculum.ProgressRecord", "curriculum.GoalStatus"),
            progress_rows,
        )
    )
