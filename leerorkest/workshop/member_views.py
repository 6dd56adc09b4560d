"""A workshop's members page: who works there, as what, with which skills; their open orders and
hours this year. Changes go through `leerorkest.workshop.members`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.workshop import access, members
from leerorkest.workshop.access import MANAGE
from leerorkest.workshop.forms import MemberAddForm, MemberForm, WorkshopSettingsForm
from leerorkest.workshop.models import WorkshopMember


def get_member_for_user(user, pk) -> WorkshopMember:
    try:
        return (
            WorkshopMember.objects.filter(workshop__organisation__in=access.managed_depots(user))
            .select_related("workshop__lead", "user")
            .get(pk=pk)
        )
    except (WorkshopMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _refused(request, error: DomainError, form, workshop_id: int):
    """A refusal about the person (not allowed) goes to the top; one about a field stays there."""
    if error.field in form.fields:
        form.add_error(error.field, error.message)
        return None
    messages.error(request, error.message)
    return redirect("workshop:members", workshop_id)


def _rate_euros(member) -> str:
    return f"{member.hourly_rate_cents / 100:.2f}" if member.hourly_rate_cents else ""


def _page(request, workshop, *, add_form=None, member_forms=None, settings_form=None):
    member_forms = member_forms or {}
    can_edit = members.can_manage_members(request.user, workshop)
    is_staff = members.is_depot_staff(request.user, workshop.organisation_id)
    rows = members.member_rows(workshop)
    for member in rows:
        if can_edit and member.is_active:
            member.form = member_forms.get(member.pk) or MemberForm(
                auto_id=f"m{member.pk}_%s",
                initial={
                    "kind": member.kind,
                    "skills": member.skills,
                    "hourly_rate": _rate_euros(member),
                },
            )
    return render(
        request,
        "workshop/members.html",
        {
            "workshop": workshop,
            "active": [m for m in rows if m.is_active],
            "former": [m for m in rows if not m.is_active],
            "year": timezone.localdate().year,
            "can_edit": can_edit,
            "is_staff": is_staff,
            "add_form": (add_form or MemberAddForm(people=members.candidates(workshop)))
            if can_edit
            else None,
            "settings_form": (
                settings_form
                or WorkshopSettingsForm(
                    leads=members.lead_candidates(workshop),
                    initial={"lead": workshop.lead_id, "skills": workshop.skills},
                    auto_id="w_%s",
                )
            )
            if is_staff
            else None,
        },
    )


@rule(MANAGE)
def workshop_members(request, pk):
    workshop = access.get_workshop_for_user(request.user, pk)
    if request.method != "POST":
        return _page(request, workshop)
    form = MemberAddForm(request.POST, people=members.candidates(workshop))
    if form.is_valid():
        try:
            member = members.add_member(
                workshop=workshop,
                user=form.cleaned_data["user"],
                by=request.user,
                **form.member_fields(),
            )
        except DomainError as error:
            if response := _refused(request, error, form, workshop.pk):
                return response
        else:
            messages.success(
                request,
                _("%(name)s now works in %(workshop)s.")
                % {"name": member.user.full_name or member.user.email, "workshop": workshop.name},
            )
            return redirect("workshop:members", workshop.pk)
    return _page(request, workshop, add_form=form)


@require_POST
@rule(MANAGE)
def member_change(request, pk):
    member = get_member_for_user(request.user, pk)
    workshop = member.workshop
    form = MemberForm(request.POST, auto_id=f"m{member.pk}_%s")
    if form.is_valid():
        try:
            members.change_member(member=member, by=request.user, **form.member_fields())
        except DomainError as error:
            if response := _refused(request, error, form, workshop.pk):
                return response
        else:
            messages.success(
                request, _("%(name)s saved.") % {"name": member.user.full_name or member.user.email}
            )
            return redirect("workshop:members", workshop.pk)
    return _page(request, workshop, member_forms={member.pk: form})


@require_POST
@rule(MANAGE)
def member_remove(request, pk):
    member = get_member_for_user(request.user, pk)
    name = member.user.full_name or member.user.email
    try:
        unassigned = members.remove_member(member=member, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workshop:members", member.workshop_id)
    if unassigned:
        listed = ", ".join(f"#{pk}" for pk in unassigned)
        messages.warning(
            request,
            ngettext(
                "%(name)s no longer works here. Their open work order %(orders)s is unassigned "
                "and back in the queue.",
                "%(name)s no longer works here. Their %(n)s open work orders (%(orders)s) are "
                "unassigned and back in the queue.",
                len(unassigned),
            )
            % {"name": name, "n": len(unassigned), "orders": listed},
        )
    else:
        messages.success(
            request,
            _("%(name)s no longer works here; their hours stay on the orders.") % {"name": name},
        )
    return redirect("workshop:members", member.workshop_id)


@require_POST
@rule(MANAGE)
def workshop_settings(request, pk):
    workshop = access.get_workshop_for_user(request.user, pk)
    form = WorkshopSettingsForm(
        request.POST, leads=members.lead_candidates(workshop), auto_id="w_%s"
    )
    if form.is_valid():
        try:
            members.change_workshop(
                workshop=workshop,
                by=request.user,
                lead=form.cleaned_data["lead"],
                skills=form.cleaned_data["skills"],
            )
        except DomainError as error:
            if response := _refused(request, error, form, workshop.pk):
                return response
        else:
            messages.success(request, _("%(workshop)s saved.") % {"workshop": workshop.name})
            return redirect("workshop:members", workshop.pk)
    return _page(request, workshop, settings_form=form)
