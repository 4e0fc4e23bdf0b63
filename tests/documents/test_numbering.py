"""Document numbers count per issuer, kind and year, gaplessly, and only inside a transaction."""

import pytest
from django.db import transaction

from fireledger.documents.numbering import next_number, reference

pytestmark = pytest.mark.django_db


def take(issuer="500103", kind="rectification_notice", year=2026):
    with transaction.atomic():
        return next_number(issuer=issuer, kind=kind, year=year)


def test_numbers_count_per_issuer_kind_and_year():
    assert [take(), take(), take()] == [1, 2, 3]
    assert take(issuer="500103002000") == 1
    assert take(kind="listing_notice") == 1
    assert take(year=2027) == 1
    assert take() == 4


def test_a_rolled_back_issue_gives_its_number_back():
    assert take() == 1
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert next_number(issuer="500103", kind="rectification_notice", year=2026) == 2
        1 / 0
    assert take() == 2


@pytest.mark.django_db(transaction=True)
def test_refused_outside_a_transaction():
    with pytest.raises(RuntimeError):
        next_number(issuer="500103", kind="x", year=2026)


def test_reference_is_printed_the_official_way():
    assert reference(2026, 12) == "〔2026〕第12号"
    assert reference(2026, 3, "渝中消委") == "渝中消委〔2026〕第3号"
