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


class LoanAgreement(models.Model):
    """The agreement text a programme accepted, kept as it was when accepted."""

    borrower = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="loan_agreements"
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
