from urllib.parse import urlsplit

import pytest
from scenario_page import open_page

pytestmark = pytest.mark.browser


def test_page_loads_with_no_external_request(page, dashboard_url):
    requests: list[str] = []
    failed: list[str] = []
    bad: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    open_page(page, dashboard_url + "/")
    page.locator(".wnw-status").first.wait_for()
    page.wait_for_load_state("networkidle")
    web = [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert web, "no request recorded"
    outside = sorted(u for u in web if urlsplit(u).hostname != "127.0.0.1")
    assert not outside, outside
    # every front-end asset came from the local cache (the server cannot reach a CDN)
    assert not failed, failed
    assert not bad, bad
