"""Admin for the documents' configuration: issuer prefixes (audited like all reference data) and
the Word templates, uploaded through services.upload_template (checked, versioned, audited).
Issued documents and number sequences are shown read-only: they change only by issuing."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fireledger.core.admin import AuditedAdmin, ReadOnlyAdmin

from . import services
from .choices import Kind
from .models import DocumentSequence, DocumentTemplate, IssuedDocument, IssuerPrefix


@admin.register(IssuerPrefix)
class IssuerPrefixAdmin(AuditedAdmin):
    list_display = ("issuer", "kind", "prefix", "name")
    search_fields = ("issuer", "prefix", "name")


class TemplateUploadForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("kind of document"), choices=Kind.choices)
    upload = forms.FileField(label=_("Word template (.docx)"), help_text=_(
        "Start from the template in use: /documents/templates/<kind>.docx (for example "
        "/documents/templates/rectification_notice.docx). It must print {{ reference }}; "
        "it may use every name the bundled template uses."))

    class Meta:
        model = DocumentTemplate
        fields = ()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def _post_clean(self):
        """No model validation: the service builds and checks the template row."""

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None and data.get("kind"):
            try:
                services.check_template(data["kind"], upload.read(), upload.name)
            except ValidationError as error:
                raise ValidationError(error.message_dict.get("file", error.messages)) from None
            upload.seek(0)
        return data


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "active", "original_name", "uploaded_by", "uploaded_at")
    list_filter = ("kind", "active")
    actions = ["deactivate"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            return TemplateUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("kind", "version", "file", "original_name", "sha256", "active", "uploaded_by",
                "uploaded_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("kind", "upload")
        return self.get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        template = services.upload_template(request.user, form.cleaned_data["kind"],
                                            form.cleaned_data["upload"])
        obj.pk = template.pk  # so the admin's redirect and message name the new version

    def has_delete_permission(self, request, obj=None):
        return False  # issued documents name their template version

    @admin.action(description=_("Stop using (back to the bundled template)"))
    def deactivate(self, request, queryset):
        for template in queryset.filter(active=True):
            services.deactivate_template(request.user, template)
        messages.success(request, _("Done."))


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "kind", "issuer", "status", "issued_by", "issued_at")
    list_filter = ("kind", "status")
    search_fields = ("reference",)


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(ReadOnlyAdmin):
    list_display = ("issuer", "kind", "year", "last")
