"""E-mails of the Academie, sent by the task worker after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from leerorkest.academie.models import AcademieWorkshop, Registration, RegistrationStatus
from leerorkest.accounts.models import User


def _send(user: User, subject: str, template: str, context: dict) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        send_mail(
            subject=str(subject),
            message=render_to_string(template, {**context, "user": user}),
            from_email=None,
            recipient_list=[user.email],
        )


@task()
def send_moved_up(registration_id: int) -> bool:
    """Tell someone from the waiting list that they have a place; False if they no longer do."""
    registration = (
        Registration.objects.select_related("workshop__organisation", "user")
        .filter(pk=registration_id, status=RegistrationStatus.REGISTERED, user__is_active=True)
        .first()
    )
    if registration is None:
        return False
    workshop = registration.workshop
    url = settings.SITE_URL + reverse("academie:workshop", args=[workshop.pk])
    with translation.override(registration.user.language or settings.LANGUAGE_CODE):
        subject = _("You have a place: %(title)s") % {"title": workshop.title}
    _send(
        registration.user,
        subject,
        "academie/email/moved_up.txt",
        {"workshop": workshop, "url": url},
    )
    return True


@task()
def send_workshop_cancelled(workshop_id: int, user_ids: list[int]) -> int:
    """Tell everyone who had a place or waited that the workshop is off; returns how many."""
    workshop = AcademieWorkshop.objects.select_related("organisation").filter(pk=workshop_id)
    workshop = workshop.first()
    if workshop is None:
        return 0
    users = User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("Cancelled: %(title)s") % {"title": workshop.title}
        _send(user, subject, "academie/email/workshop_cancelled.txt", {"workshop": workshop})
    return len(users)
