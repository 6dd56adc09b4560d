"""E-mails of the knowledge site, sent by the task worker after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from leerorkest.accounts.models import User
from leerorkest.knowledge.contributors import VERIFICATION_DAYS, issue_verification_link


@task()
def send_verification(contributor_id: int) -> bool:
    """E-mail a fresh one-time verification link; False when there is nothing to verify."""
    issued = issue_verification_link(contributor_id=contributor_id)
    if issued is None:
        return False
    contributor, link = issued
    with translation.override(contributor.user.language or settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Confirm your e-mail address for Orkest in de Klas"),
            message=render_to_string(
                "knowledge/email/verify.txt",
                {"contributor": contributor, "link": link, "days": VERIFICATION_DAYS},
            ),
            from_email=None,
            recipient_list=[contributor.user.email],
        )
    return True


@task()
def send_already_registered(user_id: int) -> bool:
    """Someone registered with an address that has an account: tell its owner how to get in."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        send_mail(
            subject=_("You already have an account for Orkest in de Klas"),
            message=render_to_string(
                "knowledge/email/already_registered.txt",
                {
                    "login": settings.SITE_URL + reverse("accounts:login"),
                    "reset": settings.SITE_URL + reverse("accounts:password_reset"),
                },
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    return True
