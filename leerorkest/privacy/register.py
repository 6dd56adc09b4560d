"""The processing register (target P4): what the platform stores about people, why, on which
legal basis, for how long and who can see it.

One declaration per model that holds personal data; the register page reads the fields (names
and verbose names) from the models themselves, so it cannot drift from the database. A test
fails when a model with personal-looking fields (see `PERSONAL_FIELD`) is neither declared here
nor listed in `NOT_PERSONAL` with the reason.

The legal bases are the platform's proposal; the programme's data protection officer confirms
them for their own organisation.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Field names that look like data about a person.
PERSONAL_FIELD = re.compile(
    r"^(name|.*_name|full_name|given_name|surname.*|first_name|last_name|.*email.*|.*phone.*|"
    r"date_of_birth|birth.*|username|ip_address|user_agent|actor_label|given_by|class_teacher)$"
)

CONTRACT = _("Agreement with the person (GDPR art. 6(1)(b))")
LEGAL_OBLIGATION = _("Legal obligation (GDPR art. 6(1)(c)), e.g. proof of consent, art. 7(1)")
LEGITIMATE_INTEREST = _("Legitimate interest (GDPR art. 6(1)(f))")
PUPIL_BASIS = _(
    "Agreement with the school about the lessons; legitimate interest of giving every child "
    "music lessons (GDPR art. 6(1)(b) and (f))"
)
CONSENT = _("Consent of a parent or carer (GDPR art. 6(1)(a)), per purpose")

PUPIL_RETENTION = _(
    "While the child takes part, then %(years)s years after leaving (the last class, lesson "
    "group or orchestra); then pseudonymised automatically. Statistics and loans stay, "
    "without the name."
)
ACCOUNT_RETENTION = _(
    "As long as the person works with the platform; an account that is blocked keeps its "
    "name and address for the audit trail."
)
AUDIT_RETENTION = _("Kept: the trail cannot be changed or deleted (accountability).")


@dataclass(frozen=True)
class Declaration:
    model: str  # "app_label.ModelName"
    purpose: Promise
    legal_basis: Promise
    retention: Promise
    access: Promise

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def title(self) -> str:
        return capfirst(str(self.model_class._meta.verbose_name_plural))

    def retention_text(self) -> str:
        return str(self.retention) % {"years": settings.RETENTION_YEARS}

    def fields(self) -> list[dict]:
        """Every stored field, with its verbose name, in the model's order."""
        result = []
        for field in self.model_class._meta.concrete_fields:
            result.append(
                {
                    "name": field.name,
                    "label": str(field.verbose_name),
                    "personal": bool(PERSONAL_FIELD.match(field.name)),
                }
            )
        return result


DECLARATIONS: list[Declaration] = [
    # Children.
    Declaration(
        "schools.Pupil",
        _(
            "Placing the child in lessons, lesson groups and orchestras; parents' contact for "
            "practical matters. Never a citizen service number (BSN)."
        ),
        PUPIL_BASIS,
        PUPIL_RETENTION,
        _(
            "The programme's coordinators (all of it); school contacts: names and class of their "
            "school's pupils, no parents' data; teachers: names, instrument and class of their "
            "own groups."
        ),
    ),
    Declaration(
        "schools.ClassPlacement",
        _(
            "Which class and school year the child is in, to plan lessons and follow the child "
            "over the years."
        ),
        PUPIL_BASIS,
        PUPIL_RETENTION,
        _("Coordinators; school contacts of that school; teachers of the child's groups."),
    ),
    Declaration(
        "schools.Consent",
        _(
            "Whether a parent allows photos and video, and the name in publications; the history "
            "shows what was in force when."
        ),
        CONSENT,
        _(
            "Kept with the child's record; decisions are never changed or deleted, a new decision "
            "replaces the old one."
        ),
        _("Coordinators (record and read); school contacts (read)."),
    ),
    Declaration(
        "schools.SchoolClass",
        _("The classes of a school, with the class teacher's name to arrange lessons."),
        PUPIL_BASIS,
        _("As long as the school takes part."),
        _("Coordinators, school contacts and teachers of the programme."),
    ),
    Declaration(
        "schools.ClassListImport",
        _("Class lists uploaded by coordinators, checked before they are added."),
        PUPIL_BASIS,
        _("The file is removed once committed; the import's report stays."),
        _("The coordinators of the programme."),
    ),
    Declaration(
        "programme.InstrumentChoice",
        _("The child's instrument preferences and the instrument assigned."),
        PUPIL_BASIS,
        PUPIL_RETENTION,
        _("Coordinators; teachers see the assigned instrument of their own pupils."),
    ),
    Declaration(
        "programme.LessonGroupMember",
        _("Which lesson group the child is in, per school year."),
        PUPIL_BASIS,
        PUPIL_RETENTION,
        _("Coordinators; the group's teacher."),
    ),
    Declaration(
        "programme.EnsembleMember",
        _("Which orchestra the child plays in, waiting lists and invitations."),
        PUPIL_BASIS,
        PUPIL_RETENTION,
        _("Coordinators; the orchestra's conductor."),
    ),
    Declaration(
        "depot.PupilLoan",
        _("Which instrument the child took home, and the parent's signature on the loan."),
        PUPIL_BASIS,
        PUPIL_RETENTION,
        _("Coordinators of the programme; the depot sees only the pseudonym."),
    ),
    Declaration(
        "depot.LoanAgreement",
        _("Who accepted a loan agreement for a programme, and the text they accepted."),
        CONTRACT,
        ACCOUNT_RETENTION,
        _("The depot's staff; the programme's coordinators."),
    ),
    # Staff, teachers and partners.
    Declaration(
        "accounts.User",
        _("Logging in; showing who did what."),
        CONTRACT,
        ACCOUNT_RETENTION,
        _("The person; the managers of their organisations; platform administrators."),
    ),
    Declaration(
        "accounts.Membership",
        _("Which role a person has in which organisation."),
        CONTRACT,
        ACCOUNT_RETENTION,
        _("The person; the managers of the organisation; platform administrators."),
    ),
    Declaration(
        "accounts.Invitation",
        _("Inviting a person by e-mail to a role."),
        CONTRACT,
        _("Kept with the organisation's history; the link works for a few days only."),
        _("The managers of the organisation; platform administrators."),
    ),
    Declaration(
        "accounts.ApiToken",
        _("Personal keys for programs that use the API."),
        CONTRACT,
        _("Until the person revokes the token or the account is blocked."),
        _("The person only (the token itself is never stored)."),
    ),
    Declaration(
        "accounts.UserSession",
        _("Which login sessions belong to whom, to end them when an account is blocked."),
        LEGITIMATE_INTEREST,
        _("The length of the session (at most 12 hours)."),
        _("Nobody on screen; used by the platform."),
    ),
    Declaration(
        "accounts.TotpDevice",
        _("The second login step: the authenticator app's secret, encrypted."),
        LEGITIMATE_INTEREST,
        _("Until the person removes or replaces their authenticator app."),
        _("Nobody: not even administrators can read the secret."),
    ),
    Declaration(
        "accounts.RecoveryCode",
        _("One-time codes for when the phone is lost; only fingerprints are stored."),
        LEGITIMATE_INTEREST,
        _("Until used or replaced."),
        _("Nobody."),
    ),
    Declaration(
        "accounts.AuditEvent",
        _("Who viewed, exported or changed what, and when (every read of a pupil record)."),
        LEGAL_OBLIGATION,
        AUDIT_RETENTION,
        _("The managers of the organisation; platform administrators."),
    ),
    Declaration(
        "programme.Teacher",
        _("Planning teachers: instruments, districts, hours, certificate of good conduct."),
        CONTRACT,
        _("As long as the teacher works for the programme, then as the contract law requires."),
        _("The programme's coordinators; colleagues see names."),
    ),
    Declaration(
        "programme.TeacherAvailability",
        _("When a teacher can give lessons, for the timetable."),
        CONTRACT,
        _("As long as the teacher works for the programme."),
        _("The programme's coordinators and the teacher."),
    ),
    Declaration(
        "programme.TrainingRecord",
        _("Training a teacher followed (Academie workshops)."),
        CONTRACT,
        _("As long as the teacher works for the programme."),
        _("The programme's coordinators and the teacher."),
    ),
    Declaration(
        "programme.PartnerContact",
        _("Contact persons at partner organisations."),
        LEGITIMATE_INTEREST,
        _("As long as the partnership lasts."),
        _("The programme's coordinators."),
    ),
    # Platform machinery that records people.
    Declaration(
        "sessions.Session",
        _("Keeping a person logged in."),
        LEGITIMATE_INTEREST,
        _("At most 30 minutes idle and 12 hours in total."),
        _("Nobody on screen."),
    ),
    Declaration(
        "axes.AccessAttempt",
        _("Failed logins per e-mail address and IP address, to block password guessing."),
        LEGITIMATE_INTEREST,
        _("Until the lockout ends or the person logs in."),
        _("Platform administrators."),
    ),
    Declaration(
        "axes.AccessFailureLog",
        _("A log of failed logins, to detect attacks."),
        LEGITIMATE_INTEREST,
        _("Until a platform administrator clears it."),
        _("Platform administrators."),
    ),
    Declaration(
        "axes.AccessLog",
        _("A log of logins, to detect misuse of an account."),
        LEGITIMATE_INTEREST,
        _("Until a platform administrator clears it."),
        _("Platform administrators."),
    ),
    Declaration(
        "admin.LogEntry",
        _("Changes made on the technical admin site."),
        LEGITIMATE_INTEREST,
        AUDIT_RETENTION,
        _("Platform administrators."),
    ),
]

# Models with a personal-looking field name that hold no personal data, and why.
NOT_PERSONAL: dict[str, str] = {
    "depot.Instrument": "The make and model name of an instrument, not of a person.",
    "depot.Location": "Names of shelves, workshops and schools.",
    "depot.InstrumentModel": "Make and model names of instruments.",
    "depot.KitItem": "Names of accessories (case, bow, mouthpiece).",
    "auth.Group": "name of a permission group",
    "auth.Permission": "name of a permission",
    "accounts.Organisation": "name of an organisation",
    "schools.District": "name of a district",
    "schools.Neighbourhood": "name of a neighbourhood",
    "schools.Room": "name of a room",
    "programme.LessonGroup": "name of a lesson group (its members are declared)",
    "programme.Ensemble": "name of an orchestra (its members are declared)",
    "programme.Sectional": "name of a part rehearsal of an orchestra (no people)",
    "programme.Partner": "name of a partner organisation (its contacts are declared)",
    "django_tasks_database.DBTaskResult": "queue and backend names; task arguments are ids only",
    "timetable.Timetable": "name of a timetable version; its lessons name groups, not pupils",
}


def declared_models() -> set[str]:
    return {d.model for d in DECLARATIONS}


def undeclared_personal_models() -> list[str]:
    """Models with personal-looking fields that are neither declared nor explained."""
    known = declared_models() | set(NOT_PERSONAL)
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if label in known:
            continue
        if any(PERSONAL_FIELD.match(f.name) for f in model._meta.concrete_fields):
            missing.append(label)
    return sorted(missing)
