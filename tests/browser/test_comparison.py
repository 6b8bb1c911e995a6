"""The Scenariovergelijker in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from scenario_page import (
    RESULTS,
    choose_preset,
    compare,
    open_page,
    open_settings,
    query,
    set_number,
    set_shared_assumption,
    table_text,
    url,
    wait_for_link,
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


def shared_assumption() -> tuple[str, float]:
    """(name, new value) of a numeric behavioural assumption with a range."""
    for par in load_registry().by_kind("behavioural"):
        if par.type == "float" and par.range is not None:
            lo, hi = par.range
            value = round(lo + (hi - lo) * 0.37, 3)
            if value != par.default:
                return par.name, value
    pytest.skip("no numeric behavioural assumption")


def test_choosing_presets_shows_cards_figure_and_table(page, dashboard_url):
    page.set_viewport_size({"width": 1600, "height": 3000})
    open_page(page, dashboard_url + "/")
    b = other_preset()
    choose_preset(page, "a", title("basis"))
    choose_preset(page, "b", title(b))
    compare(page)
    expect(page.locator(".wnw-hl")).to_have_count(4)
    expect(page.locator(".wnw-plot-differences img")).to_be_visible()
    rows = table_text(page)
    assert len(rows) == 7, rows  # header, five indicators, cost per extra job-year
    assert "Werkenden" in rows[1]
    assert any("Kost per extra jobjaar" in r for r in rows)
    # the link in the address bar now names this comparison (and no run=1)
    q = query(page)
    assert q["a"] == ["basis"] and q["b"] == [b] and "run" not in q
    # the levels are behind a tab
    page.locator(".wnw-tabs .v-tab", has_text="Niveaus").click()
    expect(page.locator(".wnw-plot-levels img")).to_be_visible()
    # 'follow a worker' tells a story from the simulation
    page.locator(".wnw-story li").first.wait_for(timeout=90_000)
    assert "horeca" in page.locator(".wnw-story").inner_text()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "dashboard_screenshot.png"), full_page=True)


def test_a_change_marks_results_stale_at_once_and_they_recompute(page, dashboard_url):
    preset, policy, par = switchable_lever()
    open_page(page, dashboard_url + "/")
    choose_preset(page, "b", title(preset))
    compare(page)
    before = table_text(page)
    field = page.locator(f".wnw-lever-b-{par.name.replace('.', '-')} input")
    open_settings(page, "b", policy, field)
    lo, hi = par.range
    new = int(lo + (hi - lo) // 3) if par.type == "int" else round(lo + (hi - lo) / 3, 3)
    set_number(page, field, new)
    expect(page.locator(".wnw-stale-banner")).to_be_visible(timeout=2_000)
    expect(page.locator(".wnw-results.wnw-stale")).to_have_count(1)
    wait_for_results(page)  # recomputed on its own, no button
    expect(page.locator(".wnw-results.wnw-stale")).to_have_count(0)
    assert f"b.{par.name}=" in url(page)
    assert table_text(page) != before


def test_the_cards_verdict_agrees_with_the_table(page, dashboard_url):
    open_page(page, dashboard_url + "/")
    choose_preset(page, "b", title(other_preset()))
    compare(page)
    rows = page.locator(".wnw-hl-row")
    checked = 0
    for i in range(rows.count()):
        row = rows.nth(i)
        classes = row.get_attribute("class").split()
        card = row.locator("xpath=..").get_attribute("class").split()
        key = next(c[len("wnw-hl-") :] for c in card if c.startswith("wnw-hl-") and c != "wnw-hl")
        group = "A" if "wnw-hl-A" in classes else "B"
        cell = page.locator(f".wnw-cell-{key}-{group}-basis")
        assert cell.count() == 1, key
        for attr in ("data-lo", "data-hi", "data-diff"):
            assert row.get_attribute(attr) == cell.get_attribute(attr), (key, group, attr)
        lo, hi = float(row.get_attribute("data-lo")), float(row.get_attribute("data-hi"))
        if key == "cost_per_job_year":
            continue
        more = lo > 0 or hi < 0
        text = row.locator(".wnw-verdict").inner_text()
        assert text == ("meer dan toeval" if more else "niet te onderscheiden van toeval")
        assert ("more" in classes) == more and (
            "more" in cell.get_attribute("class").split()
        ) == more
        checked += 1
    assert checked == 6


def test_what_differs_lists_a_lever_and_an_assumption(page, dashboard_url):
    preset, policy, par = switchable_lever()
    name, value = shared_assumption()
    open_page(page, dashboard_url + "/")
    choose_preset(page, "a", title("basis"))
    choose_preset(page, "b", title(preset))
    compare(page)
    field = page.locator(f".wnw-lever-b-{par.name.replace('.', '-')} input")
    open_settings(page, "b", policy, field)
    lo, hi = par.range
    new = int(lo + (hi - lo) // 5) if par.type == "int" else round(lo + (hi - lo) / 5, 3)
    set_number(page, field, new)
    wait_for_link(page, f"b.{par.name}=")
    set_shared_assumption(page, name, value)
    wait_for_link(page, f"ab.{name}=")
    compare(page)
    lever_row = page.locator(f".wnw-differs-{par.name.replace('.', '-')}")
    expect(lever_row).to_have_count(1)
    assert lever_row.locator("td.wnw-changed").count() == 1  # B only
    row = page.locator(f".wnw-differs-{name.replace('.', '-')}")
    expect(row).to_have_count(1)
    assert row.locator("td.wnw-changed").count() == 3  # basis, A and B alike
    assert "veronderstelling" in row.inner_text()
    assert f"ab.{name}=" in url(page)


def test_presentation_mode_fits_1024_and_chart_text_is_large(page, dashboard_url):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, dashboard_url + "/")
    page.locator(".wnw-present-switch input").check(force=True)
    compare(page)
    page.wait_for_timeout(500)
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('.wnw-page *')]
            .filter(e => e.getClientRects().length && e.offsetParent !== null)
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.className || e.tagName).slice(0, 5)"""
    )
    assert not too_wide, too_wide
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    for img in page.locator(".wnw-figure img").all():
        px = page.evaluate(
            "e => e.clientWidth / e.naturalWidth * parseFloat(e.dataset.minFontPx)",
            img.element_handle(),
        )
        assert px >= 18, px
    assert page.get_by_text("This website runs on").count() == 0  # the badge is off


def test_a_shared_link_carries_an_assumption_and_shows_it(context, dashboard_url):
    name, value = shared_assumption()
    first = context.new_page()
    open_page(first, dashboard_url + "/")
    set_shared_assumption(first, name, value)
    wait_for_link(first, f"ab.{name}=")
    compare(first)
    link = url(first)
    assert f"ab.{name}=" in link
    expected = table_text(first)
    other = context.browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        second = other.new_page()
        second.set_default_timeout(60_000)
        open_page(second, link)
        wait_for_results(second)
        shown = second.locator(f".wnw-lever-s-{name.replace('.', '-')} input")
        assert float(shown.input_value().replace(",", ".")) == pytest.approx(value)
        expect(second.locator(f".wnw-differs-{name.replace('.', '-')}")).to_have_count(1)
        assert table_text(second) == expected
        assert second.locator(".wnw-link-message").count() == 0
    finally:
        other.close()


def test_a_link_with_bad_values_gives_one_short_message_and_still_works(page, dashboard_url):
    bad = (
        "a=basis&b=basis&b.worker_sharing.capacity=inf&b.worker_sharing.capacity=1e999"
        "&b.population.size_20_64=10000000&run=1&" + "&".join(f"b.nope{i}=1" for i in range(200))
    )
    open_page(page, f"{dashboard_url}/?{bad}")
    message = page.locator(".wnw-link-message")
    expect(message).to_have_count(1)
    text = message.inner_text()
    assert "worker_sharing.capacity" in text and len(text) < 400, text
    assert "Traceback" not in page.inner_text("body")
    wait_for_results(page)  # run=1 does not hide the message
    expect(message).to_have_count(1)
    wait_for_link(page, "population.size_20_64", present=False)


def test_exports_have_unique_names_and_the_belgian_csv_opens_with_semicolons(
    page, dashboard_url, tmp_path
):
    import pandas as pd

    open_page(page, dashboard_url + "/")
    compare(page)
    page.locator(".wnw-exports .v-btn").first.wait_for()
    names = {}
    for button in page.locator(".wnw-exports .v-btn").all():
        with page.expect_download() as info:
            button.click()
        download = info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        names[download.suggested_filename] = path
    assert len(names) == 9, sorted(names)  # every file its own name
    stems = {n.rsplit("_", 1)[0] for n in names if n.endswith("_verschil.png")}
    assert len(stems) == 1 and all(n.startswith(next(iter(stems))) for n in names)
    be = next(p for n, p in names.items() if n.endswith("_tabel_be.csv"))
    table = pd.read_csv(be, sep=";", decimal=",", encoding="utf-8-sig")
    assert {"key", "pair", "diff", "lo", "hi"} <= set(table.columns)
    assert table["diff"].dtype.kind == "f"
    assert ";" in be.read_text(encoding="utf-8-sig").splitlines()[0]
    plain = next(p for n, p in names.items() if n.endswith("_tabel.csv"))
    assert pd.read_csv(plain)["diff"].tolist() == pytest.approx(table["diff"].tolist(), nan_ok=True)
    summary = next(p for n, p in names.items() if n.endswith("_samenvatting.html")).read_text()
    assert "Wat levert het op?" in summary and "data:image/png;base64," in summary
    assert "Vlaams Parlement" in summary and "http" not in summary.split("<a href=")[0]
    # a changed lever gives other names
    choose_preset(page, "b", title(other_preset("opleidingsoffensief")))
    wait_for_link(page, "b=opleidingsoffensief", present=False)
    compare(page)
    with page.expect_download() as info:
        page.locator(".wnw-exports .v-btn").first.click()
    assert info.value.suggested_filename not in names


def test_switching_to_english_changes_the_labels(page, dashboard_url):
    open_page(page, dashboard_url + "/")
    expect(page.locator(".wnw-title")).to_have_text("Scenariovergelijker")
    expect(page.locator(".wnw-status")).to_be_visible()
    page.locator(".wnw-lang button", has_text="en").click()
    expect(page.locator(".wnw-title")).to_have_text("Scenario comparer")
    expect(page.get_by_text("Shared")).to_have_count(0)
    expect(page.locator(".wnw-shared")).to_contain_text("Behavioural assumptions")
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
    set_number(first, field, value)
    wait_for_link(first, f"b.{par.name}=")
    compare(first)
    link = url(first)
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
        # the second session still shows its own defaults, in Dutch
        p2.reload()
        p2.locator(".wnw-title").wait_for()
        expect(p2.locator(".wnw-preset-b .v-select__selection")).to_have_text(default_b)
        expect(p2.locator(".wnw-title")).to_have_text("Scenariovergelijker")
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
    assert f"b.{par.name}" not in url(page)
    wait_for_results(page)


def test_a_new_comparison_shows_partial_results_then_final_cards_equal_the_table(
    page, dashboard_url
):
    preset, policy, par = switchable_lever()
    open_page(page, dashboard_url + "/")
    choose_preset(page, "b", title(preset))
    compare(page)
    field = page.locator(f".wnw-lever-b-{par.name.replace('.', '-')} input")
    open_settings(page, "b", policy, field)
    lo, hi = par.range
    new = int(lo + (hi - lo) * 0.61) if par.type == "int" else round(lo + (hi - lo) * 0.61, 3)
    set_number(page, field, new)  # a value no other test asks for: new runs
    # the states the page goes through until the results are final (a partial state may
    # last only a second)
    expect(page.locator(".wnw-stale-banner")).to_be_visible(timeout=5_000)
    seen, t0 = [], time.monotonic()
    while time.monotonic() - t0 < 120:
        state = page.evaluate(
            """() => [
                (document.querySelector('.wnw-status') || {}).innerText || '',
                document.querySelectorAll('.wnw-hl').length,
                document.querySelectorAll('.wnw-difference-table tr').length]"""
        )
        if not seen or state != seen[-1]:
            seen.append(state)
        if state[0].startswith("Resultaten bij de huidige"):
            break
        page.wait_for_timeout(40)
    partial = [s for s in seen if s[0].startswith("Voorlopig")]
    assert partial, seen
    text, cards, rows = partial[-1]
    assert "simulaties klaar" in text and "van 10" in text, text
    done = int(text.split("Voorlopig: ")[1].split(" van")[0])
    assert 2 <= done < 10 and cards == 4 and rows == 7, partial[-1]
    wait_for_results(page)
    expect(page.locator(".wnw-partial-banner")).to_have_count(0)
    # the final cards are the table's numbers, on all 10 seeds
    hl = page.locator(".wnw-hl-row")
    assert hl.count() == 8
    for i in range(hl.count()):
        row = hl.nth(i)
        card = row.locator("xpath=..").get_attribute("class").split()
        key = next(c[len("wnw-hl-") :] for c in card if c.startswith("wnw-hl-") and c != "wnw-hl")
        group = "A" if "wnw-hl-A" in row.get_attribute("class").split() else "B"
        cell = page.locator(f".wnw-cell-{key}-{group}-basis")
        for attr in ("data-lo", "data-hi", "data-diff"):
            assert row.get_attribute(attr) == cell.get_attribute(attr), (key, group, attr)
    assert "10 simulaties" in page.locator(".wnw-headline .wnw-note").inner_text()
