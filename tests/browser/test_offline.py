from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_page_loads_with_no_external_request(page, dashboard_url):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(dashboard_url + "/")
    page.get_by_text("Scenariovergelijker").first.wait_for()
    hosts = {
        urlsplit(u).hostname
        for u in requests
        if urlsplit(u).scheme in ("http", "https", "ws", "wss")
    }
    assert requests, "no request recorded"
    assert hosts == {"127.0.0.1"}, sorted(
        u for u in requests if urlsplit(u).hostname != "127.0.0.1"
    )
    assert not failed, failed
