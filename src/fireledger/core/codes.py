"""Division codes as strings of digits: prefixes and the ranges that select a subtree.

A subtree is selected with `code >= prefix AND code < next(prefix)` rather than LIKE, because
a range uses a plain B-tree index on SQLite and PostgreSQL alike, whatever the collation.
"""

import re

CODE_RE = re.compile(r"^[0-9]{12}([0-9]{3})?$")


def is_valid_code(code: str) -> bool:
    """A 12-digit national division code, or 15 digits for a grid."""
    return bool(CODE_RE.match(code or ""))


def upper_bound(prefix: str) -> str | None:
    """The smallest digit string of the same length above every string starting with prefix.

    None when the prefix is all nines: then `>= prefix` alone selects the subtree.
    """
    if not re.fullmatch(r"[0-9]+", prefix):
        raise ValueError(f"code prefix must be digits: {prefix!r}")
    if set(prefix) == {"9"}:
        return None
    return str(int(prefix) + 1).zfill(len(prefix))


def range_lookup(field: str, prefix: str) -> dict:
    """Keyword arguments for a queryset filter selecting codes under prefix."""
    lookup = {f"{field}__gte": prefix}
    upper = upper_bound(prefix)
    if upper is not None:
        lookup[f"{field}__lt"] = upper
    return lookup
