"""A class-list commit runs as a background task; the page shows a progress bar meanwhile."""

import pytest
from django.urls import reverse

from leerorkest.schools.import_actions import queue_commit
from leerorkest.schools.import_tasks import commit_import
from leerorkest.schools.models import ClassListImport, ImportStatus, Pupil
from leerorkest.schools.tests.import_builders import class_list, many_rows


@pytest.fixture
def queued_only(settings):
    """A task backend that keeps tasks without running them, as when no worker is free."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def previewed(personas):
    from leerorkest.schools.import_actions import upload_class_list
    from leerorkest.testing import make_school, make_school_year

    school = make_school(personas.organisation)
    return upload_class_list(
        school=school,
        school_year=make_school_year(2026),
        filename="lijst.csv",
        content=class_list(*many_rows(30)),
        by=personas.owner,
    )


def test_page_shows_progress_until_the_worker_is_done(client, personas, previewed, queued_only):
    client.cookies["leerorkest_language"] = "en"
    client.force_login(personas.owner)
    response = client.post(reverse("schools:import_commit", args=[previewed.pk]))
    assert response.status_code == 302
    previewed.refresh_from_db()
    assert previewed.status == ImportStatus.COMMITTING
    page = client.get(reverse("schools:import_detail", args=[previewed.pk])).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    # A second click while it runs writes nothing and says so.
    client.post(reverse("schools:import_commit", args=[previewed.pk]))
    assert Pupil.objects.count() == 0
    # The worker runs the task.
    assert commit_import.call(previewed.pk, personas.owner.pk) == ImportStatus.COMMITTED
    previewed.refresh_from_db()
    assert previewed.status == ImportStatus.COMMITTED
    assert Pupil.objects.count() == 30
    page = client.get(reverse("schools:import_detail", args=[previewed.pk])).content.decode()
    assert "<progress" not in page


def test_a_refused_commit_goes_back_to_preview(personas, previewed, queued_only):
    queue_commit(class_import=previewed, by=personas.owner)
    ClassListImport.objects.filter(pk=previewed.pk).update(status=ImportStatus.COMMITTED)
    assert commit_import.call(previewed.pk, personas.owner.pk) == "already_committed"
    ClassListImport.objects.filter(pk=previewed.pk).update(status=ImportStatus.COMMITTING)
    assert commit_import.call(previewed.pk, personas.owner.pk) == ImportStatus.COMMITTED
