"""Writing through the knowledge API: a verified contributor shares material with files and
submits it, the editors approve it or return it with a note; anyone else's material is a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext, override

from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.models import ApiToken, AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.knowledge.models import Material, MaterialFile, MaterialStatus
from leerorkest.knowledge.pdf import tiny_pdf
from leerorkest.knowledge.tests.builders import (
    make_contributor,
    make_editor,
    make_file,
    make_material,
    make_theme,
)
from leerorkest.testing import make_member, make_organisation

pytestmark = pytest.mark.django_db

URL = "/api/v1/knowledge/materials"
HTML_AS_PDF = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def dutch(message: str) -> str:
    """The message as the API says it to a user with the default language."""
    with override("nl"):
        return gettext(message)


def bearer(user) -> dict:
    _token, raw = create_api_token(user=user, name="script")
    return {"authorization": f"Bearer {raw}"}


def material(**changes) -> dict:
    data = {
        "title": "Vioolles voor groep 6: streken",
        "summary": "Streken oefenen met de hele groep.",
        "body": "<p>Begin met <strong>losse snaren</strong>.</p><script>alert(1)</script>",
        "kind": "lesson_plan",
        "licence": "cc_by",
        "instruments": ["violin"],
        "year_groups": [6, 5],
    }
    data.update(changes)
    return data


def pdf(name: str = "streken.pdf", data: bytes | None = None):
    return SimpleUploadedFile(name, data if data is not None else tiny_pdf("Streken"))


@pytest.fixture
def author():
    return make_contributor(organisation_name="Leerorkest Stichtse Vecht").user


@pytest.fixture
def editor():
    return make_editor().user


def test_share_upload_submit_approve_then_the_public_sees_it(client, author, editor):
    theme = make_theme("Samenspel")
    headers = bearer(author)
    created = client.post(
        URL,
        material(themes=[theme.slug]),
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    slug = data["slug"]
    assert data["status"] == "draft"
    assert data["organisation"] == "Leerorkest Stichtse Vecht"
    assert data["instruments"] == ["violin"]
    assert data["themes"] == [theme.slug]
    assert data["year_groups"] == [5, 6]
    assert "<strong>losse snaren</strong>" in data["body_html"]
    assert "script" not in data["body_html"]
    assert client.get(URL).json() == []

    uploaded = client.post(f"{URL}/{slug}/files", {"file": pdf()}, headers=headers)
    assert uploaded.status_code == 201, uploaded.json()
    assert uploaded.json()["kind"] == "pdf"
    assert uploaded.json()["name"] == "streken.pdf"
    stored = MaterialFile.objects.get()
    assert stored.original_name == "streken.pdf"
    assert stored.file.name.endswith(".pdf")
    assert not stored.file.name.endswith("streken.pdf")  # our name, not theirs

    refused = client.post(
        f"{URL}/{slug}/files", {"file": pdf("les.pdf", HTML_AS_PDF)}, headers=headers
    )
    assert refused.status_code == 400
    assert "PDF" in refused.json()["message"]
    assert MaterialFile.objects.count() == 1

    submitted = client.post(f"{URL}/{slug}/submit", headers=headers)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert AuditEvent.objects.filter(action="knowledge.material_submit").count() == 1
    # Waiting for review, the material is no longer the contributor's to change.
    locked = client.patch(
        f"{URL}/{slug}", {"title": "Anders"}, content_type="application/json", headers=headers
    )
    assert locked.status_code == 400
    assert Material.objects.get().title == "Vioolles voor groep 6: streken"

    approved = client.post(f"{URL}/{slug}/approve", headers=bearer(editor))
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "published"
    public = client.get(URL).json()
    assert [m["slug"] for m in public] == [slug]
    detail = client.get(f"{URL}/{slug}").json()
    assert [f["name"] for f in detail["files"]] == ["streken.pdf"]
    again = client.post(f"{URL}/{slug}/approve", headers=bearer(editor))
    assert again.status_code == 400


def test_create_with_submit_goes_straight_to_the_editors(client, author):
    response = client.post(
        URL, material(submit=True), content_type="application/json", headers=bearer(author)
    )
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert Material.objects.get().submitted_at is not None


def test_returned_with_a_note_changed_and_resubmitted(client, author, editor):
    headers = bearer(author)
    slug = client.post(
        URL, material(submit=True), content_type="application/json", headers=headers
    ).json()["slug"]
    blank = client.post(
        f"{URL}/{slug}/reject",
        {"note": "   "},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert blank.status_code == 422
    assert "note" in blank.json()["message"]
    rejected = client.post(
        f"{URL}/{slug}/reject",
        {"note": "Voeg een bladmuziek toe."},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"

    mine = client.get(f"{URL}/{slug}", headers=headers).json()
    assert mine["review_note"] == "Voeg een bladmuziek toe."
    changed = client.patch(
        f"{URL}/{slug}",
        {"title": "Streken voor groep 6", "year_groups": [6], "link": "https://example.org/x"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200, changed.json()
    data = changed.json()
    assert data["status"] == "rejected"
    assert data["title"] == "Streken voor groep 6"
    assert data["year_groups"] == [6]
    assert data["link"] == "https://example.org/x"
    # What was not sent stays as it was.
    assert data["instruments"] == ["violin"]
    assert data["summary"] == "Streken oefenen met de hele groep."

    resubmitted = client.post(f"{URL}/{slug}/submit", headers=headers)
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "submitted"


def test_someone_elses_material_is_not_found(client, author):
    other = make_contributor().user
    theirs = make_material(status=MaterialStatus.DRAFT, by=other)
    their_file = make_file(theirs)
    mine = make_material(status=MaterialStatus.DRAFT, by=author)
    headers = bearer(author)
    answers = [
        client.patch(
            f"{URL}/{theirs.slug}",
            {"title": "Van mij"},
            content_type="application/json",
            headers=headers,
        ),
        client.post(f"{URL}/{theirs.slug}/submit", headers=headers),
        client.post(f"{URL}/{theirs.slug}/files", {"file": pdf()}, headers=headers),
        client.delete(f"{URL}/{theirs.slug}/files/{their_file.pk}", headers=headers),
        # Their file through my material's address is no file of mine either.
        client.delete(f"{URL}/{mine.slug}/files/{their_file.pk}", headers=headers),
    ]
    assert [a.status_code for a in answers] == [404] * 5
    assert {a.json()["code"] for a in answers} == {"not_found"}
    theirs.refresh_from_db()
    assert theirs.status == MaterialStatus.DRAFT
    assert theirs.title != "Van mij"
    assert MaterialFile.objects.filter(pk=their_file.pk).exists()
    assert MaterialFile.objects.count() == 1


def test_files_are_listed_for_whoever_sees_the_material(client, author):
    draft = make_material(status=MaterialStatus.DRAFT, by=author)
    file = make_file(draft, name="handboek.pdf")
    headers = bearer(author)
    listed = client.get(f"{URL}/{draft.slug}/files", headers=headers)
    assert [f["name"] for f in listed.json()] == ["handboek.pdf"]
    one = client.get(f"{URL}/{draft.slug}/files/{file.pk}", headers=headers).json()
    assert one["url"] == f"/knowledge/files/{file.pk}/"
    assert client.get(f"{URL}/{draft.slug}/files").status_code == 404
    assert client.get(f"{URL}/{draft.slug}/files/{file.pk}").status_code == 404
    published = make_material()
    assert client.get(f"{URL}/{published.slug}/files").json() == []
    # A file is found only through its own material's address.
    assert client.get(f"{URL}/{published.slug}/files/{file.pk}").status_code == 404


def test_the_owner_removes_a_file(client, author):
    own = make_material(status=MaterialStatus.DRAFT, by=author)
    file = make_file(own)
    response = client.delete(f"{URL}/{own.slug}/files/{file.pk}", headers=bearer(author))
    assert response.status_code == 200
    assert response.json()["files"] == []
    assert not MaterialFile.objects.exists()


def test_anonymous_writes_are_refused(client, author):
    submitted = make_material(status=MaterialStatus.SUBMITTED, by=author)
    answers = [
        client.post(URL, material(), content_type="application/json"),
        client.patch(f"{URL}/{submitted.slug}", {"title": "x"}, content_type="application/json"),
        client.post(f"{URL}/{submitted.slug}/approve"),
        client.post(f"{URL}/{submitted.slug}/files", {"file": pdf()}),
    ]
    assert [a.status_code for a in answers] == [401] * 4
    assert not Material.objects.exclude(pk=submitted.pk).exists()
    submitted.refresh_from_db()
    assert submitted.status == MaterialStatus.SUBMITTED


def test_unverified_contributors_and_others_get_a_clear_403(client, author):
    unverified = make_contributor(verified=False).user
    response = client.post(
        URL, material(), content_type="application/json", headers=bearer(unverified)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"
    assert response.json()["message"] == dutch(
        "Confirm your e-mail address before you share material."
    )

    programme = make_organisation(kind=OrgKind.PROGRAMME)
    coordinator = make_member(programme, Role.COORDINATOR)
    response = client.post(
        URL, material(), content_type="application/json", headers=bearer(coordinator)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_contributor"
    assert not Material.objects.exists()

    # An owner whose address is not verified (any more) cannot change their material either.
    own = make_material(status=MaterialStatus.DRAFT, by=unverified)
    response = client.patch(
        f"{URL}/{own.slug}",
        {"title": "x"},
        content_type="application/json",
        headers=bearer(unverified),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"

    # Only the knowledge editors review: the contributor who sees their material is told so,
    # for anyone else a material waiting for review does not exist.
    submitted = make_material(status=MaterialStatus.SUBMITTED, by=author)
    response = client.post(f"{URL}/{submitted.slug}/approve", headers=bearer(author))
    assert response.status_code == 403
    assert response.json()["message"] == dutch("Only the knowledge editors review materials.")
    response = client.post(
        f"{URL}/{submitted.slug}/reject",
        {"note": "Nee"},
        content_type="application/json",
        headers=bearer(coordinator),
    )
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == MaterialStatus.SUBMITTED
    assert submitted.review_note == ""


@pytest.mark.parametrize(
    ("changes", "field", "named"),
    [
        ({"instruments": ["violin", "theremin"]}, "instruments", "theremin"),
        ({"themes": ["no-such-theme"]}, "themes", "no-such-theme"),
        ({"year_groups": [6, 9]}, "year_groups", ""),
        ({"kind": "poster"}, "kind", ""),
        ({"title": "   "}, "title", ""),
        ({"link": "javascript:alert(1)"}, "link", ""),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, author, changes, field, named):
    response = client.post(
        URL, material(**changes), content_type="application/json", headers=bearer(author)
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert f"payload.{field}" in message
    assert named in message
    assert not Material.objects.exists()


def test_only_goals_the_public_may_read_are_accepted(client, author):
    from leerorkest.curriculum.models import Visibility
    from leerorkest.curriculum.tests.builders import build_line

    programme = make_organisation(kind=OrgKind.PROGRAMME)
    coordinator = make_member(programme, Role.COORDINATOR)
    shared = build_line(programme, coordinator, name="Gedeeld", visibility=Visibility.SHARED)
    private = build_line(programme, coordinator, name="Eigen")
    public_goal = shared.goals.first()
    private_goal = private.goals.first()
    headers = bearer(author)
    refused = client.post(
        URL,
        material(goals=[public_goal.pk, private_goal.pk]),
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 422
    assert "payload.goals" in refused.json()["message"]
    assert str(private_goal.pk) in refused.json()["message"]
    assert not Material.objects.exists()
    created = client.post(
        URL, material(goals=[public_goal.pk]), content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    assert created.json()["goals"] == [public_goal.code]


def test_a_wrong_file_for_the_kind_is_refused(client, author):
    arrangement = make_material(status=MaterialStatus.DRAFT, by=author, kind="arrangement")
    image = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    response = client.post(
        f"{URL}/{arrangement.slug}/files", {"file": pdf("foto.png", image)}, headers=bearer(author)
    )
    assert response.status_code == 400
    assert not MaterialFile.objects.exists()


def test_session_login_works_and_a_retry_with_the_same_key_saves_once(client, author):
    client.force_login(author)
    key = {"Idempotency-Key": "share-1"}
    first = client.post(URL, material(), content_type="application/json", headers=key)
    retry = client.post(URL, material(), content_type="application/json", headers=key)
    assert first.status_code == retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Material.objects.count() == 1


def test_a_contributor_creates_a_personal_token_on_the_account_page(client, author):
    client.force_login(author)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200
    response = client.post("/accounts/profile/tokens/", {"name": "mijn script"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert ApiToken.objects.filter(user=author, name="mijn script").exists()
    client.logout()
    created = client.post(
        URL, material(), content_type="application/json", headers={"authorization": f"Bearer {raw}"}
    )
    assert created.status_code == 201
