"""Full-text search ranked by relevance: PostgreSQL's `dutch` configuration, or Dutch Snowball
stems on SQLite. The same tests run on both (CI runs the suite on PostgreSQL too)."""

import pytest
from django.db import connection
from django.urls import reverse

from leerorkest.knowledge.models import Material, MaterialStatus
from leerorkest.knowledge.search import search, stem_column, stems
from leerorkest.knowledge.tests.builders import make_material

pytestmark = pytest.mark.django_db


def titles(queryset) -> list[str]:
    return [m.title for m in queryset]


def test_stems_are_dutch_and_leave_out_stop_words():
    assert stems("Lessen voor de violen") == ["les", "viol"]
    assert stem_column("Streken, streken!") == " streek "
    assert stems("de het een") == []


def test_vioolles_groep_6_finds_the_lesson_on_this_database():
    make_material(title="Vioolles voor groep 6: streken", summary="Streken op de viool.")
    make_material(title="Cello voor beginners", summary="Eerste lessen op de cello.")
    make_material(title="Trompet in groep 7", summary="Ademhaling en toon.")
    found = search(Material.objects.published(), "vioolles groep 6")
    assert titles(found) == ["Vioolles voor groep 6: streken"], connection.vendor


def test_every_word_must_match():
    make_material(title="Vioolles voor groep 6")
    make_material(title="Vioolles voor groep 5")
    assert titles(search(Material.objects.all(), "vioolles groep 5")) == ["Vioolles voor groep 5"]
    assert titles(search(Material.objects.all(), "vioolles fagot")) == []


def test_a_title_hit_ranks_above_a_summary_hit_above_a_body_hit():
    make_material(title="Spelletjes", summary="Iets anders", body="<p>Ritme en maat</p>")
    make_material(title="Over maat", summary="Iets anders", body="<p>Niets</p>")
    make_material(title="Handboek", summary="Alles over ritme", body="<p>Niets</p>")
    ranked = titles(search(Material.objects.all(), "ritme"))
    assert ranked == ["Handboek", "Spelletjes"]
    make_material(title="Ritme in de klas", summary="Iets anders", body="")
    assert titles(search(Material.objects.all(), "ritme"))[0] == "Ritme in de klas"


def test_inflected_words_find_each_other():
    make_material(title="Lessen voor strijkers", summary="Streken oefenen")
    assert titles(search(Material.objects.all(), "strijker streek")) == ["Lessen voor strijkers"]


def test_only_stop_words_or_punctuation_leave_the_list_unfiltered():
    make_material(title="Een")
    make_material(title="Twee")
    assert search(Material.objects.all(), "de het").count() == 2
    assert search(Material.objects.all(), "%_'\"").count() == 2


def test_the_list_page_searches_published_materials_only(client):
    make_material(title="Vioolles voor groep 6: streken")
    make_material(title="Vioolles voor groep 6: klad", status=MaterialStatus.DRAFT)
    response = client.get(reverse("knowledge:material_list"), {"q": "vioolles groep 6"})
    assert response.status_code == 200
    assert titles(response.context["page"]) == ["Vioolles voor groep 6: streken"]
    assert response.context["searching"]


def test_sqlite_columns_hold_stems_of_the_text_without_markup():
    material = make_material(
        title="Vioolles", summary="Voor groep 6", body="<p><strong>Streken</strong> oefenen</p>"
    )
    assert material.search_title == " viool "
    assert material.search_summary == " groep 6 "
    assert material.search_body == f" {stems('Streken')[0]} {stems('oefenen')[0]} "
    assert "strong" not in material.search_body
