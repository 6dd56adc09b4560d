"""Teacher profiles: list filters and query counts, the profile page, forms, VOG status, linking
accounts, the home figure, the API and who may see any of it."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.actions import DomainError, accept_invitation, create_api_token
from leerorkest.accounts.models import AuditEvent, Invitation, Membership
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme import actions_teachers as actions
from leerorkest.programme.models import Teacher, TeacherAvailability, TrainingRecord
from leerorkest.programme.models.teachers import VOG_VALID_DAYS
from leerorkest.programme.teacher_views import filter_vog
from leerorkest.schools.models import District
from leerorkest.testing import instrument, make_member, make_organisation, make_user
from tests.access_teachers import build_ensemble, build_lesson_group, build_teacher

LIST = reverse("programme:teacher_list")


@pytest.fixture(autouse=True)
def _english_messages(client):
    """These tests read the English texts; the Dutch ones are checked by the catalogue test."""
    from django.utils import translation

    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


def names(response):
    return [t.full_name for t in response.context["page"]]


def issued_days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


# --- VOG status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age_days", "status"),
    [
        (None, "missing"),
        (0, "valid"),
        (VOG_VALID_DAYS - 61, "valid"),  # expires in 61 days
        (VOG_VALID_DAYS - 60, "expiring"),  # expires in exactly 60 days
        (VOG_VALID_DAYS - 1, "expiring"),
        (VOG_VALID_DAYS, "expiring"),  # expires today: still valid today
        (VOG_VALID_DAYS + 1, "expired"),  # expired yesterday
    ],
)
def test_vog_status_boundaries_agree_in_python_and_in_the_database(personas, age_days, status):
    vog_date = None if age_days is None else issued_days_ago(age_days)
    teacher = build_teacher(personas.organisation, vog_date=vog_date)
    assert teacher.vog_status == status
    queryset = Teacher.objects.filter(pk=teacher.pk)
    assert list(filter_vog(queryset, status)) == [teacher]
    others = {"missing", "expired", "expiring", "valid"} - {status}
    assert all(not filter_vog(queryset, other).exists() for other in others)
    assert filter_vog(queryset, "attention").exists() == (status in ("expiring", "expired"))


def test_profile_page_warns_when_the_vog_expires(client, personas):
    teacher = build_teacher(personas.organisation, vog_date=issued_days_ago(VOG_VALID_DAYS - 10))
    client.force_login(personas.owner)
    html = client.get(reverse("programme:teacher_detail", args=[teacher.pk])).content.decode()
    assert 'class="message warning"' in html
    expires = teacher.vog_expires_on
    assert str(expires.year) in html
    teacher.vog_date = issued_days_ago(VOG_VALID_DAYS + 3)
    teacher.save()
    html = client.get(reverse("programme:teacher_detail", args=[teacher.pk])).content.decode()
    assert 'class="message error"' in html


def test_home_figure_counts_expiring_and_expired_certificates(client, personas):
    programme = personas.organisation
    build_teacher(programme, name="Verlopen", vog_date=issued_days_ago(VOG_VALID_DAYS + 5))
    build_teacher(programme, name="Bijna", vog_date=issued_days_ago(VOG_VALID_DAYS - 5))
    build_teacher(programme, name="Geldig", vog_date=issued_days_ago(10))
    build_teacher(programme, name="Gestopt", vog_date=issued_days_ago(5000), is_active=False)
    build_teacher(personas.other, name="Elders", vog_date=issued_days_ago(5000))
    client.force_login(personas.owner)
    figures = {f.key: f for f in client.get(reverse("home")).context["figures"]}
    assert figures["vog_expiring"].value == 2
    listing = client.get(figures["vog_expiring"].url)
    assert sorted(names(listing)) == ["Bijna", "Verlopen"]
    client.force_login(personas.member)
    figures = {f.key for f in client.get(reverse("home")).context["figures"]}
    assert "vog_expiring" not in figures


# --- The list -----------------------------------------------------------------------------------


def test_list_filters_search_and_sorts(client, personas):
    programme = personas.organisation
    oost = District.objects.create(city="Amsterdam", name="Oost")
    noord = District.objects.create(city="Amsterdam", name="Noord")
    anna = build_teacher(
        programme,
        name="Anna Bakker",
        email="anna@test.example",
        instruments=("violin", "viola"),
        is_conductor=True,
        vog_date=issued_days_ago(10),
        contracted_hours=Decimal("12.5"),
    )
    anna.districts.set([oost])
    bram = build_teacher(
        programme, name="Bram Claes", instruments=("cello",), vog_date=issued_days_ago(2000)
    )
    bram.districts.set([noord, oost])
    build_teacher(programme, name="Cor Dekker", instruments=("violin",), is_active=False)
    build_teacher(personas.other, name="Anna Elders", instruments=("violin",))
    client.force_login(personas.owner)

    assert names(client.get(LIST)) == ["Anna Bakker", "Bram Claes"]
    assert names(client.get(LIST, {"q": "anna@"})) == ["Anna Bakker"]
    assert names(client.get(LIST, {"q": "claes"})) == ["Bram Claes"]
    assert names(client.get(LIST, {"instrument": "violin"})) == ["Anna Bakker"]
    assert names(client.get(LIST, {"instrument": "violin", "status": "all"})) == [
        "Anna Bakker",
        "Cor Dekker",
    ]
    assert names(client.get(LIST, {"status": "inactive"})) == ["Cor Dekker"]
    assert names(client.get(LIST, {"conductor": "yes"})) == ["Anna Bakker"]
    assert names(client.get(LIST, {"conductor": "no"})) == ["Bram Claes"]
    assert names(client.get(LIST, {"district": noord.pk})) == ["Bram Claes"]
    assert names(client.get(LIST, {"district": oost.pk})) == ["Anna Bakker", "Bram Claes"]
    assert names(client.get(LIST, {"vog": "expired"})) == ["Bram Claes"]
    assert names(client.get(LIST, {"vog": "valid"})) == ["Anna Bakker"]
    assert names(client.get(LIST, {"sort": "-name"})) == ["Bram Claes", "Anna Bakker"]
    assert names(client.get(LIST, {"sort": "vog"})) == ["Bram Claes", "Anna Bakker"]
    assert names(client.get(LIST, {"sort": "hours"})) == ["Anna Bakker", "Bram Claes"]
    # Nonsense in the query string is ignored, not a server error.
    response = client.get(LIST, {"sort": "x", "vog": "x", "district": "x", "page": "99"})
    assert response.status_code == 200


def test_list_search_answers_htmx_with_the_table_only(client, personas):
    build_teacher(personas.organisation, name="Anna Bakker")
    client.force_login(personas.owner)
    response = client.get(LIST, {"q": "anna"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="results"' in html and "<h1>" not in html and "Anna Bakker" in html


@pytest.mark.parametrize("count", [3, 40])
def test_list_queries_do_not_grow(client, personas, count, django_assert_max_num_queries):
    district = District.objects.create(city="Amsterdam", name="Zuidoost")
    for n in range(count):
        teacher = build_teacher(
            personas.organisation, name=f"Docent {n:02d}", instruments=("violin", "cello")
        )
        teacher.districts.set([district])
        if n % 5 == 0:
            build_lesson_group(personas.organisation, teacher=teacher, pupils=1)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"]) == count


# --- The profile page ---------------------------------------------------------------------------


def test_profile_page_shows_groups_ensembles_availability_and_training(client, personas):
    programme = personas.organisation
    teacher = build_teacher(programme, name="Anna Bakker", is_conductor=True)
    TeacherAvailability.objects.create(
        teacher=teacher, weekday=2, starts_at=time(8, 30), ends_at=time(12, 0)
    )
    TrainingRecord.objects.create(
        teacher=teacher, title="Academie: spelen in de klas", attended_on=date(2026, 9, 12)
    )
    group = build_lesson_group(programme, teacher=teacher, pupils=4, name="Viool 5A")
    ensemble = build_ensemble(programme, conductor=teacher, name="Wijktalentorkest Oost")
    build_lesson_group(programme, pupils=2, name="Cello van een ander")
    client.force_login(personas.owner)
    response = client.get(reverse("programme:teacher_detail", args=[teacher.pk]))
    html = response.content.decode()
    assert "Viool 5A" in html and "Wijktalentorkest Oost" in html
    assert "Cello van een ander" not in html
    assert "Academie: spelen in de klas" in html and "08:30" in html
    assert [g.pupil_count for g in response.context["groups"]] == [4]
    assert [e.member_count for e in response.context["ensembles"]] == [3]
    assert reverse("programme:my_group", args=[group.pk]) in html
    assert reverse("programme:my_ensemble", args=[ensemble.pk]) in html


# --- Forms --------------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "full_name": "Anna Bakker",
        "email": "Anna@Test.example",
        "phone": "06 1234 5678",
        "instruments": [instrument("violin").pk, instrument("viola").pk],
        "is_conductor": "on",
        "contracted_hours": "12.5",
        "vog_date": "2025-03-01",
        "is_active": "on",
        "availability-TOTAL_FORMS": "3",
        "availability-INITIAL_FORMS": "0",
        "availability-0-weekday": "0",
        "availability-0-starts_at": "08:30",
        "availability-0-ends_at": "12:00",
        "availability-1-weekday": "0",
        "availability-1-starts_at": "13:00",
        "availability-1-ends_at": "15:00",
        "availability-2-weekday": "",
        "training-TOTAL_FORMS": "1",
        "training-INITIAL_FORMS": "0",
        "training-0-title": "Academie: orkestspel",
        "training-0-attended_on": "2026-09-12",
        "training-0-hours": "3",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_and_edits_a_teacher(client, personas):
    client.force_login(personas.owner)
    district = District.objects.create(city="Amsterdam", name="Oost")
    response = client.post(reverse("programme:teacher_create"), form_data(districts=[district.pk]))
    assert response.status_code == 302
    teacher = Teacher.objects.get(full_name="Anna Bakker")
    assert teacher.organisation == personas.organisation
    assert teacher.email == "anna@test.example"
    assert teacher.contracted_hours == Decimal("12.5")
    assert {i.code for i in teacher.instruments.all()} == {"violin", "viola"}
    assert list(teacher.districts.all()) == [district]
    assert teacher.travel_mode == "bicycle"  # left empty: the default
    assert [(w.weekday, w.starts_at, w.ends_at) for w in teacher.availability.all()] == [
        (0, time(8, 30), time(12, 0)),
        (0, time(13, 0), time(15, 0)),
    ]
    record = teacher.training.get()
    assert record.title == "Academie: orkestspel"
    assert AuditEvent.objects.filter(action="teacher.create", object_id=str(teacher.pk)).exists()

    # Edit: the second window goes (times cleared), the training row changes and one is added.
    edit = reverse("programme:teacher_edit", args=[teacher.pk])
    page = client.get(edit)
    assert page.status_code == 200
    assert page.context["availability"].initial[0]["starts_at"] == time(8, 30)
    response = client.post(
        edit,
        form_data(
            **{
                "availability-INITIAL_FORMS": "2",
                "availability-1-starts_at": "",
                "availability-1-ends_at": "",
                "training-TOTAL_FORMS": "2",
                "training-INITIAL_FORMS": "1",
                "training-0-id": str(record.pk),
                "training-0-hours": "4",
                "training-1-title": "Academie: ritme",
                "training-1-attended_on": "2026-10-01",
                "travel_mode": "transit",
            }
        ),
    )
    assert response.status_code == 302
    assert teacher.availability.count() == 1
    assert teacher.training.get(pk=record.pk).hours == Decimal(4)
    assert teacher.training.count() == 2
    teacher.refresh_from_db()
    assert teacher.travel_mode == "transit"

    # Remove the first training row with its tick box.
    response = client.post(
        edit,
        form_data(
            **{
                "training-TOTAL_FORMS": "1",
                "training-INITIAL_FORMS": "1",
                "training-0-id": str(record.pk),
                "training-0-DELETE": "on",
            }
        ),
    )
    assert response.status_code == 302
    assert not TrainingRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "where"),
    [
        ({"full_name": ""}, "full_name", "form"),
        ({"email": "geen-adres"}, "email", "form"),
        ({"contracted_hours": "80"}, "contracted_hours", "form"),
        ({"contracted_hours": "-1"}, "contracted_hours", "form"),
        ({"vog_date": "2099-01-01"}, "vog_date", "form"),
        ({"travel_mode": "car"}, "travel_mode", "form"),
        ({"availability-0-ends_at": "08:00"}, "ends_at", "availability"),
        ({"availability-0-starts_at": ""}, "starts_at", "availability"),
        ({"availability-0-weekday": ""}, "weekday", "availability"),
        ({"availability-1-starts_at": "11:00"}, None, "availability"),  # overlaps 8:30–12:00
        ({"training-0-title": ""}, "title", "training"),
        ({"training-0-attended_on": ""}, "attended_on", "training"),
        ({"training-0-hours": "abc"}, "hours", "training"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
    client, personas, overrides, field, where
):
    client.force_login(personas.owner)
    response = client.post(reverse("programme:teacher_create"), form_data(**overrides))
    assert response.status_code == 400
    if where == "form":
        assert field in response.context["form"].errors
    elif field is None:
        assert response.context[where].non_form_errors()
    else:
        assert field in response.context[where].forms[0].errors
    assert 'class="error"' in response.content.decode() or "form-errors" in (
        response.content.decode()
    )
    assert not Teacher.objects.exists()
    assert not TeacherAvailability.objects.exists()


def test_one_email_address_names_one_teacher_per_programme(client, personas):
    build_teacher(personas.organisation, name="Eerste", email="anna@test.example")
    build_teacher(personas.other, name="Elders", email="anna@test.example")
    client.force_login(personas.owner)
    response = client.post(reverse("programme:teacher_create"), form_data())
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert Teacher.objects.filter(organisation=personas.organisation).count() == 1


def test_the_action_refuses_overlapping_windows_and_keeps_the_old_ones(personas):
    teacher = build_teacher(personas.organisation)
    TeacherAvailability.objects.create(
        teacher=teacher, weekday=1, starts_at=time(9), ends_at=time(12)
    )
    with pytest.raises(DomainError) as refused:
        actions.save_teacher(
            organisation=personas.organisation,
            teacher=teacher,
            details={"full_name": "Nieuwe naam"},
            instruments=[],
            districts=[],
            availability=[
                actions.Window(1, time(9), time(11)),
                actions.Window(1, time(10), time(12)),
            ],
            training=[],
            by=personas.owner,
        )
    assert refused.value.field == "availability"
    teacher.refresh_from_db()
    assert teacher.full_name == "Docent Een"
    assert teacher.availability.count() == 1


# --- Linking an account -------------------------------------------------------------------------


def test_link_the_account_with_the_same_email_and_the_teacher_role(client, personas):
    teacher = build_teacher(personas.organisation, email=personas.member.email.upper())
    client.force_login(personas.owner)
    page = client.get(reverse("programme:teacher_detail", args=[teacher.pk]))
    assert page.context["candidate"] == personas.member
    response = client.post(reverse("programme:teacher_link", args=[teacher.pk]))
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.user == personas.member
    assert AuditEvent.objects.filter(action="teacher.link_account").count() == 1
    client.post(reverse("programme:teacher_unlink", args=[teacher.pk]))
    teacher.refresh_from_db()
    assert teacher.user is None


def test_no_link_without_the_teacher_role_in_this_programme(client, personas):
    # Same address, but the person is a teacher in another programme only.
    stranger = make_member(personas.other, Role.TEACHER, email="vreemd@test.example")
    teacher = build_teacher(personas.organisation, email=stranger.email)
    client.force_login(personas.owner)
    response = client.post(reverse("programme:teacher_link", args=[teacher.pk]), follow=True)
    assert "Invite them first" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.user is None


def test_one_account_one_profile_per_programme(personas):
    build_teacher(personas.organisation, name="Eerste", user=personas.member)
    second = build_teacher(personas.organisation, name="Tweede", email=personas.member.email)
    with pytest.raises(DomainError) as refused:
        actions.link_teacher_account(teacher=second, by=personas.owner)
    assert refused.value.code == "taken"


def test_invite_then_the_profile_links_when_the_teacher_opens_their_groups(client, personas):
    teacher = build_teacher(personas.organisation, email="nieuw@test.example")
    client.force_login(personas.owner)
    response = client.post(reverse("programme:teacher_invite", args=[teacher.pk]))
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw@test.example")
    assert invitation.role == Role.TEACHER and invitation.organisation == personas.organisation
    page = client.get(reverse("programme:teacher_detail", args=[teacher.pk]))
    assert page.context["invitation"] == invitation

    # The invited person accepts (the link's token is only known to the e-mail: set our own).
    from leerorkest.accounts.models import hash_secret

    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_secret("tok"))
    new_user = make_user(email="nieuw@test.example")
    accept_invitation(token="tok", user=new_user)
    client.force_login(new_user)
    assert client.get(reverse("programme:my_groups")).status_code == 200
    teacher.refresh_from_db()
    assert teacher.user == new_user


def test_the_office_opening_the_profile_after_acceptance_links_it(client, personas):
    teacher = build_teacher(personas.organisation, email=personas.member.email)
    Invitation.objects.create(
        organisation=personas.organisation,
        email=personas.member.email,
        role=Role.TEACHER,
        token_hash="x" * 64,
        invited_by=personas.owner,
        expires_at=timezone.now(),
        accepted_at=timezone.now(),
        accepted_by=personas.member,
    )
    client.force_login(personas.owner)
    client.get(reverse("programme:teacher_detail", args=[teacher.pk]))
    teacher.refresh_from_db()
    assert teacher.user == personas.member


def test_invite_without_an_email_address_is_refused(client, personas):
    teacher = build_teacher(personas.organisation)
    client.force_login(personas.owner)
    response = client.post(reverse("programme:teacher_invite", args=[teacher.pk]), follow=True)
    assert "e-mail address first" in response.content.decode()
    assert not Invitation.objects.exists()


# --- Who sees what ------------------------------------------------------------------------------


def test_teachers_school_contacts_and_other_programmes_see_no_teacher_pages(client, personas):
    teacher = build_teacher(personas.organisation, email="anna@test.example")
    school = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    contact = make_member(school, Role.SCHOOL_CONTACT)
    detail = reverse("programme:teacher_detail", args=[teacher.pk])
    for user in (personas.member, contact):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.get(detail).status_code == 403
        assert client.get(reverse("programme:teacher_create")).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(detail).status_code == 404
    assert teacher.full_name not in client.get(LIST).content.decode()
    assert client.post(reverse("programme:teacher_edit", args=[teacher.pk])).status_code == 404


def test_a_coordinator_acting_as_teacher_elsewhere_is_told_to_switch(client, personas):
    Membership.objects.create(user=personas.owner, organisation=personas.other, role=Role.TEACHER)
    client.force_login(personas.owner)
    membership = Membership.objects.get(user=personas.owner, organisation=personas.other)
    client.post(reverse("accounts:switch_context"), {"context": membership.pk})
    assert client.get(LIST).status_code == 403


def test_menu_shows_teachers_to_coordinators_and_my_groups_to_teachers(client, personas):
    client.force_login(personas.owner)
    menu = [i["name"] for i in client.get(reverse("home")).context["nav_items"]]
    assert {"programme:teacher_list", "programme:partner_list", "programme:event_list"} <= set(menu)
    assert "programme:my_groups" not in menu
    client.force_login(personas.member)
    menu = [i["name"] for i in client.get(reverse("home")).context["nav_items"]]
    assert "programme:my_groups" in menu and "programme:teacher_list" not in menu


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_the_teachers_of_my_programmes_only(client, personas):
    anna = build_teacher(
        personas.organisation,
        name="Anna Bakker",
        email="anna@test.example",
        vog_date=issued_days_ago(VOG_VALID_DAYS + 1),
    )
    TeacherAvailability.objects.create(
        teacher=anna, weekday=2, starts_at=time(8, 30), ends_at=time(12)
    )
    build_teacher(personas.other, name="Elders")
    _token, raw = create_api_token(user=personas.owner, name="script")
    auth = {"authorization": f"Bearer {raw}"}
    listed = client.get("/api/v1/teachers", headers=auth).json()
    assert [t["full_name"] for t in listed] == ["Anna Bakker"]
    assert listed[0]["vog_status"] == "expired" and listed[0]["instruments"] == ["violin"]
    assert client.get("/api/v1/teachers?vog=valid", headers=auth).json() == []
    detail = client.get(f"/api/v1/teachers/{anna.pk}", headers=auth).json()
    assert detail["availability"] == [
        {"weekday": 2, "starts_at": "08:30:00", "ends_at": "12:00:00"}
    ]
    _token, member = create_api_token(user=personas.member, name="script")
    response = client.get("/api/v1/teachers", headers={"authorization": f"Bearer {member}"})
    assert response.status_code == 403
