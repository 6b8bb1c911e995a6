"""Key indicators of the report: which monthly columns, how to read them, their labels.

The meaning and unit of every column is documented with the model (``docs/OUTPUTS.md``);
this module only chooses the ones the batch report leads with and gives them short Dutch
and English labels. Columns the model does not produce are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """A monthly column shown in the report.

    Attributes:
        column: Column of the monthly table.
        label: ``{nl, en}`` short label.
        unit: ``{nl, en}`` unit.
        aggregate: How it is read at a horizon: ``level``, ``cumulative`` or ``mean``.
        scale: Factor for display (e.g. 100 for shares shown in %).
        higher_is_better: Direction used to colour differences (``None``: neutral).
    """

    column: str
    label: dict[str, str]
    unit: dict[str, str]
    aggregate: str = "level"
    scale: float = 1.0
    higher_is_better: bool | None = None


PERSONS = {"nl": "personen", "en": "persons"}
PERCENT = {"nl": "%", "en": "%"}
EUR = {"nl": "euro", "en": "euro"}

KEY_INDICATORS: tuple[Indicator, ...] = (
    Indicator("employed", {"nl": "Werkenden", "en": "Employed"}, PERSONS, higher_is_better=True),
    Indicator(
        "employment_rate_20_64",
        {"nl": "Werkzaamheidsgraad 20-64", "en": "Employment rate 20-64"},
        PERCENT,
        scale=100,
        higher_is_better=True,
    ),
    Indicator(
        "temporarily_unemployed",
        {"nl": "Tijdelijk werklozen", "en": "Temporarily unemployed"},
        PERSONS,
        higher_is_better=False,
    ),
    Indicator(
        "job_seekers",
        {"nl": "Niet-werkende werkzoekenden", "en": "Job seekers"},
        PERSONS,
        higher_is_better=False,
    ),
    Indicator(
        "long_term_share",
        {"nl": "Aandeel langdurig werkzoekend", "en": "Long-term job seekers' share"},
        PERCENT,
        scale=100,
        higher_is_better=False,
    ),
    Indicator(
        "vacancies_open_3m",
        {"nl": "Vacatures 3+ maanden open (krapte)", "en": "Vacancies open 3+ months (shortage)"},
        PERSONS,
        higher_is_better=False,
    ),
    Indicator(
        "job_to_job",
        {"nl": "Werk-naar-werkovergangen (cumulatief)", "en": "Job-to-job moves (cumulative)"},
        PERSONS,
        "cumulative",
        higher_is_better=True,
    ),
    Indicator(
        "sector_moves",
        {
            "nl": "Overstappen naar een andere sector (cumulatief)",
            "en": "Moves to another sector (cumulative)",
        },
        PERSONS,
        "cumulative",
        higher_is_better=True,
    ),
    Indicator(
        "training_successes",
        {"nl": "Geslaagde opleidingen (cumulatief)", "en": "Successful trainings (cumulative)"},
        PERSONS,
        "cumulative",
        higher_is_better=True,
    ),
    Indicator(
        "seconded",
        {"nl": "Gedeelde werknemers (uitgeleend)", "en": "Shared (seconded) workers"},
        PERSONS,
    ),
)

GROUP_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "employment_rate_low_educated",
        {"nl": "Laaggeschoolden", "en": "Low-educated"},
        PERCENT,
        scale=100,
        higher_is_better=True,
    ),
    Indicator(
        "employment_rate_50_64",
        {"nl": "50-64 jaar", "en": "Aged 50-64"},
        PERCENT,
        scale=100,
        higher_is_better=True,
    ),
    Indicator(
        "employment_rate_low_digital",
        {"nl": "Zwakke digitale vaardigheden", "en": "Low digital skills"},
        PERCENT,
        scale=100,
        higher_is_better=True,
    ),
)

#: Spending columns (EUR per month). The total policy cost of a month is the model's
#: ``vdab_spending_eur`` (everything VDAB books: counselling, training, pilots) when present,
#: else the sum of the ``*_spending_eur`` columns.
SPENDING_SUFFIX = "_spending_eur"
TOTAL_SPENDING_COLUMN = "vdab_spending_eur"
TOTAL_COST = "policy_cost_eur"
TOTAL_COST_LABEL = {"nl": "Beleidsuitgaven (cumulatief)", "en": "Policy spending (cumulative)"}

_EXTRA_LABELS = {
    "hires": {"nl": "Aanwervingen", "en": "Hires"},
    "separations": {"nl": "Uitstroom uit job", "en": "Separations"},
    "vacancies": {"nl": "Openstaande vacatures", "en": "Open vacancies"},
    "vacancy_rate": {"nl": "Vacaturegraad", "en": "Vacancy rate"},
    "training_starts": {"nl": "Gestarte opleidingen", "en": "Training starts"},
    "training_completions": {"nl": "Voltooide opleidingen", "en": "Training completions"},
    TOTAL_COST: TOTAL_COST_LABEL,
}


def by_column() -> dict[str, Indicator]:
    """Every known indicator by column name."""
    return {i.column: i for i in (*KEY_INDICATORS, *GROUP_INDICATORS)}


def outcome_label(column: str, lang: str = "nl") -> str:
    """Label of a monthly column in ``lang`` (the column name when unknown)."""
    ind = by_column().get(column)
    if ind is not None:
        return ind.label[lang]
    extra = _EXTRA_LABELS.get(column)
    if extra is not None:
        return extra[lang]
    return column


def outcome_unit(column: str, lang: str = "nl") -> str:
    """Unit of a monthly column in ``lang`` (empty when unknown)."""
    ind = by_column().get(column)
    if ind is not None:
        return ind.unit[lang]
    if column.endswith("_eur"):
        return EUR[lang]
    if column.endswith(("_rate", "_share")) or "_rate_" in column:
        return PERCENT[lang]
    return PERSONS[lang]


def outcome_scale(column: str) -> float:
    """Display factor of a column (100 for shares)."""
    ind = by_column().get(column)
    if ind is not None:
        return ind.scale
    return 100.0 if column.endswith(("_rate", "_share")) or "_rate_" in column else 1.0
