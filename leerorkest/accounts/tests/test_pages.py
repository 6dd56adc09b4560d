"""Pages per role: navigation, home figures, organisation pages, audit trail, N+1 guards."""

import pytest
from django.urls import reverse

from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.testing import make_member, make_organisation


def nav_names(response):
    return [item["name"] for item in response.context["nav_items"]]


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:login"))


def test_coordinator_home_shows_real_figures(client, personas):
    make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    client.force_login(personas.owner)
    response = client.get(reverse("home"))
    figures = {f.key: f.value for f in response.context["figures"]}
    assert figures["members"] == 2
    assert figures["schools"] == 1
    assert figures["open_invitations"] == 0
    assert "accounts:audit_log" in nav_names(response)


def test_teacher_navigation_has_no_manager_pages(client, personas):
    client.force_login(personas.member)
    response = client.get(reverse("home"))
    assert "accounts:audit_log" not in nav_names(response)
    assert "accounts:organisation_list" not in nav_names(response)
    assert client.get(reverse("accounts:audit_log")).status_code == 403


def test_platform_admin_sees_all_organisations(client, personas, platform_admin):
    client.force_login(platform_admin)
    response = client.get(reverse("home"))
    assert "accounts:organisation_list" in nav_names(response)
    listing = client.get(reverse("accounts:organisation_list"))
    assert listing.context["page"].paginator.count == Organisation.objects.count()
    assert client.get(reverse("admin:index")).status_code == 200


def test_member_page_shows_no_member_list_to_teachers(client, personas):
    client.force_login(personas.member)
    response = client.get(reverse("accounts:organisation_detail", args=[personas.organisation.pk]))
    assert response.status_code == 200
    assert personas.owner.email not in response.content.decode()
    client.force_login(personas.owner)
    response = client.get(reverse("accounts:organisation_detail", args=[personas.organisation.pk]))
    assert personas.member.email in response.content.decode()


def test_platform_admin_creates_an_organisation(client, platform_admin, personas):
    client.force_login(platform_admin)
    url = reverse("accounts:organisation_create")
    bad = client.post(url, {"name": "School zonder programma", "slug": "szp", "kind": "school"})
    assert bad.status_code == 200
    assert "parent" in bad.context["form"].errors
    good = client.post(
        url,
        {
            "name": "OBS De Triangel",
            "slug": "obs-de-triangel",
            "kind": "school",
            "parent": personas.organisation.pk,
        },
    )
    assert good.status_code == 302
    assert Organisation.objects.get(slug="obs-de-triangel").parent == personas.organisation
    client.force_login(personas.owner)
    assert client.get(url).status_code == 403


def test_audit_log_page_shows_own_organisation_only(client, personas):
    audit(actor=personas.owner, action="test.own", obj=personas.organisation)
    audit(actor=personas.outsider, action="test.other", obj=personas.other)
    client.force_login(personas.owner)
    actions = [e.action for e in client.get(reverse("accounts:audit_log")).context["page"]]
    assert "test.own" in actions and "test.other" not in actions


@pytest.mark.parametrize("count", [3, 40])
def test_organisation_list_queries_do_not_grow(
    client, platform_admin, count, django_assert_max_num_queries
):
    programme = make_organisation()
    for _ in range(count):
        school = make_organisation(kind=OrgKind.SCHOOL, parent=programme)
        make_member(school, Role.SCHOOL_CONTACT)
    client.force_login(platform_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:organisation_list")).status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_organisation_page_queries_do_not_grow(
    client, personas, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_member(personas.organisation, Role.TEACHER)
        make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(16):
        url = reverse("accounts:organisation_detail", args=[personas.organisation.pk])
        assert client.get(url).status_code == 200


def test_security_headers_are_sent(client, db):
    response = client.get(reverse("accounts:login"))
    csp = response.headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_profile_saves_name_and_language(client, personas):
    client.force_login(personas.member)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Nieuwe Naam", "language": "en"}
    )
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert (personas.member.full_name, personas.member.language) == ("Nieuwe Naam", "en")
    response = client.post(reverse("accounts:profile"), {"full_name": "", "language": "xx"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "language"}


def test_dutch_by_default_whatever_the_browser_says(client, db):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en-GB,en"})
    assert response.headers["Content-Language"] == "nl"


def test_language_switch_is_remembered_for_the_user(client, personas):
    client.force_login(personas.member)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert personas.member.language == "en"
    # A new browser without the cookie still gets the user's language after login.
    other = type(client)()
    other.force_login(personas.member)
    assert other.get(reverse("home")).headers["Content-Language"] == "en"
    assert client.get(reverse("set_language")).status_code == 405


def test_api_follows_accept_language(client, db):
    response = client.get("/api/v1/me", headers={"accept-language": "en"})
    assert response.json()["message"] == "Authentication required."


def test_member_list_is_searchable_and_paged(client, personas):
    for index in range(60):
        make_member(personas.organisation, Role.TEACHER, full_name=f"Docent {index:02d}")
    client.force_login(personas.owner)
    url = reverse("accounts:organisation_detail", args=[personas.organisation.pk])
    page = client.get(url).context["page"]
    assert page.paginator.count == 62 and len(page.object_list) == 50
    found = client.get(url, {"q": "docent 07"}).context["page"]
    assert [m.user.full_name for m in found] == ["Docent 07"]


def test_member_search_from_htmx_returns_only_the_table(client, personas):
    client.force_login(personas.owner)
    url = reverse("accounts:organisation_detail", args=[personas.organisation.pk])
    response = client.get(url, {"q": personas.member.full_name}, headers={"hx-request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="members"')
    assert personas.member.email in html and personas.owner.email not in html
    assert "<html" not in html
