"""A plain json:// webhook is posted by plantrack itself (tasks.notices.webhook): the same
request Apprise would send, the same words when it fails, and Apprise for everything else.

Each message is sent both ways to one real server on 127.0.0.1 — through Apprise (the direct
path turned off) and directly — and what arrived is compared: method, request target, body
bytes and every header but the transport's own (Accept, Accept-Encoding, Connection).
"""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from tasks.notices import webhook
from tasks.notices.channels import Outgoing, _kept, send_url

from servers import http_server, refused_port, self_signed

TRANSPORT = {"accept", "accept-encoding", "connection"}
OUT = Outgoing("SNV", "reminder", dt.date(2024, 9, 3), "Nhắc việc: 2 việc quá hạn — Sở Nội vụ",
               "Kính gửi: Sở Nội vụ\n\n1. Báo cáo tháng 8/2024 — đã quá hạn 3 ngày làm việc\n",
               "<p>Kính gửi: <b>Sở Nội vụ</b></p>\n")


def _both(monkeypatch, url: str, out: Outgoing = OUT):
    """The message sent through Apprise, then directly (asserting it was): both results."""
    posted = []
    post = webhook.post
    with monkeypatch.context() as m:
        m.setattr(webhook, "takes", lambda *a: False)
        through_apprise = send_url(out, url)
    monkeypatch.setattr(webhook, "post", lambda *a: posted.append(1) or post(*a))
    direct = send_url(out, url)
    assert posted == [1]  # the direct path was taken
    return through_apprise, direct


def _seen(hook) -> tuple:
    return (hook.method, hook.target, hook.raw,
            {k: v for k, v in hook.headers.items() if k.lower() not in TRANSPORT})


@pytest.mark.parametrize("path, query", [
    ("/plain", ""),
    ("/headers", "+X-Token=abc&+X-Region=H%C3%B2a%20B%C3%ACnh&-region=hb&-tag=a%20b&-n=1"),
    ("/put", "method=PUT"),
    ("/html", "format=html"),
    ("/hooks/Pq8sLm2nTk4vWx6zYb9c", "rto=7&cto=3"),
])
def test_a_plain_webhook_gets_the_request_apprise_would_send(monkeypatch, path, query):
    with http_server() as http:
        results = _both(monkeypatch, http.url(path, query))
        first, second = http.inbox.wait_for(2)
    assert all(r.ok for r in results)
    assert _seen(first) == _seen(second)
    assert second.headers["Idempotency-Key"] == "SNV:2024-09-03:reminder"
    assert second.body["title"] == OUT.subject
    assert second.body["message"] == (OUT.html if "html" in query else OUT.text).rstrip()


def test_credentials_go_as_apprise_puts_them(monkeypatch):
    with http_server() as http:
        url = f"json://nguoi.dung:m%C3%A2t%20khau@127.0.0.1:{http.port}/auth"
        assert all(r.ok for r in _both(monkeypatch, url))
        first, second = http.inbox.wait_for(2)
        # credentials requests cannot encode (as Latin-1) are Apprise's to send, or to refuse
        _, service = _kept(f"json://nguoi.dung:m%E1%BA%ADt@127.0.0.1:{http.port}/auth", 0)
        assert not webhook.takes(service, "t", "b", service.resolve_format(None), False)
    assert second.headers["Authorization"].startswith("Basic ")
    assert _seen(first) == _seen(second)


def test_failures_are_said_in_apprise_words(monkeypatch):
    monkeypatch.setenv("PLANTRACK_SEND_TIMEOUT", "0.3")
    with http_server() as http, refused_port() as dead:
        http.status["/err"] = 500
        http.slow["/slow"] = 0.6
        apprise_500, direct_500 = _both(monkeypatch, http.url("/err"))
        apprise_slow, direct_slow = _both(monkeypatch, http.url("/slow"))
        apprise_dead, direct_dead = _both(monkeypatch, f"json://127.0.0.1:{dead}/x")
    assert not any(r.ok for r in (apprise_500, direct_500, apprise_slow, direct_slow,
                                  apprise_dead, direct_dead))
    assert direct_500.error == apprise_500.error
    assert direct_500.error.startswith("Failed to send JSON POST notification: ")
    assert direct_500.error.endswith(", error=500.")
    assert direct_slow.error == apprise_slow.error
    assert direct_slow.error.startswith("timeout: no answer within 0.3 s")
    for r in (apprise_dead, direct_dead):
        assert r.error.startswith("A Connection error occurred sending JSON notification to "
                                  "127.0.0.1.; ") and "Connection refused" in r.error


def test_a_header_http_cannot_carry_fails_that_channel_in_words(monkeypatch):
    with http_server() as http:  # "Hòa Bình tỉnh": ỉ is not Latin-1, as HTTP headers must be
        result = send_url(OUT, http.url("/h", "+X-Region=H%C3%B2a%20B%C3%ACnh%20t%E1%BB%89nh"))
        assert http.inbox.items == []
    assert not result.ok and result.channel.startswith("json://")
    assert result.error.startswith("A Connection error occurred sending JSON notification")
    assert "latin-1" in result.error


def test_a_redirect_is_followed_by_apprise(monkeypatch):
    with http_server() as http:
        http.moved["/old"] = f"http://127.0.0.1:{http.port}/new"
        result = send_url(OUT, http.url("/old"))
        assert result.ok
        [hook] = http.inbox.wait_for(1)
    assert hook.path == "/new" and hook.body["title"] == OUT.subject


def test_a_server_certificate_is_checked_as_requests_checks_it(monkeypatch, tmp_path):
    cert, key = self_signed(tmp_path)
    with http_server(tls=(cert, key)) as https:
        unknown = send_url(OUT, https.url("/tls"))  # signed by nobody certifi knows
        assert not unknown.ok and "CERTIFICATE_VERIFY_FAILED" in unknown.error
        assert all(r.ok for r in _both(monkeypatch, https.url("/tls", "verify=no")))
        # a bundle file, then a folder of certificates named by their subject's hash
        folder = tmp_path / "certs"
        folder.mkdir()
        digest = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", str(cert)],
                                capture_output=True, text=True, check=True).stdout.strip()
        (folder / f"{digest}.0").write_bytes(cert.read_bytes())
        for bundle in (cert, folder):
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
            webhook._pool.cache_clear()
            try:
                assert all(r.ok for r in _both(monkeypatch, https.url("/tls")))
            finally:
                webhook._pool.cache_clear()
        hooks = https.inbox.wait_for(6)
    assert all(_seen(hooks[i]) == _seen(hooks[i + 1]) for i in (0, 2, 4))


@pytest.mark.parametrize("query, env, attached", [
    (":extra=1", {}, False),  # payload extras
    ("retry=2", {}, False),  # Apprise's own retries
    ("format=markdown", {}, False),  # a body Apprise converts
    ("", {"HTTPS_PROXY": "http://127.0.0.1:1", "http_proxy": "http://127.0.0.1:1"}, False),
    ("", {}, True),  # an attachment
])
def test_anything_else_is_left_to_apprise(monkeypatch, query, env, attached):
    from apprise import NotifyFormat

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _, service = _kept(f"json://127.0.0.1:8/x?{query}", 0)
    assert not webhook.takes(service, OUT.subject, OUT.text, NotifyFormat.TEXT, attached)
    _, plain = _kept("json://127.0.0.1:8/x", 0)
    assert webhook.takes(plain, OUT.subject, OUT.text, NotifyFormat.TEXT, False) == (not env)
    _, xml = _kept("xml://127.0.0.1:8/x", 0)
    assert not webhook.takes(xml, OUT.subject, OUT.text, NotifyFormat.TEXT, False)
