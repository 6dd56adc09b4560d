from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from leerorkest.accounts import totp_views, views
from leerorkest.accounts.access import LOGIN, PUBLIC, rule
from leerorkest.accounts.forms import LoginForm

app_name = "accounts"


def _public(view):
    return rule(PUBLIC)(view)


urlpatterns = [
    path(
        "login/",
        _public(auth_views.LoginView.as_view(authentication_form=LoginForm)),
        name="login",
    ),
    path("logout/", _public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/reset/",
        _public(
            auth_views.PasswordResetView.as_view(
                success_url=reverse_lazy("accounts:password_reset_done"),
                email_template_name="registration/password_reset_email.txt",
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        _public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        _public(
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password_reset_complete")
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        _public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        rule(LOGIN)(
            auth_views.PasswordChangeView.as_view(
                success_url=reverse_lazy("accounts:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        rule(LOGIN)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("context/", views.switch_context, name="switch_context"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("invitations/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("memberships/<int:pk>/remove/", views.remove_membership, name="remove_membership"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("audit/", views.audit_log, name="audit_log"),
    path("two-factor/", totp_views.setup, name="totp_setup"),
    path("two-factor/verify/", totp_views.verify, name="totp_verify"),
    path("two-factor/reset/", totp_views.reset, name="totp_reset"),
    path("two-factor/recovery-codes/", totp_views.recovery_codes, name="totp_recovery_codes"),
]
