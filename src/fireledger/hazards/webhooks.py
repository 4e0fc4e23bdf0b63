"""Tell DingTalk / WeCom group robots what a sweep escalated in their jurisdiction.

One markdown message per webhook and run, only when something happened there. Delivery is best
effort after the sweep has committed: a failure is kept on the webhook (last_error) and logged,
never raised into the sweep.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fireledger.core.codes import range_lookup

from .models import Escalation, SweepRun, Webhook

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5


def step_counts(run: SweepRun, prefix: str) -> dict[str, int]:
    rows = (Escalation.objects.filter(sweep=run, **range_lookup("jurisdiction_code", prefix))
            .values("step").annotate(n=Count("id")).order_by())
    return {row["step"]: row["n"] for row in rows}


def message_text(webhook: Webhook, run: SweepRun, counts: dict[str, int]) -> tuple[str, str]:
    """(title, markdown) in Chinese: the groups these robots post to read Chinese."""
    with translation.override("zh-hans"):
        title = _("Fire hazard escalations: %(place)s") % {"place": webhook.jurisdiction.name}
        lines = [f"### {title}", _("Sweep of %(day)s:") % {"day": run.last_day.isoformat()}]
        for step, label in Escalation.Step.choices:
            if counts.get(step):
                lines.append(f"- {label}: **{counts[step]}**")
        base = settings.FIRELEDGER_BASE_URL
        if base:
            lines.append(f"[{_('Open the inbox')}]({base.rstrip('/')}/hazards/inbox/)")
    return title, "\n".join(lines)


def payload(webhook: Webhook, title: str, text: str) -> dict:
    if webhook.kind == Webhook.Kind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def signed_url(webhook: Webhook, now_ms: int | None = None) -> str:
    """DingTalk's 加签: timestamp and an HMAC-SHA256 of "timestamp\\nsecret", base64, URL-quoted."""
    if webhook.kind != Webhook.Kind.DINGTALK or not webhook.secret:
        return webhook.url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(webhook.secret.encode(), f"{timestamp}\n{webhook.secret}".encode(),
                      hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in webhook.url else "?"
    return f"{webhook.url}{joiner}timestamp={timestamp}&sign={sign}"


def deliver(webhook: Webhook, body: dict) -> str:
    """POST the message; returns "" or the error kept on the webhook."""
    request = urllib.request.Request(
        signed_url(webhook), data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read() or b"{}")
    except (OSError, ValueError) as error:
        return str(error)[:300]
    code = answer.get("errcode", 0)
    return "" if code == 0 else f"errcode {code}: {answer.get('errmsg', '')}"[:300]


def notify_all(run: SweepRun) -> int:
    """Send to every active webhook with news; returns how many messages were delivered."""
    sent = 0
    for webhook in Webhook.objects.filter(is_active=True).select_related("jurisdiction"):
        counts = step_counts(run, webhook.jurisdiction.prefix)
        if not counts:
            continue
        error = deliver(webhook, payload(webhook, *message_text(webhook, run, counts)))
        if error:
            log.warning("webhook %s failed: %s", webhook.pk, error)
        else:
            sent += 1
        # Bookkeeping on the webhook row only, outside any domain change: no audit event.
        Webhook.objects.filter(pk=webhook.pk).update(
            last_sent_at=timezone.now() if not error else webhook.last_sent_at, last_error=error)
    return sent
