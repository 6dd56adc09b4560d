"""Background tasks of the accounts app (run by `leerorkest db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from leerorkest.accounts.actions import issue_invitation_link
from leerorkest.accounts.models import User


@task()
def send_invitation(invitation_id: int) -> bool:
    """E-mail an open invitation with a fresh one-time link; False when it is no longer open.

    The link is made here, not when the invitation is created, so the raw token is never stored
    anywhere, not even in the task queue.
    """
    issued = issue_invitation_link(invitation_id=invitation_id)
    if issued is None:
        return False
    invitation, link = issued
    existing = User.objects.filter(email__iexact=invitation.email).first()
    with translation.override(existing.language if existing else settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "link": link,
            "role": invitation.get_role_display().lower(),
            "days": settings.INVITATION_DAYS,
        }
        send_mail(
            subject=_("Invitation to %(organisation)s on the Leerorkest platform")
            % {"organisation": invitation.organisation.name},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return True
