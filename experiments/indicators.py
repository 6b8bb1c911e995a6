"""Key indicators of the report and the page: which monthly columns, and how to read them.

What a column means, its Dutch and English label and its unit are declared once, with the
model, in the output schema (``sim/outputs.yaml``, ``docs/OUTPUTS.md``); this module only
chooses the columns the batch report and the workshop page lead with, how each is read at a
horizon and which direction is good. Labels and units are looked up in the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from experiments.model_api import load_model_api

#: Words added to the label of an indicator read cumulatively.
CUMULATIVE = {"nl": "cumulatief", "en": "cumulative"}
#: Display units for a schema unit shown multiplied by a scale other than 1.
SCALED_UNITS = {
    ("share", 100.0): {"nl": "%", "en": "%"},
    ("euro", 1e-6): {"nl": "miljoen euro", "en": "million euro"},
}


def _schema() -> Any:
    return load_model_api().outputs


@dataclass(frozen=True)
class Indicator:
    """A monthly column shown in the report or on the page.

    Attributes:
        column: Column of the monthly table (declared in the output schema).
        aggregation: How it is read at a horizon or over a window: ``level``,
            ``cumulative`` or ``mean``.
        scale: Factor for display (100 for shares shown in %, 1e-6 for million euro).
        higher_is_better: Direction used to colour differences (``None``: neutral).
        key: Short name on the page (CSV column, test hooks); the column by default.
        plot: Whether the page gives it a panel in its plots.
    """

    column: str
    aggregation: str = "level"
    scale: float = 1.0
    higher_is_better: bool | None = None
    key: str = ""
    plot: bool = True

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.column)

    @property
    def label(self) -> dict[str, str]:
        """``{nl, en}`` label from the schema, with 'cumulative' when read so."""
        return {lang: outcome_label(self.column, lang, self.aggregation) for lang in ("nl", "en")}

    @property
    def short(self) -> dict[str, str]:
        """``{nl, en}`` short label from the schema (the label when it has none)."""
        col = _schema().column("monthly", self.column)
        return {
            lang: _with_reading(col.short_text(lang), self.aggregation, lang) for lang in col.label
        }

    @property
    def unit(self) -> dict[str, str]:
        """``{nl, en}`` display unit (the schema's unit, or e.g. % for a share x 100)."""
        return {lang: outcome_unit(self.column, lang, self.scale) for lang in ("nl", "en")}

    def title(self, lang: str) -> str:
        """Short title in ``lang`` (plot panels)."""
        return self.short[lang]


def _with_reading(text: str, aggregation: str, lang: str) -> str:
    return f"{text} ({CUMULATIVE[lang]})" if aggregation == "cumulative" else text


KEY_INDICATORS: tuple[Indicator, ...] = (
    Indicator("employed", higher_is_better=True),
    Indicator("employment_rate_20_64", scale=100, higher_is_better=True),
    Indicator("temporarily_unemployed", higher_is_better=False),
    Indicator("job_seekers", higher_is_better=False),
    Indicator("long_term_share", scale=100, higher_is_better=False),
    Indicator("vacancies_open_3m", higher_is_better=False),
    Indicator("job_to_job", "cumulative", higher_is_better=True),
    Indicator("sector_moves", "cumulative", higher_is_better=True),
    Indicator("training_successes", "cumulative", higher_is_better=True),
    Indicator("seconded"),
)

GROUP_INDICATORS: tuple[Indicator, ...] = (
    Indicator("employment_rate_low_educated", scale=100, higher_is_better=True),
    Indicator("employment_rate_50_64", scale=100, higher_is_better=True),
    Indicator("employment_rate_low_digital", scale=100, higher_is_better=True),
)

#: The total policy cost of a month: the model's ``vdab_spending_eur`` (everything VDAB
#: books: counselling, training, pilots). Declared in the schema with origin ``analysis``.
TOTAL_SPENDING_COLUMN = "vdab_spending_eur"
TOTAL_COST = "policy_cost_eur"


@cache
def by_column() -> dict[str, Indicator]:
    """Every key and group indicator by column name."""
    return {i.column: i for i in (*KEY_INDICATORS, *GROUP_INDICATORS)}


def outcome_label(column: str, lang: str = "nl", aggregation: str | None = None) -> str:
    """Label of a monthly column in ``lang`` (the column name when it is not declared).

    Args:
        column: Column of the monthly table.
        lang: ``nl`` or ``en``.
        aggregation: How it is read; ``cumulative`` adds the word. By default, the key
            indicator's reading (and cumulative for the total policy cost).
    """
    col = _schema().get("monthly", column)
    if col is None:
        return column
    if aggregation is None:
        ind = by_column().get(column)
        aggregation = ind.aggregation if ind else ("cumulative" if column == TOTAL_COST else "")
    return _with_reading(col.text(lang), aggregation, lang)


def outcome_scale(column: str) -> float:
    """Display factor of a column (100 for shares, shown in %)."""
    col = _schema().get("monthly", column)
    return 100.0 if col is not None and col.unit == "share" else 1.0


def outcome_unit(column: str, lang: str = "nl", scale: float | None = None) -> str:
    """Display unit of a monthly column in ``lang`` (empty when it is not declared).

    Args:
        column: Column of the monthly table.
        lang: ``nl`` or ``en``.
        scale: Display factor (default :func:`outcome_scale`): a share times 100 is in %.
    """
    col = _schema().get("monthly", column)
    if col is None:
        return ""
    scale = outcome_scale(column) if scale is None else scale
    scaled = SCALED_UNITS.get((col.unit, float(scale)))
    return scaled[lang] if scaled else _schema().unit_text(col.unit, lang)


def is_count(column: str) -> bool:
    """True for a monthly column counted in persons or vacancies (its declared unit)."""
    col = _schema().get("monthly", column)
    return col is not None and col.unit in ("persons", "vacancies")
