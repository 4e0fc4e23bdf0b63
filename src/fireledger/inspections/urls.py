from django.urls import include, path

from . import views, views_commitment
from .urls_records import urlpatterns as record_urls

app_name = "inspections"

# The draft pages, served to logged-in inspectors and (under invite/<token>/) to invited units.
draft_urls = [
    ("", views.edit, "edit"),
    ("details/", views.save_details, "save_details"),
    ("results/<int:rid>/", views.save_result, "save_result"),
    ("results/<int:rid>/photos/", views.add_photo, "add_photo"),
    ("photos/<int:photo_pk>/", views.photo, "photo"),
    ("photos/<int:photo_pk>/delete/", views.remove_photo, "remove_photo"),
    ("sign/", views.sign, "sign"),
    ("signatures/<int:sig_pk>/", views.signature_image, "signature"),
    ("signatures/<int:sig_pk>/delete/", views.unsign, "unsign"),
    ("submit/", views.submit, "submit"),
]

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", include([path(p, v, name=n) for p, v, n in draft_urls])),
    # Before the invited draft pages: "invite/new/<pk>/" would otherwise be read as a token.
    path("<int:pk>/commitment/", views_commitment.commitment, name="commitment"),
    path("invite/new/<int:place_pk>/", views_commitment.invite_create, name="invite_create"),
    path("invite/<str:token>/", views_commitment.invite, name="invite"),
    path("commitments/<int:pk>/untrue/", views_commitment.mark_untrue, name="mark_untrue"),
    path("units/<int:org_pk>/commitments/", views_commitment.unit_commitments,
         name="unit_commitments"),
    path("invite/<str:token>/<int:pk>/", include(
        [path(p, v, name=f"invite_{n}") for p, v, n in draft_urls])),
    *record_urls,
]
