"""The Scenariovergelijker in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from scenario_page import (
    RESULTS,
    choose_preset,
    compare,
    open_page,
    open_settings,
    query,
    table_text,
    wait_for_results,
)

import sim
from sim.registry import load_registry

pytestmark = pytest.mark.browser


def title(preset: str, lang: str = "nl") -> str:
    return sim.load_scenario(preset).label(lang)


def other_preset(*avoid: str) -> str:
    """A preset other than basis (and ``avoid``), or basis if there is none."""
    rest = [p for p in sim.list_presets() if p != "basis" and p not in avoid]
    return rest[-1] if rest else "basis"


def switchable_lever() -> tuple[str, str, object]:
    """(preset, policy, numeric lever) where the preset switches the policy on."""
    reg = load_registry()
    for preset in sim.list_presets():
        overrides = sim.load_scenario(preset).overrides
        for par in reg.by_kind("policy_lever"):
            switch = f"{par.group}.enabled"
            if (
                par.type in ("int", "float")
                and par.range is not None
                and overrides.get(switch, False)
            ):
                return preset, par.group, par
    pytest.skip("no preset switches on a policy with a numeric lever")


def test_choosing_presets_and_compare_shows_both_plots_and_table(page, dashboard_url):
    page.set_viewport_size({"width": 1600, "height": 3000})
    open_page(page, dashboard_url + "/")
    b = other_preset()
    choose_preset(page, "a", title("basis"))
    choose_preset(page, "b", title(b))
    compare(page)
    expect(page.locator(".wnw-plot-trajectories img")).to_be_visible()
    expect(page.locator(".wnw-plot-differences img")).to_be_visible()
    rows = table_text(page)
    assert len(rows) == 7, rows  # header, five indicators, cost per extra job
    assert "Werkenden" in rows[1]
    assert any("Kost per extra job" in r for r in rows)
    # the link in the address bar now names this comparison
    q = query(page)
    assert q["a"] == ["basis"] and q["b"] == [b] and q["run"] == ["1"]
    # 'follow a worker' tells a story from the simulation
    page.locator(".wnw-story li").first.wait_for(timeout=60_000)
    assert "horeca" in page.locator(".wnw-story").inner_text()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "dashboard_screenshot.png"), full_page=True)


def test_switching_to_english_changes_the_labels(page, dashboard_url):
    open_page(page, dashboard_url + "/")
    expect(page.locator(".wnw-title")).to_have_text("Scenariovergelijker")
    expect(page.locator(".wnw-compare")).to_contain_text("Vergelijk")
    page.locator(".wnw-lang button", has_text="en").click()
    expect(page.locator(".wnw-title")).to_have_text("Scenario comparer")
    expect(page.locator(".wnw-compare")).to_contain_text("Compare")
    expect(page.get_by_text("Policy levers").first).to_be_visible()
    expect(page.locator(".wnw-preset-a .v-select__selection")).to_have_text(title("basis", "en"))
    # a lever's tooltip shows the registry's description and source, in English
    switch = next(p for p in load_registry().by_kind("policy_lever") if p.type == "bool")
    page.locator(f".wnw-lever-a-{switch.name.replace('.', '-')}").hover()
    tip = page.locator(".v-tooltip__content.menuable__content__active")
    expect(tip).to_contain_text("Source")
    expect(tip).to_contain_text(switch.label["en"])


def test_a_shared_link_restores_the_comparison(context, dashboard_url):
    preset, policy, par = switchable_lever()
    lo, hi = par.range
    value = int(lo + (hi - lo) // 7) if par.type == "int" else round(lo + (hi - lo) / 7, 3)
    first = context.new_page()
    open_page(first, dashboard_url + "/")
    choose_preset(first, "b", title(preset))
    field = first.locator(f".wnw-lever-b-{par.name.replace('.', '-')} input")
    open_settings(first, "b", policy, field)
    field.fill(str(value))
    field.press("Enter")
    compare(first)
    link = first.url
    assert f"b.{par.name}=" in link
    expected = table_text(first)

    other = context.browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        second = other.new_page()
        second.set_default_timeout(60_000)
        open_page(second, link)
        wait_for_results(second)
        expect(second.locator(".wnw-preset-b .v-select__selection")).to_have_text(title(preset))
        restored = second.locator(f".wnw-lever-b-{par.name.replace('.', '-')} input")
        assert float(restored.input_value()) == pytest.approx(value)
        assert table_text(second) == expected
    finally:
        other.close()


def test_two_browser_sessions_do_not_share_state(browser, dashboard_url):
    one = browser.new_context(viewport={"width": 1600, "height": 1000})
    two = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        p1, p2 = one.new_page(), two.new_page()
        for p in (p1, p2):
            p.set_default_timeout(60_000)
            open_page(p, dashboard_url + "/")
        default_b = p2.locator(".wnw-preset-b .v-select__selection").inner_text()
        choice = other_preset(*[p for p in sim.list_presets() if title(p) == default_b])
        choose_preset(p1, "b", title(choice))
        p1.locator(".wnw-lang button", has_text="en").click()
        compare(p1)
        # the second session still shows its own defaults, in Dutch, without results
        p2.reload()
        p2.locator(".wnw-title").wait_for()
        expect(p2.locator(".wnw-preset-b .v-select__selection")).to_have_text(default_b)
        expect(p2.locator(".wnw-title")).to_have_text("Scenariovergelijker")
        assert p2.locator(".wnw-plot-trajectories").count() == 0
        # and the first keeps its own
        expect(p1.locator(".wnw-title")).to_have_text("Scenario comparer")
        expect(p1.locator(".wnw-preset-b .v-select__selection")).to_have_text(title(choice, "en"))
    finally:
        one.close()
        two.close()


def test_a_lever_value_out_of_range_is_refused_with_a_message(page, dashboard_url):
    preset, policy, par = switchable_lever()
    open_page(page, dashboard_url + "/")
    choose_preset(page, "b", title(preset))
    field = page.locator(f".wnw-lever-b-{par.name.replace('.', '-')} input")
    open_settings(page, "b", policy, field)
    before = field.input_value()
    field.fill(str(int(par.range[1] * 10 + 1)))
    field.press("Enter")
    message = page.locator(".wnw-message")
    expect(message).to_contain_text("geweigerd")
    expect(message).to_contain_text(par.label["nl"])
    # the value in force is unchanged and the page still works
    expect(page.locator(f".wnw-lever-b-{par.name.replace('.', '-')} input")).to_have_value(before)
    assert f"b.{par.name}" not in page.url
    expect(page.locator(".wnw-compare")).to_be_enabled()
