"""The demo step on a small world: the example line, one programme, two orchestras."""

import random
from types import SimpleNamespace

from leerorkest.curriculum.models import LearningLine
from leerorkest.demo.curriculum import build_example_line
from leerorkest.demo.repertoire import PIECES, step_repertoire
from leerorkest.repertoire.finder import find_repertoire
from leerorkest.repertoire.models import Part, Performance, Piece
from tests.access_teachers import build_ensemble, current_year


def _demo(personas, seed=7):
    return SimpleNamespace(
        organisations={"programme": personas.organisation},
        years=[current_year()],
        rng=random.Random(seed),
    )


def test_the_step_grades_fifty_pieces_on_the_example_line(personas):
    line = build_example_line(personas.organisation, by=personas.owner)
    ensembles = [build_ensemble(personas.organisation, players=2) for _n in range(2)]
    step_repertoire(_demo(personas))
    assert Piece.objects.count() == len(PIECES) >= 50
    assert not Part.objects.exclude(milestone__line=line).exists()
    assert all(
        part.milestone.instrument_id == part.instrument_id
        for part in Part.objects.select_related("milestone")
    )
    assert Piece.objects.filter(title="Danse du Grand Calumet de la Paix").exists()
    assert Performance.objects.filter(ensemble__in=ensembles).count() == 3
    finding = find_repertoire(ensembles[0], by=personas.owner)
    assert len(finding.pieces) == len(PIECES)


def test_the_step_skips_grading_without_an_example_line(personas):
    LearningLine.objects.filter(is_example=True).delete()
    step_repertoire(_demo(personas))
    assert not Piece.objects.exists()
