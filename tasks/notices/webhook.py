"""JSON webhooks posted by plantrack itself, as Apprise reads their URL.

At national scale most channels are json:// webhooks, thousands of them. Apprise posts each
message through its notify machinery and a new `requests` session (a new connection pool, the
whole environment scanned for proxy settings): together several times the cost of the post.
For a plain webhook — Apprise's json:// or jsons:// with the body as rendered, no payload
extras, no attachment, no retries or length limits asked for in the URL, no proxy in the
environment — plantrack posts the request Apprise would (payload, headers, method, query,
credentials, certificate check and timeouts, all read from Apprise's own service object for the
URL) with urllib3, the library under requests, from one pool of connections shared by the
sending threads, and says a failure in Apprise's words. Anything else is sent by Apprise, and so
is a message the server answers with a redirect (Apprise follows it as requests does).
`tests/test_webhook.py` sends the same messages both ways to one server and compares what
arrived.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from tasks.settings import ca_bundle, http_proxied, send_threads


@dataclass(frozen=True)
class Posted:
    """What became of a post: ok; or Apprise's sentence for the failure (`said`) and the
    exception behind it (`cause`, "" for an answer that was not 2xx); or `redirected`: the
    server sent it elsewhere, for Apprise to follow."""

    ok: bool
    said: str = ""
    cause: str = ""
    redirected: bool = False


def takes(service: Any, title: str, body: str, body_format: Any, attached: bool) -> bool:
    """Whether plantrack posts this message itself: Apprise would send it unchanged, in one
    request, once, straight to the server."""
    from apprise import OverflowMode
    from apprise.plugins.custom_json import NotifyJSON

    return (type(service) is NotifyJSON and service.enabled and not attached
            and not service.payload_extras and not getattr(service, "retry", 0)
            and (not service.user or _latin1(f"{service.user}:{service.password}"))
            and not http_proxied("https" if service.secure else "http")
            and service.resolve_format(body_format) == body_format
            and service.overflow_mode == OverflowMode.UPSTREAM
            and service.title_maxlen > 0 and service.body_max_line_count <= 0
            and service.asset.enforce_payload_max_size(title, body) == (title, body))


def _latin1(credentials: str) -> bool:
    """Whether requests could send these credentials (it encodes them as Latin-1)."""
    try:
        credentials.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _pool(verify: bool) -> Any:
    """The connections webhooks are posted through, shared by the sending threads; servers'
    certificates checked against requests' bundle unless the URL says verify=no."""
    import urllib3

    bundle = ca_bundle() if verify else None  # a file, or a folder (requests takes both)
    folder = bundle is not None and os.path.isdir(bundle)
    return urllib3.PoolManager(num_pools=256, maxsize=send_threads(), retries=False,
                               cert_reqs="CERT_REQUIRED" if verify else "CERT_NONE",
                               ca_certs=None if folder else bundle,
                               ca_cert_dir=bundle if folder else None)


def post(service: Any, title: str, body: str) -> Posted:
    """Post one message as Apprise's json:// plugin would."""
    import urllib3
    from apprise import NotifyType

    url = service.request_url + (f"?{urlencode(service.params, doseq=True)}"
                                 if service.params else "")
    payload = {"version": service.json_version, "title": title.strip(),
               "message": body.rstrip(), "attachments": [], "type": NotifyType.INFO.value}
    headers = {"User-Agent": service.app_id, "Content-Type": "application/json",
               **service.headers}
    if service.user:  # over any Authorization header of the URL's, as requests puts it
        headers["Authorization"] = urllib3.make_headers(
            basic_auth=f"{service.user}:{service.password}")["authorization"]
    connect, read = service.request_timeout
    try:
        answer = _pool(bool(service.verify_certificate)).request(
            service.method, url, body=json.dumps(payload).encode(),
            headers=headers, redirect=False,
            timeout=urllib3.Timeout(connect=connect, read=read))
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:  # ValueError: a header
        return Posted(False, f"A Connection error occurred sending JSON notification to "
                             f"{service.host}.", str(exc) or type(exc).__name__)
    if 200 <= answer.status < 300:
        return Posted(True)
    if service.redirects and answer.get_redirect_location():
        return Posted(False, redirected=True)
    status = service.http_response_code_lookup(answer.status)
    return Posted(False, f"Failed to send JSON {service.method} notification: "
                         f"{status}{', ' if status else ''}error={answer.status}.")
