"""Word templates officials upload: checked (a .docx that renders with sample content and prints
the number), versioned, audited; a bad one changes nothing; issued documents keep theirs."""

import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fireledger.core.models import AuditEvent
from fireledger.documents import render, services
from fireledger.documents.choices import Kind
from fireledger.documents.models import DocumentTemplate

from docs_text import docx_text

pytestmark = pytest.mark.django_db
RN = Kind.RECTIFICATION_NOTICE


def word(*paragraphs) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(data: bytes, name="整改通知书模板.docx"):
    return SimpleUploadedFile(name, data)


def test_a_good_template_becomes_the_next_version(admin_user, hazard, users):
    first = services.upload_template(admin_user, RN, upload(word("本区格式 {{ reference }}",
                                                                 "致 {{ unit }}")))
    assert (first.version, first.active, first.label) == (1, True, "upload-1")
    assert AuditEvent.objects.for_object(first).exists()
    issued = services.issue(users["street_officer"], RN, hazard)
    assert issued.docx_template == "upload-1"
    lines = docx_text(render.render_docx(issued.content, issued.docx_template))
    assert lines == [f"本区格式 {issued.reference}", "致 重庆解放碑物业管理有限公司"]
    second = services.upload_template(admin_user, RN, upload(word("新版 {{ reference }}")))
    first.refresh_from_db()
    assert second.version == 2 and second.active and not first.active
    # The document issued with version 1 still renders with version 1.
    assert docx_text(services.reproduce(issued)[2])[0] == f"本区格式 {issued.reference}"


@pytest.mark.parametrize("name, data, code", [
    ("模板.doc", b"PK\x03\x04 not really", "type"),
    ("模板.docx", b"this is no zip", "type"),
    ("模板.docx", None, "render"),
    ("模板.docx", "missing", "reference"),
])
def test_a_bad_template_is_refused_and_the_old_one_stays(admin_user, name, data, code):
    good = services.upload_template(admin_user, RN, upload(word("{{ reference }}")))
    if data is None:
        data = word("{{ reference }} {{ no_such_field }}")
    elif data == "missing":
        data = word("没有文号的模板 {{ unit }}")
    with pytest.raises(ValidationError) as caught:
        services.upload_template(admin_user, RN, upload(data, name))
    assert caught.value.error_dict["file"][0].code == code
    good.refresh_from_db()
    assert good.active and DocumentTemplate.objects.count() == 1


def test_a_broken_jinja_template_is_refused(admin_user):
    with pytest.raises(ValidationError) as caught:
        services.upload_template(admin_user, RN, upload(word("{{ reference }} {% if %}")))
    assert caught.value.error_dict["file"][0].code == "render"


def test_only_administrators_upload(users):
    with pytest.raises(PermissionDenied):
        services.upload_template(users["district_office"], RN, upload(word("{{ reference }}")))


def test_deactivating_returns_to_the_bundled_template(admin_user, hazard, users):
    template = services.upload_template(admin_user, RN, upload(word("{{ reference }}")))
    services.deactivate_template(admin_user, template)
    assert services.issue(users["street_officer"], RN, hazard).docx_template == \
        render.BUILTIN_DOCX


def test_the_bundled_templates_render_every_kind():
    from fireledger.documents.samples import sample_content

    for kind in Kind.values:
        content = sample_content(kind)
        lines = docx_text(render.render_docx(content, render.BUILTIN_DOCX))
        assert content["reference"] in lines and content["title"] in lines


def test_the_admin_upload_page_shows_why_a_file_is_refused(admin_user, client):
    client.force_login(admin_user)
    response = client.post("/admin/documents/documenttemplate/add/",
                           {"kind": RN, "upload": upload(b"no zip")})
    assert response.status_code == 200 and not DocumentTemplate.objects.exists()
    assert "errorlist" in response.content.decode()
    response = client.post("/admin/documents/documenttemplate/add/",
                           {"kind": RN, "upload": upload(word("{{ reference }}"))})
    assert response.status_code == 302
    assert DocumentTemplate.objects.get().version == 1


def test_administrators_download_the_template_in_use(admin_user, users, client):
    client.force_login(admin_user)
    bundled = client.get(f"/documents/templates/{RN}.docx")
    assert bundled.status_code == 200
    assert bundled.content == (render.DOCX_DIR / f"{RN}.docx").read_bytes()
    services.upload_template(admin_user, RN, upload(word("自定义 {{ reference }}")))
    assert docx_text(client.get(f"/documents/templates/{RN}.docx").content) == \
        ["自定义 {{ reference }}"]
    assert client.get("/documents/templates/nothing.docx").status_code == 404
    client.force_login(users["district_office"])
    assert client.get(f"/documents/templates/{RN}.docx").status_code == 403
