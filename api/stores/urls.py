"""The partner and availability endpoints, mounted under /api/v1/ by api.v1.urls."""
from django.urls import path

from . import views

api_patterns = [
    path("products/<str:style_code>/ratings/", views.ProductRatingsApi.as_view(),
         name="product-ratings"),
    path("stores/<str:store>/stock/", views.StoreStockApi.as_view(), name="store-stock"),
    path("channels/<str:channel>/products/<str:style_code>/availability/",
         views.ProductAvailabilityApi.as_view(), name="product-availability"),
]
