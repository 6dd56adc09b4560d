"""Contributors share material with files; editors approve or return it with a note. Rich text
is sanitised when saved and uploads are recognised by their content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent
from leerorkest.knowledge import actions
from leerorkest.knowledge.models import Material, MaterialFile, MaterialStatus
from leerorkest.knowledge.pdf import tiny_pdf
from leerorkest.knowledge.tests.builders import make_contributor, make_editor, make_material
from leerorkest.testing import instrument

pytestmark = pytest.mark.django_db

MUSICXML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<score-partwise version="4.0"><part-list/></score-partwise>'
)


def upload(data: bytes, name: str, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def form(**changes) -> dict:
    data = {
        "title": "Vioolles voor groep 6: streken",
        "summary": "Streken oefenen met de hele groep.",
        "body": "<p>Begin met <strong>losse snaren</strong>.</p>",
        "kind": "lesson_plan",
        "licence": "cc_by",
        "year_groups": ["6"],
        "instruments": [str(instrument("violin").pk)],
        "submit": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def contributor(client):
    profile = make_contributor(organisation_name="Leerorkest Stichtse Vecht")
    client.force_login(profile.user)
    return profile


def test_submitted_material_waits_for_an_editor_then_is_public(client, contributor):
    response = client.post(
        reverse("knowledge:material_create"),
        form(files=[upload(tiny_pdf("Streken"), "streken.pdf"), upload(MUSICXML, "duet.xml")]),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    material = Material.objects.get()
    assert material.status == MaterialStatus.SUBMITTED
    assert material.organisation_name == "Leerorkest Stichtse Vecht"
    assert material.year_groups == [6]
    assert sorted(material.files.values_list("kind", flat=True)) == ["musicxml", "pdf"]
    stored = material.files.get(kind="pdf")
    assert stored.original_name == "streken.pdf"
    assert "streken" not in stored.file.name  # stored under a random name of our own

    client.logout()
    detail = reverse("knowledge:material_detail", args=[material.slug])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("knowledge:material_list")).context["page"].paginator.count == 0

    editor = make_editor()
    client.force_login(editor.user)
    queue = client.get(reverse("knowledge:review_queue"))
    assert [m.pk for m in queue.context["waiting"]] == [material.pk]
    response = client.post(reverse("knowledge:review", args=[material.pk]), {"decision": "approve"})
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.status == MaterialStatus.PUBLISHED
    assert material.published_at is not None
    assert material.reviewed_by == editor.user

    client.logout()
    assert client.get(detail).status_code == 200
    assert (
        "vioolles"
        in client.get(reverse("knowledge:material_list"), {"q": "vioolles groep 6"})
        .content.decode()
        .lower()
    )
    actions_logged = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "knowledge.material_create",
        "knowledge.material_submit",
        "knowledge.material_approve",
    } <= actions_logged


def test_a_returned_material_shows_the_note_and_can_be_resubmitted(client, contributor):
    client.post(reverse("knowledge:material_create"), form())
    material = Material.objects.get()
    client.force_login(make_editor().user)
    url = reverse("knowledge:review", args=[material.pk])
    empty = client.post(url, {"decision": "reject", "note": " "})
    assert empty.status_code == 400
    assert "note" in empty.context["form"].errors
    client.post(url, {"decision": "reject", "note": "Voeg een bladmuziekvoorbeeld toe."})
    material.refresh_from_db()
    assert material.status == MaterialStatus.REJECTED

    client.force_login(contributor.user)
    mine = client.get(reverse("knowledge:my_materials")).content.decode()
    assert "Voeg een bladmuziekvoorbeeld toe." in mine
    edit = reverse("knowledge:material_edit", args=[material.pk])
    assert "Voeg een bladmuziekvoorbeeld toe." in client.get(edit).content.decode()
    response = client.post(
        edit,
        form(
            title="Vioolles voor groep 6: streken (met voorbeeld)",
            files=[upload(MUSICXML, "v.xml")],
        ),
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.status == MaterialStatus.SUBMITTED
    assert material.title.endswith("(met voorbeeld)")
    assert material.files.count() == 1
    assert " voorbeeld " in material.search_title
    assert AuditEvent.objects.filter(action="knowledge.material_reject").exists()
    # While under review the contributor cannot change it.
    assert client.get(edit).status_code == 302


def test_a_draft_is_saved_without_going_to_review(client, contributor):
    data = form()
    data.pop("submit")
    client.post(reverse("knowledge:material_create"), {**data, "draft": "1"})
    assert Material.objects.get().status == MaterialStatus.DRAFT


def test_only_editors_review(client, contributor):
    material = make_material(status=MaterialStatus.SUBMITTED, by=contributor.user)
    assert client.get(reverse("knowledge:review_queue")).status_code == 403
    url = reverse("knowledge:review", args=[material.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    material.refresh_from_db()
    assert material.status == MaterialStatus.SUBMITTED


def test_rich_text_is_sanitised_when_saved_and_the_page_shows_none_of_it(client, contributor):
    body = (
        "<p>Goed</p><script>alert('x')</script>"
        '<img src="x" onerror="alert(1)">'
        '<a href="javascript:alert(2)">klik</a>'
        "<style>body{display:none}</style>"
        '<a href="https://orkestindeklas.nl/">site</a>'
        '<p onclick="alert(3)">tekst</p>'
    )
    client.post(reverse("knowledge:material_create"), form(body=body))
    material = Material.objects.get()
    for bad in ["<script", "alert", "onerror", "javascript:", "<style", "display:none", "<img"]:
        assert bad not in material.body, bad
    assert '<a href="https://orkestindeklas.nl/" rel="noopener noreferrer nofollow">site</a>' in (
        material.body
    )
    assert "<p>tekst</p>" in material.body
    html = client.get(reverse("knowledge:material_detail", args=[material.slug])).content.decode()
    for bad in ["alert(", "onerror", "javascript:", "display:none"]:
        assert bad not in html, bad


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"<!doctype html><html><script>alert(1)</script></html>", "les.pdf", "application/pdf"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "plaatje.svg",
            "image/svg+xml",
        ),
    ],
)
def test_html_named_pdf_and_svg_are_refused_and_nothing_is_saved(
    client, contributor, data, name, content_type
):
    files = [upload(tiny_pdf("ok"), "goed.pdf"), upload(data, name, content_type)]
    response = client.post(reverse("knowledge:material_create"), form(files=files))
    assert response.status_code == 400
    assert response.context["form"].errors["files"]
    assert not Material.objects.exists()
    assert not MaterialFile.objects.exists()


def test_files_must_fit_the_kind_of_material_and_the_size_limit(client, contributor, settings):
    # An article is a document or images: a MusicXML score does not belong to it.
    response = client.post(
        reverse("knowledge:material_create"),
        form(kind="article", files=[upload(MUSICXML, "score.musicxml")]),
    )
    assert response.status_code == 400
    assert not Material.objects.exists()
    big = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * 64, content_type="application/pdf")
    big.size = actions.MAX_FILE_BYTES + 1
    with pytest.raises(actions.DomainError):
        actions.check_files([big], kind="lesson_plan")


def test_removing_a_file_of_an_own_draft(client, contributor):
    data = form(files=[upload(tiny_pdf("weg"), "weg.pdf")])
    data.pop("submit")
    client.post(reverse("knowledge:material_create"), data)
    file = MaterialFile.objects.get()
    response = client.post(reverse("knowledge:file_remove", args=[file.pk]))
    assert response.status_code == 302
    assert not MaterialFile.objects.exists()
    assert AuditEvent.objects.filter(action="knowledge.file_remove").exists()


def test_an_unverified_contributor_cannot_share(client):
    profile = make_contributor(verified=False)
    with pytest.raises(actions.DomainError):
        actions.save_material(by=profile.user, data=form())
    assert not Material.objects.exists()


def test_a_link_must_be_a_web_address(client, contributor):
    response = client.post(
        reverse("knowledge:material_create"), form(kind="film", link="javascript:alert(1)")
    )
    assert response.status_code == 400
    assert "link" in response.context["form"].errors
    with pytest.raises(actions.DomainError):
        actions.save_material(by=contributor.user, data=form(link="ftp://example.org/x"))
    assert not Material.objects.exists()


def test_platform_admins_manage_the_editors_in_the_admin(client, platform_admin):
    client.force_login(platform_admin)
    assert client.get("/admin/knowledge/knowledgeeditor/").status_code == 200
    assert client.get("/admin/knowledge/knowledgeeditor/add/").status_code == 200
    assert client.get("/admin/knowledge/theme/").status_code == 200
