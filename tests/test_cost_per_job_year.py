"""Cost per extra job-year: one definition for the report and the workshop page."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.analysis import cost_per_job_year


def test_cost_per_job_year_is_the_ratio_of_the_paired_means():
    cost = np.array([2.0e6, 2.2e6, 1.8e6, 2.1e6, 1.9e6])
    gain = np.array([100.0, 110.0, 90.0, 105.0, 95.0])
    out = cost_per_job_year(cost, gain)
    assert out.value == pytest.approx(cost.mean() / gain.mean())
    assert out.low <= out.value <= out.high < math.inf
    assert out.no_gain_share == 0 and not out.gain_can_be_zero


def test_an_uncertain_job_gain_opens_the_upper_end_instead_of_dropping_resamples():
    cost = np.full(10, 1.0e6) + np.arange(10) * 1e4
    gain = np.array([30.0, -20.0, 25.0, -15.0, 40.0, -30.0, 10.0, 5.0, -5.0, 20.0])
    out = cost_per_job_year(cost, gain)
    assert gain.mean() > 0 and out.value == pytest.approx(cost.mean() / gain.mean())
    assert out.high == math.inf  # not a finite bound computed from the lucky resamples
    assert 0.025 < out.no_gain_share < 0.9 and out.gain_can_be_zero


def test_no_job_gain_on_average_gives_no_cost_per_job_year():
    out = cost_per_job_year(np.full(5, 1e6), np.array([-10.0, -5.0, 0.0, -2.0, 1.0]))
    assert math.isnan(out.value) and out.gain_can_be_zero
