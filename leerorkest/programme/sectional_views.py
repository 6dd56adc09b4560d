"""Sectionals of a school orchestra: add, change, remove (coordinators)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import MANAGERS, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.programme import actions_ensembles as actions
from leerorkest.programme.ensemble_views import ensembles_for_user, get_ensemble_for_user
from leerorkest.programme.forms_ensembles import SectionalForm
from leerorkest.programme.models import EnsembleKind, Sectional


def get_sectional_for_user(user, pk) -> Sectional:
    try:
        return Sectional.objects.select_related("ensemble").get(
            pk=pk, ensemble__in=ensembles_for_user(user)
        )
    except (Sectional.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@rule(MANAGERS)
def sectional_add(request, pk):
    ensemble = get_ensemble_for_user(request.user, pk)
    if ensemble.kind != EnsembleKind.SCHOOL_ORCHESTRA:
        raise Http404
    return _sectional_form(request, ensemble, Sectional())


@rule(MANAGERS)
def sectional_edit(request, pk):
    sectional = get_sectional_for_user(request.user, pk)
    return _sectional_form(request, sectional.ensemble, sectional)


def _sectional_form(request, ensemble, sectional):
    data = request.POST if request.method == "POST" else None
    initial = {} if sectional.pk else {"minutes": 30}
    form = SectionalForm(data, instance=sectional, initial=initial, ensemble=ensemble)
    if data is not None and form.is_valid():
        try:
            saved = actions.save_sectional(ensemble=ensemble, form=form, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Sectional %(name)s saved; the next timetable plans it.") % {"name": saved.name},
            )
            return redirect("programme:ensemble_detail", ensemble.pk)
    return render(
        request,
        "programme/sectional_form.html",
        {"form": form, "ensemble": ensemble, "sectional": sectional},
        status=400 if data is not None else 200,
    )


@require_POST
@rule(MANAGERS)
def sectional_delete(request, pk):
    sectional = get_sectional_for_user(request.user, pk)
    actions.delete_sectional(sectional=sectional, by=request.user)
    messages.success(request, _("Sectional %(name)s removed.") % {"name": sectional.name})
    return redirect("programme:ensemble_detail", sectional.ensemble_id)
