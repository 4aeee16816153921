from django.urls import path

from .views import home, invitations, settings, signing_in, signing_up, staff

app_name = "accounts"
urlpatterns = [
    path("sign-in/", signing_in.sign_in, name="sign-in"),
    path("sign-out/", signing_in.sign_out, name="sign-out"),
    path("two-factor/", signing_in.two_factor, name="two-factor"),
    path("two-factor/set-up/<str:token>/", signing_in.two_factor_link, name="two-factor-link"),
    path("password-reset/", signing_in.password_reset, name="password-reset"),
    path("password-reset/sent/", signing_in.password_reset_sent, name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", signing_in.password_reset_confirm, name="password-reset-confirm"),
    path("password-reset/complete/", signing_in.password_reset_complete, name="password-reset-complete"),
    path("create/", signing_up.sign_up, name="sign-up"),
    path("create/check-your-email/", signing_up.check_email, name="check-email"),
    path("confirm/<str:token>/", signing_up.confirm_email, name="confirm-email"),
    path("privacy/", signing_up.privacy_notice, name="privacy"),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("home/", home.home, name="home"),
    path("settings/", settings.settings, name="settings"),
    path("settings/close/", settings.close, name="close"),
    path("staff/", staff.staff, name="staff"),
    path("staff/invite/", staff.invite, name="staff-invite"),
    path("staff/<int:user_id>/", staff.member, name="staff-member"),
    path("staff/<int:user_id>/switch-off/", staff.switch_off, name="staff-switch-off"),
    path("staff/<int:user_id>/switch-on/", staff.switch_on, name="staff-switch-on"),
    path("staff/<int:user_id>/reset-app/", staff.reset_second_factor, name="staff-reset-app"),
    path("staff/invitations/<uuid:invitation_id>/withdraw/", staff.withdraw, name="staff-withdraw"),
]
