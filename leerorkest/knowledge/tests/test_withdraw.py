"""Published materials can come down: an editor withdraws one with a note, or its contributor
takes it back to a draft to change it. Either way the public copy is gone at once (pages, API,
search) and comes back only when an editor approves the material again."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.knowledge import actions
from leerorkest.knowledge.models import Material, MaterialStatus
from leerorkest.knowledge.tests.builders import make_contributor, make_editor, make_material
from leerorkest.testing import instrument, make_user

pytestmark = pytest.mark.django_db

NOTE = "De licentie van de bladmuziek staat delen niet toe."


@pytest.fixture
def contributor():
    return make_contributor(organisation_name="Leerorkest Stichtse Vecht")


@pytest.fixture
def published(contributor):
    return make_material(
        title="Vioolles voor groep 6: streken",
        summary="Streken oefenen met de hele groep.",
        by=contributor.user,
    )


@pytest.fixture
def editor():
    return make_editor()


def public_titles(client) -> dict[str, list[str]]:
    """What a visitor finds: the list page, a search on the list page and the API list."""
    client.logout()
    listed = client.get(reverse("knowledge:material_list")).context["page"]
    searched = client.get(reverse("knowledge:material_list"), {"q": "vioolles streken"})
    api = client.get("/api/v1/knowledge/materials", {"q": "vioolles streken"}).json()
    return {
        "list": [m.title for m in listed],
        "search": [m.title for m in searched.context["page"]],
        "api": [m["title"] for m in api],
    }


def test_an_editor_withdraws_a_published_material_with_a_note(
    client, contributor, published, editor
):
    detail = reverse("knowledge:material_detail", args=[published.slug])
    assert public_titles(client)["search"] == [published.title]

    client.force_login(editor.user)
    assert reverse("knowledge:review", args=[published.pk]) in client.get(detail).content.decode()
    review = reverse("knowledge:review", args=[published.pk])
    page = client.get(review)
    assert page.status_code == 200
    assert 'value="withdraw"' in page.content.decode()
    response = client.post(review, {"decision": "withdraw", "note": NOTE})
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:review_queue") + "?show=published"

    published.refresh_from_db()
    assert published.status == MaterialStatus.WITHDRAWN
    assert published.review_note == NOTE
    assert published.reviewed_by == editor.user
    assert published.published_at is None
    event = AuditEvent.objects.get(action="knowledge.material_withdraw")
    assert (event.actor, event.object_id) == (editor.user, str(published.pk))

    # Gone for the public at once: page, list, search and API.
    assert public_titles(client) == {"list": [], "search": [], "api": []}
    assert client.get(detail).status_code == 404

    # The contributor sees the state and the note, changes it and submits it again.
    client.force_login(contributor.user)
    mine = client.get(reverse("knowledge:my_materials")).content.decode()
    assert NOTE in mine
    assert reverse("knowledge:material_edit", args=[published.pk]) in mine
    assert "status-withdrawn" in mine
    edit = reverse("knowledge:material_edit", args=[published.pk])
    assert NOTE in client.get(edit).content.decode()
    response = client.post(
        edit,
        {
            "title": "Vioolles voor groep 6: streken",
            "summary": "Streken oefenen, met eigen bladmuziek.",
            "kind": "lesson_plan",
            "licence": "cc_by",
            "instruments": [str(instrument("violin").pk)],
            "submit": "1",
        },
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == MaterialStatus.SUBMITTED
    assert public_titles(client)["list"] == []


def test_a_withdrawal_needs_a_note_and_a_published_material(client, contributor, published, editor):
    client.force_login(editor.user)
    review = reverse("knowledge:review", args=[published.pk])
    empty = client.post(review, {"decision": "withdraw", "note": "  "})
    assert empty.status_code == 400
    assert "note" in empty.context["form"].errors
    published.refresh_from_db()
    assert published.status == MaterialStatus.PUBLISHED

    # Approving or returning a published material is refused with a message, nothing changes.
    approve = client.post(review, {"decision": "approve"})
    assert approve.status_code == 400
    assert approve.context["problem"]
    assert approve.context["problem"] in approve.content.decode()
    reject = client.post(review, {"decision": "reject", "note": NOTE})
    assert reject.status_code == 400
    assert reject.context["problem"]
    assert client.post(review, {"decision": "publish-twice"}).status_code == 400
    published.refresh_from_db()
    assert published.status == MaterialStatus.PUBLISHED

    waiting = make_material(status=MaterialStatus.SUBMITTED, by=contributor.user)
    with pytest.raises(DomainError):
        actions.withdraw_material(material=waiting, by=editor.user, note=NOTE)
    refused = client.post(
        reverse("knowledge:review", args=[waiting.pk]), {"decision": "withdraw", "note": NOTE}
    )
    assert refused.status_code == 400
    waiting.refresh_from_db()
    assert waiting.status == MaterialStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="knowledge.material_withdraw").exists()


def test_only_editors_withdraw(client, contributor, published):
    review = reverse("knowledge:review", args=[published.pk])
    client.force_login(contributor.user)
    assert client.post(review, {"decision": "withdraw", "note": NOTE}).status_code == 404
    client.force_login(make_user())
    assert client.post(review, {"decision": "withdraw", "note": NOTE}).status_code == 404
    client.logout()
    assert client.post(review, {"decision": "withdraw", "note": NOTE}).status_code in (302, 404)
    with pytest.raises(DomainError):
        actions.withdraw_material(material=published, by=contributor.user, note=NOTE)
    published.refresh_from_db()
    assert published.status == MaterialStatus.PUBLISHED


def test_the_withdraw_button_needs_the_csrf_token(contributor, published, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor.user)
    review = reverse("knowledge:review", args=[published.pk])
    assert client.post(review, {"decision": "withdraw", "note": NOTE}).status_code == 403
    page = client.get(review)
    token = page.context["csrf_token"]
    response = client.post(
        review, {"decision": "withdraw", "note": NOTE, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == MaterialStatus.WITHDRAWN


def test_the_review_queue_has_a_published_tab_with_search(client, contributor, published, editor):
    make_material(title="Cellospel", summary="Een spel voor de cellogroep.")
    waiting = make_material(title="Nog te keuren", status=MaterialStatus.SUBMITTED)
    client.force_login(editor.user)
    queue = client.get(reverse("knowledge:review_queue"))
    assert [m.pk for m in queue.context["waiting"]] == [waiting.pk]
    tab = client.get(reverse("knowledge:review_queue"), {"show": "published"})
    assert tab.status_code == 200
    assert sorted(m.title for m in tab.context["page"]) == ["Cellospel", published.title]
    assert reverse("knowledge:review", args=[published.pk]) in tab.content.decode()
    found = client.get(reverse("knowledge:review_queue"), {"show": "published", "q": "streken"})
    assert [m.title for m in found.context["page"]] == [published.title]
    client.force_login(contributor.user)
    refused = client.get(reverse("knowledge:review_queue"), {"show": "published"})
    assert refused.status_code == 403


def test_the_published_tab_costs_the_same_queries_for_more_rows(
    client, editor, django_assert_max_num_queries
):
    make_material()
    client.force_login(editor.user)
    url = reverse("knowledge:review_queue")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"show": "published"})
    for _ in range(12):
        make_material()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"show": "published"})


def test_a_contributor_takes_their_published_material_back_to_a_draft(
    client, contributor, published
):
    client.force_login(contributor.user)
    mine = client.get(reverse("knowledge:my_materials")).content.decode()
    unpublish = reverse("knowledge:material_unpublish", args=[published.pk])
    assert unpublish in mine
    detail = client.get(reverse("knowledge:material_detail", args=[published.slug]))
    assert unpublish in detail.content.decode()

    # GET asks to confirm and says what happens; nothing changes yet.
    confirm = client.get(unpublish)
    assert confirm.status_code == 200
    assert "csrfmiddlewaretoken" in confirm.content.decode()
    assert "knowledge/material_unpublish.html" in [t.name for t in confirm.templates]
    published.refresh_from_db()
    assert published.status == MaterialStatus.PUBLISHED

    response = client.post(unpublish)
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:material_edit", args=[published.pk])
    published.refresh_from_db()
    assert published.status == MaterialStatus.DRAFT
    assert published.published_at is None
    assert AuditEvent.objects.filter(
        action="knowledge.material_unpublish", actor=contributor.user
    ).exists()
    assert public_titles(client) == {"list": [], "search": [], "api": []}

    # A second time there is nothing to take back.
    client.force_login(contributor.user)
    again = client.post(unpublish)
    assert again.status_code == 302
    assert again["Location"] == reverse("knowledge:my_materials")
    assert AuditEvent.objects.filter(action="knowledge.material_unpublish").count() == 1


def test_nobody_else_takes_a_material_back(client, contributor, published, editor):
    unpublish = reverse("knowledge:material_unpublish", args=[published.pk])
    for user in (make_contributor().user, editor.user, make_user()):
        client.force_login(user)
        assert client.get(unpublish).status_code == 404
        assert client.post(unpublish).status_code == 404
    client.logout()
    assert client.post(unpublish).status_code in (302, 404)
    with pytest.raises(DomainError):
        actions.unpublish_material(material=published, by=editor.user)
    published.refresh_from_db()
    assert published.status == MaterialStatus.PUBLISHED
    assert Material.objects.published().count() == 1
