from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts import actions
from leerorkest.accounts.access import (
    LOGIN,
    MANAGERS,
    PLATFORM_ADMINS,
    PUBLIC,
    get_invitation_for_user,
    get_membership_for_user,
    get_organisation_for_user,
    rule,
)
from leerorkest.accounts.audit import audit
from leerorkest.accounts.forms import (
    InviteForm,
    NewAccountForm,
    OrganisationForm,
    ProfileForm,
    TokenForm,
)
from leerorkest.accounts.middleware import SESSION_CONTEXT
from leerorkest.accounts.models import ApiToken, AuditEvent, Invitation, Organisation
from leerorkest.accounts.navigation import home_figures
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind


@rule(LOGIN)
def home(request):
    context = request.context
    if context.role is None:
        if hasattr(request.user, "knowledge_contributor"):
            # A professional of another programme who shares material: no role here.
            return redirect("knowledge:my_materials")
        return render(request, "accounts/no_membership.html")
    return render(
        request,
        "accounts/home.html",
        {"figures": home_figures(context), "organisation": context.organisation},
    )


@require_POST
@rule(LOGIN)
def switch_context(request):
    """Act as another of one's memberships (or as platform administrator)."""
    chosen = request.POST.get("context", "")
    valid = {str(m.pk) for m in request.context.memberships}
    if request.user.is_platform_admin:
        valid.add(PLATFORM_ADMIN)
    if chosen not in valid:
        raise Http404
    request.session[SESSION_CONTEXT] = chosen
    return redirect("home")


@rule(LOGIN)
def organisation_list(request):
    organisations = Organisation.objects.for_user(request.user).select_related("parent")
    kind = request.GET.get("kind", "")
    if kind in OrgKind.values:
        organisations = organisations.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(city__icontains=query))
    organisations = organisations.annotate(member_count=Count("memberships__user", distinct=True))
    page = Paginator(organisations.order_by("kind", "name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {"page": page, "kinds": OrgKind.choices, "kind": kind, "query": query},
    )


@rule(PLATFORM_ADMINS)
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        audit(actor=request.user, action="organisation.create", obj=organisation)
        messages.success(request, _("Organisation created. Invite its first manager now."))
        return redirect("accounts:organisation_detail", organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form})


@rule(LOGIN)
def organisation_detail(request, pk):
    """The organisation's page; its managers see members and invitations and invite people."""
    organisation = get_organisation_for_user(request.user, pk)
    roles = actions.invitable_roles(request.user, organisation)
    invite_form = InviteForm(request.POST or None, roles=roles) if roles else None
    if request.method == "POST":
        if invite_form is None:
            raise Http404
        if invite_form.is_valid():
            try:
                invitation = actions.invite_user(
                    organisation=organisation,
                    email=invite_form.cleaned_data["email"],
                    role=invite_form.cleaned_data["role"],
                    by=request.user,
                )
            except actions.DomainError as error:
                invite_form.add_error(error.field, error.message)
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("accounts:organisation_detail", organisation.pk)
    manages = Organisation.objects.for_user(request.user, write=True).filter(pk=pk).exists()
    members = None
    invitations = Invitation.objects.none()
    query = request.GET.get("q", "").strip()
    if manages:
        memberships = organisation.memberships.select_related("user").order_by(
            "user__full_name", "role"
        )
        if query:
            memberships = memberships.filter(
                Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
            )
        members = Paginator(memberships, 50).get_page(request.GET.get("page"))
        invitations = organisation.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).select_related("invited_by")
    children = (
        organisation.children.filter(is_active=True)
        .select_related("school__neighbourhood__district")
        .annotate(member_count=Count("memberships__user", distinct=True))
    )
    template = "accounts/organisation_detail.html"
    if request.htmx and request.method == "GET" and manages:
        template += "#members"  # the search box asks for the member table only
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "manages": manages,
            "page": members,
            "query": query,
            "invitations": invitations,
            "children": children,
            "invite_form": invite_form,
        },
        status=400 if invite_form is not None and invite_form.errors else 200,
    )


@require_POST
@rule(MANAGERS)
def revoke_invitation(request, pk):
    invitation = get_invitation_for_user(request.user, pk)
    try:
        actions.revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, _("Invitation withdrawn."))
    except actions.DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:organisation_detail", invitation.organisation_id)


@require_POST
@rule(MANAGERS)
def resend_invitation(request, pk):
    invitation = get_invitation_for_user(request.user, pk)
    try:
        actions.resend_invitation(invitation=invitation, by=request.user)
        messages.success(request, _("Invitation sent again, with a new link."))
    except actions.DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:organisation_detail", invitation.organisation_id)


@require_POST
@rule(MANAGERS)
def remove_membership(request, pk):
    membership = get_membership_for_user(request.user, pk, write=True)
    try:
        actions.remove_membership(membership=membership, by=request.user)
        messages.success(request, _("Role removed."))
    except actions.DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:organisation_detail", membership.organisation_id)


@rule(PUBLIC)
def accept_invitation(request, token):
    invitation = actions.find_open_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    form = None if user else NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (user or form.is_valid()):
        try:
            membership = actions.accept_invitation(
                token=token,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except actions.DomainError as error:
            messages.error(request, error.message)
        else:
            if user is None:
                login(
                    request,
                    membership.user,
                    backend="django.contrib.auth.backends.ModelBackend",
                )
            request.session[SESSION_CONTEXT] = str(membership.pk)
            messages.success(
                request,
                _("Welcome to %(organisation)s.") % {"organisation": membership.organisation},
            )
            return redirect("home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "wrong_user": user and user.email.lower() != invitation.email.lower(),
        },
    )


@rule(LOGIN)
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        audit(actor=user, action="user.update_profile", obj=user)
        translation.activate(user.language)
        messages.success(request, _("Your details are saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(request, "accounts/profile.html", _profile_context(request, form, TokenForm()))


def _profile_context(request, form, token_form, new_token=None):
    return {
        "form": form,
        "token_form": token_form,
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
        "new_token": new_token,
        "memberships": request.context.memberships,
    }


@require_POST
@rule(LOGIN)
def token_create(request):
    token_form = TokenForm(request.POST)
    new_token = None
    if token_form.is_valid():
        _token, new_token = actions.create_api_token(
            user=request.user, name=token_form.cleaned_data["name"]
        )
        token_form = TokenForm()
    form = ProfileForm(instance=request.user)
    status = 200 if new_token else 400
    return render(
        request,
        "accounts/profile.html",
        _profile_context(request, form, token_form, new_token),
        status=status,
    )


@require_POST
@rule(LOGIN)
def token_revoke(request, pk):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    actions.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


@rule(MANAGERS)
def audit_log(request):
    events = AuditEvent.objects.for_user(request.user).select_related("organisation")
    organisation = request.context.organisation
    if organisation is not None and request.context.role != PLATFORM_ADMIN:
        events = events.filter(organisation=organisation)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "action": action})
