"""Checklists in the admin: editing an item freezes a new version, audited item by item; an
inspection already started keeps the version it used."""

import pytest
from django.urls import reverse

from fireledger.core.models import AuditEvent
from fireledger.inspections.models import ChecklistTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def _form(template) -> dict:
    """The change form's POST data as the admin renders it, items unchanged."""
    items = list(template.items.order_by("sort_order", "pk"))
    data = {
        "code": template.code, "name": template.name,
        "place_categories": '["' + '", "'.join(template.place_categories) + '"]',
        "source_doc": template.source_doc, "sort_order": template.sort_order,
        "is_active": "on" if template.is_active else "",
        "items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000,
    }
    for n, item in enumerate(items):
        data.update({
            f"items-{n}-id": item.pk, f"items-{n}-template": template.pk,
            f"items-{n}-sort_order": item.sort_order, f"items-{n}-number": item.number,
            f"items-{n}-area": item.area, f"items-{n}-text": item.text,
            f"items-{n}-category": item.category_id,
            f"items-{n}-is_major": "on" if item.is_major else "",
            f"items-{n}-workdays": item.workdays or "",
        })
    return data


def test_admin_pages_open(admin_client_):
    template = ChecklistTemplate.objects.get(code="mall")
    for url in (reverse("admin:inspections_checklisttemplate_changelist"),
                reverse("admin:inspections_checklisttemplate_change", args=[template.pk]),
                reverse("admin:inspections_checklistversion_changelist")):
        assert admin_client_.get(url).status_code == 200


def test_an_edit_makes_a_new_version_and_old_inspections_keep_theirs(
        admin_client_, users, places):
    from fireledger.inspections import services

    template = ChecklistTemplate.objects.get(code="mall")
    v1 = template.current_version()
    started = services.start_inspection(users["grid_worker"], places["mall"], kind="sweep",
                                        version=v1)
    old_text = started.results.order_by("sort_order").first().text

    data = _form(template)
    data["items-0-text"] = "疏散通道、安全出口是否畅通（修订）"
    response = admin_client_.post(
        reverse("admin:inspections_checklisttemplate_change", args=[template.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    v2 = template.current_version()
    assert v2.version == v1.version + 1
    assert v2.items[0]["text"] == "疏散通道、安全出口是否畅通（修订）"
    started.refresh_from_db()
    assert started.version == v1
    assert started.results.order_by("sort_order").first().text == old_text
    item = template.items.order_by("sort_order", "pk").first()
    assert AuditEvent.objects.for_object(item).get().after["text"].endswith("（修订）")
    assert AuditEvent.objects.for_object(v2).exists()


def test_saving_without_a_change_makes_no_version(admin_client_):
    template = ChecklistTemplate.objects.get(code="mall")
    before = template.versions.count()
    response = admin_client_.post(
        reverse("admin:inspections_checklisttemplate_change", args=[template.pk]),
        _form(template))
    assert response.status_code == 302
    assert template.versions.count() == before


def test_versions_cannot_be_edited(admin_client_):
    version = ChecklistTemplate.objects.get(code="mall").current_version()
    url = reverse("admin:inspections_checklistversion_change", args=[version.pk])
    assert admin_client_.post(url, {"name": "x"}).status_code == 403
