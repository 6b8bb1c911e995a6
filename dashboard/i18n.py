"""Texts of the page in Dutch (default) and English.

Parameter labels, units, descriptions and sources come from the registry; sector and
status names from the model. This module holds only the page's own words.
"""

from __future__ import annotations

LANGS = ("nl", "en")

TEXTS: dict[str, dict[str, str]] = {
    "title": {"nl": "Scenariovergelijker", "en": "Scenario comparer"},
    "subtitle": {
        "nl": "Werk-naar-werk in Vlaanderen: twee scenario's naast elkaar, met de basis erbij",
        "en": "Work-to-work in Flanders: two scenarios side by side, with the baseline",
    },
    "scenario": {"nl": "Scenario", "en": "Scenario"},
    "preset": {"nl": "Vertrekpunt", "en": "Preset"},
    "levers": {"nl": "Beleidshefbomen", "en": "Policy levers"},
    "assumptions": {"nl": "Gedragsveronderstellingen", "en": "Behavioural assumptions"},
    "show_assumptions": {
        "nl": "Toon gedragsveronderstellingen",
        "en": "Show behavioural assumptions",
    },
    "hide_assumptions": {
        "nl": "Verberg gedragsveronderstellingen",
        "en": "Hide behavioural assumptions",
    },
    "settings": {"nl": "instellingen ({n}) ▾", "en": "settings ({n}) ▾"},
    "settings_hide": {"nl": "instellingen ▴", "en": "settings ▴"},
    "reset": {"nl": "Terug naar vertrekpunt", "en": "Reset to preset"},
    "compare": {"nl": "Vergelijk", "en": "Compare"},
    "computing": {"nl": "Bezig met rekenen…", "en": "Computing…"},
    "changed": {"nl": "aangepast", "en": "changed"},
    "range": {"nl": "bereik", "en": "range"},
    "source": {"nl": "Bron", "en": "Source"},
    "refused": {
        "nl": "Waarde geweigerd voor '{label}': {value} ligt niet in het toegelaten bereik "
        "({allowed}). De vorige waarde blijft gelden.",
        "en": "Value refused for '{label}': {value} is outside the allowed range "
        "({allowed}). The previous value stays in force.",
    },
    "refused_other": {
        "nl": "Waarde geweigerd voor '{label}': {value} ({allowed}).",
        "en": "Value refused for '{label}': {value} ({allowed}).",
    },
    "trajectories": {"nl": "Verloop", "en": "Paths over time"},
    "trajectories_note": {
        "nl": "Grijs: basis (80%-band). Lijnen: mediaan van {n} simulaties; banden: 80% "
        "van de simulaties. Schaal: 1 agent = {scale} personen.",
        "en": "Grey: baseline (80% band). Lines: median of {n} simulations; bands: 80% of "
        "the simulations. Scale: 1 agent = {scale} persons.",
    },
    "differences": {"nl": "Verschil B − A", "en": "Difference B − A"},
    "table": {
        "nl": "Verschil B − A, gemiddeld {start} – {end}",
        "en": "Difference B − A, average {start} – {end}",
    },
    "table_note": {
        "nl": "Gepaarde verschillen: A en B delen dezelfde {n} toevalsreeksen. Interval: "
        "95%. Uitgaven: totaal over de periode. Kost per extra job: extra uitgaven "
        "gedeeld door extra jobjaren.",
        "en": "Paired differences: A and B share the same {n} random streams. Interval: "
        "95%. Spending: total over the period. Cost per extra job: extra spending "
        "divided by extra job-years.",
    },
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "diff": {"nl": "B − A", "en": "B − A"},
    "interval": {"nl": "95%-interval", "en": "95% interval"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "cost_per_job": {"nl": "Kost per extra job", "en": "Cost per extra job"},
    "no_extra_jobs": {"nl": "geen extra jobs", "en": "no extra jobs"},
    "band80": {"nl": "80%-band", "en": "80% band"},
    "median_diff": {"nl": "mediaan verschil", "en": "median difference"},
    "story": {"nl": "Volg een werknemer", "en": "Follow a worker"},
    "story_none": {
        "nl": "In deze simulatie volgde geen horecawerknemer die weg naar de zorg; hieronder "
        "de weg van een horecawerknemer die tijdelijk werkloos werd.",
        "en": "No hospitality worker took that route into care in this simulation; below "
        "is the path of a hospitality worker who became temporarily unemployed.",
    },
    "export": {"nl": "Meenemen", "en": "Take home"},
    "export_fig1": {"nl": "Figuur verloop (PNG)", "en": "Figure paths (PNG)"},
    "export_fig2": {"nl": "Figuur verschil (PNG)", "en": "Figure difference (PNG)"},
    "export_csv": {"nl": "Gegevens (CSV)", "en": "Data (CSV)"},
    "export_table": {"nl": "Tabel (CSV)", "en": "Table (CSV)"},
    "export_yaml": {"nl": "Scenariobestand {g} (YAML)", "en": "Scenario file {g} (YAML)"},
    "share": {"nl": "Link naar deze vergelijking", "en": "Link to this comparison"},
    "language": {"nl": "Taal", "en": "Language"},
    "press_compare": {
        "nl": "Kies twee scenario's en druk op Vergelijk.",
        "en": "Pick two scenarios and press Compare.",
    },
    "error": {"nl": "De vergelijking mislukte: {msg}", "en": "The comparison failed: {msg}"},
    "link_error": {
        "nl": "De link bevat een ongeldige waarde: {msg}",
        "en": "The link holds an invalid value: {msg}",
    },
    "month": {"nl": "maand", "en": "month"},
    "months": {"nl": "maanden", "en": "months"},
}


def t(key: str, lang: str = "nl", **kwargs: object) -> str:
    """Return the text ``key`` in ``lang`` (Dutch when missing), formatted with kwargs."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry["nl"]
    return text.format(**kwargs) if kwargs else text


def number(x: float, lang: str = "nl", digits: int = 0) -> str:
    """Format a number with the thousands and decimal separators of ``lang``."""
    text = f"{x:,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text
