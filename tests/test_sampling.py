"""The sampling shortcuts of the hot path draw exactly what the plain methods draw."""

from __future__ import annotations

import numpy as np
import pytest

from sim.population import draw_category
from sim.rules.matching import draw_sector, first_offers, pick_winners
from sim.rules.sampling import sparse_thin_by_group
from sim.state import Course, Education, Status
from sim.streams import Streams, _mix, keyed_uniform


def reference_draw_sector(cum: np.ndarray, profile: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One profile at a time, with numpy's searchsorted on its normalised shares."""
    out = np.empty(len(profile), dtype=np.int64)
    for i, (r, x) in enumerate(zip(profile, u, strict=True)):
        row = cum[r]
        norm = row / row[-1] if row[-1] > 0 else np.ones_like(row)
        out[i] = min(np.searchsorted(norm + r, r + x, side="right"), len(row) - 1)
    return out


@pytest.mark.parametrize("n", [5, 40, 3000])
def test_draw_sector_matches_a_per_profile_search(n):
    rng = np.random.default_rng(n)
    weights = rng.random((30, 10)) * (rng.random((30, 10)) > 0.3)
    weights[4] = 0.0  # a profile with no weight at all
    cum = np.cumsum(weights, axis=1)
    profile = rng.integers(0, 30, n)
    u = rng.random(n)
    u[:5] = [0.0, 1.0 - 2**-53, 0.5, 1e-300, 1.0 - 1e-12]
    got = draw_sector(cum, profile, u)
    np.testing.assert_array_equal(got, reference_draw_sector(cum, profile, u))
    assert got.min() >= 0 and got.max() <= 9
    # a sector without weight is never drawn (except by the empty profile's fallback, and
    # when r + u rounds up to r + 1: u above 1 - 2**-53 x r, as in the second draw)
    has = weights[profile, got] > 0
    assert has[(profile != 4) & (u < 1 - 1e-9)].all()


def test_draw_category_is_rng_choice_without_the_checks():
    for seed in range(50):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        p = a.random(int(a.integers(2, 12)))
        p /= p.sum()
        b.random(len(p))
        k = int(a.integers(0, 40))
        b.integers(0, 40)
        np.testing.assert_array_equal(draw_category(b, p, k), a.choice(len(p), size=k, p=p))
        assert a.random() == b.random()  # the generators stay in step


@pytest.mark.parametrize("n", [0, 1, 5, 6, 7, 40])  # the few-ids path and the array path
def test_keyed_uniform_is_splitmix64_of_the_row(n):
    key = 0xDEADBEEF12345678
    rows = np.array([0, 1, 2, 12345, 2**40, 7] * 7)[:n]
    expected = [(_mix(key + r * 0x9E3779B97F4A7C15) >> 11) / 2**53 for r in rows.tolist()]
    got = keyed_uniform(key, rows)
    assert got.dtype == np.float64 and got.shape == (n,)
    np.testing.assert_array_equal(got, expected)


def test_status_codes_compare_with_int8_columns_without_widening():
    column = np.array([0, 3, 4, 3], dtype=np.int8)
    assert (column == Status.JOB_SEEKER).tolist() == [False, True, False, True]
    assert (column == Status.JOB_SEEKER).dtype == bool
    assert Status.JOB_SEEKER == 3 and Status(np.int8(3)) is Status.JOB_SEEKER
    assert np.result_type(column, Status.TRAINING) == np.int8
    assert str(Course.SHORT) == "1" and Education(0).name == "LOW"
    assert np.zeros(7)[Status.RETIRED] == 0.0


def test_several_tags_in_one_call_equal_one_call_per_tag():
    streams = Streams(np.random.SeedSequence(11))
    streams.month = 7
    draws = streams.draws("matching")
    rows = np.array([3, 0, 42, 99_999, 42])
    both = draws.uniforms(rows, "sector", "verdict")
    assert both.shape == (2, len(rows))
    np.testing.assert_array_equal(both[0], draws.uniform(rows, "sector"))
    np.testing.assert_array_equal(both[1], draws.uniform(rows, "verdict"))


def test_sparse_thinning_picks_members_about_as_many_as_wanted():
    streams = Streams(np.random.SeedSequence(5))
    n = 200_000
    groups = np.arange(n) % 4
    member = (np.arange(n) % 3) != 0
    avail = np.bincount(groups[member], minlength=4)
    wanted = np.array([0, 100, 1000, 5000])
    picked = sparse_thin_by_group(
        streams.draws("layoffs"), n, avail, lambda r: member[r], groups, wanted, "test"
    )
    assert member[picked].all()
    assert len(np.unique(picked)) == len(picked)
    got = np.bincount(groups[picked], minlength=4)
    assert got[0] == 0
    np.testing.assert_allclose(got[1:], wanted[1:], rtol=0.25)


def test_each_slot_has_one_winner_the_highest_priority_later_on_a_tie():
    rng = np.random.default_rng(2)
    slot = rng.integers(0, 300, 2000)
    priority = np.round(rng.random(2000), 2)  # many exact ties
    won = pick_winners(slot, priority, 300)
    # the same as the last writer after a stable sort by priority
    order = np.argsort(priority, kind="stable")
    winner = np.full(300, -1)
    for i in order:
        winner[slot[i]] = i
    np.testing.assert_array_equal(np.sort(won), np.sort(winner[winner >= 0]))
    assert len(np.unique(slot[won])) == len(won)
    assert (np.diff(won) > 0).all()  # ascending: first_offers relies on it


def test_first_offers_keeps_each_workers_first_offer():
    rng = np.random.default_rng(5)
    worker = np.repeat(rng.permutation(1000)[:200], rng.integers(1, 5, 200))  # grouped
    keep = first_offers(worker)
    _, first_index = np.unique(worker, return_index=True)
    np.testing.assert_array_equal(np.flatnonzero(keep), np.sort(first_index))
    assert first_offers(worker[:0]).tolist() == [] and first_offers(worker[:1]).tolist() == [True]


def test_worker_table_columns_follow_appends_and_write_through():
    from sim.state import WorkerTable

    t = WorkerTable(capacity=4, n_sectors=2, n_classes=6)
    t.append({"age_months": np.array([240, 300], dtype=np.int16)})
    first = t.age_months  # a cached view
    assert len(first) == 2
    t.age_months += 1  # in place, through the cached view
    t.append({"age_months": np.array([400, 500, 600], dtype=np.int16)})  # grows the columns
    assert t.age_months.tolist() == [241, 301, 400, 500, 600]
    t.age_months[:] = 7
    t.append({"age_months": np.array([1], dtype=np.int16)})
    assert t.age_months.tolist() == [7, 7, 7, 7, 7, 1]
    with pytest.raises(AttributeError):
        t.status = np.zeros(6, dtype=np.int8)  # only through set_status
