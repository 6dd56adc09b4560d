"""The review queue of the Expertisecentrum's editors: approve, or return with a note; and the
published materials, which an editor can withdraw with a note."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from leerorkest.accounts.access import LOGIN, AccessDenied, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.knowledge import actions
from leerorkest.knowledge.access import get_material_for_review
from leerorkest.knowledge.forms import RejectForm, WithdrawForm
from leerorkest.knowledge.models import Material, MaterialStatus, is_editor
from leerorkest.knowledge.pages import page
from leerorkest.knowledge.search import search
from leerorkest.uploads import KINDS

PUBLISHED_PAGE_SIZE = 50


@never_cache
@rule(LOGIN)
def review_queue(request):
    """Two tabs: what waits for review, and what is published (searchable, to withdraw)."""
    if not is_editor(request.user):
        raise AccessDenied(403, "forbidden", _("Only the knowledge editors review materials."))
    tab = "published" if request.GET.get("show") == "published" else "waiting"
    waiting = Material.objects.filter(status=MaterialStatus.SUBMITTED)
    context = {"tab": tab, "waiting_count": waiting.count(), "query": ""}
    if tab == "waiting":
        context["waiting"] = (
            waiting.select_related("submitted_by")
            .prefetch_related("files")
            .order_by("submitted_at", "pk")
        )
    else:
        query = request.GET.get("q", "").strip()[:200]
        published = Material.objects.published().select_related("submitted_by")
        published = search(published, query) if query else published.order_by("-published_at")
        context["query"] = query
        context["page"] = Paginator(published, PUBLISHED_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return page(request, "knowledge/review_queue.html", context)


def _decide(request, material, form) -> str | None:
    """Carry out the editor's decision (the actions check the material's status); the message
    to show, or None when the form refuses."""
    decision = request.POST.get("decision")
    if decision == "approve":
        actions.approve_material(material=material, by=request.user)
        return _("Published.")
    if decision not in ("reject", "withdraw"):
        raise DomainError(_("Choose what to do with the material."))
    if not form.is_valid():
        return None
    if decision == "reject":
        actions.reject_material(material=material, by=request.user, note=form.cleaned_data["note"])
        return _("Returned to the contributor with your note.")
    actions.withdraw_material(material=material, by=request.user, note=form.cleaned_data["note"])
    return _("Withdrawn: the material is no longer public. The contributor sees your note.")


@never_cache
@rule(LOGIN)
def review(request, pk):
    """A submitted material is approved or returned; a published one can be withdrawn."""
    material = get_material_for_review(request.user, pk)
    was_published = material.status == MaterialStatus.PUBLISHED
    form_class = WithdrawForm if was_published else RejectForm
    noted = request.method == "POST" and request.POST.get("decision") in ("reject", "withdraw")
    form = form_class(request.POST if noted else None)
    problem = ""  # a refusal that belongs to no field (the form may not even be bound)
    if request.method == "POST":
        try:
            done = _decide(request, material, form)
        except DomainError as error:
            if error.field == "note" and form.is_bound:
                form.add_error("note", error.message)
            else:
                problem = error.message
        else:
            if done is not None:
                messages.success(request, done)
                back = reverse("knowledge:review_queue")
                return redirect(f"{back}?show=published" if was_published else back)
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
            "problem": problem,
            "instruments": material.instruments.order_by("sort_order"),
            "themes": material.themes.all(),
        },
        status=400 if form.errors or problem else 200,
    )
