"""Webhooks in the DingTalk and WeCom robot formats, against a fake receiver on 127.0.0.1."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fireledger.hazards import sweep, webhooks
from fireledger.hazards.models import Webhook


class FakeRobot:
    """Records what it receives; answers like the robots do ({"errcode": 0} or an error)."""

    def __init__(self, answer=None):
        self.received = []
        self.answer = answer or {"errcode": 0, "errmsg": "ok"}
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append((self.path, json.loads(body)))
                data = json.dumps(robot.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=t"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    fake = FakeRobot()
    yield fake
    fake.close()


@pytest.fixture
def overdue_in_street1(places, users, log, today):
    return log(users["grid_worker"], places["mall"], deadline=today)


def run_after(hazard):
    return sweep.run(hazard.deadline + sweep.ONE_DAY * 2, notify=False)


def test_dingtalk_markdown_with_signature(robot, tree, overdue_in_street1):
    hook = Webhook.objects.create(jurisdiction=tree["street1"], name="解放碑街道消防群",
                                  kind=Webhook.Kind.DINGTALK, url=robot.url, secret="SEC123")
    run = run_after(overdue_in_street1)
    assert webhooks.notify_all(run) == 1
    path, body = robot.received[0]
    assert body["msgtype"] == "markdown"
    assert "解放碑街道" in body["markdown"]["title"]
    assert "街道督办" in body["markdown"]["text"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(b"SEC123", f"{timestamp}\nSEC123".encode(),
                                         hashlib.sha256).digest()).decode()
    assert sign == expected and query["access_token"] == ["t"]
    hook.refresh_from_db()
    assert hook.last_sent_at is not None and hook.last_error == ""


def test_wecom_markdown(robot, tree, overdue_in_street1):
    Webhook.objects.create(jurisdiction=tree["district"], name="区消防委", kind=Webhook.Kind.WECOM,
                           url=robot.url)
    webhooks.notify_all(run_after(overdue_in_street1))
    _, body = robot.received[0]
    assert body["msgtype"] == "markdown" and "街道督办" in body["markdown"]["content"]


def test_only_webhooks_whose_jurisdiction_has_news_are_called(robot, tree, overdue_in_street1):
    Webhook.objects.create(jurisdiction=tree["street2"], name="七星岗", kind=Webhook.Kind.WECOM,
                           url=robot.url)
    Webhook.objects.create(jurisdiction=tree["street1"], name="停用", kind=Webhook.Kind.WECOM,
                           url=robot.url, is_active=False)
    assert webhooks.notify_all(run_after(overdue_in_street1)) == 0
    assert robot.received == []


def test_a_refusal_is_kept_on_the_webhook_and_the_sweep_stands(tree, overdue_in_street1):
    fake = FakeRobot(answer={"errcode": 310000, "errmsg": "sign not match"})
    try:
        hook = Webhook.objects.create(jurisdiction=tree["street1"], name="群",
                                      kind=Webhook.Kind.DINGTALK, url=fake.url, secret="x")
        run = run_after(overdue_in_street1)
        assert webhooks.notify_all(run) == 0
    finally:
        fake.close()
    hook.refresh_from_db()
    assert "310000" in hook.last_error and hook.last_sent_at is None


def test_an_unreachable_receiver_is_an_error_not_an_exception(tree, overdue_in_street1):
    fake = FakeRobot()
    url = fake.url
    fake.close()  # nothing listens there any more
    hook = Webhook.objects.create(jurisdiction=tree["street1"], name="群",
                                  kind=Webhook.Kind.WECOM, url=url)
    assert webhooks.notify_all(run_after(overdue_in_street1)) == 0
    hook.refresh_from_db()
    assert hook.last_error


@pytest.mark.django_db(transaction=True)
def test_the_sweep_calls_webhooks_after_it_commits(robot, tree, places, users, log, today):
    hazard = log(users["grid_worker"], places["mall"], deadline=today)
    Webhook.objects.create(jurisdiction=tree["street1"], name="群", kind=Webhook.Kind.WECOM,
                           url=robot.url)
    sweep.run(hazard.deadline + sweep.ONE_DAY * 2)
    assert len(robot.received) == 1
