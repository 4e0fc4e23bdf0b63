"""A campaign's work in a browser: the district office fans out the mall checklist over both
streets and finds the work nobody holds (七星岗街道 has no officer) on the campaign page and the
assignments list; the street officer uploads the monthly report (seed 004: 每月20日前报送) from
the submissions page, on a desktop and on a 390 px phone, where a missed month shows 逾期."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fireledger.campaigns.choices import SubmissionKind, TaskRole
from fireledger.campaigns.models import Assignment, Campaign, SubmissionSchedule, Task, TaskUnit
from fireledger.campaigns.services_submissions import schedule_submissions
from fireledger.core.models import Department
from fireledger.inspections.models import ChecklistTemplate
from fireledger.places.choices import Category
from fireledger.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def malls(jurisdiction, names):
    return Place.objects.bulk_create([
        Place(code=f"W{jurisdiction.code}{i:02d}", name=name, category=Category.MALL,
              jurisdiction=jurisdiction, jurisdiction_code=jurisdiction.code,
              address=f"渝中区{name}路{i}号")
        for i, name in enumerate(names, start=1)])


@pytest.fixture
def campaign(tree, places):
    """Running since 70 days ago for another 120 days; task (一) led by 区商务委."""
    today = timezone.localdate()
    c = Campaign.objects.create(
        name="渝中区商场市场消防安全专项整治", starts_on=today - datetime.timedelta(days=70),
        ends_on=today + datetime.timedelta(days=120), jurisdiction=tree["district"],
        jurisdiction_code=tree["district"].code)
    task = Task.objects.create(campaign=c, number="（一）", title="商场市场全面排查",
                               due_on=today + datetime.timedelta(days=60))
    TaskUnit.objects.create(task=task, role=TaskRole.LEAD, text="区商务委",
                            department=Department.objects.get(code="shangwu"))
    malls(tree["community12"], ["大都会商厦", "英利国际"])
    malls(tree["community21"], ["七星岗农贸市场", "中山四路商场", "枇杷山百货"])
    return c


def test_district_office_fans_out_and_sees_the_unheld_work(new_page, log_in, users, tree,
                                                           campaign, screenshots_dir):
    page = log_in(new_page(), users["district_office"],
                  next=reverse("campaigns:detail", args=[campaign.pk]))
    assert page.locator("#assignments-none").is_visible()
    with page.expect_navigation():
        page.click("#campaign-fanout")
    page.select_option("#id_template", str(ChecklistTemplate.objects.get(code="mall").pk))
    for street in ("street1", "street2"):
        page.check(f"#fanout-streets input[value='{tree[street].pk}']")
    page.check("input[name=holder][value=street]")
    page.screenshot(path=str(screenshots_dir / "campaign-fanout-form-desktop.png"),
                    full_page=True)
    with page.expect_navigation():
        page.click("#fanout-submit")
    assert page.locator("#fanout-created").inner_text() == "6"
    assert page.locator("#fanout-already").inner_text() == "0"
    assert page.locator("#fanout-unheld").inner_text() == "3"
    page.screenshot(path=str(screenshots_dir / "campaign-fanout-desktop.png"), full_page=True)
    assert Assignment.objects.filter(campaign=campaign, assignee__isnull=True,
                                     street=tree["street2"]).count() == 3

    # The campaign page: counts by street, and the unheld work listed, not hidden.
    page.goto(reverse("campaigns:detail", args=[campaign.pk]))
    assert page.locator("#assignment-totals [data-count=total]").inner_text() == "6"
    assert page.locator("#assignment-totals [data-count=unheld]").inner_text() == "3"
    unheld = page.locator("#unheld-work")
    assert unheld.is_visible() and unheld.locator(".unheld-row").count() == 3
    assert "七星岗街道" in unheld.inner_text() and "解放碑街道" not in unheld.inner_text()
    street2 = page.locator(f"#assignment-streets tr[data-street='{tree['street2'].code}']")
    assert street2.locator(".group-unheld").inner_text() == "3"
    page.locator("#campaign-assignments").screenshot(
        path=str(screenshots_dir / "campaign-page-assignments-desktop.png"))

    # The assignment list, filtered to the unheld work.
    with page.expect_navigation():
        page.click("#hand-on-unheld")
    rows = page.locator(".assignment-row")
    assert rows.count() == 3
    assert all(rows.nth(i).get_attribute("data-unheld") == "yes" for i in range(3))
    assert page.locator(".unheld-badge").count() == 3
    page.screenshot(path=str(screenshots_dir / "campaign-unheld-desktop.png"), full_page=True)

    phone = log_in(new_page(**PHONE_390), users["district_office"],
                   next=reverse("campaigns:assignments", args=[campaign.pk]) + "?state=unheld")
    assert phone.locator(".assignment-row").count() == 3
    assert phone.locator(".assignment-row .start-inspection").first.is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone.screenshot(path=str(screenshots_dir / "campaign-assignments-390.png"), full_page=True)
    assert not page.failed_responses and not phone.failed_responses


@pytest.fixture
def monthly(campaign, users):
    schedule = SubmissionSchedule.objects.create(campaign=campaign, title="每月工作情况",
                                                 kind=SubmissionKind.MONTHLY, day_of_month=20)
    schedule_submissions(users["district_office"], schedule)
    return schedule


def test_street_officer_uploads_the_monthly_report(new_page, log_in, users, tree, monthly,
                                                   screenshots_dir):
    today = timezone.localdate()
    mine = monthly.submissions.filter(jurisdiction=tree["street1"])
    upcoming = mine.filter(due_on__gte=today).order_by("due_on").first()
    missed = mine.filter(due_on__lt=today).order_by("due_on").first()
    assert upcoming is not None and missed is not None

    page = log_in(new_page(), users["street_officer"],
                  next=reverse("campaigns:submissions", args=[monthly.campaign_id]))
    assert page.locator(".submission-table .submission-row").count() == 1  # their street only
    assert "七星岗街道" not in page.inner_text("body")
    late = page.locator(f"#submission-{missed.pk} .submission-cell")
    assert late.get_attribute("data-state") == "overdue" and "逾期" in late.inner_text()

    cell = page.locator(f"#submission-{upcoming.pk}")
    cell.locator("summary").click()
    cell.locator("input[type=file]").set_input_files(files=[{
        "name": "解放碑街道工作情况.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    cell.locator("input[name=note]").fill("附本月隐患整改台账")
    with page.expect_navigation():
        cell.locator(".upload-submit").click()
    cell = page.locator(f"#submission-{upcoming.pk} .submission-cell")
    assert cell.get_attribute("data-state") == "submitted"
    assert cell.locator(".document-link").inner_text() == "解放碑街道工作情况.pdf"
    assert page.locator(".alert-success").is_visible()
    upcoming.refresh_from_db()
    assert upcoming.submitted_on == today and upcoming.document_name == "解放碑街道工作情况.pdf"

    # A photo is not a report: refused, named, nothing replaced.
    cell = page.locator(f"#submission-{upcoming.pk}")
    cell.locator("summary").click()
    cell.locator("input[type=file]").set_input_files(files=[{
        "name": "现场照片.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)}])
    with page.expect_navigation():
        cell.locator(".upload-submit").click()
    assert "“现场照片.png”" in page.locator(".alert-danger").inner_text()
    assert page.locator(f"#submission-{upcoming.pk} .document-link").inner_text() == (
        "解放碑街道工作情况.pdf")
    page.screenshot(path=str(screenshots_dir / "campaign-submissions-desktop.png"),
                    full_page=True)

    # The downloaded document is the one uploaded, under its name.
    with page.expect_download() as download_info:
        page.locator(f"#submission-{upcoming.pk} .document-link").click()
    download = download_info.value
    assert download.suggested_filename == "解放碑街道工作情况.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF

    # On a 390 px phone: one list per street, the missed month flagged, the upload form usable.
    phone = log_in(new_page(**PHONE_390), users["street_officer"],
                   next=reverse("campaigns:submissions", args=[monthly.campaign_id]))
    assert not phone.locator(".submission-table").is_visible()
    late = phone.locator(f"#submission-{missed.pk}-m .submission-cell")
    assert late.is_visible() and "逾期" in late.inner_text()
    row = phone.locator(f"#submission-{missed.pk}-m")
    row.locator("summary").click()
    row.locator("input[type=file]").set_input_files(files=[{
        "name": "补报.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with phone.expect_navigation():
        row.locator(".upload-submit").click()
    late = phone.locator(f"#submission-{missed.pk}-m .submission-cell")
    assert late.get_attribute("data-state") == "submitted_late" and "逾期" in late.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone.screenshot(path=str(screenshots_dir / "campaign-submissions-390.png"), full_page=True)
    assert not page.failed_responses and not phone.failed_responses

    # The inbox reminds the street officer of the reports still due.
    phone.goto(reverse("hazards:inbox"))
    assert phone.locator("#inbox-reports_due").is_visible() or (
        monthly.submissions.filter(jurisdiction=tree["street1"], submitted_on__isnull=True,
                                   due_on__lte=today + datetime.timedelta(days=5)).count() == 0)
