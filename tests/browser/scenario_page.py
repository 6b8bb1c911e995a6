"""Helpers that drive the Scenariovergelijker page in the browser tests."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

COMPARE_TIMEOUT = 90_000
# two busy cores shared with other work: give the page time to answer
expect.set_options(timeout=20_000)
RESULTS = Path(__file__).resolve().parents[2] / "results"


def open_page(page: Page, url: str) -> None:
    """Open the page and wait until the app (not the loader) is shown."""
    page.goto(url)
    page.locator(".wnw-title").wait_for()


def choose_preset(page: Page, group: str, title: str) -> None:
    """Pick a preset by its title in the select of scenario ``group`` ('a' or 'b')."""
    page.locator(f".wnw-preset-{group} .v-select__slot").click()
    page.locator(".menuable__content__active .v-list-item", has_text=title).first.click()
    expect(page.locator(f".wnw-preset-{group} .v-select__selection")).to_have_text(title)


def open_settings(page: Page, group: str, policy: str, field: Locator) -> None:
    """Open a policy's settings in scenario ``group`` until ``field`` shows.

    The settings button is re-rendered when the preset changes; a click that lands on the
    old button is lost, so click again (the button toggles) until the field is there.
    """
    button = page.locator(f".wnw-settings-{group}-{policy}")
    for _ in range(4):
        button.click()
        try:
            field.wait_for(state="visible", timeout=15_000)
            return
        except PlaywrightTimeoutError:
            continue
    field.wait_for(state="visible")


def compare(page: Page) -> None:
    """Wait until the results match the inputs (the page recomputes on its own)."""
    wait_for_results(page)


def wait_for_results(page: Page) -> None:
    """Wait until the results on the page belong to the current inputs, figure included."""
    page.locator(".wnw-fresh").wait_for(timeout=COMPARE_TIMEOUT)
    page.wait_for_function(
        """() => {
            const e = document.querySelector('.wnw-results-for');
            return e && e.textContent === location.search.slice(1)
                && document.querySelector('.wnw-fresh');
        }""",
        timeout=COMPARE_TIMEOUT,
    )
    page.locator(".wnw-figure img").wait_for(timeout=COMPARE_TIMEOUT)
    page.locator(".wnw-difference-table table.wnw-table").wait_for(timeout=COMPARE_TIMEOUT)


def set_number(page: Page, field: Locator, value: object) -> None:
    """Type a value into a number input and commit it (Enter)."""
    field.fill(str(value))
    field.press("Enter")


def set_shared_assumption(page: Page, name: str, value: object, attempts: int = 3) -> None:
    """Change a behavioural assumption for basis, A and B alike.

    The value is typed again when the address bar has not taken it within 10 s: while
    partial results arrive the page re-renders every half second, and an input typed into a
    field that is being replaced is lost.
    """
    field = page.locator(f".wnw-lever-s-{name.replace('.', '-')} input")
    for attempt in range(attempts):
        if not field.is_visible():
            page.locator(".wnw-toggle-assumptions-s").click()
        field.wait_for(state="visible")
        set_number(page, field, value)
        try:
            wait_for_link(page, f"ab.{name}=", timeout=10.0)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def table_text(page: Page) -> list[str]:
    """The rows of the difference table, as text."""
    return page.locator(".wnw-difference-table tr").all_inner_texts()


def url(page: Page) -> str:
    """The address in the browser's address bar.

    The page sets it with ``history.replaceState``, which Playwright's ``page.url`` does
    not always follow, so it is read from the page itself.
    """
    return page.evaluate("location.href")


def wait_for_link(page: Page, text: str, present: bool = True, timeout: float = 30.0) -> str:
    """Wait until the address bar contains ``text`` (or no longer does); return it."""
    deadline = time.monotonic() + timeout
    while True:
        now = url(page)
        if (text in now) == present or time.monotonic() > deadline:
            assert (text in now) == present, now
            return now
        page.wait_for_timeout(100)


def query(page: Page) -> dict[str, list[str]]:
    """The query parameters of the page's current address."""
    return parse_qs(urlsplit(url(page)).query)
