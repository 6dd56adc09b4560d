"""Target P4: the processing register is generated from declarations and the models, and a model
with personal-looking fields cannot be left out."""

from django.apps import apps
from django.urls import reverse

from leerorkest.privacy import register


def test_every_model_with_personal_fields_is_declared():
    assert register.undeclared_personal_models() == []


def test_the_completeness_check_has_teeth(monkeypatch):
    without_pupil = [d for d in register.DECLARATIONS if d.model != "schools.Pupil"]
    monkeypatch.setattr(register, "DECLARATIONS", without_pupil)
    assert "schools.Pupil" in register.undeclared_personal_models()


def test_declarations_and_exemptions_name_real_models_once():
    labels = [d.model for d in register.DECLARATIONS]
    assert len(labels) == len(set(labels))
    for label in [*labels, *register.NOT_PERSONAL]:
        assert apps.get_model(label)
    assert set(labels).isdisjoint(register.NOT_PERSONAL)
    for required in [
        "accounts.User",
        "schools.Pupil",
        "schools.ClassPlacement",
        "schools.Consent",
        "programme.InstrumentChoice",
        "programme.LessonGroupMember",
        "programme.EnsembleMember",
        "programme.Teacher",
        "programme.PartnerContact",
        "accounts.AuditEvent",
    ]:
        assert required in labels


def test_the_page_lists_fields_read_from_the_models(client, db, settings):
    settings.RETENTION_YEARS = 3
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("privacy:register"))  # public: it holds no personal data
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    for declaration in register.DECLARATIONS:
        assert declaration.title in html
    # Field names and verbose names of the pupil record, straight from the model.
    assert "<code>date_of_birth</code></td><td>Date of birth" in html
    assert "<code>parent_email</code>" in html
    assert "then 3 years after leaving" in html


def test_managers_find_it_in_the_menu(client, personas):
    client.force_login(personas.owner)
    names = [i["name"] for i in client.get(reverse("home")).context["nav_items"]]
    assert "privacy:register" in names
    client.force_login(personas.member)
    names = [i["name"] for i in client.get(reverse("home")).context["nav_items"]]
    assert "privacy:register" not in names
