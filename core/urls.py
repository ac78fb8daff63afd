from django.contrib.auth import views as auth_views
from django.urls import path

from core import views
from core.sso import views as sso_views

urlpatterns = [
    path("", views.home, name="home"),
    path("no-role/", views.no_role, name="no-role"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("login/", sso_views.SignInView.as_view(), name="login"),
    # Single sign-on (404 while OIDC_ISSUER is unset); the names are mozilla-django-oidc's.
    path("sso/authenticate/", sso_views.SsoAuthenticateView.as_view(), name="oidc_authentication_init"),
    path("sso/callback/", sso_views.SsoCallbackView.as_view(), name="oidc_authentication_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
