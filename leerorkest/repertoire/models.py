"""Graded repertoire: pieces (arrangements for learning orchestras), their parts graded on the
milestones (ijkpunten) of one learning line version, their files and their performances.

A piece is read by the members of its owner and, when shared, by every programme; only the
owner's coordinators change it. A performance belongs to the programme of the ensemble that
played, whoever owns the piece.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import OrgKind

PROGRAMME_KINDS = (OrgKind.PROGRAMME, OrgKind.PARTNER)


class Visibility(models.TextChoices):
    SHARED = "shared", _("Shared with all programmes")
    PRIVATE = "private", _("Private to the owner")


class PieceQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id) -> "PieceQuerySet":
        """Pieces a programme may play: its own and every shared piece."""
        return self.filter(Q(organisation_id=organisation_id) | Q(visibility=Visibility.SHARED))

    def for_user(self, user) -> "PieceQuerySet":
        """Pieces of the user's organisations, and shared pieces for members of any programme."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        memberships = Membership.objects.filter(user=user, organisation__is_active=True)
        own = memberships.values("organisation_id")
        in_a_programme = memberships.filter(organisation__kind__in=PROGRAMME_KINDS).exists()
        visible = Q(organisation_id__in=own)
        if in_a_programme:
            visible |= Q(visibility=Visibility.SHARED)
        return self.filter(visible)


class Piece(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="pieces"
    )
    title = models.CharField(_("title"), max_length=200)
    composer = models.CharField(_("composer"), max_length=150, blank=True)
    arranger = models.CharField(_("arranger"), max_length=150, blank=True)
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, help_text=_("About how long it lasts.")
    )
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    line = models.ForeignKey(
        "curriculum.LearningLine",
        verbose_name=_("learning line"),
        on_delete=models.PROTECT,
        related_name="pieces",
        help_text=_("The published learning line version whose milestones grade the parts."),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = PieceQuerySet.as_manager()

    class Meta:
        verbose_name = _("piece")
        verbose_name_plural = _("pieces")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="piece_visibility_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "title"], name="piece_org_title")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class Part(models.Model):
    """One part of a piece ("Viool 2"), for one instrument, playable from one milestone on."""

    piece = models.ForeignKey(Piece, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(_("part"), max_length=80, help_text=_("For example Viool 2."))
    instrument = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    milestone = models.ForeignKey(
        "curriculum.Milestone",
        verbose_name=_("milestone"),
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_("The milestone a child must have reached to play this part."),
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Untick for a part the piece can do without.")
    )

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["instrument__sort_order", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["piece", "name"], name="piece_part_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PieceFile(models.Model):
    piece = models.ForeignKey(Piece, on_delete=models.CASCADE, related_name="files")
    part = models.ForeignKey(
        Part,
        verbose_name=_("part"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        help_text=_("Leave empty for the score or a recording of the whole piece."),
    )
    kind = models.CharField(_("kind of file"), max_length=12)  # a leerorkest.uploads kind
    file = models.FileField(_("file"), upload_to="repertoire/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("piece file")
        verbose_name_plural = _("piece files")
        ordering = ["part__name", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The saved name: the uploader's name with the extension of what the file is."""
        from leerorkest.uploads import KINDS

        stem = self.original_name.rsplit(".", 1)[0] or "piece"
        return f"{stem}.{KINDS[self.kind].extension}"

    @property
    def kind_label(self) -> str:
        from leerorkest.uploads import KINDS

        found = KINDS.get(self.kind)
        return found.label if found else self.kind


class Performance(models.Model):
    """An ensemble played the piece on a date (a concert, a festival, an open lesson)."""

    piece = models.ForeignKey(Piece, on_delete=models.CASCADE, related_name="performances")
    ensemble = models.ForeignKey(
        "programme.Ensemble",
        verbose_name=_("ensemble"),
        on_delete=models.CASCADE,
        related_name="performances",
    )
    date = models.DateField(_("date"))
    occasion = models.CharField(_("occasion"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("performance")
        verbose_name_plural = _("performances")
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["piece", "ensemble", "date"], name="performance_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.piece_id} by {self.ensemble_id} on {self.date}"
