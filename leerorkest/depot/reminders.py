"""Staged reminders about loans that are due: before and after the due date
(settings.REMINDER_DAYS, days relative to it: -30, -7, 1, 14, 30), one digest e-mail per
borrowing programme, and never the same stage twice for a loan (ReminderSent, unique).

A loan is at the latest stage whose day has come; a stage passed while no reminder went out
(the loan was made late, or the task did not run) is skipped, not sent late.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.depot.access import BORROWER_ROLES
from leerorkest.depot.models import Loan, ReminderSent


def stages() -> list[int]:
    return sorted(set(settings.REMINDER_DAYS))


def stage_label(stage: int) -> str:
    if stage < 0:
        return ngettext("due in %(n)s day", "due in %(n)s days", -stage) % {"n": -stage}
    if stage == 0:
        return _("due today")
    return ngettext("%(n)s day overdue", "%(n)s days overdue", stage) % {"n": stage}


def stage_for(due_on: date, today: date) -> int | None:
    """The latest stage whose day has come for a loan due on `due_on`."""
    current = None
    for stage in stages():
        if today >= due_on + timedelta(days=stage):
            current = stage
    return current


@dataclass
class Digest:
    borrower: Organisation
    recipients: list[str] = field(default_factory=list)
    items: list[tuple[Loan, int]] = field(default_factory=list)  # (loan, stage)

    def by_stage(self) -> list[tuple[str, list[Loan]]]:
        grouped: dict[int, list[Loan]] = defaultdict(list)
        for loan, stage in self.items:
            grouped[stage].append(loan)
        return [(stage_label(s), grouped[s]) for s in sorted(grouped, reverse=True)]


def plan(today: date | None = None, *, lender=None) -> list[Digest]:
    """Who gets what now: per borrowing programme, its open loans at a stage not yet sent."""
    today = today or timezone.localdate()
    days = stages()
    if not days:
        return []
    # A loan reaches its first stage on due_on + days[0]: due_on <= today - days[0].
    loans = (
        Loan.objects.open()
        .filter(due_on__lte=today - timedelta(days=days[0]))
        .select_related("borrower", "instrument__instrument_type", "instrument__size")
        .order_by("borrower__name", "due_on", "instrument__asset_tag")
    )
    if lender is not None:
        loans = loans.filter(lender=lender)
    sent = set(
        ReminderSent.objects.filter(loan__in=loans).values_list("loan_id", "stage").iterator()
    )
    digests: dict[int, Digest] = {}
    for loan in loans:
        stage = stage_for(loan.due_on, today)
        if stage is None or (loan.pk, stage) in sent:
            continue
        digest = digests.setdefault(loan.borrower_id, Digest(borrower=loan.borrower))
        digest.items.append((loan, stage))
    people = (
        Membership.objects.filter(
            organisation_id__in=list(digests),
            role__in=BORROWER_ROLES,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("organisation_id", "user__email")
    )
    for organisation_id, email in people:
        if email not in digests[organisation_id].recipients:
            digests[organisation_id].recipients.append(email)
    return list(digests.values())


def _send(digest: Digest, today: date) -> int:
    """Record the stages and send one e-mail, in one transaction: if the mail cannot be handed
    over, nothing is recorded and the next run tries again."""
    with transaction.atomic():
        loan_ids = [loan.pk for loan, _stage in digest.items]
        # Two runs at once: the second waits here and then finds the stages recorded.
        list(Loan.objects.select_for_update().filter(pk__in=loan_ids).values_list("pk"))
        done = set(
            ReminderSent.objects.filter(loan_id__in=loan_ids).values_list("loan_id", "stage")
        )
        digest.items = [(loan, s) for loan, s in digest.items if (loan.pk, s) not in done]
        if not digest.items:
            return 0
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(loan=loan, stage=stage, recipients=len(digest.recipients))
                for loan, stage in digest.items
            ]
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Instruments on loan to %(programme)s: %(count)s due") % {
                "programme": digest.borrower.name,
                "count": len(digest.items),
            }
            body = render_to_string(
                "depot/email/reminders.txt",
                {"digest": digest, "groups": digest.by_stage(), "today": today},
            )
        send_mail(subject, body, None, digest.recipients)
    return len(digest.items)


def send_reminders(today: date | None = None, *, lender=None) -> dict:
    """Send the digests due now; returns counts. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    result = {"digests": 0, "loans": 0, "without_recipient": 0}
    for digest in plan(today, lender=lender):
        if not digest.recipients:
            # Nobody to tell: not recorded, so it goes out once the programme has a coordinator.
            result["without_recipient"] += 1
            continue
        sent = _send(digest, today)
        if sent:
            result["digests"] += 1
            result["loans"] += sent
    return result
