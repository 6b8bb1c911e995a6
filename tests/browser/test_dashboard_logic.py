"""The dashboard's logic without a browser: link state, paired table, cache, story."""

from __future__ import annotations

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


def test_link_round_trip_keeps_presets_edits_and_language():
    a = compare.ScenarioChoice.make("basis", {"training.jobseeker_uptake": 0.05})
    b = compare.ScenarioChoice.make(
        "basis", {"worker_sharing.enabled": True, "worker_sharing.capacity": 3000}
    )
    text = urlstate.encode(urlstate.PageState(a=a, b=b, lang="en", run=True))
    back = urlstate.decode(text, PRESETS)
    assert (back.a, back.b, back.lang, back.run, back.errors) == (a, b, "en", True, [])


def test_link_with_a_value_out_of_range_opens_with_a_message_not_an_error():
    back = urlstate.decode("a=basis&b=nope&b.worker_sharing.capacity=-5&lang=xx", PRESETS)
    assert back.b.edits == () and back.lang == "nl"
    assert len(back.errors) == 2 and "worker_sharing.capacity" in back.errors[1]


def test_paired_differences_of_equal_scenarios_are_zero_and_the_cache_reuses_runs():
    calls = []

    def runner(key):
        calls.append(key)
        return fake_runner(key)

    cache = compare.RunCache(workers=0, runner=runner)
    same = compare.ScenarioChoice("basis")
    comp = compare.compare(same, same, n_seeds=4, scale=1000, cache=cache)
    assert len(calls) == 4  # basis, A and B are one scenario: one run per seed
    table = summary.difference_table(comp).set_index("key")
    assert (table.loc[[i.key for i in summary.INDICATORS], ["diff", "lo", "hi"]] == 0).all().all()
    assert np.isnan(table.loc["cost_per_job", "diff"])  # no extra jobs, no cost per job


def test_paired_table_and_cost_per_extra_job():
    cache = compare.RunCache(workers=0, runner=fake_runner)
    a = compare.ScenarioChoice("basis")
    b = compare.ScenarioChoice.make("basis", {"worker_sharing.capacity": 3000})
    comp = compare.compare(a, b, n_seeds=5, scale=1000, cache=cache)
    table = summary.difference_table(comp).set_index("key")
    assert table.loc["employed", "diff"] == pytest.approx(1000)  # paired: the noise cancels
    assert table.loc["job_seekers", "diff"] == pytest.approx(-500)
    # 24 months of 0.1 million extra per month / (1000 extra jobs x 2 years)
    assert table.loc["spending", "diff"] == pytest.approx(2.4)
    assert table.loc["cost_per_job", "diff"] == pytest.approx(2.4e6 / 2000)
    csv = summary.long_frame(comp, {"basis": "basis", "A": "a", "B": "b"})
    assert set(csv["group"]) == {"basis", "A", "B"} and len(csv) == 3 * 5 * 5 * 36


def test_follow_a_worker_tells_a_hospitality_workers_path_from_the_model():
    told, model = story.follow(compare.ScenarioChoice("basis"), seed=0, scale=1000)
    assert told.episodes and told.episodes[0].status in ("EMPLOYED", "TEMPORARILY_UNEMPLOYED")
    assert told.sector_labels["nl"][told.episodes[0].sector] == "Horeca"
    assert sum(e.months for e in told.episodes) == model.n_months
    text = told.markdown("nl")
    assert "horeca" in text and text.count("\n- ") == len(told.episodes)
