"""Helpers that drive the Scenariovergelijker page in the browser tests."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

COMPARE_TIMEOUT = 90_000
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
    """Press Compare and wait for both figures and the table."""
    page.locator(".wnw-compare").click()
    wait_for_results(page)
    page.wait_for_url(lambda url: "run=1" in url)


def wait_for_results(page: Page) -> None:
    """Wait until both figures and the difference table are on the page."""
    page.locator(".wnw-plot-trajectories img").wait_for(timeout=COMPARE_TIMEOUT)
    page.locator(".wnw-plot-differences img").wait_for(timeout=COMPARE_TIMEOUT)
    page.locator(".wnw-difference-table table.wnw-table").wait_for(timeout=COMPARE_TIMEOUT)


def table_text(page: Page) -> list[str]:
    """The rows of the difference table, as text."""
    return page.locator(".wnw-difference-table tr").all_inner_texts()


def query(page: Page) -> dict[str, list[str]]:
    """The query parameters of the page's current URL."""
    return parse_qs(urlsplit(page.url).query)
