"""Risk pages: scope (404 outside), counts per street and grade, the filters, the place card."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from fireledger.risk.models import RiskScore

pytestmark = pytest.mark.django_db


def test_overview_counts_and_filters(login, users, places):
    client = login(users["district_office"])
    response = client.get("/risk/")
    assert response.status_code == 200
    rows = {r["prefix"]: r for r in response.context["street_rows"]}
    assert set(rows) == {"500103001", "500103002"}
    assert rows["500103001"]["total"] == 2 and rows["500103002"]["total"] == 1
    hotel = RiskScore.objects.get(place=places["hotel"])
    response = client.get(f"/risk/?street=500103002&grade={hotel.grade}")
    assert [p.pk for p in response.context["page"]] == [places["hotel"].pk]
    other = "red" if hotel.grade != "red" else "blue"
    assert list(client.get(f"/risk/?street=500103002&grade={other}").context["page"]) == []
    assert client.get("/risk/?grade=purple").status_code == 404
    assert client.get("/risk/?street=5001").status_code == 404


def test_street_officer_sees_own_street_only(login, users, places):
    client = login(users["street_officer"])
    response = client.get("/risk/")
    assert [r["prefix"] for r in response.context["street_rows"]] == ["500103001"]
    assert client.get(f"/risk/places/{places['hotel'].pk}/").status_code == 404
    assert client.get(f"/risk/places/{places['mall'].pk}/").status_code == 200


def test_overview_query_count(login, users, places, django_assert_max_num_queries):
    client = login(users["district_office"])
    client.get("/risk/")
    with django_assert_max_num_queries(12):
        client.get("/risk/")


def test_place_page_shows_grade_and_factors(login, users, places):
    client = login(users["street_officer"])
    mall = places["mall"]
    score = RiskScore.objects.get(place=mall)
    with translation.override("zh-hans"):
        html = client.get(f"/places/{mall.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'id="place-risk"' in html
        assert f'data-grade="{score.grade}"' in html
        assert 'data-factor="category"' in html and 'data-factor="height"' in html
        assert gettext("Category: {category}").format(category=gettext("mall or market")) in html
    detail = client.get(f"/risk/places/{mall.pk}/")
    assert len(detail.context["history"]) == 1


def test_unscored_place_says_so(login, users, places):
    RiskScore.objects.filter(place=places["mall"]).delete()
    html = login(users["street_officer"]).get(f"/places/{places['mall'].pk}/").content.decode()
    assert 'id="place-risk"' in html and "risk-factor" not in html
