"""Access through one door (targets A1, A2).

Every view and API operation declares a rule with `@rule(...)`; a test walks every URL pattern and
API operation and fails when one has none. Rules say who may open a page at all; which objects a
user may see is decided by the `get_<thing>_for_user` helpers and `Thing.objects.for_user`,
which answer 404 for anything outside the user's organisations.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _

from leerorkest.accounts.models import Invitation, Membership, Organisation
from leerorkest.accounts.roles import MANAGER_ROLES, PLATFORM_ADMIN


class AccessDenied(Exception):
    """Raised by rules; pages turn it into a login redirect or a 403 page, the API into JSON."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Rule:
    kind: str  # "public", "login" or "roles"
    roles: frozenset[str] = field(default_factory=frozenset)

    def check(self, request) -> None:
        if self.kind == "public":
            return
        user = request.user
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            raise AccessDenied(401, "not_authenticated", _("Log in first."))
        if self.kind == "login":
            return
        context = getattr(request, "context", None)
        if context is not None and context.user == user:
            # The memberships were loaded once for this request already.
            held = {m.role for m in context.memberships}
            if user.is_platform_admin:
                held.add(PLATFORM_ADMIN)
            if held & self.roles:
                return
        elif user_has_role(user, self.roles):
            return
        raise AccessDenied(403, "forbidden", _("Your role has no access to this."))


PUBLIC = Rule("public")
LOGIN = Rule("login")


def roles(*names: str) -> Rule:
    """Only users holding one of these roles in some organisation (or platform admins, if named)."""
    return Rule("roles", frozenset(names))


MANAGERS = roles(*MANAGER_ROLES, PLATFORM_ADMIN)
PLATFORM_ADMINS = roles(PLATFORM_ADMIN)

# URL namespaces whose views carry their own, equivalent check (see leerorkest.admin_site).
NAMESPACE_RULES = {"admin": PLATFORM_ADMINS}
# Third-party views we mount as they are: the API's schema, its docs page and its root (a 404).
URL_NAME_RULES = {"api:openapi-json": PUBLIC, "api:openapi-view": PUBLIC, "api:api-root": PUBLIC}


def rule(declared: Rule) -> Callable:
    """Declare and enforce who may call a view or API operation."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            declared.check(request)
            return view(request, *args, **kwargs)

        guarded.access_rule = declared
        return guarded

    return decorate


def user_has_role(user, names: Iterable[str]) -> bool:
    names = set(names)
    if PLATFORM_ADMIN in names and user.is_platform_admin:
        return True
    return Membership.objects.filter(
        user=user, role__in=names, organisation__is_active=True
    ).exists()


def get_organisation_for_user(user, pk, *, write: bool = False) -> Organisation:
    """The organisation, if the user may see it (or manage it, with write); otherwise 404."""
    try:
        return Organisation.objects.for_user(user, write=write).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_membership_for_user(user, pk, *, write: bool = False) -> Membership:
    """A membership the user may see; with write, one in an organisation they manage."""
    if write:
        queryset = Membership.objects.filter(
            organisation__in=Organisation.objects.for_user(user, write=True)
        )
    else:
        queryset = Membership.objects.for_user(user)
    try:
        return queryset.select_related("user", "organisation").get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_invitation_for_user(user, pk) -> Invitation:
    """An invitation of an organisation the user manages; otherwise 404."""
    managed = Organisation.objects.for_user(user, write=True)
    try:
        return Invitation.objects.select_related("organisation").get(
            organisation__in=managed, pk=pk
        )
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
