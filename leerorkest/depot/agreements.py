"""Loan agreements: the depot writes versions of the text and publishes them; a borrowing
programme's coordinator accepts the current version online. What they accepted is kept as it
read then (version and text), with their typed name, the time and the user."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.depot.models import AgreementVersion, LoanAgreement


def current_version(depot: Organisation | None = None) -> AgreementVersion | None:
    return AgreementVersion.objects.current(depot)


def has_accepted_current(borrower: Organisation, depot: Organisation | None = None) -> bool:
    """True when the borrower accepted the newest published version (or none is published)."""
    version = current_version(depot)
    if version is None:
        return True
    return LoanAgreement.objects.filter(borrower=borrower, agreement_version=version).exists()


def _validate(version: str, text: str) -> tuple[str, str]:
    version, text = (version or "").strip(), (text or "").strip()
    if not version:
        raise DomainError(_("Give the version a name, e.g. 2026-1."), field="version")
    if not text:
        raise DomainError(_("Write the text of the agreement."), field="text")
    return version, text


@transaction.atomic
def save_draft(
    *, depot: Organisation, version: str, text: str, by, draft: AgreementVersion | None = None
) -> AgreementVersion:
    """Write a new draft, or change a draft that is not published yet."""
    version, text = _validate(version, text)
    if draft is not None:
        draft = AgreementVersion.objects.select_for_update().get(pk=draft.pk)
        if draft.is_published:
            raise DomainError(
                _("A published version cannot be changed; write a new version."),
                code="published",
            )
    try:
        with transaction.atomic():
            if draft is None:
                draft = AgreementVersion.objects.create(
                    organisation=depot,
                    version=version,
                    text=text,
                    created_by=by if getattr(by, "is_authenticated", False) else None,
                )
            else:
                draft.version, draft.text = version, text
                draft.save(update_fields=["version", "text"])
    except IntegrityError:
        raise DomainError(
            _("There is a version with this name already."), field="version", code="duplicate"
        ) from None
    audit(actor=by, action="depot.agreement_draft", obj=draft, organisation=depot)
    return draft


@transaction.atomic
def publish_version(*, version: AgreementVersion, by) -> AgreementVersion:
    """Publish a draft: from now on it is the current version programmes are asked to accept."""
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise DomainError(_("This version is published already."), code="published")
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    audit(
        actor=by, action="depot.agreement_publish", obj=version, organisation=version.organisation
    )
    return version


@transaction.atomic
def accept_agreement(
    *, borrower: Organisation, version: AgreementVersion, full_name: str, by
) -> LoanAgreement:
    """The borrower's coordinator accepts a published version, typing their full name. The
    exact text and version are copied, so the record stays true if the depot writes a new
    version later. Accepting the same version again returns the earlier acceptance."""
    full_name = " ".join((full_name or "").split())
    if len(full_name) < 3:
        raise DomainError(_("Type your full name to accept."), field="full_name")
    # One acceptance per version and borrower, even when two coordinators click at once.
    list(Organisation.objects.select_for_update().filter(pk=borrower.pk).values_list("pk"))
    version = AgreementVersion.objects.get(pk=version.pk)
    if not version.is_published:
        raise DomainError(_("This version is not published."), code="not_published")
    if version != current_version(version.organisation):
        raise DomainError(
            _("A newer version has been published; read and accept that one."), code="outdated"
        )
    earlier = LoanAgreement.objects.filter(borrower=borrower, agreement_version=version).first()
    if earlier is not None:
        return earlier
    agreement = LoanAgreement.objects.create(
        borrower=borrower,
        agreement_version=version,
        version=version.version,
        text=version.text,
        accepted_by_name=full_name,
        accepted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit(
        actor=by,
        action="depot.agreement_accept",
        obj=agreement,
        organisation=borrower,
        version=version.version,
    )
    return agreement
