"""Classes, pupils, their placement per school year, and consent.

The minimum about a child: names, date of birth, class per year, optionally one parent contact
(seen by coordinators only). Never a BSN.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import MANAGER_ROLES, Role
from leerorkest.schools.models.places import School
from leerorkest.schools.models.years import YEAR_GROUP_VALIDATORS, YEAR_GROUPS, SchoolYear


class SchoolClass(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="classes"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="+"
    )
    year_group = models.PositiveSmallIntegerField(
        _("groep"), choices=YEAR_GROUPS, validators=YEAR_GROUP_VALIDATORS
    )
    name = models.CharField(_("class"), max_length=20, help_text=_("As the school calls it: 5B."))
    class_teacher = models.CharField(_("class teacher"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school_year", "year_group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="class_unique_name_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year_group__gte=1, year_group__lte=8), name="class_year_group_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PupilQuerySet(models.QuerySet):
    def for_user(self, user) -> "PupilQuerySet":
        """Pupils the user may see (target A3).

        Coordinators and partner coordinators: every pupil of their programme. School contacts:
        the pupils placed at their school. Teachers: the pupils in their lesson groups and the
        ensembles they conduct. Nobody else, platform administrators included.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        memberships = Membership.objects.filter(user=user, organisation__is_active=True)
        managed = memberships.filter(role__in=MANAGER_ROLES).values("organisation_id")
        schools = memberships.filter(role=Role.SCHOOL_CONTACT).values("organisation_id")
        # Subqueries, not joins: no DISTINCT over the programme's whole pupil list (F2).
        visible = Q(organisation_id__in=managed) | Q(
            pk__in=ClassPlacement.objects.filter(
                school_class__school__organisation_id__in=schools
            ).values("pupil_id")
        )
        if memberships.filter(role=Role.TEACHER).exists():
            taught = self.model._base_manager.filter(
                Q(lesson_groups__teacher__user=user)
                | Q(ensemble_memberships__ensemble__conductor__user=user)
            )
            visible |= Q(pk__in=taught.values("pk"))
        return self.filter(visible, pseudonymised_at__isnull=True)

    def managed_by(self, user) -> "PupilQuerySet":
        """Pupils whose full record (parent contact included) the user may see and change."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        managed = Membership.objects.filter(
            user=user, role__in=MANAGER_ROLES, organisation__is_active=True
        ).values("organisation_id")
        return self.filter(organisation_id__in=managed)


class Pupil(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="pupils",
    )
    given_name = models.CharField(_("given name"), max_length=100)
    surname_prefix = models.CharField(_("surname prefix"), max_length=30, blank=True)
    surname = models.CharField(_("surname"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    parent_name = models.CharField(_("parent or carer"), max_length=150, blank=True)
    parent_phone = models.CharField(_("parent's phone"), max_length=30, blank=True)
    parent_email = models.EmailField(_("parent's e-mail address"), blank=True)
    left_on = models.DateField(_("left the programme on"), null=True, blank=True)
    secondary_school = models.CharField(_("secondary school"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    pseudonymised_at = models.DateTimeField(_("pseudonymised"), null=True, blank=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["surname", "given_name"]
        indexes = [
            models.Index(fields=["organisation", "surname", "given_name"], name="pupil_org_name")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def audit_label(self) -> str:
        """How the audit trail names the pupil: by number, never by name."""
        return f"pupil #{self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.surname_prefix, self.surname) if p)

    @property
    def sort_name(self) -> str:
        prefix = f", {self.surname_prefix}" if self.surname_prefix else ""
        return f"{self.surname}{prefix}, {self.given_name}"


class ClassPlacement(models.Model):
    """A pupil's class in one school year: at most one per pupil per year."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="placements")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="placements"
    )
    # Copied from the class so the database can keep "one class per pupil per year".
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    is_leaving = models.BooleanField(
        _("leaving"), default=False, help_text=_("Groep 8 pupils who leave at the end of the year.")
    )

    class Meta:
        verbose_name = _("class placement")
        verbose_name_plural = _("class placements")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "school_year"], name="placement_one_class_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} · {self.school_class}"

    def save(self, *args, **kwargs):
        self.school_year_id = self.school_class.school_year_id
        super().save(*args, **kwargs)


class ConsentPurpose(models.TextChoices):
    PHOTO_VIDEO = "photo_video", _("Photos and video")
    NAME_PUBLISHED = "name_published", _("Name in publications")


class ConsentQuerySet(models.QuerySet):
    def consenting_pupil_ids(self, purpose: str, pupil_ids=None) -> set[int]:
        """Ids of pupils whose newest decision for `purpose` is "given" (none means no)."""
        rows = self.filter(purpose=purpose)
        if pupil_ids is not None:
            rows = rows.filter(pupil_id__in=pupil_ids)
        newest: dict[int, bool] = {}
        for pupil_id, given in rows.order_by("pupil_id", "-recorded_at", "-id").values_list(
            "pupil_id", "given"
        ):
            newest.setdefault(pupil_id, given)
        return {pupil_id for pupil_id, given in newest.items() if given}


class Consent(models.Model):
    """One decision of a parent about one purpose. Append-only: the newest row per purpose is
    in force; none means no consent (target P1)."""

    class Source(models.TextChoices):
        PAPER = "paper", _("Paper form")
        EMAIL = "email", _("E-mail")
        CONVERSATION = "conversation", _("In person or by phone")
        SCHOOL = "school", _("Via the school")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("consent given"))
    given_by = models.CharField(_("given by (parent or carer)"), max_length=150)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    decided_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.purpose} {self.given}"
