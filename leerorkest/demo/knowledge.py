"""Demo step for the knowledge site (Orkest in de Klas): about a hundred published materials in
Dutch (lesson plans per instrument and groep, handbooks, games, films, arrangements, articles),
themes, contributors of other programmes (one Belgian), a few materials waiting for review, and
the Amsterdam coordinator as knowledge editor. Files are tiny and generated here."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from leerorkest.accounts.models import User
from leerorkest.knowledge.models import (
    Contributor,
    KnowledgeEditor,
    Licence,
    Material,
    MaterialFile,
    MaterialKind,
    MaterialStatus,
    MaterialYearGroup,
    Theme,
    public_goal_filter,
)
from leerorkest.knowledge.pdf import tiny_pdf
from leerorkest.knowledge.search import fill_search_columns
from leerorkest.knowledge.text import clean_html
from leerorkest.programme.models import InstrumentType

THEMES = [
    "Samenspel",
    "Ritme en maat",
    "Klank en techniek",
    "Sociaalpedagogische aanpak",
    "Concerten",
    "Instrumentkeuze",
    "Noten lezen",
    "Ouders en school",
]
LESSON_INSTRUMENTS = [
    "violin",
    "cello",
    "double-bass",
    "flute",
    "oboe",
    "clarinet",
    "trumpet",
    "horn",
    "trombone",
    "baritone",
    "percussion",
    "harp",
]
TOPICS = {
    "strings": ["de losse snaren", "streken", "de eerste positie en toonladders"],
    "woodwind": ["de eerste tonen", "ademhaling en lange tonen", "articulatie en tongen"],
    "brass": ["zoemen op het mondstuk", "ademhaling en lange tonen", "natuurtonen en ventielen"],
    "percussion": ["puls en maat", "ritmes lezen", "kleine trom en mallets"],
    "plucked": ["de eerste akkoorden", "haakjes en stemmen", "arpeggio's"],
}
HANDBOOKS = [
    "Handboek voor docenten en muziekscholen",
    "Vademecum voor de groepsleerkracht",
    "Een Leerorkest starten: stappenplan voor een nieuwe school",
    "De sociaalpedagogische aanpak in de muziekles",
    "Handboek orkestrepetitie voor dirigenten",
    "Instrumentkeuze en speeddaten in groep 5",
    "Concerten organiseren met meerdere scholen",
    "Zorg voor instrumenten in de klas en thuis",
]
GAMES = [
    "Ritmekwartet",
    "Dirigentje spelen",
    "Notenbingo",
    "Echoritmes in de kring",
    "Stoelendans met maatwisselingen",
    "Klankkleuren raden",
    "De toonhoogteladder",
    "Stille dirigent",
    "Ritmeslang",
    "Instrumentenmemory",
    "Maatsoortenestafette",
    "Dynamiekdobbelsteen",
]
FILMS = [
    "Hoe zet je een fagot in elkaar",
    "Een viool stemmen",
    "De strijkstok spannen en harsen",
    "Zoemen op een trompetmondstuk",
    "Een cello neerzetten: de pin",
    "De eerste orkestrepetitie van groep 5",
    "Kerstconcert van groep 6 en 7",
    "Dirigeren: inzetten en afslaan",
    "Een haakjesharp stemmen",
    "Slagwerk opbouwen voor een concert",
]
ARRANGEMENTS = [
    "Ode an die Freude voor leerorkest",
    "Vader Jacob in canon",
    "Ievan Polkka voor strijkers en blazers",
    "Sinterklaasmedley",
    "Kerstmedley voor leerorkest",
    "Trepak uit de Notenkraker, vereenvoudigd",
    "Eine kleine Nachtmusik, eerste deel voor beginners",
    "Radetzkymars voor groep 8",
    "In de hal van de bergkoning",
    "Canon in D met een makkelijke baspartij",
    "Boléroritme voor slagwerk en strijkers",
    "Wilhelmus voor leerorkest",
]
ARTICLES = [
    "Waarom instrumentale les in groep 5 begint",
    "De sociale impact van het leerorkest",
    "Ouderbetrokkenheid bij concerten",
    "Samenwerken met de cultuurcoördinator",
    "Een doorgaande leerlijn van groep 3 tot 8",
    "Werken met ijkpunten per instrument",
    "Muziekles in lage-inkomenswijken",
    "Leerorkesten in Caribisch Nederland",
    "Van leerorkest naar wijktalentorkest",
    "Lesgeven in kleine lokalen: geluid en ruimte",
]
CONTRIBUTORS = [
    ("bijdrage-dordrecht", "Leerorkest Drechtsteden", "Dordrecht", "NL"),
    ("bijdrage-groningen", "Leerorkest Groningen", "Groningen", "NL"),
    ("bijdrage-maarssen", "Leerorkest Stichtse Vecht", "Maarssen", "NL"),
    ("bijdrage-gent", "Muziekklassen Gent", "Gent", "BE"),
]
WAITING = [
    ("Ritmespel met boomwhackers", MaterialKind.GAME, 3, MaterialStatus.SUBMITTED),
    ("Celloles voor groep 5: pizzicatospelletjes", MaterialKind.LESSON_PLAN, 0, "submitted"),
    ("Handleiding eerste orkestrepetitie", MaterialKind.HANDBOOK, 1, MaterialStatus.SUBMITTED),
    ("Samen stemmen voor het concert", MaterialKind.ARTICLE, 2, MaterialStatus.SUBMITTED),
    ("Trompetles groep 6: de eerste toonladder", MaterialKind.LESSON_PLAN, 1, "rejected"),
]
LICENCES = [
    Licence.CC_BY,
    Licence.CC_BY_SA,
    Licence.CC_BY_NC,
    Licence.CC_BY_NC_SA,
    Licence.LESSONS_ONLY,
]
MUSICXML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="4.0"><work>'
    '<work-title>{title}</work-title></work><part-list><score-part id="P1"><part-name>'
    'Leerorkest</part-name></score-part></part-list><part id="P1"><measure number="1">'
    "<note><pitch><step>D</step><octave>4</octave></pitch><duration>4</duration>"
    "<type>whole</type></note></measure></part></score-partwise>\n"
)


def _body(title: str, lines: list[str]) -> str:
    items = "".join(f"<li>{line}</li>" for line in lines)
    return clean_html(
        f"<p>{title}. Uitgeprobeerd in de Leerorkesten en bijgesteld met de docenten.</p>"
        f"<h2>Werkwijze</h2><ul>{items}</ul>"
        "<p>Vragen of verbeteringen? Laat het de redactie van het Expertisecentrum weten.</p>"
    )


def _plans(instruments: dict) -> list[dict]:
    rows = []
    for code in LESSON_INSTRUMENTS:
        instrument = instruments.get(code)
        if instrument is None:
            continue
        topics = TOPICS.get(instrument.family, TOPICS["strings"])
        lesson = f"{instrument.name_nl}les".capitalize()
        for groep in (5, 6, 7, 8):
            topic = topics[groep - 5] if groep < 8 else "samenspel in het orkest"
            title = f"{lesson} voor groep {groep}: {topic}"
            rows.append(
                {
                    "title": title,
                    "kind": MaterialKind.LESSON_PLAN,
                    "summary": (
                        f"Een les van een uur voor een kleine groep "
                        f"{instrument.name_nl.lower()} in groep {groep}, over {topic}."
                    ),
                    "body": _body(
                        title,
                        ["Opwarmen en stemmen", f"Oefenen: {topic}", "Samen spelen", "Afsluiten"],
                    ),
                    "groups": [groep],
                    "instruments": [instrument],
                    "themes": ["Klank en techniek"] if groep < 8 else ["Samenspel"],
                    "file": "pdf",
                }
            )
    return rows


def _others() -> list[dict]:
    rows = []
    for title in HANDBOOKS:
        rows.append(
            {
                "title": title,
                "kind": MaterialKind.HANDBOOK,
                "groups": [5, 6, 7, 8],
                "themes": ["Sociaalpedagogische aanpak"],
                "file": "pdf",
            }
        )
    for index, title in enumerate(GAMES):
        rows.append(
            {
                "title": title,
                "kind": MaterialKind.GAME,
                "groups": [3 + index % 6, 4 + index % 5],
                "themes": ["Ritme en maat"],
                "file": "pdf",
            }
        )
    for title in FILMS:
        rows.append(
            {
                "title": title,
                "kind": MaterialKind.FILM,
                "groups": [5, 6],
                "themes": ["Klank en techniek"],
                "link": True,
            }
        )
    for index, title in enumerate(ARRANGEMENTS):
        rows.append(
            {
                "title": title,
                "kind": MaterialKind.ARRANGEMENT,
                "groups": [5 + index % 4],
                "themes": ["Samenspel", "Concerten"],
                "file": "musicxml",
            }
        )
    for title in ARTICLES:
        rows.append(
            {
                "title": title,
                "kind": MaterialKind.ARTICLE,
                "groups": [],
                "themes": ["Ouders en school"],
                "file": "pdf",
            }
        )
    for row in rows:
        row.setdefault("summary", f"{row['title']}: materiaal van het Expertisecentrum.")
        row.setdefault("body", _body(row["title"], ["Voorbereiden", "Uitvoeren", "Nabespreken"]))
        row.setdefault("instruments", [])
    return rows


def _store(row: dict, material: Material) -> MaterialFile | None:
    kind = row.get("file")
    if kind is None:
        return None
    title = row["title"]
    data = tiny_pdf(title) if kind == "pdf" else MUSICXML.format(title=title).encode()
    name = default_storage.save(f"knowledge/demo/{material.slug}.{kind}", ContentFile(data))
    return MaterialFile(
        material=material,
        file=name,
        kind=kind,
        original_name=f"{material.slug}.{kind}",
        size=len(data),
    )


def step_knowledge(demo) -> None:
    rng, now = demo.rng, timezone.now()
    themes = {name: Theme(name=name, slug=slugify(name)) for name in THEMES}
    Theme.objects.bulk_create(themes.values())
    instruments = {i.code: i for i in InstrumentType.objects.all()}
    programme = demo.organisations.get("programme")
    expertise = programme.name if programme else "Leerorkest Amsterdam"

    users = demo.users([(f"{key}@{demo.domain}", demo.person()) for key, *_rest in CONTRIBUTORS])
    contributors = Contributor.objects.bulk_create(
        [
            Contributor(
                user=user,
                organisation_name=org,
                city=city,
                country=country,
                email_verified_at=now - timedelta(days=200),
            )
            for user, (_key, org, city, country) in zip(users, CONTRIBUTORS, strict=True)
        ]
    )
    editor = User.objects.filter(email=f"coordinator@{demo.domain}").first()
    if editor is not None:
        KnowledgeEditor.objects.create(user=editor)

    rows = _plans(instruments) + _others()
    materials = []
    for index, row in enumerate(rows):
        by = contributors[index % len(contributors)] if index % 5 == 0 else None
        material = Material(
            title=row["title"],
            slug=slugify(row["title"])[:200] or f"materiaal-{index}",
            summary=row["summary"],
            body=row["body"],
            kind=row["kind"],
            link=f"https://video.{demo.domain}/{slugify(row['title'])}" if row.get("link") else "",
            licence=rng.choice(LICENCES),
            status=MaterialStatus.PUBLISHED,
            submitted_by=by.user if by else editor,
            reviewed_by=editor,
            organisation_name=by.organisation_name if by else expertise,
            submitted_at=now - timedelta(days=3 + index * 9),
            published_at=now - timedelta(days=1 + index * 9),
            download_count=rng.randint(0, 400),
        )
        fill_search_columns(material)
        materials.append(material)
    for offset, (title, kind, who, status) in enumerate(WAITING):
        contributor = contributors[who]
        material = Material(
            title=title,
            slug=slugify(title),
            summary=f"{title}, ingestuurd door {contributor.organisation_name}.",
            body=_body(title, ["Voorbereiden", "Spelen", "Terugkijken"]),
            kind=kind,
            licence=Licence.CC_BY_SA,
            status=status,
            submitted_by=contributor.user,
            organisation_name=contributor.organisation_name,
            submitted_at=now - timedelta(days=offset + 1),
            review_note="Voeg de bladmuziek van de toonladder toe als PDF of MusicXML."
            if status == MaterialStatus.REJECTED
            else "",
            reviewed_by=editor if status == MaterialStatus.REJECTED else None,
        )
        fill_search_columns(material)
        materials.append(material)
        rows.append(
            {
                "groups": [5, 6],
                "instruments": [],
                "themes": ["Samenspel"],
                "file": "pdf",
                "title": title,
            }
        )
    Material.objects.bulk_create(materials)

    goals_by_group: dict[int, list] = {}
    from leerorkest.curriculum.models import LearningGoal

    for goal in LearningGoal.objects.filter(**public_goal_filter()).order_by("code"):
        goals_by_group.setdefault(goal.year_group, []).append(goal)

    through = {
        "instruments": Material.instruments.through,
        "themes": Material.themes.through,
        "goals": Material.goals.through,
    }
    links: dict[str, list] = {name: [] for name in through}
    year_groups, files = [], []
    for material, row in zip(materials, rows, strict=True):
        links["instruments"] += [
            through["instruments"](material=material, instrumenttype=i) for i in row["instruments"]
        ]
        links["themes"] += [
            through["themes"](material=material, theme=themes[t]) for t in row["themes"]
        ]
        year_groups += [
            MaterialYearGroup(material=material, year_group=g) for g in set(row["groups"])
        ]
        if material.kind == MaterialKind.LESSON_PLAN:
            for goal in goals_by_group.get(row["groups"][0], [])[:2]:
                links["goals"].append(through["goals"](material=material, learninggoal=goal))
        stored = _store(row, material)
        if stored is not None:
            files.append(stored)
    for name, rows_to_add in links.items():
        through[name].objects.bulk_create(rows_to_add)
    MaterialYearGroup.objects.bulk_create(year_groups)
    MaterialFile.objects.bulk_create(files)
