"""Repertoire pages for writing: pieces and parts for the owner's coordinators, files, and
performances for the coordinators of the ensemble's programme. Bad input answers 400 with the
message next to the field, and nothing is saved."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
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


def _refused(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


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
    title = _("Edit %(title)s") % {"title": piece.title} if piece else _("New piece")
    if request.method == "POST":
        if form.is_valid():
            try:
                if piece is None:
                    piece = actions.create_piece(
                        organisation=organisation, by=request.user, **form.cleaned_data
                    )
                else:
                    actions.update_piece(piece=piece, by=request.user, **form.cleaned_data)
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("The piece is saved."))
                return redirect("repertoire:piece_detail", piece.pk)
        return _form_page(request, form, title=title, piece=piece, status=400)
    return _form_page(request, form, title=title, piece=piece)


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
    if request.method == "POST":
        if form.is_valid():
            try:
                if part is None:
                    actions.add_part(piece=piece, by=request.user, **form.cleaned_data)
                else:
                    actions.update_part(part=part, by=request.user, **form.cleaned_data)
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("The part is saved."))
                return redirect("repertoire:piece_detail", piece.pk)
        return _form_page(request, form, title=title, piece=piece, status=400)
    return _form_page(request, form, title=title, piece=piece)


@require_POST
@rule(WRITERS)
def part_delete(request, pk):
    part = get_part_for_user(request.user, pk, write=True)
    actions.delete_part(part=part, by=request.user)
    messages.success(request, _("The part is removed."))
    return redirect("repertoire:piece_detail", part.piece_id)


@rule(WRITERS)
def file_add(request, pk):
    piece = get_piece_for_user(request.user, pk, write=True)
    title = _("Add a file to %(title)s") % {"title": piece.title}
    if request.method != "POST":
        return _form_page(request, FileForm(piece=piece), title=title, piece=piece, multipart=True)
    form = FileForm(request.POST, request.FILES, piece=piece)
    if form.is_valid():
        try:
            actions.add_file(
                piece=piece,
                upload=form.cleaned_data["file"],
                part=form.cleaned_data["part"],
                by=request.user,
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The file is added."))
            return redirect("repertoire:piece_detail", piece.pk)
    return _form_page(request, form, title=title, piece=piece, multipart=True, status=400)


@require_POST
@rule(WRITERS)
def file_delete(request, pk):
    stored = get_file_for_user(request.user, pk, write=True)
    actions.delete_file(file=stored, by=request.user)
    messages.success(request, _("The file is removed."))
    return redirect("repertoire:piece_detail", stored.piece_id)


@rule(WRITERS)
def performance_add(request, pk):
    """Record that one of the user's programme's ensembles played a piece they may see."""
    piece = get_piece_for_user(request.user, pk)
    ensembles = Ensemble.objects.filter(organisation__in=managed_programmes(request.user))
    form = PerformanceForm(request.POST if request.method == "POST" else None, ensembles=ensembles)
    title = _("Performance of %(title)s") % {"title": piece.title}
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.record_performance(
                    piece=piece,
                    ensemble=form.cleaned_data["ensemble"],
                    on=form.cleaned_data["date"],
                    occasion=form.cleaned_data["occasion"],
                    by=request.user,
                )
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("The performance is recorded."))
                return redirect("repertoire:piece_detail", piece.pk)
        return _form_page(request, form, title=title, piece=piece, status=400)
    return _form_page(request, form, title=title, piece=piece)


@require_POST
@rule(WRITERS)
def performance_delete(request, pk):
    performance = get_performance_for_user(request.user, pk, write=True)
    actions.delete_performance(performance=performance, by=request.user)
    messages.success(request, _("The performance is removed."))
    return redirect("repertoire:piece_detail", performance.piece_id)
