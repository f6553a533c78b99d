from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sigap import home
from sigap.api.api import api as api_v1
from sigap.signin import views as signin_views

# The admin's own log-in form would bypass the throttle and the second factor: it sends to /masuk/.
admin.site.login = signin_views.admin_login  # type: ignore[method-assign]

urlpatterns = [
    # First: every public submission resolves here without trying the pages' patterns.
    path("api/v1/", api_v1.urls),
    path("", home.home, name="home"),
    # One log-in for the site and the admin: throttled, then the second factor (sigap.signin).
    path("masuk/", signin_views.StaffLoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("sigap.signin.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before "permohonan/<code>/<action>/" of the requests, which would take "produk" as an action
    # (and the complaints' "pengaduan/<code>/", which would take "sp4n-lapor" for a code).
    path("", include("sigap.documents.urls")),
    path("", include("sigap.integrations.urls")),
    path("", include("sigap.applications.urls")),
    path("", include("sigap.service_requests.urls")),
    path("", include("sigap.payments.urls")),
    path("", include("sigap.organisation.urls")),
    path("", include("sigap.audit.urls")),
    path("", include("sigap.appraisals.urls")),
    path("", include("sigap.whistleblowing.urls")),
    path("", include("sigap.integrity.urls")),
    path("", include("sigap.performance.urls")),
    path("", include("sigap.surveys.urls")),
    path("", include("sigap.complaints.urls")),
    path("", include("sigap.leadership.urls")),
    path("", include("sigap.transparency.urls")),
    path("", include("sigap.frontdoor.urls")),
    path("", include("sigap.open311.urls")),
    path("", include("sigap.privacy.urls")),
    path("", include("sigap.booking.urls")),
    path("", include("sigap.homes.urls")),
    path("", include("sigap.catalogue.urls")),
    path("", include("sigap.competency.urls")),
    path("", include("sigap.innovation.urls")),
    path("", include("sigap.onboarding.urls")),
    path("inovasi/iid/", include("sigap.innovation.urls_iid")),
]
handler400 = "sigap.web.views.bad_request"
