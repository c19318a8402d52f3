from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("flow/", include("workflows.urls")),
    path("api/", include("approvals.api.urls")),
    path("api/", include("sanctions.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("", include("ops.urls")),
    path("", include("audit.urls")),
    path("", include("credit.urls")),
    path("", include("notifications.urls")),
    path("", include("supervision.urls")),
    path("", include("documents.urls")),
    path("", include("sanctions.web.urls")),
    path("", include("inspections.web.urls")),
    path("", include("approvals.urls")),
]
# uploaded materials are served only through access-checked views, never from MEDIA_URL
# JSON under /api/ (issue 9 security)
handler400 = "approvals.security.bad_request"
handler404 = "approvals.security.not_found"
