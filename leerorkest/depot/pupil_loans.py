"""A programme lends an instrument it has on loan on to one of its pupils, with the parent's
agreement (signed on a tablet at the counter, or on the printed form), and takes it back.

The depot only ever sees `PupilLoan.pseudonym`: a random code, not derived from the name, the
same for a child on each loan so the depot can count children without knowing them.
"""

import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.depot.models import InstrumentStatus, Loan, PupilLoan, SignedHow
from leerorkest.schools.models import Pupil

PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely
# A drawn signature as the canvas gives it: a PNG data URL, at most ~200 kB.
SIGNATURE = re.compile(r"^data:image/png;base64,[A-Za-z0-9+/=]+$")
MAX_SIGNATURE = 200_000

PUPIL_AGREEMENT = gettext_lazy(
    "%(programme)s lends %(instrument)s (asset tag %(tag)s) to the child named on this form "
    "until %(due)s or until the programme asks for it back. The parent or carer takes care "
    "that the child looks after the instrument, keeps it in its case, does not lend it to "
    "others and brings it to every lesson. Damage or loss is reported to the programme at "
    "once. The instrument remains the property of the instrument depot."
)


def new_pseudonym() -> str:
    return "K-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(7))


def pseudonym_for(pupil: Pupil) -> str:
    """The child's pseudonym from an earlier loan, or a new random one."""
    earlier = (
        PupilLoan.objects.filter(pupil=pupil).order_by("out_at", "id").values("pseudonym").first()
    )
    return earlier["pseudonym"] if earlier else new_pseudonym()


def agreement_text(loan: Loan) -> str:
    instrument = loan.instrument
    size = f" {instrument.size}" if instrument.size_id else ""
    return str(PUPIL_AGREEMENT) % {
        "programme": loan.borrower.name,
        "instrument": f"{instrument.instrument_type.name}{size}",
        "tag": instrument.asset_tag,
        "due": loan.due_on.strftime("%d-%m-%Y"),
    }


@transaction.atomic
def lend_to_pupil(
    *,
    loan: Loan,
    pupil: Pupil,
    signed_by: str,
    signed_how: str,
    by,
    signature: str = "",
    paper_signed: bool = False,
) -> PupilLoan:
    """Lend the instrument of an open, received loan on to a pupil of the borrowing programme.

    Refused when the instrument is still on its way (or not with the programme), when it is
    with a child already (one open pupil loan per loan: the database keeps it), when the pupil
    is not the programme's, and without the parent's signature: drawn on the tablet, or the
    printed form confirmed as signed.
    """
    loan = Loan.objects.select_for_update().select_related("instrument", "borrower").get(pk=loan.pk)
    if loan.returned_at is not None or loan.instrument.status != InstrumentStatus.ON_LOAN:
        raise DomainError(
            _("%(tag)s is not with your programme now.") % {"tag": loan.instrument.asset_tag},
            code="not_received",
        )
    if pupil.organisation_id != loan.borrower_id or pupil.pseudonymised_at is not None:
        raise DomainError(_("Choose a pupil of your programme."), field="pupil")
    signed_by = " ".join((signed_by or "").split())
    if len(signed_by) < 2:
        raise DomainError(_("Who signed? Give the parent's or carer's name."), field="signed_by")
    if signed_how == SignedHow.TABLET:
        if not signature or len(signature) > MAX_SIGNATURE or not SIGNATURE.match(signature):
            raise DomainError(_("Let the parent sign in the box."), field="signature")
        checked_by = None
    elif signed_how == SignedHow.PAPER:
        if not paper_signed:
            raise DomainError(
                _("Tick the box once the parent has signed the printed form."),
                field="paper_signed",
            )
        signature, checked_by = "", by
    else:
        raise DomainError(_("Choose how the parent signed."), field="signed_how")
    if PupilLoan.objects.filter(loan=loan, returned_at__isnull=True).exists():
        raise DomainError(
            _("%(tag)s is with a child already; take it back first.")
            % {"tag": loan.instrument.asset_tag},
            code="with_a_child",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            pupil_loan = PupilLoan.objects.create(
                loan=loan,
                pupil=pupil,
                pseudonym=pseudonym_for(pupil),
                out_at=now,
                signed_by=signed_by,
                signed_at=now,
                signed_how=signed_how,
                signature=signature,
                paper_confirmed_by=checked_by,
                agreement_text=agreement_text(loan),
                lent_by=by if getattr(by, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise DomainError(
            _("%(tag)s is with a child already; take it back first.")
            % {"tag": loan.instrument.asset_tag},
            code="with_a_child",
        ) from None
    audit(
        actor=by,
        action="depot.pupil_loan",
        obj=pupil,
        organisation=loan.borrower,
        loan=loan.pk,
        pupil_loan=pupil_loan.pk,
    )
    return pupil_loan


@transaction.atomic
def return_from_pupil(*, pupil_loan: PupilLoan, by) -> PupilLoan:
    """The child brought the instrument back to the programme."""
    pupil_loan = PupilLoan.objects.select_for_update().get(pk=pupil_loan.pk)
    if pupil_loan.returned_at is not None:
        raise DomainError(_("This instrument was returned already."), code="returned")
    pupil_loan.returned_at = timezone.now()
    pupil_loan.save(update_fields=["returned_at"])
    audit(
        actor=by,
        action="depot.pupil_return",
        obj=pupil_loan.pupil,
        organisation=pupil_loan.loan.borrower_id,
        pupil_loan=pupil_loan.pk,
    )
    return pupil_loan
