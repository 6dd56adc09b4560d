"""Targets A1 and A2: every URL and API operation declares an access rule, and every URL that takes
an object id answers 404 to a user of another organisation.

When you add a URL or API operation with an object id, add a builder for it to OBJECT_URLS (or
OBJECT_OPERATIONS); the coverage tests fail until you do.
"""

import re
from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja.operation import PathView

from leerorkest.accounts.access import NAMESPACE_RULES, URL_NAME_RULES, Rule
from leerorkest.accounts.actions import create_api_token, invite_user
from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.api import api
from leerorkest.testing import make_organisation


def path_view_of(callback) -> PathView | None:
    """Ninja mounts each API path as a closure over its PathView; find it."""
    for cell in getattr(callback, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents
    return None


def walk(
    patterns, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        else:
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else ""
            yield namespace, name, entry, prefix + str(entry.pattern)


def params(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)


def all_patterns():
    return [(ns, name, p, route) for ns, name, p, route in walk(get_resolver().url_patterns)]


def api_operations():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, path, operation


# --- A1 -----------------------------------------------------------------------------------------


def test_every_url_pattern_declares_an_access_rule():
    missing = []
    for namespace, name, pattern, route in all_patterns():
        callback = pattern.callback
        path_view = path_view_of(callback)
        if path_view is not None:
            views = [operation.view_func for operation in path_view.operations]
        else:
            views = [callback]
        if name in URL_NAME_RULES or namespace.split(":")[0] in NAMESPACE_RULES:
            continue
        if not all(isinstance(getattr(v, "access_rule", None), Rule) for v in views):
            missing.append(f"{route} ({name or callback})")
    assert not missing, "URL patterns without an access rule:\n" + "\n".join(missing)


def test_every_api_operation_declares_an_access_rule():
    operations = list(api_operations())
    assert operations, "the API has no operations"
    missing = [
        f"{method} {path}"
        for method, path, operation in operations
        if not isinstance(getattr(operation.view_func, "access_rule", None), Rule)
    ]
    assert not missing, "API operations without an access rule:\n" + "\n".join(missing)


def test_a_view_without_a_rule_is_noticed():
    """The walk above has teeth: a bare view is reported."""
    from django.urls import path

    def bare(request):
        raise AssertionError

    patterns = [path("bare/<int:pk>/", bare, name="bare")]
    found = [p.callback for _ns, _n, p, _r in walk(patterns)]
    assert found == [bare]
    assert getattr(found[0], "access_rule", None) is None


# --- A2 -----------------------------------------------------------------------------------------

# URL name -> builder(personas) returning the kwargs of an object that belongs to
# personas.organisation (the owner's), plus the method to use.
ObjectBuilder = Callable[..., tuple[str, dict]]

# Links whose path is the credential; the accounts tests follow them with real tokens.
CREDENTIAL_LINKS = {"accounts:accept_invitation", "accounts:password_reset_confirm"}


def _organisation(p):
    return "get", {"pk": p.organisation.pk}


def _school_of_programme(p):
    school = make_organisation(kind=OrgKind.SCHOOL, parent=p.organisation)
    return "get", {"pk": school.pk}


def _invitation(p):
    invitation = invite_user(
        organisation=p.organisation, email="new@test.example", role=Role.TEACHER, by=p.owner
    )
    return "post", {"pk": invitation.pk}


def _membership(p):
    membership = Membership.objects.get(user=p.member, organisation=p.organisation)
    return "post", {"pk": membership.pk}


def _token(p):
    token, _raw = create_api_token(user=p.owner, name="script")
    return "post", {"pk": token.pk}


def _invitation_token(p):
    # The link itself is the credential; a wrong or used token must look like nothing exists.
    return "get", {"token": "not-a-real-invitation-token"}


OBJECT_URLS: dict[str, ObjectBuilder] = {
    "accounts:organisation_detail": _organisation,
    "accounts:revoke_invitation": _invitation,
    "accounts:resend_invitation": _invitation,
    "accounts:remove_membership": _membership,
    "accounts:token_revoke": _token,
    "accounts:accept_invitation": _invitation_token,
    "accounts:password_reset_confirm": lambda p: (
        "get",
        {"uidb64": "MQ", "token": "set-password"},
    ),
}

OBJECT_OPERATIONS: dict[str, Callable] = {
    "/organisations/{org_id}": lambda p: {"org_id": p.organisation.pk},
    "/organisations/{org_id}/members": lambda p: {"org_id": p.organisation.pk},
}


def _collect_builders() -> None:
    """Each part of the platform keeps its builders in tests/access_<part>.py."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("access_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        OBJECT_URLS.update(getattr(module, "OBJECT_URLS", {}))
        OBJECT_OPERATIONS.update(getattr(module, "OBJECT_OPERATIONS", {}))
        CREDENTIAL_LINKS.update(getattr(module, "CREDENTIAL_LINKS", set()))


_collect_builders()

PASSWORD_RESET_CONFIRM_OK = {200}  # Django's own page: "this link is no longer valid"


def object_url_names():
    for namespace, name, pattern, _route in all_patterns():
        if namespace.split(":")[0] in NAMESPACE_RULES or namespace == "api":
            continue
        if params(pattern):
            yield name


def test_every_object_url_has_a_builder():
    missing = sorted(set(object_url_names()) - set(OBJECT_URLS))
    assert not missing, "Object URLs without an A2 builder in OBJECT_URLS: " + ", ".join(missing)


def test_every_object_operation_has_a_builder():
    with_params = {path for _m, path, _op in api_operations() if re.search(r"{\w+}", path)}
    missing = sorted(with_params - set(OBJECT_OPERATIONS))
    assert not missing, "API operations with ids but no builder: " + ", ".join(missing)


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_outsider_gets_404_on_object_url(client, personas, name):
    method, kwargs = OBJECT_URLS[name](personas)
    url = reverse(name, kwargs=kwargs)
    client.force_login(personas.outsider)
    response = getattr(client, method)(url)
    if name == "accounts:password_reset_confirm":
        # Not tenant data: a bad link shows Django's "invalid link" page, never an account.
        assert response.status_code in PASSWORD_RESET_CONFIRM_OK
        assert response.context["validlink"] is False
        return
    assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(set(OBJECT_URLS) - CREDENTIAL_LINKS))
def test_owner_reaches_object_url(client, personas, name):
    """The same builders, as the owner: the objects exist and are reachable (no false 404s)."""
    method, kwargs = OBJECT_URLS[name](personas)
    client.force_login(personas.owner)
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code in {200, 302}


@pytest.mark.parametrize("path", sorted(OBJECT_OPERATIONS))
def test_outsider_gets_404_on_api_object(client, personas, path):
    built = OBJECT_OPERATIONS[path](personas)
    # A builder gives the path parameters for a GET, or (method, parameters[, JSON body]) for
    # a path that has no GET (an action such as approve).
    method, kwargs, *body = built if isinstance(built, tuple) else ("get", built)

    def call(url, headers):
        if body:
            return getattr(client, method)(
                url, body[0], content_type="application/json", headers=headers
            )
        return getattr(client, method)(url, headers=headers)

    _token, raw = create_api_token(user=personas.outsider, name="probe")
    url = "/api/v1" + path.format(**kwargs)
    response = call(url, headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # And the owner does reach it: the 404 is about access, not a missing object.
    _token, own = create_api_token(user=personas.owner, name="probe")
    reached = call(url, headers={"authorization": f"Bearer {own}"}).status_code
    assert reached in {200, 201}


def test_outsider_gets_404_on_admin_object_urls(client, personas):
    """The admin site is for platform administrators; for everyone else it does not exist."""
    client.force_login(personas.owner)
    checked = 0
    for namespace, name, pattern, _route in all_patterns():
        if namespace != "admin" or not params(pattern):
            continue
        kwargs = {}
        for key in params(pattern):
            kwargs[key] = {
                "object_id": str(personas.organisation.pk),
                "content_type_id": 1,
                "app_label": "accounts",
            }.get(key, "1")
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: S112 - app-specific patterns need other labels
            continue
        assert client.get(url).status_code == 404, url
        checked += 1
    assert checked > 10
