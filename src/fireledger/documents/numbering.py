"""The next number of a document, per issuer, kind and year (〔2026〕第N号).

Called inside the issuing service's transaction, so a rolled-back issue gives its number back
and numbers stay gapless. The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite
serialises writers on its own).
"""

from django.db import IntegrityError, transaction

from .models import DocumentSequence


def next_number(*, issuer: str, kind: str, year: int) -> int:
    """Take the next number; must run inside transaction.atomic()."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the issuing transaction")
    rows = DocumentSequence.objects.select_for_update()
    sequence = rows.filter(issuer=issuer, kind=kind, year=year).first()
    if sequence is None:
        try:
            with transaction.atomic():
                sequence = DocumentSequence.objects.create(issuer=issuer, kind=kind, year=year)
        except IntegrityError:  # another office's first document of the year won the race
            sequence = rows.get(issuer=issuer, kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def reference(year: int, number: int, prefix: str = "") -> str:
    """The printed number: 〔2026〕第12号, after the issuer's prefix when it has one."""
    return f"{prefix}〔{year}〕第{number}号"
