"""The model's DataCollector stores the same values as Mesa's own, without deep copies."""

from functools import partial

import mesa

from sim import LabourMarketModel
from sim.datacollection import REPORTED_COLUMNS, RecordedRowCollector, latest_value

SMALL = {"persons_per_agent": 5000, "end": "2019-06"}


def test_the_collector_stores_what_mesas_own_collector_stores():
    model = LabourMarketModel(rng=2, **SMALL)
    reporters = {c: partial(latest_value, c) for c in REPORTED_COLUMNS}
    plain = mesa.DataCollector(model_reporters=reporters)
    while model.running:
        model.step()
        plain.collect(model)
    ours = model.datacollector
    assert isinstance(ours, RecordedRowCollector)
    assert ours.model_vars == plain.model_vars
    assert ours._collection_steps == plain._collection_steps
    assert ours.get_model_vars_dataframe().equals(plain.get_model_vars_dataframe())


def test_other_reporters_go_through_mesas_collect():
    model = LabourMarketModel(rng=2, **SMALL)
    collector = RecordedRowCollector(
        model_reporters={"month": partial(latest_value, "month"), "steps": "steps"}
    )
    for _ in range(3):
        model.step()
        collector.collect(model)
    frame = collector.get_model_vars_dataframe()
    assert list(frame["month"]) == ["2019-01", "2019-02", "2019-03"]
    assert list(frame["steps"]) == [1, 2, 3]


def test_after_the_first_month_the_values_are_appended_without_mesas_collect(monkeypatch):
    model = LabourMarketModel(rng=2, **SMALL)
    model.step()  # the first collection validates the reporters (Mesa's collect)

    def refused(self: mesa.DataCollector, model: LabourMarketModel) -> None:
        raise AssertionError("Mesa's collect (with its deep copies) was called")

    monkeypatch.setattr(mesa.DataCollector, "collect", refused)
    model.step()
    assert model.datacollector.model_vars["month"] == ["2019-01", "2019-02"]
