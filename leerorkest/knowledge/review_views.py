"""The review queue of the Expertisecentrum's editors: approve, or return with a note."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from leerorkest.accounts.access import LOGIN, AccessDenied, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.knowledge import actions
from leerorkest.knowledge.access import get_material_for_review
from leerorkest.knowledge.forms import RejectForm
from leerorkest.knowledge.models import Material, MaterialStatus, is_editor
from leerorkest.knowledge.pages import page
from leerorkest.uploads import KINDS


@never_cache
@rule(LOGIN)
def review_queue(request):
    if not is_editor(request.user):
        raise AccessDenied(403, "forbidden", _("Only the knowledge editors review materials."))
    waiting = (
        Material.objects.filter(status=MaterialStatus.SUBMITTED)
        .select_related("submitted_by")
        .prefetch_related("files")
        .order_by("submitted_at", "pk")
    )
    return page(request, "knowledge/review_queue.html", {"waiting": waiting})


@never_cache
@rule(LOGIN)
def review(request, pk):
    material = get_material_for_review(request.user, pk)
    form = RejectForm(request.POST if request.POST.get("decision") == "reject" else None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                actions.approve_material(material=material, by=request.user)
                messages.success(request, _("Published."))
                return redirect("knowledge:review_queue")
            if form.is_valid():
                actions.reject_material(
                    material=material, by=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("Returned to the contributor with your note."))
                return redirect("knowledge:review_queue")
        except DomainError as error:
            form.add_error("note" if error.field == "note" else None, error.message)
    files = list(material.files.all())
    for file in files:
        file.label = KINDS[file.kind].label
    return page(
        request,
        "knowledge/review.html",
        {
            "material": material,
            "files": files,
            "form": form,
            "instruments": material.instruments.order_by("sort_order"),
            "themes": material.themes.all(),
        },
        status=400 if form.errors else 200,
    )
