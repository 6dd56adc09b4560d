"""B1 for the learning line, the repertoire, the knowledge site and the Academie, called as a
programme's coordinator (who reads all four and writes drafts, pieces and registrations), and
with fewer examples as an anonymous caller, a teacher of that programme and the coordinator of
another programme.

The world gives every operation something to find: the coordinator's draft line (goals and
milestones to change), a shared published line of another programme, the programme's own
published line with pieces and parts, an ensemble whose players have an instrument and a stage,
published materials with a file, and Academie workshops (open, full, open to all, past). Rows
are few, so a hook folds half of the ids, slugs and codes the fuzzer draws onto real ones (the
other half stay as drawn: unknown, negative, huge).
"""

import pytest

from tests.fuzzing import connection_kept_open, run, schema, settings

# Filled by the world fixture: real values per parameter name (path, query or body field).
KNOWN: dict[str, list] = {}

LEARNING_LINES = r"^/(learning-lines|learning-goals|milestones)"
REPERTOIRE = r"^/repertoire/"
KNOWLEDGE = r"^/knowledge/"
ACADEMIE = r"^/academie/"
ALL = "|".join((LEARNING_LINES, REPERTOIRE, KNOWLEDGE, ACADEMIE))

# The other callers meet mostly refusals: 25 generated examples an operation, without the
# coverage cases (the coordinator's run sends those), keep the suite's time in check.
OTHER_CALLER_EXAMPLES = 25


def _known(name: str, value):
    """An even draw picks a real value (the same draw, the same one); an odd one stays."""
    real = KNOWN.get(name)
    if not real:
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        return value
    number = value if isinstance(value, int) else len(value)
    if number < 0 or number % 2:
        return value
    return real[number // 2 % len(real)]


def _fold(values):
    if isinstance(values, dict):
        for name in KNOWN.keys() & values.keys():
            values[name] = _known(name, values[name])


def map_case(ctx, case):
    for values in (case.path_parameters, case.query, case.body):
        _fold(values)
    return case


def _learning_lines(programme, coordinator, elsewhere, elsewhere_coordinator):
    from leerorkest.curriculum.models import Visibility
    from leerorkest.curriculum.tests.builders import build_line

    draft = build_line(
        programme, coordinator, name="Concept", publish=False, year_groups=(5, 6), stages=2
    )
    shared = build_line(
        elsewhere,
        elsewhere_coordinator,
        name="Gedeeld",
        visibility=Visibility.SHARED,
        instruments=("violin", "cello"),
    )
    return draft, shared


def _repertoire(programme, elsewhere):
    from leerorkest.repertoire.tests.builders import build_line, build_piece, build_players, place

    line = build_line(programme, stages=3)
    build_piece(
        programme,
        line,
        [("Viool 1", "violin", 2), ("Cello", "cello", 1), ("Slagwerk", "percussion", 1, False)],
        title="Ode an die Freude",
        composer="Beethoven",
        duration=4,
    )
    build_piece(programme, line, [("Trompet", "trumpet", 3)], title="Titanic", shared=True)
    build_piece(elsewhere, build_line(elsewhere), [("Viool", "violin", 1)], shared=True)
    ensemble, players = build_players(programme, [("violin", 2), ("cello", 1), ("trumpet", None)])
    place(players, line)
    return line, ensemble


def _knowledge(shared_line):
    from leerorkest.knowledge.models import MaterialKind, MaterialStatus
    from leerorkest.knowledge.tests.builders import make_file, make_material, make_theme
    from leerorkest.testing import instrument

    theme = make_theme("Samenspel")
    lesson = make_material(
        title="Strijkers stemmen",
        body="<p>Stem de <strong>viool</strong>.</p>",
        year_groups=(5, 6),
        instruments=[instrument("violin")],
        themes=[theme],
        goals=list(shared_line.goals.all()[:2]),
    )
    file = make_file(lesson)
    game = make_material(title="Ritmespel", kind=MaterialKind.GAME, year_groups=(3,))
    draft = make_material(title="Nog niet af", status=MaterialStatus.DRAFT)
    return [lesson, game, draft], theme, file


def _academie(programme, coordinator, elsewhere, teacher):
    from leerorkest.academie.models import RegistrationStatus
    from leerorkest.academie.tests.builders import make_registration, make_workshop

    full = make_workshop(programme, capacity=1, title="Dirigeren")
    make_registration(full, teacher)
    past = make_workshop(programme, days=-30, title="Stemmen")
    make_registration(past, coordinator, RegistrationStatus.ATTENDED)
    return [
        make_workshop(programme, title="Orkestspel"),
        full,
        make_workshop(elsewhere, open_to_all_programmes=True, title="Improviseren"),
        past,
    ]


@pytest.fixture
def learning_world(db):
    from leerorkest.accounts.actions import create_api_token
    from leerorkest.accounts.roles import OrgKind, Role
    from leerorkest.repertoire.models import Piece
    from leerorkest.testing import make_member, make_organisation

    programme = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Oost")
    elsewhere = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest West", city="Utrecht")
    coordinator = make_member(programme, Role.COORDINATOR)
    teacher = make_member(programme, Role.TEACHER)
    elsewhere_coordinator = make_member(elsewhere, Role.COORDINATOR)
    draft, shared = _learning_lines(programme, coordinator, elsewhere, elsewhere_coordinator)
    line, ensemble = _repertoire(programme, elsewhere)
    materials, theme, file = _knowledge(shared)
    workshops = _academie(programme, coordinator, elsewhere, teacher)
    lines = [draft, shared, line]
    KNOWN.update(
        line_id=[x.pk for x in lines],
        goal_id=[g.pk for x in lines for g in x.goals.all()],
        milestone_id=[m.pk for x in lines for m in x.milestones.all()],
        piece_id=list(Piece.objects.order_by("pk").values_list("pk", flat=True)),
        ensemble_id=[ensemble.pk],
        slug=[m.slug for m in materials],
        theme=[theme.slug],
        file_id=[file.pk],
        instrument=["violin", "cello", "trumpet", "percussion"],
        workshop_id=[w.pk for w in workshops],
    )
    tokens = {
        "coordinator": create_api_token(user=coordinator, name="fuzz")[1],
        "teacher": create_api_token(user=teacher, name="fuzz")[1],
        "elsewhere": create_api_token(user=elsewhere_coordinator, name="fuzz")[1],
    }
    try:
        with connection_kept_open():
            yield tokens
    finally:
        KNOWN.clear()


@schema.hooks.apply(map_case)
@schema.include(path_regex=LEARNING_LINES).parametrize()
@settings()
def test_learning_line_api(case, learning_world):
    run(case, learning_world, "coordinator")


@schema.hooks.apply(map_case)
@schema.include(path_regex=REPERTOIRE).parametrize()
@settings()
def test_repertoire_api(case, learning_world):
    run(case, learning_world, "coordinator")


@schema.hooks.apply(map_case)
@schema.include(path_regex=KNOWLEDGE).parametrize()
@settings()
def test_knowledge_api(case, learning_world):
    run(case, learning_world, "coordinator")


@schema.hooks.apply(map_case)
@schema.include(path_regex=ACADEMIE, method=["GET", "DELETE"]).parametrize()
@settings()
def test_academie_api(case, learning_world):
    run(case, learning_world, "coordinator")


# Registering is the one API write without a body, so the fuzzer sends it multipart forms with
# an Idempotency-Key: it found the middleware reading a body already consumed (a 500, now fixed).
@schema.hooks.apply(map_case)
@schema.include(path_regex=ACADEMIE, method="POST").parametrize()
@settings()
def test_academie_registration_api(case, learning_world):
    run(case, learning_world, "coordinator")


# The same operations as callers who may do less: no token at all, a teacher of the programme
# (reads, registers, writes nothing), and the coordinator of another programme (who meets the
# first programme's drafts, pieces and workshops as unknown). Every answer, refusals included,
# must be one the document declares, and nothing is written without signing in.
@pytest.mark.parametrize(
    "who", [None, "teacher", "elsewhere"], ids=["anonymous", "teacher", "elsewhere"]
)
@schema.hooks.apply(map_case)
@schema.include(path_regex=ALL).parametrize()
@settings(OTHER_CALLER_EXAMPLES, explicit=False)
def test_learning_apis_as_other_callers(case, learning_world, who):
    response = run(case, learning_world, who)
    if who is None and case.method != "GET":
        assert response.status_code >= 400, (case.method, case.path, response.status_code)
