"""The knowledge site's demo step, on its own (the lead wires it into the full demo)."""

import random
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from leerorkest.demo.build import SCALES, Demo
from leerorkest.demo.knowledge import step_knowledge
from leerorkest.knowledge.models import (
    Contributor,
    KnowledgeEditor,
    Material,
    MaterialFile,
    MaterialStatus,
)
from leerorkest.testing import instrument, make_user

pytestmark = pytest.mark.django_db


def test_step_knowledge_fills_the_site_quickly_and_deterministically(client):
    instrument("violin")  # the catalogue is there
    coordinator = make_user(email="coordinator@leerorkest.example")
    demo = Demo(scale=SCALES["amsterdam"], rng=random.Random(7), password_hash=make_password("x"))
    started = time.monotonic()
    step_knowledge(demo)
    elapsed = time.monotonic() - started
    print(f"step_knowledge: {elapsed:.2f} s")
    assert elapsed < 5
    published = Material.objects.published()
    assert 95 <= published.count() <= 110
    assert set(published.values_list("kind", flat=True)) == {
        "lesson_plan",
        "handbook",
        "game",
        "film",
        "arrangement",
        "article",
    }
    assert Material.objects.filter(status=MaterialStatus.SUBMITTED).count() >= 3
    assert Material.objects.filter(status=MaterialStatus.REJECTED).exclude(review_note="").exists()
    assert Contributor.objects.filter(country="BE").count() == 1
    assert KnowledgeEditor.objects.get().user == coordinator
    assert MaterialFile.objects.count() >= 80

    found = client.get(reverse("knowledge:material_list"), {"q": "vioolles groep 6"})
    assert "Vioolles voor groep 6: streken" in [m.title for m in found.context["page"]]
    file = MaterialFile.objects.filter(material__status=MaterialStatus.PUBLISHED).first()
    download = client.get(reverse("knowledge:file_download", args=[file.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] in (b"%PDF-", b"<?xml")
