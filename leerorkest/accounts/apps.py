from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "leerorkest.accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from leerorkest.accounts import actions

        def on_login(sender, request, user, **kwargs):
            # Infrastructure, not domain flow: remember the session so it can be ended later.
            if request is not None and request.session.session_key is None:
                request.session.save()
            if request is not None:
                actions.record_login(user=user, session_key=request.session.session_key)

        user_logged_in.connect(on_login, weak=False, dispatch_uid="leerorkest_record_login")
