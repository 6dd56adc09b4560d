"""Materials of the knowledge site (Orkest in de Klas): lesson plans, handbooks, games, films,
arrangements and articles shared by professionals of learning-orchestra programmes, reviewed by
the Expertisecentrum's editors before the public sees them."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

YEAR_GROUPS = [(g, _("groep %(number)s") % {"number": g}) for g in range(3, 9)]


class MaterialKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    HANDBOOK = "handbook", _("Handbook")
    GAME = "game", _("Game")
    FILM = "film", _("Film")
    ARRANGEMENT = "arrangement", _("Arrangement")
    ARTICLE = "article", _("Article")


class Licence(models.TextChoices):
    CC_BY = "cc_by", _("CC BY 4.0 (share and adapt, name the maker)")
    CC_BY_SA = "cc_by_sa", _("CC BY-SA 4.0 (share and adapt under the same licence)")
    CC_BY_NC = "cc_by_nc", _("CC BY-NC 4.0 (share and adapt, not commercially)")
    CC_BY_NC_SA = "cc_by_nc_sa", _("CC BY-NC-SA 4.0 (not commercially, same licence)")
    LESSONS_ONLY = "lessons_only", _("All rights reserved; free to use in lessons")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
}


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Returned with a note")
    # Taken off the public site by the editors after publication (a licence problem, an
    # error); like a returned material the contributor changes it and submits it again.
    WITHDRAWN = "withdrawn", _("Withdrawn by the editors")


class Country(models.TextChoices):
    NL = "NL", _("Netherlands")
    BE = "BE", _("Belgium")


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MaterialQuerySet(models.QuerySet):
    def published(self) -> "MaterialQuerySet":
        return self.filter(status=MaterialStatus.PUBLISHED)

    def visible_to(self, user) -> "MaterialQuerySet":
        """Published materials; a contributor also sees their own, an editor everything."""
        if user is None or not user.is_authenticated:
            return self.published()
        if is_editor(user):
            return self.all()
        return self.filter(Q(status=MaterialStatus.PUBLISHED) | Q(submitted_by=user))


class Material(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    # Stored sanitised (leerorkest.knowledge.text.clean_html): safe to render as it is.
    body = models.TextField(_("text"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    link = models.URLField(
        _("link"), blank=True, help_text=_("For example a film on a video site (https).")
    )
    instruments = models.ManyToManyField(
        "programme.InstrumentType",
        verbose_name=_("instruments"),
        blank=True,
        related_name="knowledge_materials",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="materials"
    )
    goals = models.ManyToManyField(
        "curriculum.LearningGoal",
        verbose_name=_("learning goals"),
        blank=True,
        related_name="knowledge_materials",
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=MaterialStatus.choices, default=MaterialStatus.DRAFT
    )
    review_note = models.TextField(_("note from the editors"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_materials",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_name = models.CharField(
        _("programme"), max_length=150, blank=True, help_text=_("The contributor's programme.")
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    # Dutch stems of title, summary and body (" stem stem "), for search without PostgreSQL;
    # kept up to date by the actions (see leerorkest.knowledge.search).
    search_title = models.TextField(blank=True, editable=False)
    search_summary = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)
    # PostgreSQL only: the weighted `dutch` tsvector of the same text, GIN-indexed, set by the
    # same code as the stem columns (empty on SQLite).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="material_status_pub")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MaterialKind.values), name="material_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MaterialStatus.values), name="material_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=MaterialStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="material_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == MaterialStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        """Contributors change drafts and returned or withdrawn materials; others wait for the
        editors (a published one is first taken back to a draft)."""
        return self.status in (
            MaterialStatus.DRAFT,
            MaterialStatus.REJECTED,
            MaterialStatus.WITHDRAWN,
        )

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def year_groups(self) -> list[int]:
        return sorted(y.year_group for y in self.year_group_rows.all())


class MaterialYearGroup(models.Model):
    """A groep (3–8) a material is meant for; a row per groep filters the same on any database."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="year_group_rows")
    year_group = models.PositiveSmallIntegerField(_("groep"), choices=YEAR_GROUPS)

    class Meta:
        verbose_name = _("groep of a material")
        verbose_name_plural = _("groepen of materials")
        ordering = ["year_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "year_group"], name="material_year_group_once"
            ),
            models.CheckConstraint(
                condition=Q(year_group__gte=3, year_group__lte=8),
                name="material_year_group_3_8",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material_id}: {self.year_group}"


class MaterialFile(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="knowledge/%Y/")
    kind = models.CharField(_("kind of file"), max_length=12)  # a leerorkest.uploads kind
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("material file")
        verbose_name_plural = _("material files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name the visitor saves: their name with the extension of what the file is."""
        from leerorkest.uploads import KINDS

        stem = self.original_name.rsplit(".", 1)[0] or "material"
        return f"{stem}.{KINDS[self.kind].extension}"


class Contributor(models.Model):
    """A professional of a programme who shares material; their e-mail address is verified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_contributor"
    )
    organisation_name = models.CharField(_("programme or organisation"), max_length=150)
    city = models.CharField(_("city"), max_length=80)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    email_verified_at = models.DateTimeField(_("e-mail address verified"), null=True, blank=True)
    # SHA-256 of the one-time verification link's token (never the token itself).
    verification_hash = models.CharField(max_length=64, blank=True, editable=False)
    verification_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            models.CheckConstraint(
                condition=Q(country__in=Country.values), name="contributor_country_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation_name})"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class KnowledgeEditor(models.Model):
    """A reviewer of the Expertisecentrum; platform administrators manage them in the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_editor"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge editor")
        verbose_name_plural = _("knowledge editors")

    def __str__(self) -> str:
        return str(self.user)


def is_editor(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_knowledge_editor", None)
    if cached is None:
        cached = KnowledgeEditor.objects.filter(user=user).exists()
        user._knowledge_editor = cached
    return cached


def contributor_of(user) -> Contributor | None:
    if user is None or not user.is_authenticated:
        return None
    return Contributor.objects.filter(user=user).first()


def public_goal_filter(prefix: str = "") -> dict:
    """Lookups for learning goals the public may read: those of shared, published lines."""
    from leerorkest.curriculum.models import LineStatus, Visibility

    return {
        f"{prefix}line__visibility": Visibility.SHARED,
        f"{prefix}line__status": LineStatus.PUBLISHED,
    }
