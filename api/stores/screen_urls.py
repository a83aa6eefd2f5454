from django.urls import path

from . import screens

app_name = "screens"
urlpatterns = [
    path("<slug:store>/", screens.screen_page, name="screen"),
    path("<slug:store>/session/", screens.ScreenSessionApi.as_view(), name="session"),
    path("<slug:store>/products/", screens.ScreenProductApi.as_view(), name="product"),
]
