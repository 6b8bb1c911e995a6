"""The Covid-19 shock paths: derived from the data file, not shaped by hand."""

from __future__ import annotations

import copy

import pytest

import sim
from sim.lockdown_paths import (
    REFERENCE_MONTH,
    closure_path,
    general_path,
    load_sources,
    monthly_turnover_loss,
    third_wave_paths,
)
from sim.registry import load_registry


def test_registry_defaults_are_the_derived_paths() -> None:
    """sim/parameters.yaml holds exactly what sim.lockdown_paths derives from the data."""
    reg = load_registry()
    assert reg.parameters["shock.first_wave_path"].default == general_path()
    assert reg.parameters["shock.closure_path"].default == closure_path()


def test_derde_golf_preset_is_the_derived_third_wave() -> None:
    """The preset's series equal third_wave_paths (data up to 2021-02, assumption after)."""
    sc = sim.load_scenario("derde-golf")
    general, closure = third_wave_paths()
    assert sc.overrides["shock.first_wave_path"] == general
    assert sc.overrides["shock.closure_path"] == closure


def test_general_path_is_one_in_april_2020_and_below_elsewhere() -> None:
    """Normalised on the first lockdown: April 2020 = 1, every other month in (0, 1)."""
    path = general_path()
    assert REFERENCE_MONTH == "2020-04" and path["2020-04"] == 1.0
    assert all(0 < v < 1 for k, v in path.items() if k != "2020-04")
    # the month the lockdown began: its days from 14 March on (18 of 31)
    assert path["2020-03"] == round(18 / 31, 3)
    # no loss left in the ad-hoc survey of October 2021: the path ends before it
    assert max(path) == "2021-09" and "2021-10" not in path


def test_general_path_follows_the_survey_values() -> None:
    """A month's intensity is its mean surveyed loss over April's; gaps interpolated."""
    src = load_sources()
    months = src["general"]["months"]
    april = sum(months["2020-04"]["loss"]) / len(months["2020-04"]["loss"])
    path = general_path(src)
    assert path["2020-11"] == round(17 / april, 3)
    loss = monthly_turnover_loss(src["general"])
    assert loss["2020-07"] == pytest.approx((loss["2020-06"] + loss["2020-08"]) / 2)
    # a change in the data moves the path: the test would catch a hand-edited default
    changed = copy.deepcopy(src)
    changed["general"]["months"]["2020-11"]["loss"] = [34]
    assert general_path(changed)["2020-11"] == round(34 / april, 3)


def test_closure_path_is_zero_outside_the_closure_calendar() -> None:
    """Closed from 19 October 2020 to 8 June 2021: 0 before and after, 1 in between."""
    path = closure_path()
    assert min(path) == "2020-10" and max(path) == "2021-06"
    assert path["2020-10"] == round(13 / 31, 3)
    assert path["2021-06"] == round(8 / 30, 3)
    assert all(path[m] == 1.0 for m in path if "2020-11" <= m <= "2021-05")
    model = sim.build_model("basis", seed=1)
    assert model.params["shock.closure_path"].get("2020-09", 0.0) == 0.0
    assert model.params["shock.closure_path"].get("2021-07", 0.0) == 0.0


def test_third_wave_adds_to_the_data_from_march_2021_only() -> None:
    """derde-golf equals basis up to February 2021 and is deeper from March 2021."""
    base_g, base_c = general_path(), closure_path()
    wave_g, wave_c = third_wave_paths()
    assert {k: v for k, v in wave_g.items() if k < "2021-03"} == {
        k: v for k, v in base_g.items() if k < "2021-03"
    }
    assert all(wave_g[k] > base_g.get(k, 0.0) for k in wave_g if k >= "2021-03")
    assert wave_c["2021-06"] == 1.0 and wave_c["2021-07"] == round(14 / 31, 3)
    assert {k: v for k, v in wave_c.items() if k < "2021-06"} == {
        k: v for k, v in base_c.items() if k < "2021-06"
    }


@pytest.mark.parametrize("curvature", [1.0, 2.0])
def test_general_curvature_maps_the_path_and_keeps_april_at_one(curvature: float) -> None:
    """The model's general intensity is the path to the power shock.general_curvature."""
    model = sim.build_model("basis", seed=1, overrides={"shock.general_curvature": curvature})
    path = model.params["shock.first_wave_path"]
    seen = {}
    while model.month != "2020-11":
        model.step()
        seen[model.month] = model.intensity_general
    assert seen["2020-04"] == 1.0
    assert seen["2020-11"] == pytest.approx(path["2020-11"] ** curvature)
    assert seen["2019-12"] == 0.0
