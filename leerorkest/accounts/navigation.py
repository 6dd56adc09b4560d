"""Navigation and home-page figures per role. Other apps add their own entries at import time."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import AuditEvent, Invitation, Membership, Organisation, User
from leerorkest.accounts.roles import MANAGER_ROLES, PLATFORM_ADMIN, OrgKind, Role

ALL_ROLES = frozenset([*Role.values, PLATFORM_ADMIN])


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    # Some pages are about the active organisation and take its id.
    with_organisation: bool = False
    # Position in the menu: 0 home, 100s programme pages, 800s administration, 900 account.
    order: int = 500


NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "home", ALL_ROLES, order=0),
    NavItem(
        _("Organisations"), "accounts:organisation_list", frozenset({PLATFORM_ADMIN}), order=800
    ),
    NavItem(
        _("Our organisation"),
        "accounts:organisation_detail",
        ALL_ROLES - {PLATFORM_ADMIN},
        with_organisation=True,
        order=810,
    ),
    NavItem(
        _("Audit trail"),
        "accounts:audit_log",
        frozenset({*MANAGER_ROLES, PLATFORM_ADMIN}),
        order=820,
    ),
    NavItem(_("My account"), "accounts:profile", ALL_ROLES, order=900),
]


def register(*items: NavItem) -> None:
    """Apps add their menu entries from their AppConfig.ready()."""
    for item in items:
        if item not in NAVIGATION:
            NAVIGATION.append(item)
    NAVIGATION.sort(key=lambda item: item.order)


def navigation_for(context) -> list[dict]:
    if context is None or context.role is None:
        return []
    items = []
    for item in NAVIGATION:
        if context.role not in item.roles:
            continue
        if item.with_organisation:
            url = reverse(item.url_name, args=[context.organisation.pk])
        else:
            url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "name": item.url_name})
    return items


@dataclass
class Figure:
    key: str  # stable name, for tests and the API
    label: str
    value: int
    url: str = ""


# Each provider takes the request context and returns figures for the home page.
FigureProvider = Callable[[object], list[Figure]]
HOME_FIGURES: dict[str, list[FigureProvider]] = {role: [] for role in ALL_ROLES}


def home_figures(context) -> list[Figure]:
    figures: list[Figure] = []
    for provider in HOME_FIGURES.get(context.role, []):
        figures.extend(provider(context))
    return figures


def platform_figures(context) -> list[Figure]:
    by_kind = Organisation.objects.filter(is_active=True).aggregate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in OrgKind.values}
    )
    since = timezone.now() - timedelta(days=7)
    organisations = reverse("accounts:organisation_list")
    return [
        Figure(
            "programmes",
            _("Programmes"),
            by_kind[OrgKind.PROGRAMME],
            organisations + "?kind=programme",
        ),
        Figure(
            "partners",
            _("Partner programmes"),
            by_kind[OrgKind.PARTNER],
            organisations + "?kind=partner",
        ),
        Figure("schools", _("Schools"), by_kind[OrgKind.SCHOOL], organisations + "?kind=school"),
        Figure("depots", _("Depots"), by_kind[OrgKind.DEPOT], organisations + "?kind=depot"),
        Figure("active_users", _("Active users"), User.objects.filter(is_active=True).count()),
        Figure(
            "audit_events_7d",
            _("Audit events in the last 7 days"),
            AuditEvent.objects.filter(at__gte=since).count(),
            reverse("accounts:audit_log"),
        ),
    ]


def organisation_figures(context) -> list[Figure]:
    organisation = context.organisation
    detail = reverse("accounts:organisation_detail", args=[organisation.pk])
    figures = [
        Figure(
            "members",
            _("Members"),
            Membership.objects.filter(organisation=organisation, user__is_active=True)
            .values("user")
            .distinct()
            .count(),
            detail,
        )
    ]
    if organisation.kind == OrgKind.PROGRAMME:
        figures.append(
            Figure(
                "schools",
                _("Schools"),
                organisation.children.filter(is_active=True).count(),
                detail,
            )
        )
    if context.membership.is_manager:
        figures.append(
            Figure(
                "open_invitations",
                _("Open invitations"),
                Invitation.objects.filter(
                    organisation=organisation,
                    accepted_at__isnull=True,
                    revoked_at__isnull=True,
                    expires_at__gt=timezone.now(),
                ).count(),
                detail,
            )
        )
    if organisation.kind == OrgKind.DEPOT:
        figures.append(
            Figure(
                "programmes_served",
                _("Programmes the depot serves"),
                Organisation.objects.filter(
                    is_active=True, kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER]
                ).count(),
            )
        )
    return figures


HOME_FIGURES[PLATFORM_ADMIN].append(platform_figures)
for _role in Role.values:
    HOME_FIGURES[_role].append(organisation_figures)
