from django.urls import include, path, re_path

from .views import api_not_found

app_name = "api"
urlpatterns = [
    path("api/v1/", include("api.v1.urls")),
    re_path(r"^api/", api_not_found),
]
