"""The public knowledge site: no login, filters, licence, downloads and cache headers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from leerorkest.curriculum.models import LearningGoal, LearningLine
from leerorkest.knowledge.models import Licence, Material, MaterialKind, MaterialStatus
from leerorkest.knowledge.tests.builders import make_file, make_material, make_theme
from leerorkest.testing import instrument, make_organisation, make_user

pytestmark = pytest.mark.django_db


def shown(response) -> list[str]:
    return [m.title for m in response.context["page"]]


def public_goal(code="M6.1"):
    line = LearningLine.objects.create(
        organisation=make_organisation(),
        name="Leerlijn",
        visibility="shared",
        status="published",
        published_at=timezone.now(),
    )
    return LearningGoal.objects.create(
        line=line, year_group=6, kind="musical", code=code, text="Speelt samen in maat."
    )


def test_home_needs_no_login_and_counts_published_materials(client):
    make_material(title="Gepubliceerd", kind=MaterialKind.GAME)
    make_material(title="Nog niet", status=MaterialStatus.SUBMITTED)
    response = client.get(reverse("knowledge:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gepubliceerd" in html
    assert "Nog niet" not in html
    assert {k: n for k, _label, n in response.context["kinds"]}[MaterialKind.GAME] == 1


def test_the_list_filters_by_kind_instrument_groep_theme_and_goal(client):
    violin, cello = instrument("violin"), instrument("cello")
    rhythm = make_theme("Ritme")
    goal = public_goal()
    make_material(title="Viool 6", instruments=[violin], year_groups=[6], themes=[rhythm])
    make_material(title="Cello 5", instruments=[cello], year_groups=[5], goals=[goal])
    make_material(title="Spel", kind=MaterialKind.GAME, year_groups=[5, 6])
    url = reverse("knowledge:material_list")
    assert shown(client.get(url, {"kind": MaterialKind.GAME})) == ["Spel"]
    assert shown(client.get(url, {"instrument": "violin"})) == ["Viool 6"]
    assert sorted(shown(client.get(url, {"groep": 6}))) == ["Spel", "Viool 6"]
    assert shown(client.get(url, {"theme": rhythm.slug})) == ["Viool 6"]
    assert shown(client.get(url, {"goal": goal.pk})) == ["Cello 5"]
    assert shown(client.get(url, {"groep": 5, "kind": MaterialKind.LESSON_PLAN})) == ["Cello 5"]
    # A hand-made bad filter is ignored, not an error.
    assert client.get(url, {"groep": "twelve"}).status_code == 200
    choices = client.get(url).context["choices"]
    assert [g.code for g in choices["goals"]] == ["M6.1"]


def test_htmx_gets_only_the_results(client):
    make_material(title="Viool 6")
    response = client.get(reverse("knowledge:material_list"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Viool 6" in html


def test_the_list_costs_the_same_queries_for_3_or_30_materials(
    client, django_assert_max_num_queries
):
    violin = instrument("violin")
    theme = make_theme()

    def fill(count):
        for _ in range(count):
            make_material(instruments=[violin], themes=[theme], year_groups=[5, 6])

    fill(3)
    url = reverse("knowledge:material_list")
    with django_assert_max_num_queries(10):
        assert client.get(url, {"q": "materiaal"}).status_code == 200
    fill(27)
    with django_assert_max_num_queries(10):
        response = client.get(url, {"q": "materiaal", "instrument": "violin"})
    assert response.context["page"].paginator.count == 30
    with django_assert_max_num_queries(10):
        client.get(reverse("knowledge:home"))


def test_detail_shows_the_licence_and_files(client):
    material = make_material(title="Strijkersles", licence=Licence.CC_BY_SA, year_groups=[6])
    make_file(material, name="strijkers.pdf")
    response = client.get(reverse("knowledge:material_detail", args=[material.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "CC BY-SA 4.0" in html
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in html
    assert "strijkers.pdf" in html


def test_unpublished_materials_do_not_exist_for_the_public(client):
    for status in [MaterialStatus.DRAFT, MaterialStatus.SUBMITTED, MaterialStatus.REJECTED]:
        material = make_material(status=status)
        file = make_file(material)
        assert (
            client.get(reverse("knowledge:material_detail", args=[material.slug])).status_code
            == 404
        )
        assert client.get(reverse("knowledge:file_download", args=[file.pk])).status_code == 404
        client.force_login(make_user())
        assert (
            client.get(reverse("knowledge:material_detail", args=[material.slug])).status_code
            == 404
        )
        client.logout()


def test_download_counts_and_is_an_attachment_of_its_kind(client):
    material = make_material(title="Vioolles")
    file = make_file(material, name="les voor viool.pdf")
    url = reverse("knowledge:file_download", args=[file.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "les voor viool.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.get(url)
    material.refresh_from_db()
    assert material.download_count == 2


def test_anonymous_pages_are_publicly_cacheable_and_hold_nothing_personal(client):
    material = make_material(title="Vioolles")
    for url in [
        reverse("knowledge:home"),
        reverse("knowledge:material_list"),
        reverse("knowledge:material_detail", args=[material.slug]),
    ]:
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=300", url
        assert "Cookie" in response["Vary"]
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies, url


def test_a_logged_in_users_pages_are_private(client):
    material = make_material(title="Vioolles")
    client.force_login(make_user())
    for url in [
        reverse("knowledge:home"),
        reverse("knowledge:material_list"),
        reverse("knowledge:material_detail", args=[material.slug]),
    ]:
        response = client.get(url)
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_the_language_link_sets_the_cookie_and_returns(client):
    url = reverse("knowledge:material_list") + "?kind=game"
    response = client.get(reverse("knowledge:language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies["leerorkest_language"].value == "en"
    assert "Materials" in client.get(url).content.decode()
    elsewhere = client.get(
        reverse("knowledge:language"), {"language": "nl", "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == reverse("knowledge:home")


def test_materials_keep_their_slug_and_order_newest_first(client):
    first = make_material(title="Eerste")
    second = make_material(title="Tweede")
    Material.objects.filter(pk=first.pk).update(published_at=timezone.now())
    assert shown(client.get(reverse("knowledge:material_list"))) == ["Eerste", "Tweede"]
    assert second.slug != first.slug
