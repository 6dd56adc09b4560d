"""Districts, neighbourhoods and schools: where the programmes work."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind

brin_validator = RegexValidator(
    r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$",
    _("A BRIN code is two digits and two capital letters, optionally a two-digit location."),
)


class District(models.Model):
    """A stadsdeel (Amsterdam) or another city's district."""

    city = models.CharField(_("city"), max_length=100)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="district_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
    )
    name = models.CharField(_("name"), max_length=100)
    is_low_income = models.BooleanField(_("low-income area"), default=False)
    primary_school_count = models.PositiveIntegerField(
        _("primary schools"),
        default=0,
        help_text=_("All primary schools in the neighbourhood, to show participation as a share."),
    )

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["district__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="neighbourhood_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class HolidayRegion(models.TextChoices):
    """The three Dutch school-holiday regions (Amsterdam is Noord)."""

    NOORD = "noord", _("North")
    MIDDEN = "midden", _("Middle")
    ZUID = "zuid", _("South")


class SchoolQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(organisation__in=Organisation.objects.for_user(user))


class School(models.Model):
    """The school details of an organisation of kind school (BRIN code, address, place)."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="school",
        limit_choices_to={"kind": OrgKind.SCHOOL},
    )
    brin = models.CharField(_("BRIN code"), max_length=6, unique=True, validators=[brin_validator])
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        help_text=_("Where the school is; the timetable estimates travel time from it."),
    )
    holiday_region = models.CharField(
        _("holiday region"),
        max_length=10,
        choices=HolidayRegion.choices,
        default=HolidayRegion.NOORD,
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def programme(self) -> Organisation:
        return self.organisation.parent
