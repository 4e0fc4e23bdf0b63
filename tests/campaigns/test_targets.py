"""campaigns.targets (pace, colour, evaluate, targets_context) and
campaigns.services_targets (add_target, change_target, enter_figure): the colour rule at its
boundaries, exact statuses on small data, who is behind, scope, a bounded query count, and the
services' validation, permissions and audit events."""

import datetime
import io
import zipfile
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fireledger.campaigns import services as campaign_services
from fireledger.campaigns import services_targets
from fireledger.campaigns.models import ManualFigure, Target
from fireledger.campaigns.targets import (
    AMBER,
    GREEN,
    RED,
    colour,
    evaluate,
    pace,
    targets_context,
)
from fireledger.core.models import AuditEvent, Department
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=30)
DUE = TODAY + datetime.timedelta(days=30)  # today is half way: the pace is half the threshold
S1, S2 = "500103001000", "500103002000"


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


# ------------------------------------------------------------------------------------------
# The pure rules
# ------------------------------------------------------------------------------------------


def test_pace_is_linear_from_start_to_due():
    start, due = datetime.date(2026, 1, 1), datetime.date(2026, 1, 11)
    assert pace(50, start, due, datetime.date(2025, 12, 1)) == 0
    assert pace(50, start, due, start) == 0
    assert pace(50, start, due, datetime.date(2026, 1, 2)) == 5
    assert pace(50, start, due, datetime.date(2026, 1, 6)) == 25
    assert pace(Decimal("33.3"), start, due, datetime.date(2026, 1, 4)) == Fraction(999, 100)
    assert pace(50, start, due, due) == 50
    assert pace(50, start, due, datetime.date(2026, 3, 1)) == 50
    assert pace(50, start, start, start) == 50  # due on the first day: all of it at once


@pytest.mark.parametrize("value, expected, overdue, result", [
    (None, 25, False, None),  # nothing to measure
    (50, 25, False, GREEN),  # the threshold met
    (Fraction(4999, 100), 50, False, AMBER),  # 49.99 % on the due day: below the pace
    (60, 50, True, GREEN),  # met, after the due date
    (25, 25, False, GREEN),  # exactly at the pace
    (Fraction(2499, 100), 25, False, AMBER),  # just below the pace
    (20, 25, False, AMBER),  # exactly 80 % of the pace
    (Fraction(1999, 100), 25, False, RED),  # just below 80 % of the pace
    (0, 25, False, RED),
    (0, 0, False, GREEN),  # the first day: nothing expected yet
    (Fraction(4999, 100), 50, True, RED),  # past due, not met
    (49, 10, True, RED),  # past due: the pace no longer helps
])
def test_colour_boundaries(value, expected, overdue, result):
    assert colour(value, expected, 50, overdue=overdue) == result


def test_colour_threshold_zero_and_decimal_inputs():
    assert colour(0, 0, 0, overdue=True) == GREEN
    assert colour(Decimal("4000.00"), Fraction(5000), Decimal("5000"), overdue=False) == AMBER
    assert colour(Decimal("3999.99"), Fraction(5000), Decimal("5000"), overdue=False) == RED


# ------------------------------------------------------------------------------------------
# evaluate
# ------------------------------------------------------------------------------------------


@pytest.fixture
def campaign(users, tree):
    return campaign_services.create_campaign(
        users["district_office"], name="高层建筑消防安全专项整治", starts_on=START,
        ends_on=DUE, jurisdiction=tree["district"])


@pytest.fixture
def target(campaign, users):
    def _target(metric="rectified_share", **fields):
        fields.setdefault("threshold", 50)
        fields.setdefault("due_on", DUE)
        fields.setdefault("text", "12月底前完成50%上账隐患整改")
        return services_targets.add_target(users["district_office"], campaign, metric=metric,
                                           **fields)
    return _target


@pytest.fixture
def log(places, users):
    category = HazardCategory.objects.get(code="hr.03.1")

    def _log(place, found_on, **kw):
        if "rectified_on" not in kw:
            kw["deadline"] = TODAY + datetime.timedelta(days=10)
        return hazard_services.log_hazard(users["district_office"], places[place],
                                          category=category, description="堆放杂物",
                                          found_on=found_on, **kw)
    return _log


@pytest.fixture
def hazards(log):
    """Street 1 (mall 商务, compound 住建): 3 logged, 2 closed (66.7 %). Street 2 (hotel 文旅):
    2 logged, none closed (0 %). Overall 2 / 5 = 40 %."""
    log("mall", day(1), rectified_on=day(5))
    log("mall", day(2))
    log("compound", day(3), rectified_on=day(3))
    log("hotel", day(4))
    log("hotel", day(6))


def labels(rows):
    return [(r.label, r.colour) for r in rows]


def test_evaluate_rectified_share(target, hazards, users):
    """Half way to the due date the pace is 25 %: street 1 has met 50 %, street 2 (0 %) is
    red; overall 40 % is on track."""
    status = evaluate(target(), users["district_office"], TODAY)
    assert status.pace == 25 and not status.overdue and status.is_percent
    assert status.overall.value == 40 and status.overall.colour == GREEN
    assert status.overall.state == "on_track"
    assert (status.overall.numerator, status.overall.denominator) == (2, 5)
    assert labels(status.streets) == [("七星岗街道", RED), ("解放碑街道", GREEN)]
    assert status.streets[1].state == "met" and status.streets[1].shown == "66.6"
    assert labels(status.departments) == [("文旅", RED), ("商务", GREEN), ("住建", GREEN)]
    assert [r.label for r in status.behind] == ["七星岗街道", "文旅"]
    assert status.pace_shown == "25.0" and status.threshold_shown == "50"
    assert status.unit_label == "%"


def test_evaluate_amber_and_overdue(target, log, users):
    """Street 2 at 20 % of a 25 % pace: amber (exactly 80 %); after the due date: red."""
    log("mall", day(1), rectified_on=day(2))
    for n in range(5):
        log("hotel", day(1), **({"rectified_on": day(2)} if n == 0 else {}))
    t = target()
    status = evaluate(t, users["district_office"], TODAY)
    assert labels(status.streets) == [("七星岗街道", AMBER), ("解放碑街道", GREEN)]
    assert status.overall.value == Fraction(100, 3) and status.overall.colour == GREEN
    late = evaluate(t, users["district_office"], DUE + datetime.timedelta(days=1))
    assert late.overdue and late.pace == 50
    assert late.overall.colour == RED
    assert labels(late.streets) == [("七星岗街道", RED), ("解放碑街道", GREEN)]
    on_due = evaluate(t, users["district_office"], DUE)
    assert not on_due.overdue and on_due.pace == 50
    assert on_due.overall.colour == RED  # 33.3 % < 80 % of 50 %


def test_rows_sorted_worst_first(target, log, users):
    """Red before amber before green; within a colour the lowest value first."""
    log("mall", day(1))  # 商务 0 %
    log("hotel", day(1))  # 文旅 0 % (two hazards, one closed: 50 %)
    log("hotel", day(1), rectified_on=day(2))
    log("compound", day(1), rectified_on=day(2))  # 住建 100 %
    status = evaluate(target(threshold=80), users["district_office"], TODAY)  # pace 40
    assert [(r.label, r.colour, r.value) for r in status.departments] == [
        ("商务", RED, 0), ("文旅", GREEN, 50), ("住建", GREEN, 100)]


def test_street_officer_sees_their_street(target, hazards, users):
    status = evaluate(target(), users["street_officer"], TODAY)
    assert labels(status.streets) == [("解放碑街道", GREEN)]
    assert status.overall.value == Fraction(200, 3)
    assert status.behind == []


def test_count_target_colours_only_the_total(target, hazards, users):
    status = evaluate(target("hazards_logged", threshold=10, unit="项", text="排查隐患10项"),
                      users["district_office"], TODAY)
    assert not status.is_percent and status.pace == 5
    assert status.overall.value == 5 and status.overall.colour == GREEN
    assert [(r.label, r.value, r.colour) for r in status.streets] == [
        ("七星岗街道", 2, None), ("解放碑街道", 3, None)]
    assert status.behind == [] and status.unit_label == "项"
    assert status.pace_shown == "5"


def test_manual_percent_target(target, users, tree):
    t = target("manual", threshold=100, unit="%", text="2021年100%达标")
    assert t.unit == "%"
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (8, 8)).save(png, "PNG")
    services_targets.enter_figure(
        users["district_office"], t, value=Decimal("45.5"), on=TODAY,
        jurisdiction=tree["street2"],
        evidence=SimpleUploadedFile("证明.png", png.getvalue(), content_type="image/png"))
    status = evaluate(t, users["district_office"], TODAY)
    assert status.is_percent and status.pace == 50
    assert [(r.label, r.shown, r.colour) for r in status.streets] == [("七星岗街道", "45.5", AMBER)]
    assert status.overall.value is None and status.overall.colour is None


def test_unknown_metric_gives_an_empty_status(campaign, users):
    t = Target.objects.create(campaign=campaign, text="其他目标", metric="no_such_metric",
                              threshold=10, due_on=DUE)
    status = evaluate(t, users["district_office"], TODAY)
    assert status.metric is None and status.overall.colour is None and status.streets == []


def test_evaluate_query_count_does_not_grow_with_data(target, log, users, campaign):
    t = target()
    office = users["district_office"]
    t = Target.objects.select_related("campaign__jurisdiction").get(pk=t.pk)

    def count_queries():
        office._fl_assignments = None
        with CaptureQueriesContext(connection) as queries:
            evaluate(t, office, TODAY)
        return len(queries)

    log("mall", day(1))
    small = count_queries()
    for n in range(6):
        log(("mall", "compound", "hotel")[n % 3], day(n + 1), rectified_on=day(n + 2))
    assert count_queries() == small
    # assignments, the three groupings, street names, department names
    assert small <= 6, small


def test_targets_context(campaign, target, hazards, users):
    target()
    target("hazards_logged", threshold=100, text="排查隐患100项")
    context = targets_context(campaign, users["district_office"], TODAY)
    statuses = context["target_statuses"]
    assert [s.target.text for s in statuses] == ["12月底前完成50%上账隐患整改", "排查隐患100项"]
    assert [s.colour for s in statuses] == [GREEN, RED]  # 5 of a pace of 50
    assert [len(s.behind) for s in statuses] == [2, 0]


# ------------------------------------------------------------------------------------------
# The services
# ------------------------------------------------------------------------------------------


def codes(error: ValidationError) -> dict:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_add_target_records_an_event(campaign, users):
    t = services_targets.add_target(users["district_office"], campaign, text="抽查率不低于10%",
                                    metric="spot_check_share", threshold=10, due_on=DUE)
    assert t.unit == "%"
    event = AuditEvent.objects.get(object_type="campaigns.target", object_id=str(t.pk))
    assert event.action == "create" and event.actor == users["district_office"]
    assert event.after["metric"] == "spot_check_share" and event.after["threshold"] == "10.00"


@pytest.mark.parametrize("fields, expected", [
    ({"metric": "nonsense"}, {"metric": ["invalid"]}),
    ({"threshold": 101}, {"threshold": ["max_value"]}),
    ({"threshold": -1}, {"threshold": ["min_value"]}),
    ({"threshold": "abc"}, {"threshold": ["invalid"]}),
    ({"due_on": START - datetime.timedelta(days=1)}, {"due_on": ["before_start"]}),
    ({"place_categories": ["castle"]}, {"place_categories": ["invalid_choice"]}),
    ({"text": " "}, {"text": ["required"]}),
])
def test_add_target_refuses(campaign, users, fields, expected):
    data = {"text": "整改率", "metric": "rectified_share", "threshold": 50, "due_on": DUE,
            **fields}
    with pytest.raises(ValidationError) as info:
        services_targets.add_target(users["district_office"], campaign, **data)
    assert codes(info.value) == expected
    assert not Target.objects.exists() and not AuditEvent.objects.filter(
        object_type="campaigns.target").exists()


def test_count_threshold_may_exceed_100_and_due_after_the_campaign(campaign, users):
    t = services_targets.add_target(users["district_office"], campaign, text="注册人员不少于5000人",
                                    metric="manual", threshold=5000, unit="人",
                                    due_on=campaign.ends_on + datetime.timedelta(days=90))
    assert t.threshold == 5000 and t.unit == "人"


def test_targets_are_written_by_the_campaign_change_scope(campaign, users):
    for role in ("street_officer", "department_officer", "grid_worker", "unit_manager",
                 "nobody"):
        with pytest.raises(PermissionDenied):
            services_targets.add_target(users[role], campaign, text="整改率",
                                        metric="rectified_share", threshold=50, due_on=DUE)


def test_change_target_records_the_changed_fields(target, users):
    t = target()
    services_targets.change_target(users["district_office"], t, threshold=80,
                                   due_on=DUE + datetime.timedelta(days=1))
    t.refresh_from_db()
    assert t.threshold == 80
    event = AuditEvent.objects.get(object_type="campaigns.target", action="change")
    assert set(event.after) == {"threshold", "due_on"}
    assert event.before["threshold"] == "50.00" and event.after["threshold"] == "80.00"
    with pytest.raises(ValidationError):
        services_targets.change_target(users["district_office"], t, threshold=120)
    with pytest.raises(PermissionDenied):
        services_targets.change_target(users["street_officer"], t, threshold=10)
    with pytest.raises(TypeError):
        services_targets.change_target(users["district_office"], t, campaign=None)
    t.refresh_from_db()
    assert t.threshold == 80


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name="证明.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buffer, "PNG")
    return upload(name, buffer.getvalue(), "image/png")


def zip_upload(name, member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<xml/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return upload(name, buffer.getvalue())


@pytest.fixture
def manual_target(target):
    return target("manual", threshold=5000, unit="人", text="注册人员不少于5000人")


@pytest.mark.parametrize("evidence, kind", [
    (lambda: upload("报告.pdf", b"%PDF-1.7\n..."), "pdf"),
    (lambda: png_upload(), "png"),
    (lambda: zip_upload("统计.docx", "word/document.xml"), "docx"),
    (lambda: zip_upload("统计.xlsx", "xl/workbook.xml"), "xlsx"),
])
def test_enter_figure_accepts_evidence_by_content(manual_target, users, evidence, kind):
    figure = services_targets.enter_figure(users["district_office"], manual_target,
                                           value=4200, on=TODAY, evidence=evidence(),
                                           note="截至本周")
    assert figure.evidence.name and figure.entered_by == users["district_office"]
    event = AuditEvent.objects.get(object_type="campaigns.manualfigure")
    assert event.action == "create" and event.note == f"evidence: {kind}"


@pytest.mark.parametrize("evidence, code", [
    (lambda: None, "required"),
    (lambda: upload("空.pdf", b""), "empty"),
    (lambda: upload("假的.pdf", b"this is plain text"), "invalid_type"),
    (lambda: upload("压缩包.docx", b"PK\x03\x04broken"), "invalid_type"),
    (lambda: zip_upload("其他.docx", "content.xml"), "invalid_type"),
    (lambda: upload("图.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50), "invalid_type"),
    (lambda: upload("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "too_large"),
])
def test_enter_figure_refuses_evidence(manual_target, users, evidence, code):
    with pytest.raises(ValidationError) as info:
        services_targets.enter_figure(users["district_office"], manual_target, value=4200,
                                      on=TODAY, evidence=evidence())
    assert codes(info.value) == {"evidence": [code]}
    assert not ManualFigure.objects.exists()


def test_enter_figure_refuses_values_and_dates(manual_target, target, users):
    office = users["district_office"]
    with pytest.raises(ValidationError) as info:
        services_targets.enter_figure(office, manual_target, value=-1,
                                      on=TODAY + datetime.timedelta(days=1),
                                      evidence=png_upload(), note="很长" * 101)
    assert codes(info.value) == {"value": ["min_value"], "on": ["future_date"],
                                 "note": ["max_length"]}
    percent = target("manual", threshold=100, unit="%", text="100%达标")
    with pytest.raises(ValidationError) as info:
        services_targets.enter_figure(office, percent, value=101, on=TODAY,
                                      evidence=png_upload())
    assert codes(info.value) == {"value": ["max_value"]}
    with pytest.raises(ValidationError) as info:
        services_targets.enter_figure(office, target(), value=10, on=TODAY,
                                      evidence=png_upload())
    assert info.value.code == "not_manual"
    assert not ManualFigure.objects.exists()


def test_enter_figure_where(manual_target, users, tree):
    office = users["district_office"]
    shangwu = Department.objects.get(code="shangwu")
    with pytest.raises(ValidationError) as info:
        services_targets.enter_figure(office, manual_target, value=1, on=TODAY,
                                      jurisdiction=tree["street1"], department=shangwu,
                                      evidence=png_upload())
    assert codes(info.value) == {"jurisdiction": ["invalid"]}
    with pytest.raises(ValidationError) as info:
        services_targets.enter_figure(office, manual_target, value=1, on=TODAY,
                                      jurisdiction=tree["community11"], evidence=png_upload())
    assert codes(info.value) == {"jurisdiction": ["invalid"]}


def test_who_may_enter_figures(manual_target, users, tree):
    shangwu = Department.objects.get(code="shangwu")
    zhujian = Department.objects.get(code="zhujian")

    def enter(role, **where):
        return services_targets.enter_figure(users[role], manual_target, value=10, on=TODAY,
                                             evidence=png_upload(), **where)

    enter("street_officer", jurisdiction=tree["street1"])
    enter("department_officer", department=shangwu)
    enter("district_office")
    enter("district_office", jurisdiction=tree["street2"])
    enter("district_office", department=zhujian)
    for role, where in [("street_officer", {"jurisdiction": tree["street2"]}),
                        ("street_officer", {}),
                        ("street_officer", {"department": shangwu}),
                        ("department_officer", {"department": zhujian}),
                        ("department_officer", {}),
                        ("department_officer", {"jurisdiction": tree["street1"]}),
                        ("grid_worker", {"jurisdiction": tree["street1"]}),
                        ("unit_manager", {"jurisdiction": tree["street1"]}),
                        ("nobody", {})]:
        with pytest.raises(PermissionDenied):
            enter(role, **where)
    assert ManualFigure.objects.count() == 5
    choices = services_targets.figure_choices(users["street_officer"], manual_target)
    assert not choices.overall and [s.name for s in choices.streets] == ["解放碑街道"]
    assert not services_targets.figure_choices(users["grid_worker"], manual_target)
