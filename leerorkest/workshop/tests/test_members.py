"""A workshop's members page: adding, changing and removing people; the workshop's lead and
skills; who may do it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot.tests.builders import make_depot
from leerorkest.testing import make_member, make_organisation
from leerorkest.workshop import actions, members
from leerorkest.workshop.models import LabourLine, Skill, WorkOrder, WorkshopMember
from leerorkest.workshop.tests.builders import add_member, in_repair, make_workshop

Kind = WorkshopMember.Kind


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def lead(depot):
    return make_member(depot, Role.WORKSHOP_LEAD, full_name="Wim Werkmeester")


@pytest.fixture
def staff(depot):
    return make_member(depot, Role.DEPOT_STAFF, full_name="Dora Depot")


@pytest.fixture
def strings(depot, lead):
    return make_workshop(depot, [Skill.STRINGS], lead=lead, name="Strijkers")


@pytest.fixture
def vera(depot):
    return make_member(depot, Role.WORKSHOP_VOLUNTEER, full_name="Vera Vrijwillig")


@pytest.fixture
def english(client):
    client.cookies["leerorkest_language"] = "en"
    return client


def test_lead_adds_a_volunteer_from_the_depot_only(english, strings, lead, vera, depot):
    elsewhere = make_member(make_depot(), Role.WORKSHOP_VOLUNTEER, full_name="Elders")
    teacher = make_member(make_organisation(kind=OrgKind.PROGRAMME), Role.COORDINATOR)
    english.force_login(lead)
    url = reverse("workshop:members", args=[strings.pk])
    page = english.get(url)
    assert page.status_code == 200
    people = list(page.context["add_form"].fields["user"].queryset)
    assert vera in people and lead in people
    assert elsewhere not in people and teacher not in people
    response = english.post(
        url, {"user": vera.pk, "kind": Kind.VOLUNTEER, "skills": [Skill.STRINGS]}
    )
    assert response.status_code == 302
    member = WorkshopMember.objects.get(workshop=strings, user=vera)
    assert (member.kind, member.skills, member.hourly_rate_cents) == ("volunteer", ["strings"], 0)
    assert AuditEvent.objects.filter(action="workshop.member_added", object_id=str(strings.pk))
    # Someone of another depot is refused with the form kept.
    refused = english.post(url, {"user": elsewhere.pk, "kind": Kind.VOLUNTEER})
    assert refused.status_code == 200
    assert "user" in refused.context["add_form"].errors
    assert not WorkshopMember.objects.filter(user=elsewhere).exists()


def test_hourly_rate_only_for_paid_staff(english, strings, lead, vera):
    english.force_login(lead)
    url = reverse("workshop:members", args=[strings.pk])
    no_rate = english.post(url, {"user": vera.pk, "kind": Kind.PAID})
    assert no_rate.status_code == 200
    assert no_rate.context["add_form"].errors["hourly_rate"]
    assert no_rate.context["add_form"]["kind"].value() == Kind.PAID  # what was typed stays
    volunteer_rate = english.post(url, {"user": vera.pk, "kind": Kind.INTERN, "hourly_rate": "20"})
    assert volunteer_rate.status_code == 200
    assert volunteer_rate.context["add_form"].errors["hourly_rate"]
    assert not WorkshopMember.objects.filter(user=vera).exists()
    paid = english.post(url, {"user": vera.pk, "kind": Kind.PAID, "hourly_rate": "32.50"})
    assert paid.status_code == 302
    assert WorkshopMember.objects.get(user=vera).hourly_rate_cents == 3250
    # The action refuses too, whatever calls it.
    with pytest.raises(DomainError) as refused:
        members.change_member(
            member=WorkshopMember.objects.get(user=vera),
            by=lead,
            kind=Kind.VOLUNTEER,
            hourly_rate_cents=1000,
        )
    assert refused.value.field == "hourly_rate"


def test_change_member_kind_skills_and_rate(english, strings, lead, vera):
    member = add_member(strings, vera)
    english.force_login(lead)
    response = english.post(
        reverse("workshop:member_change", args=[member.pk]),
        {"kind": Kind.PAID, "skills": [Skill.STRINGS, Skill.BRASS], "hourly_rate": "25"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.kind, member.skills, member.hourly_rate_cents) == (
        "paid",
        ["strings", "brass"],
        2500,
    )
    page = english.get(reverse("workshop:members", args=[strings.pk]))
    assert "€ 25" in page.content.decode() or "25,00" in page.content.decode()


def test_remove_keeps_hours_and_unassigns_open_orders(english, strings, lead, vera):
    member = add_member(strings, vera)
    done_order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    actions.assign(work_order=done_order, to=vera, by=lead)
    actions.add_labour(work_order=done_order, hours=Decimal(2), by=vera)
    open_order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    actions.assign(work_order=open_order, to=vera, by=lead)
    actions.add_labour(work_order=open_order, hours=Decimal("1.5"), by=vera)
    actions.ready_for_qa(work_order=done_order, by=vera)
    actions.sign_off(work_order=done_order, by=lead)
    english.force_login(lead)
    page = english.get(reverse("workshop:members", args=[strings.pk]))
    [row] = page.context["active"]
    assert [o.pk for o in row.open_orders] == [open_order.pk]
    assert row.hours_this_year == Decimal("3.5")

    response = english.post(reverse("workshop:member_remove", args=[member.pk]), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"#{open_order.pk}" in text and "unassigned" in text
    member.refresh_from_db()
    open_order.refresh_from_db()
    done_order.refresh_from_db()
    assert member.is_active is False
    assert open_order.assigned_to is None and open_order.is_open
    assert done_order.assigned_to == vera  # finished work keeps its history
    assert LabourLine.objects.filter(worker=vera).count() == 2
    assert [m.user for m in response.context["former"]] == [vera]
    # Back again later: the same row, active.
    members.add_member(workshop=strings, user=vera, by=lead, kind=Kind.INTERN)
    member.refresh_from_db()
    assert member.is_active and member.kind == Kind.INTERN


def test_only_this_workshops_lead_or_staff_manage_members(english, depot, strings, vera, staff):
    other_lead = make_member(depot, Role.WORKSHOP_LEAD)
    brass = make_workshop(depot, [Skill.BRASS], lead=other_lead)
    member = add_member(strings, vera)
    english.force_login(other_lead)
    page = english.get(reverse("workshop:members", args=[strings.pk]))
    assert page.status_code == 200 and page.context["can_edit"] is False
    response = english.post(reverse("workshop:member_remove", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_active
    with pytest.raises(DomainError):
        members.add_member(workshop=strings, user=other_lead, by=other_lead, kind=Kind.VOLUNTEER)
    # Depot staff may; a volunteer does not even see the page.
    members.add_member(workshop=brass, user=vera, by=staff, kind=Kind.PLACEMENT)
    english.force_login(vera)
    assert english.get(reverse("workshop:members", args=[strings.pk])).status_code == 403


def test_staff_change_lead_and_skills(english, depot, strings, lead, staff, vera):
    new_lead = make_member(depot, Role.WORKSHOP_LEAD, full_name="Nieuwe Lead")
    english.force_login(lead)
    url = reverse("workshop:settings", args=[strings.pk])
    english.post(url, {"lead": new_lead.pk, "skills": [Skill.BRASS]})
    strings.refresh_from_db()
    assert strings.lead == lead  # a lead does not change their own workshop
    english.force_login(staff)
    assert english.post(url, {"lead": vera.pk, "skills": [Skill.BRASS]}).status_code == 200
    no_skills = english.post(url, {"lead": new_lead.pk})
    assert no_skills.status_code == 200 and no_skills.context["settings_form"].errors["skills"]
    response = english.post(url, {"lead": new_lead.pk, "skills": [Skill.STRINGS, Skill.BRASS]})
    assert response.status_code == 302
    strings.refresh_from_db()
    assert strings.lead == new_lead and strings.skills == ["strings", "brass"]
    assert AuditEvent.objects.filter(action="workshop.changed", object_id=str(strings.pk))


def test_other_depots_workshop_is_404(english, strings, vera):
    outsider = make_member(make_depot(), Role.DEPOT_STAFF)
    member = add_member(strings, vera)
    english.force_login(outsider)
    assert english.get(reverse("workshop:members", args=[strings.pk])).status_code == 404
    assert english.post(reverse("workshop:member_remove", args=[member.pk])).status_code == 404
    assert english.post(reverse("workshop:settings", args=[strings.pk])).status_code == 404


def test_hours_this_year_only(strings, lead, vera):
    add_member(strings, vera)
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    actions.assign(work_order=order, to=vera, by=lead)
    today = timezone.localdate()
    actions.add_labour(work_order=order, hours=Decimal(3), by=vera)
    actions.add_labour(
        work_order=order, hours=Decimal(5), by=vera, worked_on=date(today.year - 1, 6, 1)
    )
    [row] = members.member_rows(strings)
    assert row.hours_this_year == Decimal(3)
