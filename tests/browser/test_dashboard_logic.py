"""The dashboard's logic without a browser: link state, paired table, cache, story."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from dashboard import compare, story, summary, urlstate

PRESETS = ["basis", "opleidingsoffensief", "werknemersdelen"]


def fake_runner(key: compare.RunKey) -> dict[str, pd.DataFrame]:
    """Synthetic monthly frames: level set by the overrides, noise by the seed."""
    months = [f"{y}-{m:02d}" for y in (2020, 2021, 2022) for m in range(1, 13)]
    rng = np.random.default_rng(key.replication)
    shift = 1000.0 if "worker_sharing.capacity" in key.overrides else 0.0
    noise = rng.normal(0, 50, len(months))
    base = {
        "month": months,
        "employed": 100_000 + noise + shift,
        "temporarily_unemployed": 5_000 + noise,
        "job_seekers": 20_000 + noise - shift / 2,
        "vacancies_open_3m_shortage": 3_000 + noise,
        "vdab_spending_eur": 1e6 + (1e5 if shift else 0.0) + noise,
    }
    return {"monthly": pd.DataFrame(base)}


def test_link_round_trip_keeps_presets_edits_assumptions_and_language():
    a = compare.ScenarioChoice.make("basis", {"training.jobseeker_uptake": 0.05})
    b = compare.ScenarioChoice.make(
        "basis", {"worker_sharing.enabled": True, "worker_sharing.capacity": 3000}
    )
    shared = {"skill.application_aversion": 7.5}
    text = urlstate.encode(urlstate.PageState(a=a, b=b, shared=shared, lang="en"))
    assert "run=" not in text
    back = urlstate.decode(text, PRESETS)
    assert (back.a, back.b, back.shared, back.lang, back.problems) == (a, b, shared, "en", [])


def test_link_with_a_value_out_of_range_opens_with_a_message_not_an_error():
    back = urlstate.decode("a=basis&b=nope&b.worker_sharing.capacity=-5&lang=xx", PRESETS)
    assert back.b.edits == () and back.lang == "nl"
    assert [p.reason for p in back.problems] == ["unknown_preset", "invalid"]
    assert back.problems[1].key == "b.worker_sharing.capacity"


@pytest.mark.parametrize(
    ("pair", "reason"),
    [
        ("b.worker_sharing.capacity=inf", "invalid"),
        ("b.worker_sharing.capacity=1e999", "invalid"),
        ("b.worker_sharing.capacity=-1e999", "invalid"),
        ("b.worker_sharing.capacity=nan", "invalid"),
        ("b.worker_sharing.capacity=12.5", "invalid"),
        ("b.worker_sharing.capacity=" + "9" * 400, "invalid"),
        ("b.training.jobseeker_uptake=inf", "invalid"),
        ("b.worker_sharing.enabled=maybe", "invalid"),
        ("b.population.size_20_64=10000000", "not_by_link"),
        ("b.simulation.persons_per_agent=1", "not_by_link"),
        ("ab.worker_sharing.capacity=10", "not_by_link"),
        ("b.no.such.name=1", "unknown"),
        ("zz.worker_sharing.capacity=1", "unknown"),
    ],
)
def test_a_bad_link_value_is_named_and_not_used(pair, reason):
    back = urlstate.decode(f"a=basis&b=basis&{pair}", PRESETS)
    assert back.b.edits == () and back.shared == {}
    assert [p.reason for p in back.problems] == [reason]
    message = urlstate.describe_problems(back.problems, "nl")
    assert len(message) < 300 and "Traceback" not in message


def test_a_mapping_lever_in_a_link_is_named_as_not_travelling():
    from sim.registry import load_registry

    mapping = next(
        p for p in load_registry().by_kind("policy_lever") if p.type not in urlstate.SCALAR_TYPES
    )
    back = urlstate.decode(f"a=basis&b=basis&b.{mapping.name}=1", PRESETS)
    assert [p.reason for p in back.problems] == ["mapping"]
    assert "vertrekpunt" in urlstate.describe_problems(back.problems, "nl")


def test_month_levers_travel_in_a_link():
    from sim.registry import load_registry

    months = [p for p in load_registry().by_kind("policy_lever") if p.type == "month"]
    assert months
    par = months[0]
    value = par.range[1] if par.range else "2022-06"
    b = compare.ScenarioChoice.make("basis", {par.name: value})
    text = urlstate.encode(urlstate.PageState(b=b))
    back = urlstate.decode(text, PRESETS)
    assert back.b == b and back.problems == []


def test_eight_thousand_bad_values_give_one_short_message():
    query = "a=basis&b=basis&" + "&".join(f"b.x{i}=1" for i in range(8000))
    back = urlstate.decode(query, PRESETS)
    message = urlstate.describe_problems(back.problems, "en")
    assert len(back.problems) == 8000 and len(message) < 300 and "7997 more" in message


def test_paired_differences_of_equal_scenarios_are_zero_and_the_cache_reuses_runs():
    calls = []

    def runner(key):
        calls.append(key)
        return fake_runner(key)

    cache = compare.RunCache(workers=0, runner=runner)
    same = compare.ScenarioChoice("basis")
    comp = compare.compare(same, same, n_seeds=4, scale=1000, cache=cache)
    assert len(calls) == 4  # basis, A and B are one scenario: one run per seed
    table = summary.paired_table(comp).set_index(["key", "pair"])
    keys = [i.key for i in summary.INDICATORS]
    assert (table.loc[keys, ["diff", "lo", "hi"]] == 0).all().all()
    assert np.isnan(table.loc[(summary.COST_KEY, "B-A"), "diff"])  # no job gain, no cost


def test_paired_table_and_cost_per_extra_job_year():
    cache = compare.RunCache(workers=0, runner=fake_runner)
    a = compare.ScenarioChoice("basis")
    b = compare.ScenarioChoice.make("basis", {"worker_sharing.capacity": 3000})
    comp = compare.compare(a, b, n_seeds=5, scale=1000, cache=cache)
    table = summary.paired_table(comp).set_index(["key", "pair"])
    assert table.loc[("employed", "B-A"), "diff"] == pytest.approx(1000)  # noise cancels
    assert table.loc[("employed", "B-basis"), "diff"] == pytest.approx(1000)
    assert table.loc[("employed", "A-basis"), "diff"] == pytest.approx(0)
    assert table.loc[("job_seekers", "B-A"), "diff"] == pytest.approx(-500)
    # 24 months of 0.1 million extra per month / (1000 extra jobs x 2 years)
    assert table.loc[("spending", "B-A"), "diff"] == pytest.approx(2.4)
    cost = table.loc[(summary.COST_KEY, "B-A")]
    assert cost["diff"] == pytest.approx(2.4e6 / 2000)
    assert cost["no_gain_share"] == 0 and not cost["gain_can_be_zero"]
    csv = summary.long_frame(comp, {"basis": "basis", "A": "a", "B": "b"})
    assert set(csv["group"]) == {"basis", "A", "B"} and len(csv) == 3 * 5 * 5 * 36


def test_follow_a_worker_tells_a_hospitality_workers_path_from_the_model():
    told, model = story.follow(compare.ScenarioChoice("basis"), seed=0, scale=1000)
    assert told.episodes and told.episodes[0].status in ("EMPLOYED", "TEMPORARILY_UNEMPLOYED")
    assert told.sector_labels["nl"][told.episodes[0].sector] == "Horeca"
    assert sum(e.months for e in told.episodes) == model.n_months
    text = told.markdown("nl")
    assert "horeca" in text and text.count("\n- ") == len(told.episodes)


def test_differences_are_rounded_to_what_the_scale_supports():
    from dashboard import numbers

    # one agent = 1,000 persons, 10 seeds: never finer than 100 persons
    assert numbers.display_step(1500, 100) == 100
    assert numbers.signed(783, numbers.display_step(1500, 100), "nl") == "+800"
    assert numbers.display_step(20, 100) == 100
    assert numbers.display_step(25_000, 100) == 1000
    assert numbers.money(54_230_000, "nl", 100_000, sign=True) == "+€ 54,2 miljoen"
    assert numbers.money(54_230_000, "en", 100_000) == "EUR 54.2 million"
    assert numbers.money(13_812, "nl", 100) == "€ 13.800"
    assert numbers.verdict(-1.0, 2.0) == "noise" and numbers.verdict(0.5, 2.0) == "more"


def test_figures_are_titled_and_their_text_is_large_enough():
    from dashboard import figures

    cache = compare.RunCache(workers=0, runner=fake_runner)
    b = compare.ScenarioChoice.make("basis", {"worker_sharing.capacity": 3000})
    comp = compare.compare(compare.ScenarioChoice("basis"), b, n_seeds=3, cache=cache)
    names = {"basis": "basis", "A": "Basis", "B": "Delen"}
    for draw in (figures.differences, figures.levels):
        fig = draw(comp, names, "nl", title="Titel: A = Basis, B = Delen")
        assert fig.get_suptitle() == "Titel: A = Basis, B = Delen"
        # about 1,000 px wide, shown at about 970 px on a 1024 px beamer: >= 18 px there
        assert figures.min_font_px(fig) * 970 / (figures.SIZE[0] * figures.DPI) >= 18


def test_exports_have_a_fingerprint_and_the_belgian_csv_uses_semicolons():
    from dashboard import exports

    one = exports.stem("basis", "werknemersdelen", "a=basis&b=werknemersdelen")
    two = exports.stem("basis", "werknemersdelen", "a=basis&b=werknemersdelen&b.x=1")
    assert one != two and one.startswith("vergelijking_basis_vs_werknemersdelen_")
    text = exports.csv_belgian(pd.DataFrame({"a": [1.5], "b": ["x"]})).decode("utf-8-sig")
    assert text.splitlines() == ["a;b", "1,5;x"]


def test_what_differs_lists_shared_assumptions_in_basis_a_and_b():
    from dashboard.differ import differences

    plain = {}
    shared = {"skill.application_aversion": 7.5}
    scen = {
        "basis": shared,
        "A": shared,
        "B": {**shared, "worker_sharing.enabled": True},
    }
    diffs = {d.name: d for d in differences(plain, scen)}
    assert set(diffs) == {"skill.application_aversion", "worker_sharing.enabled"}
    assert diffs["worker_sharing.enabled"].a_differs_from_b
    assert not diffs["skill.application_aversion"].a_differs_from_b
    assert next(iter(diffs.values())).kind == "policy_lever"  # levers first


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_what_differs_shows_one_baseline_column_unless_a_shared_assumption_changed(lang):
    import re

    from dashboard.differ import differences
    from dashboard.views import differs_html

    def headers(scen):
        text = differs_html(differences({}, scen), lang)
        return re.findall(r"<th[^>]*>([^<]*)</th>", text), text

    lever = {"worker_sharing.enabled": True}
    one, _ = headers({"basis": {}, "A": {}, "B": lever})
    assert one[1:] == [{"nl": "Basis", "en": "Baseline"}[lang], "A", "B"]
    shared = {"skill.application_aversion": 7.5}
    two, text = headers({"basis": shared, "A": shared, "B": {**shared, **lever}})
    assert two[1:] == [
        {"nl": "Standaardwaarde", "en": "Default value"}[lang],
        {"nl": "Basis in deze vergelijking", "en": "Baseline in this comparison"}[lang],
        "A",
        "B",
    ]
    assert "title=" in text  # the two baseline columns explain themselves on hover
    for cols in (one, two):
        assert not any("vertrekpunt" in c or "preset" in c for c in cols)


def test_large_amounts_are_read_in_the_pages_number_format():
    from dashboard.numbers import read_number

    assert read_number("98.000.000", "nl") == 98e6
    assert read_number("1.234,5", "nl") == 1234.5
    assert read_number("98,000,000", "en") == 98e6
    assert read_number("veel", "nl") == "veel"


def test_partial_comparisons_grow_by_whole_replications_and_end_with_the_full_one():
    from concurrent.futures import ThreadPoolExecutor

    def slow(key):
        time.sleep(0.02)
        return fake_runner(key)

    cache = compare.RunCache(workers=1, runner=slow)
    cache._pool = ThreadPoolExecutor(1)  # threads instead of processes: in submit order
    a = compare.ScenarioChoice("basis")
    b = compare.ScenarioChoice.make("basis", {"worker_sharing.capacity": 3000})
    steps = list(compare.comparisons(a, b, n_seeds=6, scale=1000, cache=cache, every=0))
    partial, final = steps[:-1], steps[-1]
    counts = [len(c.seeds) for c in partial]
    assert counts and counts == sorted(set(counts)) and 2 <= counts[0] and counts[-1] < 6
    for comp in partial:  # basis, A and B of the same seeds: the paired table is theirs
        assert comp.seeds == tuple(range(len(comp.seeds)))
        again = compare.compare(a, b, n_seeds=len(comp.seeds), scale=1000, cache=cache)
        pd.testing.assert_frame_equal(summary.paired_table(comp), summary.paired_table(again))
    # the final numbers are those of the plain comparison (same seeds, same statistics)
    plain = compare.compare(
        a, b, n_seeds=6, scale=1000, cache=compare.RunCache(workers=0, runner=fake_runner)
    )
    assert final.seeds == plain.seeds
    pd.testing.assert_frame_equal(summary.paired_table(final), summary.paired_table(plain))
    # all cached: the full comparison at once, no partial step
    assert compare.all_cached(a, b, n_seeds=6, scale=1000, cache=cache)
    again = list(compare.comparisons(a, b, n_seeds=6, scale=1000, cache=cache))
    assert len(again) == 1 and again[0].seeds == plain.seeds
    cache._pool.shutdown()
