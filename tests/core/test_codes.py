from fireledger.core.codes import is_valid_code, range_lookup, upper_bound


def test_upper_bound_selects_exactly_the_prefix():
    assert upper_bound("500103001") == "500103002"
    assert upper_bound("500103009") == "500103010"
    assert upper_bound("999") is None
    codes = ["500103000999", "500103001000", "500103001001", "500103001999999", "500103002000"]
    low, high = "500103001", upper_bound("500103001")
    assert [c for c in codes if low <= c < high] == [c for c in codes if c.startswith("500103001")]


def test_range_lookup_keys():
    assert range_lookup("code", "500103") == {"code__gte": "500103", "code__lt": "500104"}


def test_valid_codes():
    assert is_valid_code("500103001001") and is_valid_code("500103001001001")
    assert not is_valid_code("50010300100") and not is_valid_code("５００１０３００１００１")
