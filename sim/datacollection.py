"""Mesa's DataCollector for the model, in persons.

The model records its full monthly table itself (:class:`sim.outputs.Recorder`, read by
:func:`sim.simulate`). For Mesa's own tools (``mesa.batch_run``, SolaraViz plots) the model
also carries a ``datacollector`` whose model reporters read the month just recorded: the
headline stocks, rates and flows, in persons (agent counts times
``simulation.persons_per_agent``), never in agents.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: monthly columns the DataCollector reports (docs/OUTPUTS.md has their meaning and unit)
REPORTED_COLUMNS = (
    "month",
    "employed",
    "at_work",
    "employment_rate_20_64",
    "temporarily_unemployed",
    "seconded",
    "job_seekers",
    "long_term_share",
    "inactive",
    "vacancies",
    "vacancy_rate",
    "vacancies_open_3m",
    "hires",
    "separations",
    "job_to_job",
    "training_starts",
)


def latest_value(column: str, model: LabourMarketModel) -> object:
    """Model reporter: ``column`` in the month the model recorded last.

    Used through ``functools.partial`` (not a lambda), so that a collector can be pickled to
    another process.
    """
    return model.recorder.rows[-1][column]


def make_datacollector() -> mesa.DataCollector:
    """A DataCollector with one model reporter per column of :data:`REPORTED_COLUMNS`."""
    return mesa.DataCollector(
        model_reporters={c: partial(latest_value, c) for c in REPORTED_COLUMNS}
    )
