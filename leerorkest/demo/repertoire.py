"""Demo repertoire: about fifty arrangements for learning orchestras (titles, composers and
fictional arrangers only; no lyrics or music), graded on the milestones of the example learning
line, and a few performances by the demo's orchestras. No files. Deterministic and fast."""

from datetime import date

from leerorkest.accounts.models import User
from leerorkest.accounts.roles import Role
from leerorkest.curriculum.models import LearningLine, LineStatus, Milestone
from leerorkest.programme.models import Ensemble, EnsembleKind, InstrumentType
from leerorkest.repertoire.models import Part, Performance, Piece, Visibility

ARRANGERS = [
    "Marieke de Wit",
    "Joris van Leeuwen",
    "Fatima El Amrani",
    "Sem Bakker",
    "Ilse Verhoeven",
    "Ruben Kramer",
    "Noor Visser",
    "Daan Mulder",
]

# Title, composer, instrumentation, base milestone (the middle parts' stage), minutes.
PIECES = [
    ("Danse du Grand Calumet de la Paix", "Jean-Philippe Rameau", "full", 2, 3),
    ("My Heart Will Go On (Titanic)", "James Horner", "full", 3, 4),
    ("Ode an die Freude", "Ludwig van Beethoven", "full", 1, 2),
    ("Largo uit de Negende Symfonie", "Antonín Dvořák", "strings", 2, 4),
    ("In de hal van de Bergkoning", "Edvard Grieg", "full", 2, 3),
    ("Ochtendstemming", "Edvard Grieg", "winds", 2, 3),
    ("Eine kleine Nachtmusik, deel 1", "Wolfgang Amadeus Mozart", "strings", 3, 5),
    ("Mars van de Speelgoedsoldaatjes", "Léon Jessel", "full", 1, 3),
    ("Can-can (Orphée aux enfers)", "Jacques Offenbach", "full", 3, 2),
    ("Habanera (Carmen)", "Georges Bizet", "full", 3, 3),
    ("Toreador (Carmen)", "Georges Bizet", "winds", 2, 2),
    ("Pomp and Circumstance nr. 1 (trio)", "Edward Elgar", "full", 2, 3),
    ("Hallelujah (Messiah)", "Georg Friedrich Händel", "full", 3, 4),
    ("Water Music: Hornpipe", "Georg Friedrich Händel", "strings", 2, 3),
    ("Rondeau (Abdelazer)", "Henry Purcell", "strings", 2, 3),
    ("De Lente (Vier Jaargetijden), deel 1", "Antonio Vivaldi", "strings", 4, 4),
    ("Hongaarse Dans nr. 5", "Johannes Brahms", "full", 4, 3),
    ("Het Aquarium (Carnaval des animaux)", "Camille Saint-Saëns", "strings", 2, 2),
    ("De Olifant (Carnaval des animaux)", "Camille Saint-Saëns", "low", 1, 2),
    ("De Grote Poort van Kiev", "Modest Moesorgski", "full", 3, 4),
    ("Jupiter (The Planets), hymne", "Gustav Holst", "full", 3, 3),
    ("Bolero (ingekort)", "Maurice Ravel", "full", 3, 5),
    ("Notenkraker: Mars", "Pjotr Iljitsj Tsjaikovski", "full", 2, 2),
    ("Notenkraker: Russische Dans (Trepak)", "Pjotr Iljitsj Tsjaikovski", "full", 3, 1),
    ("Zwanenmeer, thema", "Pjotr Iljitsj Tsjaikovski", "strings", 3, 3),
    ("Radetzky-mars", "Johann Strauss sr.", "full", 2, 3),
    ("An der schönen blauen Donau (thema)", "Johann Strauss jr.", "strings", 3, 3),
    ("Ave Verum Corpus", "Wolfgang Amadeus Mozart", "strings", 2, 3),
    ("Eerste Wals", "Dmitri Sjostakovitsj", "full", 3, 3),
    ("Libertango", "Astor Piazzolla", "strings", 4, 4),
    ("The Entertainer", "Scott Joplin", "full", 3, 3),
    ("Akono: openingslied", "Leerorkest (muziektheater)", "full", 2, 3),
    ("Berend Botje", "traditioneel", "full", 1, 2),
    ("Altijd is Kortjakje ziek (variaties)", "traditioneel", "strings", 1, 2),
    ("Sarasponda", "traditioneel", "full", 1, 2),
    ("Kalinka", "traditioneel (Rusland)", "full", 2, 3),
    ("Hava Nagila", "traditioneel", "full", 2, 3),
    ("Shalom Chaverim (canon)", "traditioneel", "strings", 1, 2),
    ("Sakura", "traditioneel (Japan)", "strings", 2, 2),
    ("When the Saints Go Marching In", "traditioneel", "winds", 1, 2),
    ("Kumbaya", "traditioneel", "full", 1, 2),
    ("Funiculì, funiculà", "Luigi Denza", "full", 3, 3),
    ("Malaika", "traditioneel (Oost-Afrika)", "full", 1, 3),
    ("Tumbalalaika", "traditioneel", "strings", 2, 3),
    ("Greensleeves", "traditioneel (Engeland)", "strings", 2, 3),
    ("Scarborough Fair", "traditioneel (Engeland)", "winds", 2, 3),
    ("Drunken Sailor", "traditioneel", "full", 1, 2),
    ("Wilhelmus (instrumentaal)", "traditioneel", "winds", 1, 1),
    ("Samba Leerorkest", "Daan Mulder", "percussion", 1, 3),
    ("Kanon in D (ingekort)", "Johann Pachelbel", "strings", 3, 4),
]

# Part name, instrument code, stage relative to the piece's base, required.
SCORINGS = {
    "full": [
        ("Viool 1", "violin", 1, True),
        ("Viool 2", "violin", 0, True),
        ("Cello", "cello", 0, True),
        ("Dwarsfluit", "flute", 0, True),
        ("Klarinet", "clarinet", 0, True),
        ("Trompet", "trumpet", 0, True),
        ("Trombone", "trombone", -1, True),
        ("Slagwerk 1", "percussion", 0, True),
        ("Slagwerk 2", "percussion", -1, False),
    ],
    "strings": [
        ("Viool 1", "violin", 1, True),
        ("Viool 2", "violin", 0, True),
        ("Altviool", "viola", 0, False),
        ("Cello", "cello", 0, True),
        ("Contrabas", "double-bass", -1, False),
    ],
    "winds": [
        ("Dwarsfluit", "flute", 0, True),
        ("Klarinet", "clarinet", 0, True),
        ("Trompet 1", "trumpet", 1, True),
        ("Trompet 2", "trumpet", 0, True),
        ("Hoorn", "horn", 0, False),
        ("Trombone", "trombone", 0, True),
        ("Tuba", "tuba", -1, False),
        ("Slagwerk", "percussion", 0, True),
    ],
    "low": [
        ("Cello", "cello", 0, True),
        ("Contrabas", "double-bass", 0, True),
        ("Trombone", "trombone", 0, False),
        ("Tuba", "tuba", 0, False),
    ],
    "percussion": [
        ("Slagwerk 1", "percussion", 1, True),
        ("Slagwerk 2", "percussion", 0, True),
        ("Slagwerk 3", "percussion", 0, False),
    ],
}


def step_repertoire(demo) -> None:
    """The pieces (most shared, every fifth private), their graded parts, and performances at
    the Christmas and summer concerts of a few school orchestras."""
    programme = demo.organisations["programme"]
    line = (
        LearningLine.objects.filter(is_example=True, status=LineStatus.PUBLISHED)
        .order_by("pk")
        .first()
    )
    if line is None:
        return  # No example line: pieces need a line to be graded on.
    coordinator = (
        User.objects.filter(memberships__organisation=programme, memberships__role=Role.COORDINATOR)
        .order_by("pk")
        .first()
    )
    milestones = {
        (m.instrument.code, m.order): m
        for m in Milestone.objects.filter(line=line).select_related("instrument")
    }
    highest = dict(sorted(milestones))  # each instrument's last stage
    pieces = Piece.objects.bulk_create(
        [
            Piece(
                organisation=programme,
                title=title,
                composer=composer,
                arranger=ARRANGERS[index % len(ARRANGERS)],
                duration=minutes,
                description="",
                visibility=Visibility.PRIVATE if index % 5 == 4 else Visibility.SHARED,
                line=line,
                created_by=coordinator,
            )
            for index, (title, composer, _scoring, _base, minutes) in enumerate(PIECES)
        ]
    )
    instruments = dict(InstrumentType.objects.values_list("code", "pk"))
    parts = []
    for piece, (_title, _composer, scoring, base, _minutes) in zip(pieces, PIECES, strict=True):
        for name, code, offset, required in SCORINGS[scoring]:
            if code not in highest:
                continue
            stage = min(max(1, base + offset), highest[code])
            if (code, stage) not in milestones:
                continue
            parts.append(
                Part(
                    piece=piece,
                    name=name,
                    instrument_id=instruments[code],
                    milestone=milestones[(code, stage)],
                    required=required,
                )
            )
    Part.objects.bulk_create(parts)
    _performances(demo, programme, pieces)


def _performances(demo, programme, pieces) -> None:
    now = demo.years[0]
    orchestras = list(
        Ensemble.objects.filter(organisation=programme, school_year=now)
        .exclude(kind=EnsembleKind.SECONDARY)
        .order_by("pk")[:8]
    )
    christmas = date(now.starts_on.year, 12, 18)
    summer = date(now.starts_on.year + 1, 6, 25)
    easy = [p for p, spec in zip(pieces, PIECES, strict=True) if spec[3] <= 2]
    performances = []
    for number, ensemble in enumerate(orchestras):
        chosen = demo.rng.sample(easy, k=2)
        performances.append(
            Performance(piece=chosen[0], ensemble=ensemble, date=christmas, occasion="Kerstconcert")
        )
        if number % 2 == 0:
            performances.append(
                Performance(
                    piece=chosen[1], ensemble=ensemble, date=summer, occasion="Zomerconcert"
                )
            )
    Performance.objects.bulk_create(performances)
