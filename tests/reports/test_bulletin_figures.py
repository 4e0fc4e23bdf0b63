"""The bulletin's figures on a hand-built district (tests/reports/bulletin_builders.py):
counts, rates, ranking with ties, empty streets, a department with no hazards, laggards,
listed hazards, the number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletin_builders import (END, EXPECTED_DEPARTMENTS, EXPECTED_STREETS, EXPECTED_TOTAL,
                               FIELDS, START, STREET1, STREET2, STREET3, build)
from fireledger.reports import bulletins
from fireledger.reports.bulletins import Settings


@pytest.fixture
def district(tree, places, admin_user, categories):
    build(tree, places, admin_user, categories)
    return tree["district"]


@pytest.fixture
def categories(db):
    from fireledger.hazards.models import HazardCategory

    return {c.code: c for c in HazardCategory.objects.all()}


def figures_of(row):
    return tuple(row[f] for f in FIELDS)


def test_street_and_department_figures_by_hand(district):
    figures = bulletins.compute(district, START, END, Settings(bottom=0, threshold=None))
    assert [r["code"] for r in figures["areas"]] == [STREET2, STREET1, STREET3]
    assert {r["code"]: figures_of(r) for r in figures["areas"]} == EXPECTED_STREETS
    names = {r["code"]: r["name"] for r in figures["areas"]}
    assert names == {STREET1: "解放碑街道", STREET2: "七星岗街道", STREET3: "大溪沟街道"}
    assert [r["code"] for r in figures["departments"]] == list(EXPECTED_DEPARTMENTS)
    assert {r["code"]: figures_of(r) for r in figures["departments"]} == EXPECTED_DEPARTMENTS
    assert tuple(figures["total"][f] for f in FIELDS[:7]) == EXPECTED_TOTAL
    assert figures["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert figures["laggards"] == {"areas": [], "departments": []}


def test_listed_hazards_at_period_end(district):
    figures = bulletins.compute(district, START, END)
    assert [(x["place"], x["street"], x["department"], x["listed_on"]) for x in
            figures["listed"]] == [("解放碑时代广场", "解放碑街道", "商务", "2026-02-01")]
    # At the end of February the lifted one was still listed.
    import datetime
    february = bulletins.compute(district, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert len(february["listed"]) == 2


def test_laggards_by_threshold_and_by_rank(district):
    figures = bulletins.compute(district, START, END, Settings(bottom=1, threshold=45))
    assert figures["laggards"] == {"areas": [STREET1], "departments": ["zhujian"]}
    assert [r["laggard"] for r in figures["areas"]] == [False, True, False]
    by_threshold = bulletins.compute(district, START, END, Settings(bottom=0, threshold=60))
    assert by_threshold["laggards"]["departments"] == ["wenlv", "zhujian"]
    by_rank = bulletins.compute(district, START, END, Settings(bottom=2, threshold=None))
    # Rows with nothing found have no rate and are never named.
    assert by_rank["laggards"] == {"areas": [STREET2, STREET1],
                                   "departments": ["wenlv", "zhujian"]}


def test_a_period_with_nothing_found(district):
    import datetime
    figures = bulletins.compute(district, datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
    assert all(r["found"] == 0 and r["rate"] is None and r["rank"] == 1
               for r in figures["areas"])  # all equal: one shared rank
    assert figures["total"]["rate"] is None and figures["listed"] == []


def test_a_few_queries_whatever_the_size(district):
    with CaptureQueriesContext(connection) as queries:
        bulletins.compute(district, START, END)
    # streets, hazards, places, inspections, departments, listings, listed streets
    assert len(queries) <= 7


def row(code, found, closed, overdue, places=1, inspected=0):
    return {"code": code, "found": found, "closed": closed, "overdue": overdue,
            "places": places, "inspected": inspected}


def test_ties_share_a_rank_and_the_next_rank_skips():
    rows = bulletins.rank([row("a", 4, 2, 1), row("b", 2, 1, 1), row("c", 10, 9, 0),
                           row("d", 2, 1, 0), row("e", 0, 0, 0)])
    assert [(r["code"], r["rank"]) for r in rows] == [
        ("c", 1), ("d", 2), ("a", 3), ("b", 3), ("e", 5)]
    # Equal rate and overdue: coverage decides.
    rows = bulletins.rank([row("x", 1, 1, 0, places=2, inspected=1),
                           row("y", 1, 1, 0, places=2, inspected=2)])
    assert [r["code"] for r in rows] == ["y", "x"]


def test_bottom_n_includes_ties_at_the_boundary():
    rows = bulletins.rank([row("a", 4, 4, 0), row("b", 4, 2, 0), row("c", 2, 1, 0)])
    assert bulletins.laggards(rows, Settings(bottom=1, threshold=None)) == ["b", "c"]
    assert bulletins.laggards(rows, Settings(bottom=0, threshold=None)) == []
    assert bulletins.laggards(rows, Settings(bottom=5, threshold=None)) == ["a", "b", "c"]


def test_percent_rounds_down():
    assert bulletins.percent(2, 3) == 66.6
    assert bulletins.percent(1999, 2000) == 99.9
    assert bulletins.percent(0, 0) is None


def test_a_street_ranks_its_communities(district, tree):
    figures = bulletins.compute(tree["street1"], START, END, Settings(bottom=1, threshold=None))
    assert figures["area_label"] == "社区"
    assert {r["code"]: figures_of(r) for r in figures["areas"]} == {
        "500103001001": (3, 2, 66.6, 2, 1, 1, 100.0, 1),  # the mall's community
        "500103001002": (2, 0, 0.0, 0, 1, 0, 0.0, 2),  # the compound's
    }
    assert tuple(figures["total"][f] for f in FIELDS[:7]) == (5, 2, 40.0, 2, 2, 1, 50.0)
    assert [r["code"] for r in figures["departments"]] == ["shangwu", "zhujian"]
    assert figures["laggards"]["areas"] == ["500103001002"]
    assert len(figures["listed"]) == 1
