"""Mesa's DataCollector for the model, in persons.

The model records its full monthly table itself (:class:`sim.outputs.Recorder`, read by
:func:`sim.simulate`). For Mesa's own tools (``mesa.batch_run``, SolaraViz plots) the model
also carries a ``datacollector`` whose model reporters read the month just recorded: the
headline stocks, rates and flows, in persons (agent counts times
``simulation.persons_per_agent``), never in agents.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

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


class RecordedRowCollector(mesa.DataCollector):
    """Mesa's DataCollector that stores the recorder's values without deep-copying them.

    Mesa deep-copies every model reporter's value each step, so that a mutable value (a
    list, an array) cannot change after it was collected. The reporters of
    :func:`make_datacollector` read the recorder's row of the month (:func:`latest_value`):
    immutable scalars (str, int, float), for which the copy is pure cost (a month's
    collection of the 16 reporters took 7.8 microseconds with the copies, 1.4 without).
    This collector appends those values directly; ``model_vars``,
    ``get_model_vars_dataframe`` and ``mesa.batch_run`` see the same lists. The first
    collection (Mesa validates its reporters there) and any collector with other
    reporters (a lambda, an attribute, agent reporters) go through Mesa's own
    :meth:`~mesa.DataCollector.collect`.
    """

    def __init__(self, **kwargs: Any) -> None:
        #: reporter name -> recorded column, or None for a reporter of another kind
        self._row_columns: dict[str, str | None] = {}
        super().__init__(**kwargs)

    def _new_model_reporter(self, name: str, reporter: Any) -> None:
        super()._new_model_reporter(name, reporter)
        reads_row = isinstance(reporter, partial) and reporter.func is latest_value
        self._row_columns[name] = reporter.args[0] if reads_row else None

    def collect(self, model: LabourMarketModel) -> None:
        """Append this month's value of every model reporter (see the class docstring)."""
        columns = self._row_columns
        if (
            not self._validated
            or None in columns.values()
            or self.agent_reporters
            or self.agenttype_reporters
        ):
            super().collect(model)
            return
        self._collection_steps.append(model.time)
        row = model.recorder.rows[-1]
        model_vars = self.model_vars
        for name, column in columns.items():
            model_vars[name].append(row[column])


def make_datacollector() -> mesa.DataCollector:
    """A DataCollector with one model reporter per column of :data:`REPORTED_COLUMNS`."""
    return RecordedRowCollector(
        model_reporters={c: partial(latest_value, c) for c in REPORTED_COLUMNS}
    )
