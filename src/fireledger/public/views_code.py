"""The safety-code pages: the public page a QR code leads to (no login), its QR image, and the
officer's card with the QR, the printable signs and the revoke button."""

import base64
import io
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from fireledger.places.models import Place

from . import codes

SIGN_SIZES = {"a4": "A4", "a5": "A5"}


def _max_age() -> int:
    return int(getattr(settings, "FIRELEDGER_PUBLIC_MAX_AGE", 60))


def _report_url(token: str) -> str | None:
    """The citizen-report form for this place, once that page exists."""
    try:
        return reverse("public:report_at_place", args=[token])
    except NoReverseMatch:
        return None


def _public(response: HttpResponse, max_age: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def place(request, token: str):
    """The public page. Exactly one indexed lookup decides hit or miss; a hit's rendered page
    is kept for the same short time the Cache-Control header allows (per process), so the
    colour and facts are at most that old while a revoked token stops working at once."""
    place_id = codes.live_place_id(token)
    if place_id is None:
        response = render(request, "public/place.html", {"facts": None}, status=404)
        return _public(response, _max_age())
    key = f"fireledger:public-place:{token}:{get_language()}"
    html = cache.get(key)
    if html is None:
        place = Place.objects.only("name", "address", "responsible_person", "responsible_phone",
                                   "safety_manager", "safety_manager_phone").get(pk=place_id)
        html = render_to_string("public/place.html", {
            "facts": codes.public_facts(place),
            "token": token,
            "report_url": _report_url(token),
        }, request=request)
        if _max_age():
            cache.set(key, html, _max_age())
    return _public(HttpResponse(html), _max_age())


def qr(request, token: str):
    """The QR code (SVG) of a live token."""
    if codes.live_place_id(token) is None:
        raise Http404
    svg = codes.qr_svg(codes.public_url(token, request))
    return _public(HttpResponse(svg, content_type="image/svg+xml"), _max_age())


def _visible_place(request, pk: int, action: str = "view") -> Place:
    return get_object_or_404(Place.objects.visible_to(request.user, action), pk=pk)


@login_required
def code_card(request, pk: int):
    """The officer's view of a place's code: QR, public address, signs, revoke."""
    place = _visible_place(request, pk)
    code = codes.code_for(place, request.user)
    url = codes.public_url(code.token, request)
    return render(request, "public/code_card.html", {
        "place": place,
        "code": code,
        "public_url": url,
        "qr_svg": codes.qr_svg(url, scale=6).decode("utf-8"),
        "colour": codes.colour(place),
        "can_revoke": Place.objects.visible_to(request.user, "change").filter(
            pk=place.pk).exists(),
        "sizes": list(SIGN_SIZES),
    })


def _sign_filename(place, size: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", place.name).strip("_") or "-"
    return f"消防安全码-{name}-{size.upper()}.pdf"


@login_required
def sign(request, pk: int, size: str):
    """The printable sign (A4 or A5): the place's name, the QR code and its address."""
    from fireledger.inspections.record_pdf import html_to_pdf

    if size not in SIGN_SIZES:
        raise Http404
    place = _visible_place(request, pk)
    code = codes.code_for(place, request.user)
    url = codes.public_url(code.token, request)
    png = codes.qr_png(url)
    html = render_to_string("public/sign.html", {
        "place": place,
        "page_size": SIGN_SIZES[size],
        "small": size == "a5",
        "public_url": url,
        "qr_data_uri": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        "language": get_language() or "zh-hans",
    })
    return FileResponse(io.BytesIO(html_to_pdf(html)), filename=_sign_filename(place, size),
                        content_type="application/pdf")


@login_required
@require_POST
def revoke(request, pk: int):
    place = _visible_place(request, pk, "change")
    try:
        codes.revoke(request.user, place)
    except PermissionDenied:
        raise Http404 from None
    return redirect("public:code_card", pk=place.pk)
