"""`fireledger reproduce-document <reference or id> [--out DIR]`: rebuild a document's PDF and
.docx from its audit event alone (the issuing event's content and template versions)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fireledger.documents import services
from fireledger.documents.models import IssuedDocument


class Command(BaseCommand):
    help = "Rebuild an issued document (PDF and Word) from the audit trail alone."

    def add_arguments(self, parser):
        parser.add_argument("document", help="the printed number (〔2026〕第N号 with its prefix) or the id")
        parser.add_argument("--out", default=".", help="directory to write the files to")

    def handle(self, *args, document, out, **options):
        try:
            source, pdf, docx = services.reproduce(document)
        except (IssuedDocument.DoesNotExist, IssuedDocument.MultipleObjectsReturned) as error:
            raise CommandError(str(error)) from None
        except ValueError as error:
            raise CommandError(f"{document}: {error}") from None
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        stem = f"{source['content']['title']}{source['reference']}".replace("/", "_")
        for suffix, data in (("pdf", pdf), ("docx", docx)):
            path = directory / f"{stem}.{suffix}"
            path.write_bytes(data)
            self.stdout.write(str(path))
