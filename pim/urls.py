from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "Fashion PIM"
admin.site.index_title = "Catalog, content and channels"
# "View site" opens what the catalog feeds: the syndication API's documentation.
admin.site.site_url = "/api/v1/docs/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("screens/", include("api.stores.screen_urls")),
    path("", include("api.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
