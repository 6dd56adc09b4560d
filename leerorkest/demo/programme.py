"""Demo steps for the programme: school years, participation, classes and ~5,000 pupils, teachers,
instrument choices, lesson groups, ensembles, partners and a season of events.

Dates follow today's date (the current school year is the one running now), so the demo always
shows a year in progress; everything else follows the seed.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation

from leerorkest.accounts.models import User
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.demo import data
from leerorkest.programme import catalogue as instrument_catalogue
from leerorkest.programme.actions_events import DEFAULT_TASKS
from leerorkest.programme.models import (
    Agreement,
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    Event,
    EventTask,
    InstrumentChoice,
    InstrumentFamily,
    InstrumentType,
    LessonGroup,
    LessonGroupMember,
    Partner,
    PartnerContact,
    Sectional,
    SectionTarget,
    Teacher,
    TeacherAvailability,
    TrainingRecord,
)
from leerorkest.programme.models.teachers import TravelMode
from leerorkest.schools.models import (
    ClassPlacement,
    Consent,
    ConsentPurpose,
    District,
    Holiday,
    HolidayRegion,
    Pupil,
    Room,
    School,
    SchoolClass,
    SchoolParticipation,
    SchoolYear,
)

# Menus the schools' teacher teams cover (codes of the instrument catalogue).
MENUS = [
    ["violin", "cello", "double-bass", "flute", "trumpet", "percussion"],
    ["violin", "viola", "cello", "clarinet", "horn", "percussion"],
    ["violin", "cello", "flute", "trombone", "baritone", "harp"],
    ["violin", "double-bass", "flute", "baritone"],
    ["violin", "cello", "clarinet", "trumpet", "trombone", "percussion", "harp"],
]


def current_start_year(today: date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def demo_music_day(today: date) -> int:
    """The weekday the demo teacher works: today, or Monday at weekends."""
    return today.weekday() if today.weekday() < 5 else 0


def step_school_years(demo) -> None:
    start = current_start_year(timezone.localdate())
    demo.years = {}
    for offset in (-1, 0, 1):
        year = SchoolYear.for_start_year(start + offset)
        demo.years[offset] = year
        holidays = []
        for shift, region in enumerate(HolidayRegion.values):
            y = year.starts_on.year
            week = timedelta(days=7 * shift)
            holidays += [
                (region, "summer", date(y, 8, 1), date(y, 8, 16) + week),
                (region, "autumn", date(y, 10, 17) - week, date(y, 10, 25) - week),
                (region, "christmas", date(y, 12, 19), date(y + 1, 1, 3)),
                (region, "spring", date(y + 1, 2, 13) + week, date(y + 1, 2, 21) + week),
                (region, "may", date(y + 1, 4, 24), date(y + 1, 5, 2)),
                (region, "summer", date(y + 1, 7, 3) + week, date(y + 1, 7, 31)),
            ]
        Holiday.objects.bulk_create(
            [
                Holiday(school_year=year, region=r, kind=k, starts_on=s, ends_on=e)
                for r, k, s, e in holidays
            ]
        )


def amsterdam_schools(demo) -> list[School]:
    return list(
        School.objects.filter(organisation__parent=demo.organisations["programme"])
        .select_related("organisation")
        .order_by("pk")
    )


def step_participation(demo) -> None:
    instrument_catalogue.install(InstrumentType)  # idempotent; survives a flush
    catalogue = {i.code: i for i in InstrumentType.objects.all()}
    today = timezone.localdate()
    schools = amsterdam_schools(demo)
    demo.menus = {}
    rooms = []
    for index, school in enumerate(schools):
        menu = [catalogue[code] for code in MENUS[index % len(MENUS)]]
        demo.menus[school.pk] = menu
        # The demo teacher's first school has its music day today.
        # Wednesday afternoons are free in Dutch primary schools: no other music days then.
        music_day = demo_music_day(today) if index == 0 else (0, 1, 3, 4)[index % 4]
        for offset in (-1, 0):
            participation = SchoolParticipation.objects.create(
                school=school,
                school_year=demo.years[offset],
                year_groups=[3, 4, 5, 6, 7, 8] if index % 4 else [5, 6, 7, 8],
                music_day=music_day,
                day_starts_at=time(8, 30),
                day_ends_at=time(15, 0) if music_day != 2 else time(12, 15),
            )
            participation.instruments.set(menu)
        names = [
            "Aula",
            "Gymzaal",
            "Lokaal 1.04",
            "Lokaal 1.12",
            "Speellokaal",
            "Bibliotheek",
            "Lokaal 0.08",
            "Teamkamer",
        ]
        for number, name in enumerate(names[: 7 + index % 2]):
            rooms.append(
                Room(
                    school=school,
                    name=name,
                    # The aula and the gym hold a year-group orchestra.
                    capacity=(70, 90)[number] if number < 2 else 8,
                    fits_harp=number in (0, 4),
                    fits_percussion=number in (0, 1),
                    cello_storage=number == 2,
                )
            )
    Room.objects.bulk_create(rooms)


def child_name(demo) -> tuple[str, str, str]:
    prefix, surname = demo.rng.choice(data.CHILD_SURNAMES)
    return demo.rng.choice(data.CHILD_NAMES), prefix, surname


def step_pupils(demo) -> None:
    """Classes groep 3–8 this year and last year, ~26 children a class, with their history."""
    programme = demo.organisations["programme"]
    now, last = demo.years[0], demo.years[-1]
    classes_now, classes_last, pupils, plan = [], [], [], []
    for index, school in enumerate(amsterdam_schools(demo)):
        letters = "A" if index % 3 == 2 else "AB"
        for year_group in range(3, 9):
            for letter in letters:
                teacher = demo.rng.choice(data.CLASS_TEACHERS)
                classes_now.append(
                    SchoolClass(
                        school=school,
                        school_year=now,
                        year_group=year_group,
                        name=f"{year_group}{letter}",
                        class_teacher=teacher,
                    )
                )
                if year_group > 3:
                    classes_last.append(
                        SchoolClass(
                            school=school,
                            school_year=last,
                            year_group=year_group - 1,
                            name=f"{year_group - 1}{letter}",
                            class_teacher=demo.rng.choice(data.CLASS_TEACHERS),
                        )
                    )
                for _ in range(demo.rng.randint(23, 29)):
                    given, prefix, surname = child_name(demo)
                    # Age on 1 October is groep + 4.
                    born = date(now.starts_on.year - year_group - 4, 1, 1) + timedelta(
                        days=demo.rng.randint(0, 364)
                    )
                    with_parent = demo.rng.random() < 0.7
                    pupils.append(
                        Pupil(
                            organisation=programme,
                            given_name=given,
                            surname_prefix=prefix,
                            surname=surname,
                            date_of_birth=born,
                            parent_name=f"{demo.rng.choice(data.FIRST_NAMES)} {surname}"
                            if with_parent
                            else "",
                            parent_phone=f"06-{demo.rng.randint(10000000, 99999999)}"
                            if with_parent
                            else "",
                        )
                    )
                    plan.append((school.pk, now.pk, f"{year_group}{letter}", year_group))
    classes_now = SchoolClass.objects.bulk_create(classes_now)
    classes_last = SchoolClass.objects.bulk_create(classes_last)
    pupils = Pupil.objects.bulk_create(pupils)
    by_key = {(c.school_id, c.school_year_id, c.name): c for c in classes_now + classes_last}
    placements = []
    for pupil, (school_id, year_id, name, year_group) in zip(pupils, plan, strict=True):
        placements.append(
            ClassPlacement(
                pupil=pupil,
                school_class=by_key[(school_id, year_id, name)],
                school_year_id=year_id,
                is_leaving=year_group == 8,
            )
        )
        if year_group > 3:
            previous = by_key[(school_id, last.pk, f"{year_group - 1}{name[-1]}")]
            placements.append(
                ClassPlacement(pupil=pupil, school_class=previous, school_year_id=last.pk)
            )
    ClassPlacement.objects.bulk_create(placements)
    demo.pupils = list(zip(pupils, plan, strict=True))
    coordinator = User.objects.get(email=f"coordinator@{demo.domain}")
    consents = []
    for pupil in pupils:
        if demo.rng.random() < 0.85:
            consents.append(
                Consent(
                    pupil=pupil,
                    purpose=ConsentPurpose.PHOTO_VIDEO,
                    given=demo.rng.random() < 0.8,
                    given_by=pupil.parent_name or "ouder",
                    source=Consent.Source.PAPER,
                    decided_on=now.starts_on + timedelta(days=30),
                    recorded_by=coordinator,
                )
            )
    Consent.objects.bulk_create(consents)


def step_teachers(demo) -> None:
    """A Teacher profile for every teacher of the programme, the demo teacher first."""
    programme = demo.organisations["programme"]
    catalogue = list(InstrumentType.objects.all())
    districts = list(District.objects.all())
    today = timezone.localdate()
    users = list(
        User.objects.filter(
            memberships__organisation=programme, memberships__role=Role.TEACHER
        ).order_by("pk")
    )
    teachers = Teacher.objects.bulk_create(
        [
            Teacher(
                organisation=programme,
                user=user,
                full_name=user.full_name,
                email=user.email,
                phone=f"06-{demo.rng.randint(10000000, 99999999)}",
                is_conductor=index % 8 == 7,
                # A few have no bicycle and take the tram.
                travel_mode=TravelMode.TRANSIT if index % 25 == 24 else TravelMode.BICYCLE,
                contracted_hours=demo.rng.choice([8, 12, 16, 20, 24]),
                # A spread of certificates: a few expired or about to.
                vog_date=today - timedelta(days=demo.rng.randint(30, 3 * 365 + 40)),
            )
            for index, user in enumerate(users)
        ]
    )
    availability, training = [], []
    # Teachers per instrument in proportion to the schools' instrument menus, so that the
    # timetable planner finds a week for every lesson group.
    demand = Counter(i.pk for menu in demo.menus.values() for i in menu)
    hired: Counter = Counter()
    for index, teacher in enumerate(teachers):
        main = max(catalogue, key=lambda i: (demand[i.pk] / (hired[i.pk] + 1), -i.sort_order))
        hired[main.pk] += 1
        second = catalogue[(index * 7 + 3) % len(catalogue)]
        teacher.instruments.set({main, second} if index % 3 == 0 else {main})
        teacher.districts.set(demo.rng.sample(districts, k=1 + index % 2))
        days = 5 if teacher.is_conductor else 3 + index % 2
        weekdays = set(demo.rng.sample(range(5), k=days))
        if index == 0:
            weekdays.add(demo_music_day(today))
        availability += [
            TeacherAvailability(
                teacher=teacher, weekday=day, starts_at=time(8, 0), ends_at=time(16, 0)
            )
            for day in sorted(weekdays)
        ]
        if index % 4 == 0:
            training.append(
                TrainingRecord(
                    teacher=teacher,
                    title="Sociaal-pedagogische aanpak in de Leerorkestles",
                    attended_on=today - timedelta(days=demo.rng.randint(20, 400)),
                    hours=3,
                )
            )
    TeacherAvailability.objects.bulk_create(availability)
    TrainingRecord.objects.bulk_create(training)
    demo.teachers = teachers


def step_choices_and_groups(demo) -> None:
    """Groep 5 has chosen (three preferences, not yet assigned); groep 6–8 play in lesson groups."""
    programme = demo.organisations["programme"]
    now = demo.years[0]
    teachers_by_instrument: dict[int, list[Teacher]] = {}
    for teacher in Teacher.objects.filter(organisation=programme).prefetch_related("instruments"):
        for instrument in teacher.instruments.all():
            teachers_by_instrument.setdefault(instrument.pk, []).append(teacher)
    demo_teacher = demo.teachers[0]
    own = set(demo_teacher.instruments.values_list("pk", flat=True))
    first_school_id = amsterdam_schools(demo)[0].pk
    choices, targets, groups, members_plan = [], [], [], []
    load: dict[int, int] = {}
    by_school_group: dict[tuple[int, int], list[Pupil]] = {}
    for pupil, (school_id, _year, _name, year_group) in demo.pupils:
        by_school_group.setdefault((school_id, year_group), []).append(pupil)
    for (school_id, year_group), pupils in sorted(by_school_group.items()):
        menu = demo.menus[school_id]
        if year_group == 5:
            share = -(-len(pupils) // len(menu))
            targets += [
                SectionTarget(
                    school_id=school_id,
                    school_year=now,
                    year_group=5,
                    instrument=i,
                    wanted=min(share + 1, 2 * i.lesson_group_size),
                )
                for i in menu
            ]
            for pupil in pupils:
                first, second, third = demo.rng.sample(menu, k=3)
                # Violin and percussion are popular, as everywhere.
                if demo.rng.random() < 0.3:
                    first = menu[0]
                    others = dict.fromkeys(i for i in (second, third, *menu) if i != first)
                    second, third = list(others)[:2]
                choices.append(
                    InstrumentChoice(
                        pupil=pupil, school_year=now, first=first, second=second, third=third
                    )
                )
            continue
        if year_group < 6:
            continue
        chosen_in = SchoolYear.for_start_year(now.starts_on.year - (year_group - 5))
        per_instrument: dict[int, list[Pupil]] = {}
        for index, pupil in enumerate(pupils):
            instrument = menu[index % len(menu)]
            per_instrument.setdefault(instrument.pk, []).append(pupil)
            choices.append(
                InstrumentChoice(
                    pupil=pupil, school_year=chosen_in, first=instrument, assigned=instrument
                )
            )
        for instrument in menu:
            players = per_instrument.get(instrument.pk, [])
            size = instrument.lesson_group_size
            for number, start in enumerate(range(0, len(players), size), start=1):
                if school_id == first_school_id and number == 1 and instrument.pk in own:
                    teacher = demo_teacher  # the demo teacher has groups on today's music day
                else:
                    candidates = [
                        t
                        for t in teachers_by_instrument.get(instrument.pk) or demo.teachers
                        if t.pk != demo_teacher.pk
                    ]
                    teacher = min(candidates, key=lambda t: (load.get(t.pk, 0), t.pk))
                load[teacher.pk] = load.get(teacher.pk, 0) + 1
                groups.append(
                    LessonGroup(
                        organisation=programme,
                        school_id=school_id,
                        school_year=now,
                        year_group=year_group,
                        instrument=instrument,
                        teacher=teacher,
                        name=f"{instrument.name_nl} {year_group}-{number}",
                        max_size=size,
                    )
                )
                members_plan.append(players[start : start + size])
    InstrumentChoice.objects.bulk_create(choices)
    SectionTarget.objects.bulk_create(targets)
    groups = LessonGroup.objects.bulk_create(groups)
    LessonGroupMember.objects.bulk_create(
        [
            LessonGroupMember(group=group, pupil=pupil, school_year=now)
            for group, players in zip(groups, members_plan, strict=True)
            for pupil in players
        ]
    )
    demo.lesson_groups = groups


def step_ensembles(demo) -> None:
    programme = demo.organisations["programme"]
    now = demo.years[0]
    conductors = [t for t in demo.teachers if t.is_conductor] or demo.teachers[:3]
    schools = amsterdam_schools(demo)
    orchestras = []
    for index, school in enumerate(schools):
        for year_group in (5, 6, 7, 8):
            orchestras.append(
                Ensemble(
                    organisation=programme,
                    kind=EnsembleKind.SCHOOL_ORCHESTRA,
                    name=f"Leerorkest {school.organisation.name} groep {year_group}",
                    school_year=now,
                    school=school,
                    year_group=year_group,
                    conductor=conductors[(index + year_group) % len(conductors)],
                    venue=f"{school.organisation.name}, aula",
                )
            )
    orchestras = Ensemble.objects.bulk_create(orchestras)
    by_key = {(e.school_id, e.year_group): e for e in orchestras}
    instrument_of = dict(
        LessonGroupMember.objects.filter(school_year=now).values_list(
            "pupil_id", "group__instrument_id"
        )
    )
    members = [
        EnsembleMember(
            ensemble=by_key[(school_id, year_group)],
            pupil=pupil,
            instrument_id=instrument_of.get(pupil.pk),
        )
        for pupil, (school_id, _y, _n, year_group) in demo.pupils
        if year_group >= 6
    ]
    # Neighbourhood talent orchestras after school, children of several schools and seniors.
    venues = [
        ("Noord", "Buurthuis De Meeuw", 1),
        ("Nieuw-West", "De Globe", 2),
        ("Zuidoost", "Muziekcentrum Zuidoost", 1),
    ]
    talents = [p for p, plan in demo.pupils if plan[3] >= 6]
    for number, (district, venue, weekday) in enumerate(venues):
        wto = Ensemble.objects.create(
            organisation=programme,
            kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA,
            name=f"Wijktalentorkest {district}",
            school_year=now,
            conductor=conductors[number % len(conductors)],
            venue=venue,
            weekday=weekday,
            starts_at=time(15, 30),
            ends_at=time(17, 30),
            capacity=30,
        )
        # A child plays in one talent orchestra: they may rehearse at the same time.
        chosen = demo.rng.sample(talents, k=34)
        talents = [p for p in talents if p not in chosen]
        for position, pupil in enumerate(chosen):
            members.append(
                EnsembleMember(
                    ensemble=wto,
                    pupil=pupil,
                    instrument_id=instrument_of.get(pupil.pk),
                    status=EnsembleMember.Status.ACTIVE
                    if position < 28
                    else EnsembleMember.Status.WAITING,
                )
            )
        for _ in range(2):
            given, prefix, surname = child_name(demo)
            senior = Pupil.objects.create(
                organisation=programme,
                given_name=given,
                surname_prefix=prefix,
                surname=surname,
                date_of_birth=date(now.starts_on.year - 14, 3, 1),
                left_on=now.starts_on - timedelta(days=40),
                secondary_school=demo.rng.choice(data.SECONDARY_SCHOOLS),
            )
            members.append(EnsembleMember(ensemble=wto, pupil=senior, is_senior=True))
    follow_up = Ensemble.objects.create(
        organisation=programme,
        kind=EnsembleKind.SECONDARY,
        name="SuperSymphonics Zuidoost",
        school_year=now,
        conductor=conductors[0],
        venue="SG Reigersbos",
        weekday=3,
        starts_at=time(14, 0),
        ends_at=time(15, 30),
        capacity=40,
    )
    leavers = [p for p, plan in demo.pupils if plan[3] == 8][:30]
    members += [
        EnsembleMember(ensemble=follow_up, pupil=p, status=EnsembleMember.Status.INVITED)
        for p in leavers
    ]
    EnsembleMember.objects.bulk_create(members)
    _sectionals(demo, by_key)


def _sectionals(demo, by_key) -> None:
    """A weekly strings sectional for the groep 8 orchestra of every fourth school whose menu
    has two or more string instruments, led by a violin teacher."""
    schools = amsterdam_schools(demo)
    for school in schools[::4]:
        strings = [i for i in demo.menus[school.pk] if i.family == InstrumentFamily.STRINGS]
        violin = next((i for i in strings if i.code == "violin"), None)
        if violin is None or len(strings) < 2:
            continue
        sectional = Sectional.objects.create(
            ensemble=by_key[(school.pk, 8)], name="Strijkers", led_by=violin, minutes=30
        )
        sectional.instruments.set(strings)


def step_partners_and_events(demo) -> None:
    # Checklist lines are stored in the office's language, as when an event is created.
    with translation.override(settings.LANGUAGE_CODE):
        default_labels = [str(label) for label in DEFAULT_TASKS]
    programme = demo.organisations["programme"]
    now = demo.years[0]
    partners = []
    for name, kind, city in data.PARTNERS:
        partner = Partner.objects.create(organisation=programme, name=name, kind=kind, city=city)
        PartnerContact.objects.create(
            partner=partner,
            name=demo.person(),
            role="Educatie",
            email=f"educatie@{partner.pk}.partner.{demo.domain}",
        )
        Agreement.objects.create(
            partner=partner,
            title=f"Samenwerking {now}",
            starts_on=now.starts_on,
            ends_on=now.ends_on,
            notes="Zaal, techniek en begeleiding bij twee concerten.",
        )
        partners.append(partner)
    ensembles = list(Ensemble.objects.filter(organisation=programme).order_by("pk"))
    year = now.starts_on.year
    season = [
        ("Kerstconcert Zuidoost", "concert", "Podium Mozaïek", date(year, 12, 15), 2),
        ("Kerstconcert Noord", "concert", "Tolhuistuin", date(year, 12, 16), 3),
        (
            "Gezamenlijke repetitie groep 7",
            "rehearsal",
            "Muziekcentrum Zuidoost",
            date(year + 1, 3, 11),
            4,
        ),
        (
            "Zomerconcert met het NedPhO",
            "concert",
            "Muziekgebouw aan 't IJ",
            date(year + 1, 6, 20),
            0,
        ),
        ("Wijktalentorkesten in concert", "concert", "Podium Mozaïek", date(year + 1, 5, 24), 1),
    ]
    tz = timezone.get_current_timezone()
    for index, (title, kind, venue, day, partner_index) in enumerate(season):
        event = Event.objects.create(
            organisation=programme,
            title=title,
            kind=kind,
            venue=venue,
            partner=partners[partner_index],
            starts_at=datetime.combine(day, time(15, 0), tz),
            ends_at=datetime.combine(day, time(17, 0), tz),
        )
        event.ensembles.set(ensembles[index * 6 : index * 6 + 6])
        EventTask.objects.bulk_create(
            [
                EventTask(
                    event=event, label=label, position=position, done=index == 0 and position < 2
                )
                for position, label in enumerate(default_labels)
            ]
        )


def step_partner_pupils(demo) -> None:
    """National scale only: the partner programmes' schools get classes groep 5–8 this year with
    their pupils, bringing the platform to ~50,000 children (target F2)."""
    if demo.scale.name != "national":
        return
    now = demo.years[0]
    schools = list(
        School.objects.filter(organisation__parent__kind=OrgKind.PARTNER)
        .select_related("organisation__parent")
        .order_by("pk")
    )
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(
                school=school,
                school_year=now,
                year_group=year_group,
                name=f"{year_group}A",
                class_teacher=demo.rng.choice(data.CLASS_TEACHERS),
            )
            for school in schools
            for year_group in range(5, 9)
        ]
    )
    pupils, plan = [], []
    for school_class in classes:
        partner = school_class.school.organisation.parent
        for _ in range(demo.rng.randint(20, 26)):
            given, prefix, surname = child_name(demo)
            born = date(now.starts_on.year - school_class.year_group - 4, 1, 1) + timedelta(
                days=demo.rng.randint(0, 364)
            )
            pupils.append(
                Pupil(
                    organisation=partner,
                    given_name=given,
                    surname_prefix=prefix,
                    surname=surname,
                    date_of_birth=born,
                )
            )
            plan.append(school_class)
    pupils = Pupil.objects.bulk_create(pupils, batch_size=5000)
    ClassPlacement.objects.bulk_create(
        [
            ClassPlacement(
                pupil=pupil,
                school_class=school_class,
                school_year_id=now.pk,
                is_leaving=school_class.year_group == 8,
            )
            for pupil, school_class in zip(pupils, plan, strict=True)
        ],
        batch_size=5000,
    )


STEPS = [
    step_school_years,
    step_participation,
    step_pupils,
    step_teachers,
    step_choices_and_groups,
    step_ensembles,
    step_partners_and_events,
    step_partner_pupils,
]
