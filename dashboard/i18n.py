"""Texts of the page in Dutch (default) and English.

Parameter labels, units, descriptions and sources come from the registry; sector and
status names from the model. This module holds only the page's own words.
"""

from __future__ import annotations

from sim import load_registry

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
    "computing": {"nl": "Bezig met rekenen…", "en": "Computing…"},
    "range": {"nl": "bereik", "en": "range"},
    "source": {"nl": "Bron", "en": "Source"},
    "refused": {
        "nl": "Waarde geweigerd voor '{label}': {value} ligt niet in het toegelaten bereik "
        "({allowed}). De vorige waarde blijft gelden.",
        "en": "Value refused for '{label}': {value} is outside the allowed range "
        "({allowed}). The previous value stays in force.",
    },
    "refused_other": {
        "nl": "Waarde geweigerd voor '{label}': {value} (toegelaten: {allowed}). De vorige "
        "waarde blijft gelden.",
        "en": "Value refused for '{label}': {value} (allowed: {allowed}). The previous value "
        "stays in force.",
    },
    "trajectories_note": {
        "nl": "Grijs: basis (80%-band). Lijnen: mediaan van {n} simulaties; banden: 80% "
        "van de simulaties. Schaal: 1 agent = {scale} personen.",
        "en": "Grey: baseline (80% band). Lines: median of {n} simulations; bands: 80% of "
        "the simulations. Scale: 1 agent = {scale} persons.",
    },
    "differences": {"nl": "Verschil B − A", "en": "Difference B − A"},
    "table": {
        "nl": "Gepaarde verschillen, gemiddeld {start} – {end}",
        "en": "Paired differences, average {start} – {end}",
    },
    "table_note": {
        "nl": "Gepaarde verschillen: basis, A en B delen dezelfde {n} toevalsreeksen. "
        "Onder elk verschil het 95%-interval. Uitgaven: totaal over de periode. Kost per "
        "extra jobjaar: extra uitgaven gedeeld door extra jobjaren (bootstrap-interval).",
        "en": "Paired differences: baseline, A and B share the same {n} random streams. "
        "Under each difference its 95% interval. Spending: total over the period. Cost per "
        "extra job-year: extra spending divided by extra job-years (bootstrap interval).",
    },
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "diff": {"nl": "B − A", "en": "B − A"},
    "cost_per_job_year": {"nl": "Kost per extra jobjaar", "en": "Cost per extra job-year"},
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
    "error": {"nl": "De vergelijking mislukte: {msg}", "en": "The comparison failed: {msg}"},
    "link_error": {
        "nl": "Niet alles uit de link is gebruikt ({n}): {list}.",
        "en": "Not everything in the link was used ({n}): {list}.",
    },
    "month": {"nl": "maand", "en": "month"},
    "months": {"nl": "maanden", "en": "months"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "million": {"nl": "miljoen", "en": "million"},
    "mapping": {"nl": "{n} waarden (uit het vertrekpunt)", "en": "{n} values (from the preset)"},
    "policy_start": {"nl": "start beleid 2021", "en": "policy start 2021"},
    "more": {"nl": "meer dan toeval", "en": "more than chance"},
    "noise": {"nl": "niet te onderscheiden van toeval", "en": "not distinguishable from chance"},
    "headline": {"nl": "Wat levert het op?", "en": "What does it bring?"},
    "headline_note": {
        "nl": "A en B tegenover de basis, gemiddeld {start} – {end} (uitgaven: totaal). "
        "Afgerond op wat {n} simulaties met 1 agent = {scale} personen toelaten. "
        "'Meer dan toeval': het 95%-interval van het gepaarde verschil bevat geen nul.",
        "en": "A and B against the baseline, average {start} – {end} (spending: total). "
        "Rounded to what {n} simulations with 1 agent = {scale} persons support. "
        "'More than chance': the 95% interval of the paired difference excludes zero.",
    },
    "card_employed": {"nl": "Meer mensen aan het werk", "en": "More people at work"},
    "card_shortage_vacancies": {
        "nl": "Knelpuntvacatures (3+ maanden open, zorg en onderwijs)",
        "en": "Shortage vacancies (open 3+ months, care and education)",
    },
    "card_spending": {
        "nl": "Extra uitgaven VDAB en beleid",
        "en": "Extra VDAB and policy spending",
    },
    "card_cost_per_job_year": {"nl": "Kost per extra jobjaar", "en": "Cost per extra job-year"},
    "unit_card_employed": {"nl": "personen", "en": "persons"},
    "unit_card_shortage_vacancies": {"nl": "vacatures", "en": "vacancies"},
    "unit_card_spending": {"nl": "totaal {start} – {end}", "en": "total {start} – {end}"},
    "unit_card_cost_per_job_year": {
        "nl": "1 jobjaar = 1 persoon 12 maanden extra aan het werk",
        "en": "1 job-year = 1 person at work for 12 extra months",
    },
    "per_job_year": {"nl": "per jobjaar", "en": "per job-year"},
    "no_job_gain": {"nl": "geen banenwinst", "en": "no job gain"},
    "open_end": {
        "nl": "bovengrens open: de banenwinst kan nul of negatief zijn "
        "(in {share}% van de herbemonsteringen)",
        "en": "no upper bound: the job gain can be zero or negative (in {share}% of the resamples)",
    },
    "interval_short": {"nl": "95%: {lo} … {hi}", "en": "95%: {lo} … {hi}"},
    "stale": {
        "nl": "Verouderd: deze resultaten horen bij de vorige instellingen. Herberekenen…",
        "en": "Out of date: these results belong to the previous settings. Recomputing…",
    },
    "partial": {
        "nl": "Voorlopig: {done} van {total} simulaties klaar; de intervallen worden nog "
        "nauwer, de eindcijfers volgen.",
        "en": "Provisional: {done} of {total} simulations done; the intervals will narrow, "
        "the final numbers follow.",
    },
    "up_to_date": {
        "nl": "Resultaten bij de huidige instellingen.",
        "en": "Results for the current settings.",
    },
    "warming": {
        "nl": "De vertrekpunten worden voorbereid ({done} van {total} simulaties klaar).",
        "en": "Preparing the presets ({done} of {total} simulations ready).",
    },
    "what_differs": {"nl": "Wat is anders?", "en": "What differs?"},
    "what_differs_none": {
        "nl": "A en B zijn gelijk aan de basis: er is niets om te vergelijken.",
        "en": "A and B equal the baseline: there is nothing to compare.",
    },
    "setting": {"nl": "Instelling", "en": "Setting"},
    "differs_basis": {"nl": "Basis", "en": "Baseline"},
    "differs_default": {"nl": "Standaardwaarde", "en": "Default value"},
    "differs_basis_here": {"nl": "Basis in deze vergelijking", "en": "Baseline in this comparison"},
    "differs_default_note": {
        "nl": "De waarde van het vertrekpunt basis, zonder wijzigingen.",
        "en": "The value of the basis preset, unchanged.",
    },
    "differs_basis_note": {
        "nl": "De basis waartegen A en B hier vergeleken worden: met de veronderstellingen "
        "die voor basis, A en B samen gelden.",
        "en": "The baseline A and B are compared with here: with the assumptions that apply "
        "to basis, A and B alike.",
    },
    "kind_policy_lever": {"nl": "hefboom", "en": "lever"},
    "kind_behavioural": {"nl": "veronderstelling", "en": "assumption"},
    "kind_other": {"nl": "instelling", "en": "setting"},
    "shared_assumptions": {
        "nl": "Gedragsveronderstellingen (gelden voor basis, A en B)",
        "en": "Behavioural assumptions (apply to baseline, A and B)",
    },
    "shared_note": {
        "nl": "Een veronderstelling gaat over hoe mensen en werkgevers zich gedragen, niet "
        "over beleid: ze verandert de basis, A en B samen, zodat het verschil alleen het "
        "beleid toont. Alleen voor één scenario? Gebruik de knop in dat scenario.",
        "en": "An assumption is about how people and employers behave, not about policy: it "
        "changes baseline, A and B together, so that the difference shows the policy "
        "only. For one scenario only? Use the button in that scenario.",
    },
    "own_assumptions": {
        "nl": "Veronderstellingen alleen voor {g}",
        "en": "Assumptions for {g} only",
    },
    "tab_differences": {"nl": "Verschil met de basis", "en": "Difference from baseline"},
    "tab_levels": {"nl": "Niveaus", "en": "Levels"},
    "fig_differences_title": {
        "nl": "Verschil met de basis: A = {a}, B = {b}",
        "en": "Difference from the baseline: A = {a}, B = {b}",
    },
    "fig_levels_title": {
        "nl": "Niveaus: basis, A = {a}, B = {b}",
        "en": "Levels: baseline, A = {a}, B = {b}",
    },
    "present": {"nl": "Presentatie", "en": "Presentation"},
    "copy_link": {"nl": "Kopieer link", "en": "Copy link"},
    "copied": {"nl": "Gekopieerd", "en": "Copied"},
    "qr_note": {
        "nl": "Scan om deze vergelijking op een telefoon te openen (zelfde netwerk).",
        "en": "Scan to open this comparison on a phone (same network).",
    },
    "export_csv_be": {"nl": "Gegevens (CSV, Excel België)", "en": "Data (CSV, Belgian Excel)"},
    "export_table_be": {"nl": "Tabel (CSV, Excel België)", "en": "Table (CSV, Belgian Excel)"},
    "export_summary": {"nl": "Samenvatting (HTML, 1 pagina)", "en": "Summary (HTML, 1 page)"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "link_unknown_preset": {"nl": "onbekend vertrekpunt", "en": "unknown preset"},
    "link_unknown": {"nl": "onbekende naam", "en": "unknown name"},
    "link_not_by_link": {
        "nl": "geen hefboom of veronderstelling: niet via een link in te stellen",
        "en": "not a lever or assumption: cannot be set by a link",
    },
    "link_mapping": {
        "nl": "een reeks of verdeling reist niet in een link, alleen met het vertrekpunt",
        "en": "a series or mapping does not travel in a link, only with the preset",
    },
    "link_invalid": {"nl": "ongeldige waarde", "en": "invalid value"},
    "link_more": {"nl": " (en nog {n})", "en": " (and {n} more)"},
    "not_in_link": {
        "nl": "De link bewaart vertrekpunten, hefbomen, veronderstellingen en taal. Reeksen "
        "per maand en verdelingen per sector komen met het vertrekpunt mee.",
        "en": "The link keeps presets, levers, assumptions and language. Monthly series and "
        "per-sector mappings come with the preset.",
    },
}

#: Dutch names of the registry's units (the registry writes them in English).
UNITS_NL = {
    "month": "maand",
    "months": "maanden",
    "factor": "factor",
    "probability per month": "kans per maand",
    "probability": "kans",
    "on/off": "aan/uit",
    "share": "aandeel",
    "share of tasks": "aandeel van de taken",
    "share per month": "aandeel per maand",
    "share per year": "aandeel per jaar",
    "share of those reached": "aandeel van de bereikten",
    "share of demand": "aandeel van de vraag",
    "shares": "aandelen",
    "persons": "personen",
    "persons per month": "personen per maand",
    "starts per month": "starters per maand",
    "dimensionless": "zonder eenheid",
    "applications per month": "sollicitaties per maand",
    "contacts per month": "contacten per maand",
    "weight": "gewicht",
    "ratio": "verhouding",
    "skill distance 0-1": "vaardigheidsafstand 0-1",
    "EUR": "EUR",
}

#: English wording of the registry's source documents (the registry's ``documents`` table in
#: sim/parameters.yaml holds the Dutch reference, which the page shows in Dutch).
DOCUMENTS_EN = {
    "SRC": "Flemish Parliament, Document 633 (2020-2021) – No. 1: report of the exchange of "
    "views on the VESOC agreement 'Alle hens aan dek', Committee on Economy, Work, Social "
    "Economy, Science and Innovation, 7 January 2021, Brussels",
    "assumption": "model assumption (no source; open to sensitivity analysis)",
}
_ASSUMPTION_NL = "veronderstelling van het model (geen bron; open voor gevoeligheidsanalyse)"


def document(name: str, lang: str) -> str:
    """A source document as a readable citation in ``lang``.

    Args:
        name: a short name of the registry's ``documents`` table (``SRC``), its full reference
            as the registry expands it in a parameter's source, or ``assumption``.
        lang: ``nl`` or ``en``.
    """
    references = load_registry().documents
    short = next((k for k, ref in references.items() if name in (k, ref)), name)
    if short == "assumption":
        return DOCUMENTS_EN["assumption"] if lang == "en" else _ASSUMPTION_NL
    if short in references:
        return DOCUMENTS_EN.get(short, references[short]) if lang == "en" else references[short]
    return name


def unit(text: str, lang: str) -> str:
    """A registry unit in ``lang``."""
    return UNITS_NL.get(text, text) if lang == "nl" else text


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
