"""The inspection pages through the test client: start, autosave, photos, signatures, submit,
the record, scope. (Fixtures `version` and `start` come from tests/inspections/conftest.py.)"""

import base64

import pytest
from django.urls import reverse

from fireledger.core.models import AuditEvent
from fireledger.hazards.models import Hazard
from fireledger.inspections.models import Inspection, ResultPhoto, Signature

pytestmark = pytest.mark.django_db


def _edit(inspection) -> str:
    return reverse("inspections:edit", kwargs={"pk": inspection.pk})


def _drawn() -> str:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), (255, 255, 255)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_start_page_offers_the_checklists_for_the_place(login, users, places, version):
    client = login(users["street_officer"])
    page = client.get(reverse("inspections:start") + f"?place={places['mall'].pk}")
    assert page.status_code == 200
    assert version.name in page.content.decode()


def test_start_twice_with_the_same_token_makes_one_draft(login, users, places, version):
    client = login(users["grid_worker"])
    url = reverse("inspections:start") + f"?place={places['mall'].pk}"
    data = {"token": "6f1c1b1e-7d2a-4c1e-9a57-1c2b3d4e5f60", "kind": "sweep",
            "version": version.pk, "inspected_on": "2026-11-20"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Inspection.objects.count() == 1


def test_a_place_outside_the_scope_is_a_404(login, users, places, version):
    client = login(users["grid_worker"])
    page = client.get(reverse("inspections:start") + f"?place={places['hotel'].pk}")
    assert page.status_code == 404


def test_a_unit_manager_is_offered_only_the_self_inspection(login, users, places, version):
    client = login(users["unit_manager"])
    page = client.get(reverse("inspections:start") + f"?place={places['mall'].pk}")
    assert page.status_code == 200
    assert list(page.context["form"].fields["kind"].choices) == [("self", "自查")]
    sweep = client.post(reverse("inspections:start") + f"?place={places['mall'].pk}", {
        "token": "6f1c1b1e-7d2a-4c1e-9a57-1c2b3d4e5f61", "kind": "sweep",
        "version": version.pk, "inspected_on": "2026-11-20"})
    assert sweep.status_code == 400
    assert not Inspection.objects.exists()


def test_autosave_one_item_and_its_photo(login, users, start, photo):
    inspection = start(users["grid_worker"])
    client = login(users["grid_worker"])
    result = inspection.results.get(number="1")
    saved = client.post(_edit(inspection) + f"results/{result.pk}/",
                        {"outcome": "hazard", "note": "一楼楼梯间堆放纸箱"})
    assert saved.status_code == 200
    assert "一楼楼梯间堆放纸箱" in saved.content.decode()
    result.refresh_from_db()
    assert (result.outcome, result.note) == ("hazard", "一楼楼梯间堆放纸箱")
    # Saving the deadline alone keeps the note.
    client.post(_edit(inspection) + f"results/{result.pk}/", {"deadline": "2099-01-04"})
    result.refresh_from_db()
    assert result.note == "一楼楼梯间堆放纸箱" and str(result.deadline) == "2099-01-04"
    uploaded = client.post(_edit(inspection) + f"results/{result.pk}/photos/",
                           {"photo": photo("楼梯间.png")})
    assert uploaded.status_code == 200
    assert ResultPhoto.objects.filter(result=result).count() == 1
    assert AuditEvent.objects.filter(object_type="inspections.inspectionresult").exists()


def test_a_non_image_photo_is_refused_on_the_card(login, users, start):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inspection = start(users["grid_worker"])
    client = login(users["grid_worker"])
    result = inspection.results.get(number="1")
    client.post(_edit(inspection) + f"results/{result.pk}/", {"outcome": "hazard"})
    refused = client.post(_edit(inspection) + f"results/{result.pk}/photos/", {
        "photo": SimpleUploadedFile("合同.pdf", b"%PDF-1.4 not a photo")})
    assert refused.status_code == 400
    assert "“合同.pdf”不是照片" in refused.content.decode()
    assert not ResultPhoto.objects.exists()


def test_a_past_deadline_is_refused_and_the_card_says_so(login, users, start):
    inspection = start(users["grid_worker"])
    client = login(users["grid_worker"])
    result = inspection.results.get(number="1")
    refused = client.post(_edit(inspection) + f"results/{result.pk}/",
                          {"outcome": "hazard", "deadline": "2001-01-01"})
    assert refused.status_code == 400
    assert "不能早于今天" in refused.content.decode() or "past" in refused.content.decode()
    result.refresh_from_db()
    assert result.outcome == "" and result.deadline is None


def test_another_users_draft_cannot_be_changed(login, users, start):
    inspection = start(users["grid_worker"])
    client = login(users["street_officer"])
    result = inspection.results.get(number="1")
    assert client.get(_edit(inspection)).status_code == 403
    refused = client.post(_edit(inspection) + f"results/{result.pk}/", {"outcome": "pass"})
    assert refused.status_code == 403


def test_submit_turns_failures_into_hazards_once(login, users, start, photo, places):
    inspection = start(users["grid_worker"])
    client = login(users["grid_worker"])
    by_number = {r.number: r for r in inspection.results.all()}
    for number, outcome in (("1", "hazard"), ("2", "fixed"), ("3", "pass"), ("4", "na")):
        client.post(_edit(inspection) + f"results/{by_number[number].pk}/",
                    {"outcome": outcome, "note": f"第{number}项"})
    client.post(_edit(inspection) + f"results/{by_number['1'].pk}/photos/",
                {"photo": photo()})
    client.post(_edit(inspection) + "details/", {"advice": "立即清理楼梯间杂物", "location": "一楼"})
    client.post(_edit(inspection) + "sign/", {"name": "网格员甲", "drawing": _drawn()})
    first = client.post(_edit(inspection) + "submit/")
    second = client.post(_edit(inspection) + "submit/")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == reverse("inspections:detail", kwargs={"pk": inspection.pk})
    hazards = Hazard.objects.filter(place=places["mall"]).order_by("pk")
    assert [(h.description, h.status, h.fixed_on_spot) for h in hazards] == [
        ("第1项", "pending", False), ("第2项", "closed", True)]
    assert hazards[0].photos.count() == 1
    assert hazards[0].location_in_place == "一楼"
    record = client.get(first["Location"])
    assert record.status_code == 200
    body = record.content.decode()
    assert "立即清理楼梯间杂物" in body and "网格员甲" in body
    assert f"#{hazards[0].pk}" in body


def test_an_incomplete_record_lists_what_is_missing(login, users, start):
    inspection = start(users["grid_worker"], kind="joint")
    client = login(users["grid_worker"])
    client.post(_edit(inspection) + "sign/", {"name": "网格员甲", "confirmed": "on"})
    page = client.post(_edit(inspection) + "submit/")
    assert page.status_code == 400
    problems = page.context["problems"]
    assert any("1 " in p and "没有" in p or "1 " in p for p in problems)
    assert any("两名" in p or "2" in p for p in problems)
    inspection.refresh_from_db()
    assert inspection.is_draft and not Hazard.objects.exists()


def test_signing_needs_a_drawing_or_a_confirmation(login, users, start):
    inspection = start(users["grid_worker"])
    client = login(users["grid_worker"])
    refused = client.post(_edit(inspection) + "sign/", {"name": "网格员甲"})
    assert refused.status_code == 400
    assert not Signature.objects.exists()
    client.post(_edit(inspection) + "sign/", {"name": "网格员甲", "confirmed": "on"})
    assert Signature.objects.get().method == "typed"


def test_autosave_after_submission_is_refused(login, users, start, answer):
    inspection = start(users["grid_worker"])
    answer(users["grid_worker"], inspection)
    client = login(users["grid_worker"])
    result = inspection.results.first()
    from fireledger.inspections import services

    services.sign(users["grid_worker"], inspection, name="网格员甲", confirmed=True)
    services.submit(users["grid_worker"], inspection)
    refused = client.post(_edit(inspection) + f"results/{result.pk}/", {"outcome": "hazard"})
    assert refused.status_code == 400
    assert client.get(_edit(inspection)).status_code == 302


def test_list_shows_only_inspections_in_scope(login, users, start):
    mine = start(users["grid_worker"])
    client = login(users["street_officer"])
    page = client.get(reverse("inspections:list"))
    assert list(page.context["page"]) == [mine]
    other = login(users["department_officer"]).get(reverse("inspections:list"))
    assert list(other.context["page"]) == [mine]  # shangwu supervises the mall


def test_the_place_page_has_the_inspections_tab(login, users, start, places):
    start(users["grid_worker"])
    page = login(users["street_officer"]).get(reverse("places:detail",
                                                      kwargs={"pk": places["mall"].pk}))
    body = page.content.decode()
    assert 'id="start-inspection"' in body and 'class="table table-vcenter table-sm place-inspections"' in body
