"""The public safety-code page on a phone (390 px): readable, no horizontal overflow, every
asset from our own static files, no cookie set."""

import datetime

import pytest
from django.utils import timezone

from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory
from fireledger.public import codes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}


def test_public_page_on_a_phone(new_page, places, admin_user, screenshots_dir, live_server):
    mall = places["mall"]
    mall.responsible_person, mall.responsible_phone = "李建国", "023-63881234"
    mall.safety_manager, mall.safety_manager_phone = "王晓燕", "13983001234"
    mall.save()
    hazard_services.log_hazard(
        admin_user, mall, category=HazardCategory.objects.get(code="hr.03.1"),
        description="内部描述", deadline=timezone.localdate() + datetime.timedelta(days=10))
    token = codes.code_for(mall).token

    page = new_page(**PHONE_390)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/code/{token}/")
    assert page.inner_text("#place-name") == mall.name
    assert page.get_attribute("#safety-colour", "data-colour") == "yellow"
    assert "李建国" in page.inner_text("#responsible")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.failed_responses == []
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert page.context.cookies() == []
    page.screenshot(path=str(screenshots_dir / "public-place.png"), full_page=True)

    missing = new_page(**PHONE_390)
    response = missing.goto(f"/code/{token[:-2]}/")
    assert response.status == 404
    assert missing.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    missing.screenshot(path=str(screenshots_dir / "public-place-404.png"), full_page=True)
