"""Organisations, people, memberships, invitations, API tokens and the audit trail."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.roles import MANAGER_ROLES, ROLES_BY_KIND, OrgKind, Role


def hash_secret(raw: str) -> str:
    """Tokens and invitation links are stored only as their SHA-256."""
    return hashlib.sha256(raw.encode()).hexdigest()


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user, *, write: bool = False) -> "OrganisationQuerySet":
        """Organisations the user may see (or, with write, manage).

        A member sees the organisations they belong to; a programme's managers also see its
        schools. Platform administrators see all. Anyone else sees none.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        memberships = Membership.objects.filter(user=user, organisation__is_active=True)
        if write:
            memberships = memberships.filter(role__in=MANAGER_ROLES)
        own = memberships.values("organisation_id")
        managed = memberships.filter(role__in=MANAGER_ROLES).values("organisation_id")
        return self.filter(Q(pk__in=own) | Q(parent_id__in=managed), is_active=True)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=80,
        unique=True,
        help_text=_("Used in web addresses: lower-case letters, digits and hyphens."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For a school: the programme it takes part in."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region"), max_length=100, blank=True, help_text=_("Province, or the island.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrgKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> tuple[str, ...]:
        return ROLES_BY_KIND[self.kind]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True, is_platform_admin=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("May use the technical admin site.")
    )
    is_platform_admin = models.BooleanField(_("platform administrator"), default=False)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        """Memberships the user may see: their own, and all of the organisations they manage."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        managed = Organisation.objects.for_user(user, write=True)
        return self.filter(Q(user=user) | Q(organisation__in=managed))


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


class Invitation(models.Model):
    """A one-time link that gives its holder a role in an organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    token_hash = models.CharField(_("link fingerprint"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @classmethod
    def new_token(cls) -> str:
        return secrets.token_urlsafe(32)

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(days=settings.INVITATION_DAYS)

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only the hash is stored; the token is shown once."""

    PREFIX = "lo_"

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token fingerprint"), max_length=64, unique=True)
    hint = models.CharField(
        _("first characters"), max_length=12, help_text=_("To recognise the token by.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(30)


class UserSession(models.Model):
    """Which sessions belong to whom, so deactivating a user can end them all (target A5)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}…"


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user) -> "AuditEventQuerySet":
        """Managers see their organisations' trail; platform administrators see all of it."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        return self.filter(organisation__in=Organisation.objects.for_user(user, write=True))


class AuditEvent(models.Model):
    """Append-only: the database refuses updates and deletes (see migration 0002)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    object_repr = models.CharField(_("description"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class TotpDevice(models.Model):
    """A person's authenticator app (TOTP second factor, target A4; see accounts.totp).

    The shared secret is stored encrypted with a key derived from SECRET_KEY. Failed attempts,
    the lockout and the last accepted time step are kept here, not in a process's memory, so
    they hold across every web process.
    """

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp_device"
    )
    encrypted_secret = models.CharField(_("secret (encrypted)"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("set up"), null=True, blank=True)
    last_used_step = models.BigIntegerField(
        _("last accepted time step"),
        null=True,
        blank=True,
        help_text=_("A code of this step or earlier is refused: no code works twice."),
    )
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes in a row"), default=0)
    locked_until = models.DateTimeField(_("no codes accepted until"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"{self.user_id}:totp"


class RecoveryCode(models.Model):
    """A one-time code for when the phone is lost; only its SHA-256 is stored."""

    device = models.ForeignKey(TotpDevice, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(_("code fingerprint"), max_length=64)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.device_id}:{self.code_hash[:6]}…"


class IdempotentRequest(models.Model):
    """An API write sent with an `Idempotency-Key` header and the answer it got, so a retry
    with the same key gets the same answer instead of doing the work twice."""

    scope = models.CharField(max_length=64)  # who sent it (token or session), method and path
    key = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64)  # the request body
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # null while in progress
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotent_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope[:6]}:{self.key}"


@receiver(user_logged_in, dispatch_uid="leerorkest_two_factor_login")
def _two_factor_on_login(sender, request, user, **kwargs):
    """Session infrastructure, like the session record: each password login must give its own
    second factor. Connected here because this module is always loaded."""
    if request is not None and hasattr(request, "session"):
        from leerorkest.accounts.totp import start_session

        start_session(request, user)
