"""Repertoire pages for writing: pieces and parts for the owner's coordinators, files, and
performances for the coordinators of the ensemble's programme. Bad input answers 400 with the
message next to the field, and nothing is saved."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.forms_flow import act_and_return, save_or_show
from leerorkest.programme.access_programme import active_programme, managed_programmes
from leerorkest.programme.models import Ensemble
from leerorkest.repertoire import actions
from leerorkest.repertoire.access import (
    WRITERS,
    get_file_for_user,
    get_part_for_user,
    get_performance_for_user,
    get_piece_for_user,
)
from leerorkest.repertoire.forms import FileForm, PartForm, PerformanceForm, PieceForm


def _form_page(request, form, *, title, piece=None, multipart=False, status=200):
    return render(
        request,
        "repertoire/form.html",
        {"form": form, "title": title, "piece": piece, "multipart": multipart},
        status=status,
    )


def _to_piece(piece_id: int):
    return ("repertoire:piece_detail", piece_id)


@rule(WRITERS)
def piece_create(request):
    programme = active_programme(request)
    return _piece_form(request, programme, None)


@rule(WRITERS)
def piece_edit(request, pk):
    piece = get_piece_for_user(request.user, pk, write=True)
    return _piece_form(request, piece.organisation, piece)


def _piece_form(request, organisation, piece):
    initial = None
    if piece is not None:
        initial = {name: getattr(piece, name) for name in actions.PIECE_FIELDS}
    form = PieceForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisation=organisation,
    )

    def save(data):
        if piece is None:
            return actions.create_piece(organisation=organisation, by=request.user, **data)
        actions.update_piece(piece=piece, by=request.user, **data)
        return piece

    return save_or_show(
        request,
        form,
        save=save,
        saved=_("The piece is saved."),
        to=lambda saved: _to_piece(saved.pk),
        show=lambda form, status: _form_page(
            request,
            form,
            title=_("Edit %(title)s") % {"title": piece.title} if piece else _("New piece"),
            piece=piece,
            status=status,
        ),
    )


@rule(WRITERS)
def part_add(request, pk):
    piece = get_piece_for_user(request.user, pk, write=True)
    return _part_form(request, piece, None)


@rule(WRITERS)
def part_edit(request, pk):
    part = get_part_for_user(request.user, pk, write=True)
    return _part_form(request, part.piece, part)


def _part_form(request, piece, part):
    initial = {"required": True}
    if part is not None:
        initial = {
            "name": part.name,
            "instrument": part.instrument_id,
            "milestone": part.milestone_id,
            "required": part.required,
        }
    form = PartForm(
        request.POST if request.method == "POST" else None, initial=initial, piece=piece
    )
    title = (
        _("Part %(name)s of %(title)s") % {"name": part.name, "title": piece.title}
        if part
        else _("New part of %(title)s") % {"title": piece.title}
    )

    def save(data):
        if part is None:
            actions.add_part(piece=piece, by=request.user, **data)
        else:
            actions.update_part(part=part, by=request.user, **data)

    return save_or_show(
        request,
        form,
        save=save,
        saved=_("The part is saved."),
        to=_to_piece(piece.pk),
        show=lambda form, status: _form_page(
            request, form, title=title, piece=piece, status=status
        ),
    )


@require_POST
@rule(WRITERS)
def part_delete(request, pk):
    part = get_part_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.delete_part(part=part, by=request.user),
        done=_("The part is removed."),
        to=_to_piece(part.piece_id),
    )


@rule(WRITERS)
def file_add(request, pk):
    piece = get_piece_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = FileForm(request.POST, request.FILES, piece=piece)
    else:
        form = FileForm(piece=piece)
    return save_or_show(
        request,
        form,
        save=lambda data: actions.add_file(
            piece=piece, upload=data["file"], part=data["part"], by=request.user
        ),
        saved=_("The file is added."),
        to=_to_piece(piece.pk),
        show=lambda form, status: _form_page(
            request,
            form,
            title=_("Add a file to %(title)s") % {"title": piece.title},
            piece=piece,
            multipart=True,
            status=status,
        ),
    )


@require_POST
@rule(WRITERS)
def file_delete(request, pk):
    stored = get_file_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.delete_file(file=stored, by=request.user),
        done=_("The file is removed."),
        to=_to_piece(stored.piece_id),
    )


@rule(WRITERS)
def performance_add(request, pk):
    """Record that one of the user's programme's ensembles played a piece they may see."""
    piece = get_piece_for_user(request.user, pk)
    ensembles = Ensemble.objects.filter(organisation__in=managed_programmes(request.user))
    form = PerformanceForm(request.POST if request.method == "POST" else None, ensembles=ensembles)
    return save_or_show(
        request,
        form,
        save=lambda data: actions.record_performance(
            piece=piece,
            ensemble=data["ensemble"],
            on=data["date"],
            occasion=data["occasion"],
            by=request.user,
        ),
        saved=_("The performance is recorded."),
        to=_to_piece(piece.pk),
        show=lambda form, status: _form_page(
            request,
            form,
            title=_("Performance of %(title)s") % {"title": piece.title},
            piece=piece,
            status=status,
        ),
    )


@require_POST
@rule(WRITERS)
def performance_delete(request, pk):
    performance = get_performance_for_user(request.user, pk, write=True)
    return act_and_return(
        request,
        lambda: actions.delete_performance(performance=performance, by=request.user),
        done=_("The performance is removed."),
        to=_to_piece(performance.piece_id),
    )
