"""The example learning line ("Voorbeeldleerlijn"): goals for groep 3–8, milestones (ijkpunten)
with real note ranges for every instrument of the catalogue, and a term or two of progress for
the demo's lesson groups.

The groep 5 goals follow the published Leerorkest goals (domain brief §5.2) nearly as written;
the other groepen are plausible, cumulative goals. The line is marked as example content.
"""

from django.utils import timezone

from leerorkest.accounts.models import User
from leerorkest.accounts.roles import Role
from leerorkest.curriculum.models import (
    GoalKind,
    GoalStatus,
    LearningGoal,
    LearningLine,
    LineStatus,
    Mastery,
    Milestone,
    ProgressRecord,
    Visibility,
)
from leerorkest.curriculum.progress import current_term
from leerorkest.programme.models import InstrumentType, LessonGroupMember

# Musical, instrument-specific (N) and social-pedagogical goals.
M, N, S = GoalKind.MUSICAL, GoalKind.INSTRUMENT, GoalKind.SOCIAL

GOALS: dict[int, list[tuple[str, str]]] = {
    3: [
        (M, "Zingt eenvoudige liedjes mee en houdt de melodie vast."),
        (M, "Klapt en loopt mee op de puls van de muziek."),
        (M, "Hoort of een toon hoog of laag is."),
        (M, "Hoort of muziek hard of zacht is."),
        (N, "Speelt een eenvoudig ritme na op een slaginstrument (trommel, claves)."),
        (S, "Luistert naar de docent en naar de andere kinderen."),
        (S, "Wacht op zijn of haar beurt."),
    ],
    4: [
        (M, "Zingt liedjes met aandacht voor de tekst en de melodie."),
        (M, "Klapt eenvoudige ritmes na en bedenkt er zelf een."),
        (M, "Hoort of muziek langzaam of snel is, en of een toon kort of lang is."),
        (M, "Herkent de instrumenten van het orkest op geluid en op beeld."),
        (N, "Speelt kleine melodieën op boomwhackers of klokkenspel."),
        (S, "Speelt samen in een kleine groep en stopt op een teken."),
        (S, "Durft iets voor te doen in de groep."),
    ],
    5: [
        (M, "Kan de maatsoorten 2/4 en 4/4 benoemen en herkennen."),
        (M, "Herkent hele, halve, kwart- en achtste noten en hele en halve rusten."),
        (M, "Klapt en beweegt op ritme en puls."),
        (M, "Klapt eenvoudige ritmes van ritmekaarten."),
        (M, "Zingt met aandacht voor articulatie, toonhoogte en intonatie."),
        (M, "Kan zeggen of een toon hoger of lager is."),
        (M, "Kan zeggen of een lied langzamer of sneller is."),
        (M, "Kan zeggen of een toon kort of lang is."),
        (M, "Kan zeggen of iets hard of zacht klinkt."),
        (M, "Herkent een eenvoudige A-B-A-vorm."),
        (N, "Speelt (een deel van) een toonladder."),
        (N, "Speelt op gehoor en maakt een begin met noten lezen."),
        (N, "Speelt de tonen van het eigen instrument voor eind groep 5 (ijkpunt 2)."),
        (N, "Heeft een goede speelhouding, lichamelijk en in gedrag."),
        (N, "Kan het instrument in elkaar zetten, uit elkaar halen en schoonmaken."),
        (
            M,
            "Herkent en reageert op de basistekens van de dirigent: lange en korte noot, "
            "forte en piano, klaar om te beginnen, samen stoppen.",
        ),
        (
            M,
            "Herkent de andere orkestinstrumenten, in elk geval binnen de eigen sectie "
            "(hout, koper, strijkers, slagwerk).",
        ),
        (
            M,
            "Doet een eenvoudige (ritmische) improvisatie binnen een vorm, zoals vraag en "
            "antwoord.",
        ),
        (S, "Luistert naar de anderen in de lesgroep en in het orkest."),
        (S, "Werkt samen met de andere kinderen van de eigen sectie."),
        (S, "Voelt zich veilig in de groep en laat de ander in zijn waarde."),
        (S, "Staat open voor aanwijzingen van de docent en de dirigent."),
    ],
    6: [
        (M, "Benoemt, herkent en noteert 2/4, 4/4, 6/8 en eventueel 3/4."),
        (M, "Leest en speelt ritmes met gestippelde noten en achtste rusten."),
        (M, "Volgt de dirigent bij inzet, tempo en dynamiek (crescendo, decrescendo)."),
        (M, "Herkent herhalingstekens en een coda in de partij."),
        (N, "Leest de eigen partij in eenvoudige orkeststukken mee."),
        (N, "Speelt de tonen van het eigen instrument voor eind groep 6 (ijkpunt 3)."),
        (N, "Stemt het instrument met hulp, of controleert de stemming."),
        (S, "Helpt een andere leerling in de lesgroep."),
        (S, "Concentreert zich een hele repetitie."),
        (S, "Gaat om met spanning voor een optreden."),
    ],
    7: [
        (M, "Speelt in 3/4 en 6/8 en houdt het tempo vast in het orkest."),
        (M, "Speelt een eigen partij terwijl andere secties iets anders spelen."),
        (M, "Speelt met dynamiek en articulatie zoals in de partij staat."),
        (N, "Leest nieuwe, eenvoudige stukken van blad."),
        (N, "Speelt de tonen van het eigen instrument voor eind groep 7 (ijkpunt 4)."),
        (N, "Speelt twee toonladders uit het hoofd."),
        (S, "Geeft een ander een compliment en een tip."),
        (S, "Neemt verantwoordelijkheid voor het eigen instrument en de eigen partij."),
        (S, "Speelt een korte solo of duet voor publiek."),
    ],
    8: [
        (M, "Speelt mee in een orkeststuk met wisselende maatsoorten en tempi."),
        (M, "Herkent vormen als rondo en thema met variaties."),
        (M, "Bedenkt en speelt een eigen melodie of ritme binnen een stuk."),
        (N, "Speelt de tonen van het eigen instrument voor eind groep 8 (ijkpunt 5)."),
        (N, "Studeert zelfstandig een partij in en weet hoe het moeilijke stukjes oefent."),
        (N, "Zorgt zelf voor het instrument en merkt wanneer het naar de reparatie moet."),
        (S, "Is een voorbeeld voor jongere kinderen in het orkest."),
        (S, "Werkt samen aan een groot concert en houdt zich aan afspraken."),
        (S, "Kan vertellen wat muziek maken hem of haar heeft gebracht."),
    ],
}
PREFIX = {M: "M", N: "I", S: "S"}

# Per instrument: the notes of ijkpunt 1–5 (scientific pitch; written pitch for transposing
# instruments). Ijkpunt 1 and 2 fall in groep 5, then one per year.
MILESTONES: dict[str, list[str]] = {
    "violin": [
        "Losse snaren G3 D4 A4 E5",
        "D4 E4 F♯4 G4 A4 B4 C♯5 D5",
        "G3 A3 B3 C4 D4 E4 F♯4 G4 A4 B4 C♯5 D5 E5 F♯5 G5 A5",
        "G3–B5 in de eerste positie, met C5, F5 en B♭4",
        "G3–B5 chromatisch; derde positie tot D6",
    ],
    "viola": [
        "Losse snaren C3 G3 D4 A4",
        "G3 A3 B3 C4 D4 E4 F♯4 G4",
        "C3 D3 E3 F3 G3 A3 B3 C4 D4 E4 F♯4 G4 A4 B4",
        "C3–E5 in de eerste positie, met B♭3 en E♭4",
        "C3–E5 chromatisch; derde positie tot G5",
    ],
    "cello": [
        "Losse snaren C2 G2 D3 A3",
        "D3 E3 F♯3 G3 A3 B3 C♯4 D4",
        "C2 D2 E2 F2 G2 A2 B2 C3 D3 E3 F♯3 G3 A3 B3 C4 D4",
        "C2–D4 in de eerste positie, met B♭2 en F♮3; uitbreiding",
        "C2–G4 chromatisch; vierde positie",
    ],
    "double-bass": [
        "Losse snaren E1 A1 D2 G2",
        "D2 E2 F♯2 G2 A2 B2",
        "G1 A1 B1 C2 D2 E2 F♯2 G2 A2 B2",
        "E1–D3 in de halve en eerste positie",
        "E1–G3 chromatisch; tweede en derde positie",
    ],
    "flute": [
        "B4 A4 G4",
        "G4 A4 B4 C5 D5",
        "D4 E4 F4 F♯4 G4 A4 B♭4 B4 C5 D5",
        "D4–G5, met de tweede octaaf E5–G5",
        "C4–C6 chromatisch",
    ],
    "oboe": [
        "B4 A4 G4",
        "G4 A4 B4 C5 D5",
        "D4 E4 F4 F♯4 G4 A4 B♭4 B4 C5 D5",
        "C4–G5 met octaafklep",
        "B♭3–C6 chromatisch",
    ],
    "clarinet": [
        "E4 F4 G4 (genoteerd)",
        "C4 D4 E4 F4 G4 A4",
        "E3 F3 G3 A3 B♭3 C4 D4 E4 F4 G4 A4 B♭4",
        "E3–C6, over de breuk: B4 C5 D5",
        "E3–G5 chromatisch",
    ],
    "bassoon": [
        "F2 G2 A2 B♭2 C3",
        "B♭1 C2 D2 E♭2 F2 G2 A2 B♭2",
        "B♭1–F3",
        "B♭1–C4 met F♯ en C♯",
        "B♭1–D4 chromatisch",
    ],
    "trumpet": [
        "C4 D4 E4 F4 G4 (genoteerd)",
        "C4 D4 E4 F4 G4 A4 B♭4 C5",
        "B♭3–D5, met F♯4 en E♭4",
        "G3–F5",
        "F♯3–G5 chromatisch",
    ],
    "horn": [
        "C4 D4 E4 F4 G4 (genoteerd in F)",
        "G3–C5",
        "F3–D5, met B♭ en F♯",
        "C3–F5",
        "G2–G5 chromatisch",
    ],
    "trombone": [
        "B♭2 C3 D3 E♭3 F3",
        "B♭2–B♭3 (posities 1–6)",
        "F2–C4",
        "E2–D4, alle zeven posities",
        "E2–F4 chromatisch",
    ],
    "baritone": [
        "B♭2 C3 D3 E♭3 F3",
        "B♭2–B♭3",
        "F2–C4",
        "E2–D4",
        "E2–F4 chromatisch",
    ],
    "tuba": [
        "B♭1 C2 D2 E♭2 F2",
        "F1–B♭2",
        "E♭1–C3",
        "D1–E♭3",
        "C1–F3 chromatisch",
    ],
    "percussion": [
        "Kwart- en halve noten op trommel en grote trom; afwisselend links-rechts",
        "Achtste noten en rusten; xylofoon C5 D5 E5 F5 G5",
        "Zestiende noten en de flam; xylofoon C5–C6 (C-groot)",
        "Roffel; pauken F2 en B♭2; xylofoon G-groot en F-groot",
        "Wisselende maatsoorten; xylofoon twee octaven chromatisch; pauken stemmen",
    ],
    "harp": [
        "C4 D4 E4 F4 G4, beide handen",
        "C3–C5",
        "C2–C6, pedaalwissel voor G- en F-groot",
        "C2–G6, akkoorden en arpeggio's",
        "C1–G6, alle pedaalstanden",
    ],
    "guitar": [
        "Losse snaren E2 A2 D3 G3 B3 E4",
        "B3 C4 D4 E4 F4 G4",
        "E2–G4 in de eerste positie",
        "E2–A4 met F♯ en C♯; akkoorden C G D Em Am",
        "E2–B4 chromatisch; barré-akkoord",
    ],
    "keyboard": [
        "C4 D4 E4 F4 G4, rechterhand",
        "C4–C5, beide handen in C-positie",
        "C3–C5 met F♯ en B♭ (G- en F-groot)",
        "Twee octaven; toonladders C, G en F",
        "Drieklanken en omkeringen; A-klein",
    ],
}
STAGE_YEAR = [5, 5, 6, 7, 8]
SKILLS = [
    "Houdt het instrument goed vast en maakt een rustige, volle klank.",
    "Speelt de eerste orkeststukjes mee en leest deze tonen in eenvoudige notatie.",
    "Speelt een eenvoudige partij in het orkest en houdt de puls vast.",
    "Speelt met dynamiek en articulatie en leest nieuwe partijen mee.",
    "Speelt een zelfstandige partij en studeert die zelf in.",
]
# How far a groep usually is: the lowest and highest ijkpunt (0 = not yet at the first).
REACH = {5: (0, 2), 6: (1, 3), 7: (2, 4), 8: (3, 5)}
STATUS_WEIGHTS = [(Mastery.MASTERED, 0.55), (Mastery.DEVELOPING, 0.35), (Mastery.NOT_YET, 0.10)]


def build_example_line(programme, *, by=None) -> LearningLine:
    """The published, shared example line with its goals and milestones (bulk inserts)."""
    line = LearningLine.objects.create(
        organisation=programme,
        name="Voorbeeldleerlijn",
        description=(
            "Voorbeeld van een doorgaande leerlijn groep 3–8: muzikale, instrumentspecifieke en "
            "sociaal-pedagogische leerdoelen per groep, en ijkpunten per instrument (welke "
            "tonen een kind op elk moment kan spelen). Voorbeeldinhoud, geen officiële leerlijn."
        ),
        visibility=Visibility.SHARED,
        status=LineStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=by,
        is_example=True,
    )
    goals = []
    for year_group, rows in GOALS.items():
        counters = {M: 0, N: 0, S: 0}
        for order, (kind, text) in enumerate(rows, start=1):
            counters[kind] += 1
            goals.append(
                LearningGoal(
                    line=line,
                    year_group=year_group,
                    kind=kind,
                    code=f"{PREFIX[kind]}{year_group}.{counters[kind]}",
                    text=text,
                    order=order,
                )
            )
    LearningGoal.objects.bulk_create(goals)
    instruments = {i.code: i for i in InstrumentType.objects.all()}
    Milestone.objects.bulk_create(
        [
            Milestone(
                line=line,
                instrument=instruments[code],
                order=stage,
                name=f"Ijkpunt {stage}",
                notes=notes,
                skills=SKILLS[stage - 1],
                typical_year_group=STAGE_YEAR[stage - 1],
            )
            for code, stages in MILESTONES.items()
            if code in instruments
            for stage, notes in enumerate(stages, start=1)
        ]
    )
    return line


def _weighted(rng) -> str:
    draw = rng.random()
    for status, weight in STATUS_WEIGHTS:
        if draw < weight:
            return status
        draw -= weight
    return Mastery.NOT_YET


def step_curriculum(demo) -> None:
    """The example line, and progress for the current school year's lesson groups: term 1, and
    term 2 too once the second term has begun (each pupil a little further)."""
    programme = demo.organisations["programme"]
    now = demo.years[0]
    coordinator = (
        User.objects.filter(memberships__organisation=programme, memberships__role=Role.COORDINATOR)
        .order_by("pk")
        .first()
    )
    line = build_example_line(programme, by=coordinator)
    milestones = {(m.instrument_id, m.order): m for m in Milestone.objects.filter(line=line)}
    goals_by_year: dict[int, list[LearningGoal]] = {}
    for goal in LearningGoal.objects.filter(line=line).order_by("year_group", "order"):
        goals_by_year.setdefault(goal.year_group, []).append(goal)
    groups = {g.pk: g for g in demo.lesson_groups if g.school_year_id == now.pk}
    members = (
        LessonGroupMember.objects.filter(group_id__in=groups)
        .order_by("group_id", "pupil_id")
        .values_list("group_id", "pupil_id")
    )
    teachers = {t.pk: t.user_id for t in demo.teachers if getattr(t, "user_id", None)}
    terms = [1] if current_term() == 1 else [1, 2]
    fallback = coordinator.pk if coordinator else None
    recorded_at = timezone.now()
    records, plans = [], []
    for group_id, pupil_id in members:
        group = groups[group_id]
        low, high = REACH.get(group.year_group, (0, 2))
        stage = demo.rng.randint(low, max(low, high - 1))
        for term in terms:
            reached = min(stage + (term - 1), 5)
            records.append(
                ProgressRecord(
                    organisation=programme,
                    pupil_id=pupil_id,
                    school_year=now,
                    term=term,
                    instrument_id=group.instrument_id,
                    lesson_group_id=group_id,
                    milestone=milestones.get((group.instrument_id, reached)),
                    recorded_by_id=teachers.get(group.teacher_id) or fallback,
                    recorded_at=recorded_at,
                )
            )
            plans.append(goals_by_year.get(group.year_group, []))
    ProgressRecord.objects.bulk_create(records, batch_size=1000)
    GoalStatus.objects.bulk_create(
        [
            GoalStatus(record=record, goal=goal, status=_weighted(demo.rng))
            for record, goals in zip(records, plans, strict=True)
            for goal in goals
        ],
        batch_size=2000,
    )
