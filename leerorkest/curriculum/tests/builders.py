"""Data builders for the learning line tests."""

from leerorkest.curriculum import actions
from leerorkest.curriculum.models import GoalKind, LearningLine, Visibility
from leerorkest.testing import instrument


def build_line(
    programme,
    by,
    *,
    name: str = "Leerlijn",
    publish: bool = True,
    visibility: str = Visibility.PRIVATE,
    year_groups=(5,),
    instruments=("violin",),
    stages: int = 3,
) -> LearningLine:
    """A line with three goals per groep (one of each kind) and `stages` milestones per
    instrument; published unless told otherwise."""
    line = actions.create_line(organisation=programme, name=name, by=by, visibility=visibility)
    for year_group in year_groups:
        for number, kind in enumerate(GoalKind.values, start=1):
            actions.add_goal(
                line=line,
                year_group=year_group,
                kind=kind,
                code=f"{kind[0].upper()}{year_group}.{number}",
                text=f"Goal {number} of groep {year_group}",
                by=by,
            )
    for code in instruments:
        for stage in range(1, stages + 1):
            actions.add_milestone(
                line=line, instrument=instrument(code), notes=f"notes {stage}", by=by
            )
    if publish:
        actions.publish_line(line=line, by=by)
    return line
