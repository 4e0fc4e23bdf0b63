"""code pages of the public app (see views_code.py)."""

from django.urls import path

from . import views_code

urlpatterns: list = [
    path("code/<str:token>/", views_code.place, name="place"),
    path("code/<str:token>/qr.svg", views_code.qr, name="qr"),
    path("places/<int:pk>/safety-code/", views_code.code_card, name="code_card"),
    path("places/<int:pk>/safety-code/sign-<str:size>.pdf", views_code.sign, name="sign"),
    path("places/<int:pk>/safety-code/revoke/", views_code.revoke, name="revoke"),
]
