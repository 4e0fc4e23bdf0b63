"""Fixed-window rate limits kept in the database (RateLimitHit), so they hold across worker
processes with no third-party service.

One row per key and window. Counting is an UPDATE … SET count = count + 1 (atomic in SQLite and
PostgreSQL alike); the window's first hit INSERTs the row inside a savepoint, and a concurrent
first hit that loses the race on the unique constraint simply counts with the UPDATE again.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitHit

# Ours, not from any rule: what one phone or one printed code may send before being refused.
REPORTS_PER_ADDRESS = (5, 60 * 60)  # 5 reports per client address per hour
REPORTS_PER_TOKEN = (20, 24 * 60 * 60)  # 20 reports per safety code per day
KEEP_DAYS = 2  # counters older than this are deleted when a new window starts


def _window_start(now: datetime.datetime, window_seconds: int) -> datetime.datetime:
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=datetime.UTC)


def hit(key: str, window_seconds: int, now=None) -> int:
    """Count one hit for key in the current window; returns the window's count so far."""
    key = key[:100]
    window = _window_start(now or timezone.now(), window_seconds)
    rows = RateLimitHit.objects.filter(key=key, window=window)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateLimitHit.objects.create(key=key, window=window, count=1)
            RateLimitHit.objects.filter(
                window__lt=window - datetime.timedelta(days=KEEP_DAYS)).delete()
            return 1
        except IntegrityError:  # another process created the row first
            rows.update(count=F("count") + 1)
    return rows.values_list("count", flat=True).get()


def allow(key: str, limit: int, window_seconds: int, now=None) -> bool:
    """Count this attempt; True while the window's count is within limit."""
    return hit(key, window_seconds, now) <= limit


def client_address(request) -> str:
    """REMOTE_ADDR. X-Forwarded-For is believed only when FIRELEDGER_TRUST_X_FORWARDED_FOR is
    set (a proxy we run puts it there); a client could write anything in it otherwise."""
    if getattr(settings, "FIRELEDGER_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
