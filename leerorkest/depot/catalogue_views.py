"""The catalogue page: what the depot lends, in which sizes, with which kit and models."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import PLATFORM_ADMIN, Role
from leerorkest.depot import catalogue
from leerorkest.depot.views import DEPOT, depots_for_user
from leerorkest.programme.models import InstrumentType

EDITORS = roles(Role.DEPOT_STAFF, Role.WORKSHOP_LEAD, PLATFORM_ADMIN)


class ModelForm(forms.Form):
    instrument_type = forms.ModelChoiceField(
        label=gettext_lazy("Instrument"), queryset=InstrumentType.objects.all()
    )
    make = forms.CharField(label=gettext_lazy("Make"), max_length=80)
    name = forms.CharField(label=gettext_lazy("Model"), max_length=80)


class KitForm(forms.Form):
    instrument_type = forms.ModelChoiceField(
        label=gettext_lazy("Instrument"), queryset=InstrumentType.objects.all()
    )
    name = forms.CharField(label=gettext_lazy("Kit item"), max_length=80)


def _page(request, *, model_form=None, kit_form=None, status=200):
    return render(
        request,
        "depot/catalogue.html",
        {
            "families": catalogue.overview(depots_for_user(request.user)),
            "model_form": model_form or ModelForm(prefix="model"),
            "kit_form": kit_form or KitForm(prefix="kit"),
        },
        status=status,
    )


@rule(DEPOT)
def catalogue_page(request):
    return _page(request)


def _add(request, what: str, form_class):
    form = form_class(request.POST, prefix=what)
    if form.is_valid():
        data = form.cleaned_data
        common = {
            "instrument_type": data["instrument_type"],
            "name": data["name"],
            "by": request.user,
            "organisation": depots_for_user(request.user).first(),
        }
        try:
            if what == "model":
                catalogue.add_model(make=data["make"], **common)
            else:
                catalogue.add_kit_item(**common)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Added to the catalogue."))
            return redirect("depot:catalogue")
    return _page(request, status=400, **{f"{what}_form": form})


@require_POST
@rule(EDITORS)
def add_model(request):
    return _add(request, "model", ModelForm)


@require_POST
@rule(EDITORS)
def add_kit_item(request):
    return _add(request, "kit", KitForm)
