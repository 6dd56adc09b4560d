"""Deterministic demo data: the same seed and scale always give the same organisations and people.

Each part of the platform adds a step to `STEPS`; `build` runs them in order in one transaction.
Bulk inserts keep the Amsterdam scale well under a minute and the national scale possible
(target F6).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Invitation, Membership, Organisation, User, hash_secret
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.demo import academie as academie_steps
from leerorkest.demo import allocation as allocation_steps
from leerorkest.demo import curriculum as curriculum_steps
from leerorkest.demo import data
from leerorkest.demo import depot as depot_steps
from leerorkest.demo import donations as donations_steps
from leerorkest.demo import history as history_steps
from leerorkest.demo import knowledge as knowledge_steps
from leerorkest.demo import loans as loans_steps
from leerorkest.demo import programme as programme_steps
from leerorkest.demo import repertoire as repertoire_steps
from leerorkest.demo import showcase as showcase_steps
from leerorkest.demo import stock as stock_steps
from leerorkest.demo import timetable as timetable_steps
from leerorkest.demo import workshop as workshop_steps
from leerorkest.schools.models import District, Neighbourhood, School

DEMO_PASSWORD = "leerorkest-demo"  # noqa: S105 - printed on purpose; demo databases only
DOMAIN = "leerorkest.example"
POSTCODE_LETTERS = ["AB", "CD", "EK", "GT", "HP", "LR"]


@dataclass(frozen=True)
class Scale:
    name: str
    amsterdam_schools: int
    amsterdam_teachers: int
    partners: int
    partner_schools: int  # schools per partner programme
    partner_teachers: int  # teachers per partner programme


SCALES = {
    "amsterdam": Scale("amsterdam", 20, 100, len(data.PARTNER_TOWNS), 2, 2),
    "national": Scale("national", 20, 100, 100, 5, 20),
}


@dataclass
class Demo:
    """What the steps share: the random source, the scale and the objects built so far."""

    scale: Scale
    rng: random.Random
    password_hash: str
    organisations: dict[str, Organisation] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    used_names: set[str] = field(default_factory=set)
    used_brins: set[str] = field(default_factory=set)
    domain: str = DOMAIN
    # Filled by the programme steps (leerorkest.demo.programme).
    years: dict = field(default_factory=dict)
    menus: dict = field(default_factory=dict)
    pupils: list = field(default_factory=list)
    teachers: list = field(default_factory=list)
    lesson_groups: list = field(default_factory=list)

    def person(self) -> str:
        while True:
            name = f"{self.rng.choice(data.FIRST_NAMES)} {self.rng.choice(data.SURNAMES)}"
            if name not in self.used_names or len(self.used_names) > 1500:
                self.used_names.add(name)
                return name

    def brin(self) -> str:
        while True:
            code = (
                f"{self.rng.randint(10, 31)}{self.rng.choice('ABCDEFGHJKLMNPRSTUVWXZ')}"
                f"{self.rng.choice('ABCDEFGHJKLMNPRSTUVWXZ')}00"
            )
            if code not in self.used_brins:
                self.used_brins.add(code)
                return code

    def users(self, rows: list[tuple[str, str]]) -> list[User]:
        """Create users from (email, full name) pairs in one insert."""
        created = User.objects.bulk_create(
            [User(email=email, full_name=name, password=self.password_hash) for email, name in rows]
        )
        return created

    def memberships(self, pairs: list[tuple[User, Organisation, str]]) -> None:
        Membership.objects.bulk_create(
            [Membership(user=u, organisation=o, role=r) for u, o, r in pairs]
        )


def step_places(demo: Demo) -> None:
    for district_name, neighbourhoods in data.AMSTERDAM.items():
        district = District.objects.create(city="Amsterdam", name=district_name)
        Neighbourhood.objects.bulk_create(
            [
                Neighbourhood(
                    district=district, name=name, is_low_income=low, primary_school_count=count
                )
                for name, low, count in neighbourhoods
            ]
        )


def step_organisations(demo: Demo) -> None:
    orgs = demo.organisations
    orgs["programme"] = Organisation.objects.create(
        name="Stichting Leerorkest",
        slug="leerorkest-amsterdam",
        kind=OrgKind.PROGRAMME,
        city="Amsterdam",
        region="Noord-Holland",
    )
    orgs["depot"] = Organisation.objects.create(
        name="Instrumentendepot Leerorkest",
        slug="instrumentendepot",
        kind=OrgKind.DEPOT,
        city="Amsterdam",
        region="Noord-Holland",
    )
    partners = []
    towns = data.PARTNER_TOWNS
    for index in range(demo.scale.partners):
        city, region, name = towns[index % len(towns)]
        round_ = index // len(towns)
        if name is None or round_:
            name = f"Leerorkest {city}" + (f" {round_ + 1}" if round_ else "")
        partners.append(
            Organisation(
                name=name, slug=slugify(name), kind=OrgKind.PARTNER, city=city, region=region
            )
        )
    created = Organisation.objects.bulk_create(partners)
    for org in created:
        orgs[org.slug] = org


def school_location(demo: Demo, neighbourhood) -> tuple[float, float] | None:
    """A point within about a kilometre of the middle of the school's district."""
    if neighbourhood is None:
        return None
    lat, lon = data.DISTRICT_CENTRES[neighbourhood.district.name]
    return (
        round(lat + demo.rng.uniform(-0.01, 0.01), 5),
        round(lon + demo.rng.uniform(-0.015, 0.015), 5),
    )


def step_schools(demo: Demo) -> None:
    programme = demo.organisations["programme"]
    low_income = list(
        Neighbourhood.objects.filter(is_low_income=True)
        .select_related("district")
        .order_by("district__name", "name")
    )
    names = [f"{demo.rng.choice(data.SCHOOL_PREFIXES)} {n}" for n in data.SCHOOL_NAMES]
    plan = []  # (name, city, region, parent, neighbourhood)
    for index in range(demo.scale.amsterdam_schools):
        base = names[index % len(names)]
        name = base if index < len(names) else f"{base} {index // len(names) + 1}"
        plan.append(
            (name, "Amsterdam", "Noord-Holland", programme, low_income[index % len(low_income)])
        )
    partners = Organisation.objects.filter(kind=OrgKind.PARTNER).order_by("pk")
    # Positions, not database ids: ids differ between runs on PostgreSQL (sequences).
    for position, partner in enumerate(partners):
        for index in range(demo.scale.partner_schools):
            name = f"{names[(position + index) % len(names)]} ({partner.city} {index + 1})"
            plan.append((name, partner.city, partner.region, partner, None))
    schools = Organisation.objects.bulk_create(
        [
            Organisation(
                name=name,
                slug=slugify(f"{name}-{parent.slug}")[:80],
                kind=OrgKind.SCHOOL,
                parent=parent,
                city=city,
                region=region,
            )
            for name, city, region, parent, _n in plan
        ]
    )
    School.objects.bulk_create(
        [
            School(
                organisation=org,
                brin=demo.brin(),
                street=f"{demo.rng.choice(data.STREETS)} {demo.rng.randint(1, 220)}",
                postcode=f"10{demo.rng.randint(20, 99)} {demo.rng.choice(POSTCODE_LETTERS)}",
                neighbourhood=neighbourhood,
                latitude=location[0] if location else None,
                longitude=location[1] if location else None,
            )
            for org, (_name, _c, _r, _p, neighbourhood), location in zip(
                schools, plan, [school_location(demo, p[4]) for p in plan], strict=True
            )
        ]
    )


def step_people(demo: Demo) -> None:
    orgs = demo.organisations
    programme, depot = orgs["programme"], orgs["depot"]
    drechtsteden = orgs["leerorkest-drechtsteden"]

    def named(key: str, label: str, org: Organisation, role: str) -> User:
        user = demo.users([(f"{key}@{DOMAIN}", demo.person())])[0]
        demo.memberships([(user, org, role)])
        demo.logins.append((label, user.email))
        return user

    admin = User.objects.create_user(
        f"beheer@{DOMAIN}",
        None,
        full_name=demo.person(),
        is_platform_admin=True,
        is_staff=True,
        is_superuser=True,
    )
    admin.password = demo.password_hash
    admin.save(update_fields=["password"])
    demo.logins.append(("platform_admin", admin.email))
    coordinator = named("coordinator", Role.COORDINATOR, programme, Role.COORDINATOR)
    teacher = named("docent", Role.TEACHER, programme, Role.TEACHER)
    # The demo teacher also teaches for Drechtsteden: one person, two organisations.
    demo.memberships([(teacher, drechtsteden, Role.TEACHER)])
    first_school = Organisation.objects.filter(kind=OrgKind.SCHOOL, parent=programme).first()
    named("icc", Role.SCHOOL_CONTACT, first_school, Role.SCHOOL_CONTACT)
    named("depot", Role.DEPOT_STAFF, depot, Role.DEPOT_STAFF)
    named("werkmeester", Role.WORKSHOP_LEAD, depot, Role.WORKSHOP_LEAD)
    named("vrijwilliger", Role.WORKSHOP_VOLUNTEER, depot, Role.WORKSHOP_VOLUNTEER)
    named("partner", Role.PARTNER_COORDINATOR, drechtsteden, Role.PARTNER_COORDINATOR)

    # Everyone else, in bulk.
    rows: list[tuple[str, str, Organisation, str]] = []

    def add(prefix: str, count: int, org: Organisation, role: str) -> None:
        for index in range(count):
            rows.append((f"{prefix}{index + 1}@{DOMAIN}", demo.person(), org, role))

    add("coordinator", 2, programme, Role.COORDINATOR)
    add("docent", demo.scale.amsterdam_teachers - 1, programme, Role.TEACHER)
    add("depot", 3, depot, Role.DEPOT_STAFF)
    add("werkmeester", 2, depot, Role.WORKSHOP_LEAD)
    add("vrijwilliger", 14, depot, Role.WORKSHOP_VOLUNTEER)
    schools = Organisation.objects.filter(kind=OrgKind.SCHOOL).exclude(pk=first_school.pk)
    for school in schools.order_by("pk"):
        rows.append((f"icc-{school.slug}@{DOMAIN}", demo.person(), school, Role.SCHOOL_CONTACT))
    for partner in Organisation.objects.filter(kind=OrgKind.PARTNER).order_by("pk"):
        if partner.pk != drechtsteden.pk:
            rows.append(
                (
                    f"partner-{partner.slug}@{DOMAIN}",
                    demo.person(),
                    partner,
                    Role.PARTNER_COORDINATOR,
                )
            )
        add(f"docent-{partner.slug}-", demo.scale.partner_teachers, partner, Role.TEACHER)
    users = demo.users([(email, name) for email, name, _o, _r in rows])
    demo.memberships([(u, o, r) for u, (_e, _n, o, r) in zip(users, rows, strict=True)])

    # A few invitations still waiting, so the coordinator's page shows some.
    Invitation.objects.bulk_create(
        [
            Invitation(
                organisation=programme,
                email=f"nieuwe-docent{index + 1}@{DOMAIN}",
                role=Role.TEACHER,
                token_hash=hash_secret(Invitation.new_token()),
                invited_by=coordinator,
                expires_at=Invitation.default_expiry(),
            )
            for index in range(2)
        ]
    )
    audit(actor=admin, action="demo.build", obj=programme, scale=demo.scale.name)


Step = Callable[[Demo], None]
STEPS: list[Step] = [
    step_places,
    step_organisations,
    step_schools,
    step_people,
    *programme_steps.STEPS,
    timetable_steps.step_timetable,
    curriculum_steps.step_curriculum,
    knowledge_steps.step_knowledge,
    repertoire_steps.step_repertoire,
    academie_steps.step_academie,
    depot_steps.step_depot,
    loans_steps.step_loans,
    stock_steps.step_stock,
    workshop_steps.step_workshop,
    donations_steps.step_donations,
    allocation_steps.step_allocation,
    showcase_steps.step_showcase,
    history_steps.step_history,
]


def build(*, scale: str = "amsterdam", seed: int = 2026) -> list[tuple[str, str]]:
    """Fill an empty database with demo data; returns (role, e-mail) of one login per role."""
    if Organisation.objects.exists():
        raise RuntimeError("The database is not empty; use --fresh to rebuild the demo.")
    demo = Demo(
        scale=SCALES[scale],
        rng=random.Random(seed),
        password_hash=make_password(DEMO_PASSWORD),
    )
    with transaction.atomic():
        for step in STEPS:
            step(demo)
    return demo.logins


def demo_logins() -> list[tuple[str, str]]:
    """One login per role from an existing demo database (the first user of each role)."""
    logins = []
    admin = User.objects.filter(is_platform_admin=True, email__endswith=DOMAIN).first()
    if admin:
        logins.append(("platform_admin", admin.email))
    for role in Role.values:
        key = {
            Role.COORDINATOR: "coordinator",
            Role.TEACHER: "docent",
            Role.SCHOOL_CONTACT: "icc",
            Role.DEPOT_STAFF: "depot",
            Role.WORKSHOP_LEAD: "werkmeester",
            Role.WORKSHOP_VOLUNTEER: "vrijwilliger",
            Role.PARTNER_COORDINATOR: "partner",
        }[role]
        if User.objects.filter(email=f"{key}@{DOMAIN}").exists():
            logins.append((role, f"{key}@{DOMAIN}"))
    return logins
