"""The search follows every change of a material's text: the stem columns (SQLite) and the
stored, GIN-indexed `dutch` vector (PostgreSQL) are written with the text itself."""

import re

import pytest
from django.db import connection

from leerorkest.knowledge import actions
from leerorkest.knowledge.models import Material, MaterialStatus
from leerorkest.knowledge.search import search
from leerorkest.knowledge.tests.builders import make_contributor, make_editor, make_material

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [m.title for m in search(Material.objects.all(), query)]


def data(**changes) -> dict:
    return {
        "title": "Vioolles: streken",
        "summary": "Streken oefenen met de hele groep.",
        "body": "<p>Begin met <strong>losse snaren</strong>.</p>",
        "kind": "lesson_plan",
        "licence": "cc_by",
        **changes,
    }


def test_the_search_follows_an_edit_of_the_text():
    by = make_contributor().user
    material = actions.save_material(by=by, data=data())
    assert found("streken") == ["Vioolles: streken"]
    assert found("snaren") == ["Vioolles: streken"]

    actions.save_material(
        by=by,
        material=material,
        data=data(
            title="Vioolles: pizzicato",
            summary="Tokkelen met de hele groep.",
            body="<p>Begin met <em>duimpjes</em>.</p>",
        ),
    )
    assert found("streken") == []
    assert found("snaren") == []
    assert found("pizzicato") == ["Vioolles: pizzicato"]
    assert found("tokkelen") == ["Vioolles: pizzicato"]
    assert found("duimpjes") == ["Vioolles: pizzicato"]


def test_a_withdrawn_material_changed_and_approved_again_is_found_by_its_new_words():
    contributor = make_contributor()
    editor = make_editor()
    material = actions.save_material(by=contributor.user, data=data(), submit=True)
    actions.approve_material(material=material, by=editor.user)
    public = Material.objects.published()
    assert [m.pk for m in search(public, "streken")] == [material.pk]

    actions.withdraw_material(material=material, by=editor.user, note="Licentie onduidelijk.")
    assert list(search(Material.objects.published(), "streken")) == []
    material.refresh_from_db()
    actions.save_material(
        by=contributor.user,
        material=material,
        data=data(title="Vioolles: spiccato", summary="Springende streek."),
        submit=True,
    )
    actions.approve_material(material=material, by=editor.user)
    public = Material.objects.published()
    assert [m.title for m in search(public, "spiccato")] == ["Vioolles: spiccato"]
    assert list(search(public, "hele groep")) == []


def test_the_vector_is_stored_on_postgresql_only():
    material = make_material(title="Notenbingo", summary="Een spel met noten.")
    material.refresh_from_db()
    if connection.vendor != "postgresql":
        assert material.search_vector is None
        assert material.search_title == " notenbingo "
        return
    # Title words weigh A, summary words B (positions run on from the title).
    assert re.search(r"'notenbingo':\d+A", material.search_vector)
    assert re.search(r"'spel':\d+B", material.search_vector)
    assert "'een'" not in material.search_vector  # a stop word
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'knowledge_material' "
            "AND indexdef ILIKE '%%USING gin (search_vector)%%'"
        )
        assert cursor.fetchone() is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN and EXPLAIN on PostgreSQL")
def test_postgresql_matches_the_stored_vector_without_computing_one():
    make_material(title="Vioolles", status=MaterialStatus.PUBLISHED)
    sql = str(search(Material.objects.published(), "vioolles").query)
    assert '"search_vector" @@' in sql
    assert "to_tsvector" not in sql
