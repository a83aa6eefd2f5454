from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "v1"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:v1:schema"), name="docs"),
    path(
        "channels/<str:channel>/products/", views.ProductListApi.as_view(), name="product-list"
    ),
    path(
        "channels/<str:channel>/products/<str:style_code>/",
        views.ProductDetailApi.as_view(), name="product-detail",
    ),
    path("channels/<str:channel>/gtin/<str:gtin>/", views.ProductByGtinApi.as_view(), name="gtin"),
    path("channels/<str:channel>/categories/", views.CategoryListApi.as_view(), name="categories"),
]

# Partner writes and availability: live data beside the snapshots (DOMAIN section 12).
from api.stores.urls import api_patterns  # noqa: E402

urlpatterns += api_patterns
