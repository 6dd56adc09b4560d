"""Loans: depot → programme, and programme → child.

The database keeps the invariants: at most one open loan per instrument (a partial unique
constraint, target L3), loan rows are never deleted (a trigger, L6), and a retried submit with the
same idempotency key finds the loan it made (L7).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation


class AgreementVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def current(self, depot=None):
        """The newest published version (of one depot, when given); None when there is none."""
        versions = self.published()
        if depot is not None:
            versions = versions.filter(organisation=depot)
        return versions.order_by("-published_at", "-id").first()


class AgreementVersion(models.Model):
    """A version of the loan agreement text the depot writes. A draft can be edited; once
    published it is fixed, and the newest published version is the one programmes accept."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("depot"),
        on_delete=models.PROTECT,
        related_name="agreement_versions",
    )
    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan agreement version")
        verbose_name_plural = _("loan agreement versions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="agreement_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.version

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class LoanAgreement(models.Model):
    """The agreement text a programme accepted, kept as it was when accepted."""

    borrower = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="loan_agreements"
    )
    # The version accepted; `version` and `text` keep a copy as it read at that moment.
    agreement_version = models.ForeignKey(
        AgreementVersion,
        verbose_name=_("agreement version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptances",
    )
    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(_("text"))
    accepted_by_name = models.CharField(_("accepted by"), max_length=150)
    accepted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("loan agreement")
        verbose_name_plural = _("loan agreements")
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.borrower} {self.version}"


class LoanQuerySet(models.QuerySet):
    def open(self):
        return self.filter(returned_at__isnull=True)

    def for_user(self, user):
        """The depot sees its loans; a programme sees the loans it is the borrower of."""
        visible = Organisation.objects.for_user(user)
        return self.filter(Q(lender__in=visible) | Q(borrower__in=visible))


class Loan(models.Model):
    """An instrument lent by the depot to a programme."""

    instrument = models.ForeignKey(
        "depot.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    lender = models.ForeignKey(
        Organisation, verbose_name=_("lent by"), on_delete=models.PROTECT, related_name="loans_out"
    )
    borrower = models.ForeignKey(
        Organisation, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans_in"
    )
    agreement = models.ForeignKey(
        LoanAgreement, on_delete=models.PROTECT, null=True, blank=True, related_name="loans"
    )
    out_at = models.DateTimeField(_("lent on"), default=timezone.now)
    due_on = models.DateField(_("due back"))
    returned_at = models.DateTimeField(_("returned on"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    checked_out_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-out_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument"],
                condition=Q(returned_at__isnull=True),
                name="one_open_loan_per_instrument",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} → {self.borrower_id}"


class SignedHow(models.TextChoices):
    TABLET = "tablet", _("On a tablet at the counter")
    PAPER = "paper", _("On the printed form")


class PupilLoan(models.Model):
    """A programme lends an instrument it borrowed on to a child. The depot sees only the
    pseudonym; the child's name stays with the programme."""

    loan = models.ForeignKey(
        Loan, verbose_name=_("programme loan"), on_delete=models.PROTECT, related_name="pupil_loans"
    )
    pupil = models.ForeignKey(
        "schools.Pupil",
        verbose_name=_("pupil"),
        on_delete=models.PROTECT,
        related_name="instrument_loans",
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=20)
    out_at = models.DateTimeField(_("lent on"), default=timezone.now)
    returned_at = models.DateTimeField(_("returned on"), null=True, blank=True)
    signed_by = models.CharField(_("signed by (parent or carer)"), max_length=150)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    agreement_text = models.TextField(_("agreement as signed"))
    # How the parent signed: on a tablet at the counter (the drawn signature is kept, as a PNG
    # data URL) or on the printed form (a person at the programme confirms the paper was signed).
    signed_how = models.CharField(
        _("signed"), max_length=8, choices=SignedHow.choices, default=SignedHow.PAPER
    )
    signature = models.TextField(_("signature"), blank=True)
    paper_confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("paper form checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lent_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("lent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("loan to a pupil")
        verbose_name_plural = _("loans to pupils")
        ordering = ["-out_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(returned_at__isnull=True),
                name="one_open_pupil_loan_per_loan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} → {self.pseudonym}"
