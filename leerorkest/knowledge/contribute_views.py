"""Professionals register, verify their e-mail address and share material; it stays invisible
to the public until an editor approves it. Contributors usually have no role in any
organisation: these pages need a login only, never a membership."""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import LOGIN, PUBLIC, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.knowledge import actions, contributors
from leerorkest.knowledge.access import get_file_for_user, get_material_for_user
from leerorkest.knowledge.forms import ContributorFields, MaterialForm, RegisterForm
from leerorkest.knowledge.models import Material, MaterialStatus, contributor_of, is_editor
from leerorkest.knowledge.pages import page


@never_cache
@rule(PUBLIC)
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contributors.check_registration_rate(
                client_ip=get_client_ip_address(request), email=data["email"]
            )
        except DomainError as error:
            # Nothing is created and no e-mail goes out.
            form.add_error(None, error.message)
            return page(request, "knowledge/register.html", {"form": form}, status=429)
        contributors.register_contributor(
            full_name=data["full_name"],
            email=data["email"],
            password=data["password1"],
            organisation_name=data["organisation_name"],
            city=data["city"],
            country=data["country"],
        )
        return redirect("knowledge:register_sent")
    status = 400 if form.errors else 200
    return page(request, "knowledge/register.html", {"form": form}, status=status)


@never_cache
@rule(PUBLIC)
def register_sent(request):
    return page(request, "knowledge/register_sent.html")


@never_cache
@rule(PUBLIC)
def verify(request, token):
    """GET asks to confirm (mail scanners open links too), POST verifies and logs in."""
    contributor = contributors.find_open_verification(token)
    if contributor is None:
        return page(request, "knowledge/verify_invalid.html", status=404)
    if request.method == "POST":
        try:
            contributor = contributors.verify_email(token=token)
        except DomainError:
            return page(request, "knowledge/verify_invalid.html", status=404)
        if not request.user.is_authenticated or request.user.pk != contributor.user_id:
            login(request, contributor.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Your e-mail address is confirmed. You can share material now.")
        )
        return redirect("knowledge:my_materials")
    return page(request, "knowledge/verify.html", {"contributor": contributor})


@never_cache
@rule(LOGIN)
def become_contributor(request):
    """A logged-in person without a contributor profile adds one (and verifies their address)."""
    if contributor_of(request.user) is not None:
        return redirect("knowledge:my_materials")
    form = ContributorFields(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contributors.become_contributor(user=request.user, **form.cleaned_data)
        messages.success(request, _("We sent you an e-mail: open its link to confirm."))
        return redirect("knowledge:my_materials")
    status = 400 if form.errors else 200
    return page(request, "knowledge/become_contributor.html", {"form": form}, status=status)


@require_POST
@rule(LOGIN)
def resend_verification(request):
    from leerorkest.knowledge.tasks import send_verification

    profile = contributor_of(request.user)
    if profile is not None and not profile.is_verified:
        send_verification.enqueue(profile.pk)
        audit(actor=request.user, action="knowledge.verification_resend", obj=profile)
        messages.success(request, _("We sent you a new link."))
    return redirect("knowledge:my_materials")


@never_cache
@rule(LOGIN)
def my_materials(request):
    profile = contributor_of(request.user)
    materials = (
        Material.objects.filter(submitted_by=request.user)
        .prefetch_related("files")
        .order_by("-updated_at", "-pk")
    )
    return page(
        request,
        "knowledge/my_materials.html",
        {"profile": profile, "materials": materials, "editor": is_editor(request.user)},
    )


def _verified_or_redirect(request):
    profile = contributor_of(request.user)
    if profile is None:
        return redirect("knowledge:become_contributor")
    if not profile.is_verified:
        messages.error(request, _("Confirm your e-mail address before you share material."))
        return redirect("knowledge:my_materials")
    return None


def _save(request, form, material=None):
    """Save the form through the action; a refusal goes next to its field (nothing saved)."""
    data = form.cleaned_data
    try:
        return actions.save_material(
            by=request.user,
            material=material,
            data=data,
            instruments=data["instruments"],
            themes=data["themes"],
            goals=data["goals"],
            year_groups=data["year_groups"],
            uploads=data["files"],
            submit="submit" in request.POST,
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def _saved(request, material):
    if material.status == MaterialStatus.SUBMITTED:
        messages.success(request, _("Thank you: the editors will review your material."))
    else:
        messages.success(request, _("Saved as a draft."))
    return redirect("knowledge:my_materials")


@never_cache
@rule(LOGIN)
def material_create(request):
    refused = _verified_or_redirect(request)
    if refused:
        return refused
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        material = _save(request, form)
        if material is not None:
            return _saved(request, material)
    status = 400 if form.errors else 200
    return page(request, "knowledge/material_form.html", {"form": form}, status=status)


@never_cache
@rule(LOGIN)
def material_edit(request, pk):
    material = get_material_for_user(request.user, pk, write=True)
    if not material.is_editable:
        messages.error(request, _("This material cannot be changed now."))
        return redirect("knowledge:my_materials")
    refused = _verified_or_redirect(request)
    if refused:
        return refused
    form = MaterialForm(
        request.POST or None,
        request.FILES or None,
        initial=MaterialForm.initial_for(material),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, material)
        if saved is not None:
            return _saved(request, saved)
    status = 400 if form.errors else 200
    return page(
        request,
        "knowledge/material_form.html",
        {"form": form, "material": material, "files": material.files.all()},
        status=status,
    )


@never_cache
@rule(LOGIN)
def material_unpublish(request, pk):
    """The contributor takes their own published material back to a draft to change it. GET
    asks to confirm (the public copy disappears until the editors approve it again); POST does
    it and opens the form."""
    material = get_material_for_user(request.user, pk, write=True)
    if material.status != MaterialStatus.PUBLISHED:
        messages.error(request, _("This material is not published."))
        return redirect("knowledge:my_materials")
    if request.method == "POST":
        try:
            actions.unpublish_material(material=material, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("knowledge:my_materials")
        messages.success(
            request,
            _("Taken back to a draft: change it and submit it again for review."),
        )
        return redirect("knowledge:material_edit", material.pk)
    return page(request, "knowledge/material_unpublish.html", {"material": material})


@require_POST
@rule(LOGIN)
def file_remove(request, pk):
    file = get_file_for_user(request.user, pk, write=True)
    try:
        actions.remove_file(file=file, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("File removed."))
    return redirect("knowledge:material_edit", file.material_id)
