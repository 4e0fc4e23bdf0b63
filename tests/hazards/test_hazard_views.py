"""The hazard pages: list scope and filters, the log form, the detail and each step through the
views. Assertions are on data, status codes and ids, not on translated text."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fireledger.core.models import AuditEvent
from fireledger.hazards import lifecycle, services
from fireledger.hazards.models import Hazard


def create_url(place):
    return f"{reverse('hazards:create')}?place={place.pk}"


def action_url(hazard, action):
    return reverse("hazards:action", args=[hazard.pk, action])


def form_data(categories, today, **overrides):
    data = {
        "category": categories["hr.03.1"].pk,
        "description": "消防通道堆放杂物",
        "location_in_place": "B1 车库",
        "found_on": today.isoformat(),
        "source": "inspection",
        "deadline": (today + datetime.timedelta(days=7)).isoformat(),
        "responsible_unit": "重庆解放碑物业管理有限公司",
        "responsible_person": "李明",
        "responsible_phone": "13800000000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ----- the list ---------------------------------------------------------------------------

def test_list_is_scoped(login, users, places, admin_user, log):
    mall = log(admin_user, places["mall"])
    hotel = log(admin_user, places["hotel"])
    response = login(users["grid_worker"]).get(reverse("hazards:list"))
    assert response.status_code == 200
    shown = {h.pk for h in response.context["page"]}
    assert mall.pk in shown and hotel.pk not in shown


def test_list_needs_login(client, db):
    response = client.get(reverse("hazards:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_filters(login, users, places, admin_user, log, today, monkeypatch):
    general = log(admin_user, places["mall"])
    major = log(admin_user, places["mall"], is_major=True, interim_safeguards="专人值守")
    closed = log(admin_user, places["mall"], fixed_on_spot=True)
    client = login(users["street_officer"])

    def shown(**params):
        response = client.get(reverse("hazards:list"), params)
        assert response.status_code == 200
        return {h.pk for h in response.context["page"]}

    assert shown(status="closed") == {closed.pk}
    assert shown(is_major="true") == {major.pk}
    assert shown(is_major="false") == {general.pk, closed.pk}
    assert shown(overdue="true") == set()
    later = today + datetime.timedelta(days=30)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: later)
    assert shown(overdue="true") == {general.pk, major.pk}
    assert shown(overdue="false") == {closed.pk}
    response = client.get(reverse("hazards:list"))
    assert response.content.decode().count("badge-overdue") == 2


def test_list_query_count_does_not_grow_with_rows(login, users, places, admin_user, log):
    client = login(users["street_officer"])
    log(admin_user, places["mall"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("hazards:list")).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for _ in range(20):
        log(admin_user, places["compound"])
    assert count() == one


# ----- the log form ---------------------------------------------------------------------------

def test_log_form_outside_view_scope_is_404(login, users, places, categories):
    client = login(users["grid_worker"])
    assert client.get(create_url(places["hotel"])).status_code == 404
    assert client.get(reverse("hazards:create")).status_code == 404


def test_log_form_without_change_is_403(login, users, places, categories):
    client = login(users["unit_manager"])
    assert client.get(create_url(places["mall"])).status_code == 403
    assert client.post(create_url(places["mall"]), {}).status_code == 403


def test_log_form_logs_a_hazard(login, users, places, categories, today):
    client = login(users["grid_worker"])
    page = client.get(create_url(places["mall"]))
    assert page.status_code == 200
    # The categories are grouped by focus area; the areas themselves are not choices.
    body = page.content.decode()
    area = categories["hr.03.1"].parent
    assert f'<optgroup label="{area.name}">' in body
    assert f'value="{area.pk}"' not in body
    response = client.post(create_url(places["mall"]), form_data(categories, today))
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hazards:detail", args=[hazard.pk])
    assert hazard.place == places["mall"] and hazard.found_by == users["grid_worker"]
    assert hazard.status == lifecycle.PENDING and hazard.location_in_place == "B1 车库"
    assert AuditEvent.objects.for_object(hazard).count() == 1


def test_log_form_past_deadline_is_a_field_error(login, users, places, categories, today):
    client = login(users["grid_worker"])
    past = (today - datetime.timedelta(days=1)).isoformat()
    response = client.post(create_url(places["mall"]), form_data(categories, today, deadline=past))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["deadline"] and list(form.errors) == ["deadline"]
    assert "is-invalid" in form["deadline"].field.widget.attrs["class"]
    # What was typed is still there.
    assert "消防通道堆放杂物" in response.content.decode()
    assert not Hazard.objects.exists()


def test_log_form_major_needs_safeguards(login, users, places, categories, today):
    client = login(users["grid_worker"])
    response = client.post(create_url(places["mall"]),
                           form_data(categories, today, is_major="on"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["interim_safeguards"]
    assert not Hazard.objects.exists()


def test_log_form_errors_in_english(login, users, places, categories, today):
    client = login(users["grid_worker"])
    client.cookies["django_language"] = "en"
    past = (today - datetime.timedelta(days=1)).isoformat()
    response = client.post(create_url(places["mall"]), form_data(categories, today, deadline=past))
    assert "The rectification deadline cannot be in the past." in response.content.decode()


def test_log_form_fixed_on_the_spot_needs_no_deadline(login, users, places, categories, today):
    client = login(users["grid_worker"])
    response = client.post(create_url(places["mall"]), form_data(
        categories, today, deadline=None, fixed_on_spot="on"))
    assert response.status_code == 302
    assert Hazard.objects.get().status == lifecycle.CLOSED


# ----- the detail and the steps ---------------------------------------------------------------

def test_detail_scope(login, users, places, admin_user, log):
    hotel = log(admin_user, places["hotel"])
    mall = log(admin_user, places["mall"])
    assert login(users["grid_worker"]).get(
        reverse("hazards:detail", args=[hotel.pk])).status_code == 404
    assert login(users["grid_worker"]).post(action_url(hotel, "start")).status_code == 404
    response = login(users["unit_manager"]).get(reverse("hazards:detail", args=[mall.pk]))
    assert response.status_code == 200
    # The unit's own steps only.
    assert [f.action for f in response.context["action_forms"]] == [
        lifecycle.START, lifecycle.REPORT_RECTIFICATION]
    assert login(users["unit_manager"]).post(
        action_url(mall, "declare_cannot_rectify"),
        {"declare_cannot_rectify-cannot_rectify_reason": "x"}).status_code == 403
    assert login(users["unit_manager"]).post(action_url(mall, "nonsense")).status_code == 404


def test_detail_offers_the_steps_of_the_status(login, users, places, admin_user, log):
    hazard = log(admin_user, places["mall"])
    response = login(users["street_officer"]).get(reverse("hazards:detail", args=[hazard.pk]))
    assert [f.action for f in response.context["action_forms"]] == \
        lifecycle.allowed_actions(lifecycle.PENDING)
    body = response.content.decode()
    for action in lifecycle.allowed_actions(lifecycle.PENDING):
        assert f'id="action-{action}"' in body
    assert len(response.context["history"]) == 1


def post_step(client, hazard, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(action_url(hazard, action), data)


def status_of(hazard):
    return Hazard.objects.get(pk=hazard.pk).status


def test_the_whole_loop_through_the_views(login, users, places, admin_user, log, today, photo):
    hazard = log(users["grid_worker"], places["mall"])
    unit = login(users["unit_manager"])
    assert post_step(unit, hazard, "start").status_code == 302
    assert status_of(hazard) == lifecycle.RECTIFYING

    # Measures are required: a field error, nothing changes.
    response = post_step(unit, hazard, "report_rectification", measures="")
    assert response.status_code == 400
    failed = {f.action: f for f in response.context["action_forms"]}
    assert failed["report_rectification"].errors["measures"]
    assert status_of(hazard) == lifecycle.RECTIFYING
    assert post_step(unit, hazard, "report_rectification",
                     measures="已清理杂物并设置警示标识").status_code == 302
    assert status_of(hazard) == lifecycle.AWAITING_VERIFICATION

    street = login(users["street_officer"])
    # A failed verification needs a note.
    assert post_step(street, hazard, "verify_fail", note="").status_code == 400
    assert status_of(hazard) == lifecycle.AWAITING_VERIFICATION
    assert post_step(street, hazard, "verify_fail", note="杂物未清理干净").status_code == 302
    assert status_of(hazard) == lifecycle.RECTIFYING

    unit = login(users["unit_manager"])
    post_step(unit, hazard, "report_rectification", measures="已全部清理")
    street = login(users["street_officer"])
    assert post_step(street, hazard, "verify_pass", photos=photo()).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.CLOSED and hazard.verified_by == users["street_officer"]

    # Reopening needs a new deadline.
    assert post_step(street, hazard, "reopen").status_code == 400
    assert status_of(hazard) == lifecycle.CLOSED
    new = (today + datetime.timedelta(days=5)).isoformat()
    assert post_step(street, hazard, "reopen", deadline=new).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.RECTIFYING and hazard.reopen_count == 1

    assert post_step(street, hazard, "declare_cannot_rectify",
                     cannot_rectify_reason="产权纠纷，暂无法整改").status_code == 302
    assert status_of(hazard) == lifecycle.CANNOT_RECTIFY
    assert post_step(street, hazard, "resume", deadline=new).status_code == 302
    assert status_of(hazard) == lifecycle.RECTIFYING
    # One audit event per step, plus the creation.
    assert AuditEvent.objects.for_object(hazard).count() == 9


def test_verifying_your_own_rectification_is_refused_with_a_message(
        login, users, places, admin_user, log, photo):
    hazard = log(admin_user, places["mall"])
    client = login(users["grid_worker"])
    post_step(client, hazard, "report_rectification", measures="已清理")
    client.cookies["django_language"] = "en"
    response = post_step(client, hazard, "verify_pass", photos=photo())
    assert response.status_code == 400
    assert status_of(hazard) == lifecycle.AWAITING_VERIFICATION
    errors = [str(m) for m in response.context["messages"]]
    assert any("someone other than the person who reported it" in m for m in errors)
    assert "alert-danger" in response.content.decode()


def test_a_step_not_possible_now_is_a_message(login, users, places, admin_user, log, photo):
    hazard = log(admin_user, places["mall"])
    response = post_step(login(users["street_officer"]), hazard, "verify_pass",
                         photos=photo())
    assert response.status_code == 400
    assert status_of(hazard) == lifecycle.PENDING
    assert len(list(response.context["messages"])) == 1


# ----- the place page ---------------------------------------------------------------------------

def test_place_detail_lists_its_hazards(login, users, places, admin_user, log):
    hazard = log(admin_user, places["mall"])
    log(admin_user, places["compound"])
    response = login(users["grid_worker"]).get(reverse("places:detail", args=[places["mall"].pk]))
    assert [h.pk for h in response.context["hazards"]] == [hazard.pk]
    assert 'id="log-hazard"' in response.content.decode()
    response = login(users["unit_manager"]).get(reverse("places:detail", args=[places["mall"].pk]))
    assert [h.pk for h in response.context["hazards"]] == [hazard.pk]
    assert 'id="log-hazard"' not in response.content.decode()


def test_services_are_the_only_writer(login, users, places, admin_user, log):
    """A step through the view records the same audit event as the service does."""
    hazard = log(admin_user, places["mall"])
    post_step(login(users["street_officer"]), hazard, "start", note="当日开始整改")
    event = AuditEvent.objects.for_object(hazard).order_by("-id").first()
    assert event.note == "start: 当日开始整改" and event.actor == users["street_officer"]
    assert services.may_transition(users["street_officer"], hazard, "start")
