"""Pieces and parts: milestone validation, the forms, who sees and changes what, the list."""

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import Role
from leerorkest.curriculum.models import LearningLine, LineStatus
from leerorkest.repertoire import actions
from leerorkest.repertoire.models import Part, Piece
from leerorkest.repertoire.tests.builders import build_line, build_piece, milestone
from leerorkest.testing import instrument, make_member, make_organisation


def test_a_part_takes_a_milestone_of_its_instrument_and_the_piece_line(personas):
    line = build_line(personas.organisation)
    other_line = build_line(personas.organisation)
    piece = build_piece(personas.organisation, line)
    violin = instrument("violin")
    with pytest.raises(DomainError) as wrong_instrument:
        actions.add_part(
            piece=piece,
            name="Viool 1",
            instrument=violin,
            milestone=milestone(line, "cello", 2),
            by=personas.owner,
        )
    assert wrong_instrument.value.field == "milestone"
    with pytest.raises(DomainError) as wrong_line:
        actions.add_part(
            piece=piece,
            name="Viool 1",
            instrument=violin,
            milestone=milestone(other_line, "violin", 2),
            by=personas.owner,
        )
    assert wrong_line.value.field == "milestone"
    assert not piece.parts.exists()
    part = actions.add_part(
        piece=piece,
        name="Viool 1",
        instrument=violin,
        milestone=milestone(line, "violin", 2),
        by=personas.owner,
    )
    assert part.milestone.order == 2
    with pytest.raises(DomainError) as duplicate:
        actions.add_part(
            piece=piece,
            name="viool 1",
            instrument=violin,
            milestone=milestone(line, "violin", 1),
            by=personas.owner,
        )
    assert duplicate.value.field == "name"
    assert AuditEvent.objects.filter(action="repertoire.part_add").count() == 1


def test_a_piece_is_graded_on_a_published_line_it_may_use(personas):
    draft = build_line(personas.organisation)
    LearningLine.objects.filter(pk=draft.pk).update(status=LineStatus.DRAFT)
    draft.refresh_from_db()
    with pytest.raises(DomainError) as error:
        actions.create_piece(
            organisation=personas.organisation, by=personas.owner, title="Ode", line=draft
        )
    assert error.value.field == "line"
    private_elsewhere = build_line(personas.other)
    with pytest.raises(DomainError):
        actions.create_piece(
            organisation=personas.organisation,
            by=personas.owner,
            title="Ode",
            line=private_elsewhere,
        )
    shared_elsewhere = build_line(personas.other, shared=True)
    piece = actions.create_piece(
        organisation=personas.organisation,
        by=personas.owner,
        title="  Ode an die Freude ",
        line=shared_elsewhere,
    )
    assert piece.title == "Ode an die Freude"


def test_a_new_line_version_moves_the_parts_to_the_same_stage(personas):
    old = build_line(personas.organisation)
    new = build_line(personas.organisation, stages=2, version=2)
    piece = build_piece(personas.organisation, old, [("Viool 1", "violin", 2)])
    actions.update_piece(piece=piece, by=personas.owner, line=new)
    part = piece.parts.get()
    assert part.milestone == milestone(new, "violin", 2)
    # A version without stage 3 of the cello cannot grade a cello part at stage 3.
    shorter = build_line(personas.organisation, stages=2)
    piece = build_piece(personas.organisation, old, [("Cello", "cello", 3)])
    with pytest.raises(DomainError) as error:
        actions.update_piece(piece=piece, by=personas.owner, line=shorter)
    assert error.value.field == "line"
    piece.refresh_from_db()
    assert piece.line == old
    assert piece.parts.get().milestone.line == old


def test_piece_form_saves_and_refuses_bad_input_next_to_the_field(client, personas):
    line = build_line(personas.organisation)
    client.force_login(personas.owner)
    url = reverse("repertoire:piece_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "", "visibility": "private", "line": line.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert not Piece.objects.exists()
    response = client.post(
        url,
        {
            "title": "Danse du Grand Calumet de la Paix",
            "composer": "Jean-Philippe Rameau",
            "arranger": "Test Arrangeur",
            "duration": "4",
            "visibility": "shared",
            "line": line.pk,
        },
    )
    piece = Piece.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("repertoire:piece_detail", args=[piece.pk])
    assert piece.organisation == personas.organisation and piece.is_shared
    assert piece.created_by == personas.owner


def test_part_form_refuses_a_milestone_of_another_instrument(client, personas):
    line = build_line(personas.organisation)
    piece = build_piece(personas.organisation, line)
    client.force_login(personas.owner)
    url = reverse("repertoire:part_add", args=[piece.pk])
    data = {
        "name": "Cello 1",
        "instrument": instrument("cello").pk,
        "milestone": milestone(line, "violin", 2).pk,
        "required": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "another instrument" in str(response.context["form"].errors["milestone"])
    assert not Part.objects.exists()
    data["milestone"] = milestone(line, "cello", 2).pk
    assert client.post(url, data).status_code == 302
    part = Part.objects.get()
    assert part.required and part.milestone.order == 2
    response = client.post(
        reverse("repertoire:part_edit", args=[part.pk]),
        {**data, "name": "Cello", "required": ""},
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.name == "Cello" and not part.required
    client.post(reverse("repertoire:part_delete", args=[part.pk]))
    assert not Part.objects.exists()


def test_private_pieces_are_the_owner_s_and_shared_pieces_everyone_s(client, personas):
    line = build_line(personas.organisation, shared=True)
    private = build_piece(personas.organisation, line, title="Eigen stuk")
    shared = build_piece(personas.organisation, line, shared=True, title="Gedeeld stuk")
    elsewhere = make_member(personas.other, Role.TEACHER)
    client.force_login(elsewhere)
    assert client.get(reverse("repertoire:piece_detail", args=[private.pk])).status_code == 404
    assert client.get(reverse("repertoire:piece_detail", args=[shared.pk])).status_code == 200
    titles = [p.title for p in client.get(reverse("repertoire:piece_list")).context["page"]]
    assert titles == ["Gedeeld stuk"]
    # Reading is not changing: a shared piece is changed by its owner's coordinators only.
    client.force_login(personas.outsider)
    assert client.get(reverse("repertoire:piece_edit", args=[shared.pk])).status_code == 404
    # The owner's teachers read both, and may not change them.
    client.force_login(personas.member)
    titles = [p.title for p in client.get(reverse("repertoire:piece_list")).context["page"]]
    assert titles == ["Eigen stuk", "Gedeeld stuk"]
    assert client.get(reverse("repertoire:piece_edit", args=[private.pk])).status_code == 403


def test_depot_staff_see_no_repertoire(client, personas):
    line = build_line(personas.organisation, shared=True)
    build_piece(personas.organisation, line, shared=True)
    depot = make_organisation(kind="depot")
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    assert client.get(reverse("repertoire:piece_list")).status_code == 403


def test_list_filters_by_instrument_level_and_composer(client, personas):
    line = build_line(personas.organisation)
    build_piece(
        personas.organisation,
        line,
        [("Viool 1", "violin", 3), ("Trompet", "trumpet", 1)],
        title="Titanic",
        composer="James Horner",
    )
    build_piece(
        personas.organisation,
        line,
        [("Viool", "violin", 1), ("Cello", "cello", 2)],
        title="Danse",
        composer="Rameau",
    )
    client.force_login(personas.member)
    url = reverse("repertoire:piece_list")

    def titles(**params):
        return [p.title for p in client.get(url, params).context["page"]]

    assert titles() == ["Danse", "Titanic"]
    assert titles(instrument=instrument("trumpet").pk) == ["Titanic"]
    assert titles(level=2) == ["Danse"]
    # The instrument filter does not hide the other parts from the hardest milestone.
    assert titles(instrument=instrument("trumpet").pk, level=2) == []
    assert titles(q="horner") == ["Titanic"]
    page = client.get(url).context["page"]
    assert [p.hardest for p in page] == [2, 3]
    assert page[1].instrument_names == ["Violin", "Trumpet"] or page[1].instrument_names == [
        "Viool",
        "Trompet",
    ]


def test_list_costs_the_same_queries_for_more_pieces(
    client, personas, django_assert_max_num_queries
):
    line = build_line(personas.organisation)
    for _n in range(3):
        build_piece(personas.organisation, line, [("Viool", "violin", 1), ("Cello", "cello", 2)])
    client.force_login(personas.member)
    url = reverse("repertoire:piece_list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _n in range(20):
        build_piece(personas.organisation, line, [("Viool", "violin", 1), ("Cello", "cello", 2)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_detail_shows_parts_files_and_performances(client, personas):
    line = build_line(personas.organisation)
    piece = build_piece(personas.organisation, line, [("Viool 2", "violin", 2)])
    client.force_login(personas.member)
    response = client.get(reverse("repertoire:piece_detail", args=[piece.pk]))
    html = response.content.decode()
    assert "Viool 2" in html and "Ijkpunt 2" in html
    assert not response.context["can_edit"]
    client.force_login(personas.owner)
    assert client.get(reverse("repertoire:piece_detail", args=[piece.pk])).context["can_edit"]
