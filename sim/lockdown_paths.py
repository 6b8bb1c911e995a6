"""The Covid-19 shock paths derived from public data (sim/lockdown_paths.yaml).

``shock.first_wave_path`` (the general lockdown) comes from the ERMG business surveys'
loss of turnover, ``shock.closure_path`` (the closures from October 2020) from the
official calendar of the closure of cafés and restaurants. Neither is shaped on the RVA
temporary unemployment series, which stays validation (sim/calibration.yaml). The
registry defaults (sim/parameters.yaml) and the derde-golf preset hold the series this
module derives; tests/test_lockdown_paths.py checks they agree.

Print the series::

    python -m sim.lockdown_paths
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import yaml

from sim.months import month_range

SOURCES = Path(__file__).with_name("lockdown_paths.yaml")
#: the month the general path is normalised on (intensity 1): the first lockdown
REFERENCE_MONTH = "2020-04"
DECIMALS = 3


def load_sources(path: Path = SOURCES) -> dict[str, Any]:
    """The source file: survey values, closure calendar, third-wave assumption."""
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _days(month: str) -> int:
    """Days in the month 'YYYY-MM'."""
    return calendar.monthrange(int(month[:4]), int(month[5:7]))[1]


def monthly_turnover_loss(general: dict[str, Any]) -> dict[str, float]:
    """Loss of turnover per month (percent), surveyed months and the months between.

    A month with several ERMG surveys takes their mean; a month without a survey that
    lies between two surveyed months (July 2020; July-September 2021) takes the linear
    interpolation between them. Months before the first survey and after the last are
    not in the result.
    """
    surveyed = {k: sum(v["loss"]) / len(v["loss"]) for k, v in general["months"].items()}
    keys = sorted(surveyed)
    out: dict[str, float] = {}
    for a, b in itertools.pairwise(keys):
        span = month_range(a, b)
        for i, month in enumerate(span[:-1]):
            out[month] = surveyed[a] + (surveyed[b] - surveyed[a]) * i / (len(span) - 1)
    out[keys[-1]] = surveyed[keys[-1]]
    return out


def general_path(sources: dict[str, Any] | None = None) -> dict[str, float]:
    """Monthly intensity of the general lockdown (``shock.first_wave_path``).

    Models how much of the economy's normal activity the Covid-19 crisis took away:
    intensity = loss of turnover / the loss of April 2020, so April 2020 is 1 by
    construction and a month without loss is 0 (the ERMG question is the loss against
    "normal", whose pre-pandemic level is 0). The month the lockdown began (March 2020,
    no survey before its last days) is the share of its days from the first closures
    (14 March) on, at April's intensity. Source: ERMG surveys (NBB, FEB/VBO and the
    business federations), sim/lockdown_paths.yaml. Rounded to three decimals; months
    at 0 are left out (a series' unlisted months are 0).
    """
    general = (sources or load_sources())["general"]
    loss = monthly_turnover_loss(general)
    reference = loss[REFERENCE_MONTH]
    start = dt.date.fromisoformat(general["lockdown_start"])
    start_month = start.isoformat()[:7]
    days = _days(start_month)
    path = {start_month: (days - start.day + 1) / days}
    path.update({m: v / reference for m, v in loss.items()})
    return {m: round(v, DECIMALS) for m, v in sorted(path.items()) if round(v, DECIMALS) > 0}


def closure_path(
    sources: dict[str, Any] | None = None, until: str | None = None
) -> dict[str, float]:
    """Monthly intensity of the closures (``shock.closure_path``).

    Models the closure of hospitality (and, with smaller sensitivities, of culture,
    contact professions and non-essential shops) from October 2020: the share of each
    month's days on which cafés and restaurants could not serve indoors, from the
    official calendar (ministerial decrees and Overlegcomité decisions,
    sim/lockdown_paths.yaml). ``until`` (YYYY-MM-DD, inclusive) replaces the last day
    of the last closure period (the derde-golf assumption). Rounded to three decimals;
    months at 0 are left out.
    """
    periods = (sources or load_sources())["closure"]["periods"]
    closed: dict[str, int] = {}
    for i, period in enumerate(periods):
        first = dt.date.fromisoformat(period["from"])
        last = dt.date.fromisoformat(
            until if until is not None and i == len(periods) - 1 else period["to"]
        )
        day = first
        while day <= last:
            key = day.isoformat()[:7]
            closed[key] = closed.get(key, 0) + 1
            day += dt.timedelta(days=1)
    return {m: round(min(1.0, n / _days(m)), DECIMALS) for m, n in sorted(closed.items())}


def third_wave_paths(
    sources: dict[str, Any] | None = None,
) -> tuple[dict[str, float], dict[str, float]]:
    """The derde-golf preset's general and closure paths (an assumed third lockdown).

    The general path is :func:`general_path` plus the assumed ``extra_general`` of
    March-October 2021, capped at 1; the closure path is :func:`closure_path` with
    horeca closed until ``closure_until``. A lockdown that did not happen has no data:
    the increments and the date are the assumption of sim/lockdown_paths.yaml.
    """
    src = sources or load_sources()
    wave = src["third_wave"]
    general = general_path(src)
    for month, extra in wave["extra_general"].items():
        general[month] = round(min(1.0, general.get(month, 0.0) + extra), DECIMALS)
    return dict(sorted(general.items())), closure_path(src, until=wave["closure_until"])


def main() -> None:
    """Print the derived series, as they stand in sim/parameters.yaml and the preset."""
    import json

    print("shock.first_wave_path:", json.dumps(general_path()))
    print("shock.closure_path:", json.dumps(closure_path()))
    general, closure = third_wave_paths()
    print("derde-golf shock.first_wave_path:", json.dumps(general))
    print("derde-golf shock.closure_path:", json.dumps(closure))


if __name__ == "__main__":
    main()
