"""Common random numbers: scenarios run with the same seed stay paired."""

from __future__ import annotations

import numpy as np

import sim
from sim.streams import Streams, keyed_uniform

SCALE = {"simulation.persons_per_agent": 200}


def test_keyed_uniforms_are_uniform_and_independent_of_order():
    u = keyed_uniform(12345, np.arange(200_000))
    assert abs(u.mean() - 0.5) < 0.005
    assert abs(u.var() - 1 / 12) < 0.002
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    rows = np.array([5, 17, 99_999])
    whole = keyed_uniform(7, np.arange(100_000))
    np.testing.assert_array_equal(keyed_uniform(7, rows), whole[rows])


def test_draws_depend_on_row_not_on_the_subset_asked_for():
    streams = Streams(np.random.SeedSequence(3))
    streams.month = 4
    a = streams.draws("separations").uniform(np.arange(1000), "x")
    b = streams.draws("separations").uniform(np.array([10, 500]), "x")
    assert (b == a[[10, 500]]).all()
    c = streams.draws("matching").uniform(np.array([10, 500]), "x")
    assert not (c == b).any()


def test_sparse_sample_has_the_right_rate_and_is_reproducible():
    streams = Streams(np.random.SeedSequence(1))
    rows = streams.draws("separations").sample(1_000_000, 0.01)
    assert abs(len(rows) - 10_000) < 400
    assert len(np.unique(rows)) == len(rows) and rows.max() < 1_000_000
    again = Streams(np.random.SeedSequence(1)).draws("separations").sample(1_000_000, 0.01)
    np.testing.assert_array_equal(rows, again)


def test_paired_difference_is_much_smaller_than_seed_noise():
    base1 = sim.simulate("basis", seed=1, overrides=SCALE)
    base2 = sim.simulate("basis", seed=2, overrides=SCALE)
    pilot1 = sim.simulate("werknemersdelen", seed=1, overrides=SCALE)
    e1 = base1.monthly["employed"].to_numpy()
    seed_noise = np.abs(base2.monthly["employed"].to_numpy() - e1).mean()
    paired = np.abs(pilot1.monthly["employed"].to_numpy() - e1).mean()
    assert paired < 0.5 * seed_noise
    # most workers of the start end the run in the same status in both scenarios
    n = 5000
    a, b = base1.model.workers.status[:n], pilot1.model.workers.status[:n]
    assert (a == b).mean() > 0.6
