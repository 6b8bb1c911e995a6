"""The Scenariovergelijker page (Solara): two scenarios against the baseline, in seconds.

Layout, top to bottom: title and language switch; scenario A and B (preset, policy levers,
behavioural assumptions on request); the Compare button; the paths over time (basis grey
band, A and B median lines with 80% bands); the paired-difference table and figure; one
worker's path as a story; the downloads and the link that reopens the comparison.

All state lives in the page component (``use_reactive``/``use_memo``), so every browser
session has its own scenarios, results and model; only the cache of finished runs
(:mod:`dashboard.compare`) is shared, and it holds read-only frames keyed by their inputs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import markdown
import pandas as pd
import solara
import solara.lab

from dashboard import compare, figures, story, urlstate
from dashboard.i18n import number, t
from dashboard.summary import INDICATORS, POLICY_START, difference_table, long_frame

#: Parameter types that get an input on the page (mappings come with the preset only).
SCALAR_TYPES = ("float", "int", "bool", "choice", "month")

CSS = """
.wnw-page { font-size: 18px; max-width: 1700px; margin: 0 auto; }
.wnw-page h1 { font-size: 34px; margin: 4px 0; }
.wnw-page h2 { font-size: 26px; margin: 18px 0 6px 0; }
.wnw-page .v-label, .wnw-page input, .wnw-page .v-select__selection { font-size: 17px !important; }
.wnw-page .v-btn { font-size: 16px; }
.wnw-card-A { border-top: 6px solid #1f5fa8 !important; }
.wnw-card-B { border-top: 6px solid #d9730d !important; }
.wnw-lever { margin: 2px 0; }
.wnw-lever .v-input--switch { margin-top: 2px; padding-top: 0; }
.wnw-lever .v-input--switch .v-messages { display: none; }
.wnw-lever .v-input--switch .v-input__slot { margin-bottom: 0; }
.wnw-lever-changed input, .wnw-lever-changed .v-label { font-weight: 700; }
table.wnw-table { border-collapse: collapse; font-size: 20px; width: 100%; }
table.wnw-table th, table.wnw-table td { padding: 8px 12px; border-bottom: 1px solid #ddd; }
table.wnw-table th { text-align: left; background: #f3f3f3; }
table.wnw-table td.num { text-align: right; font-variant-numeric: tabular-nums;
                         white-space: nowrap; }
.wnw-story li { margin: 6px 0; }
.wnw-note { color: #555; font-size: 16px; }
"""


@solara.component
def Md(text: str, style: dict | None = None, classes: list[str] | None = None):
    """Markdown rendered on the server (``solara.Markdown`` would load katex and mermaid)."""
    solara.HTML(
        tag="div",
        unsafe_innerHTML=markdown.markdown(text),
        style=style or {},
        classes=classes or [],
    )


def _presets() -> list[str]:
    from sim.scenarios import list_presets

    return list_presets()


def _preset_title(name: str, lang: str) -> str:
    from sim.scenarios import load_scenario

    return load_scenario(name).label(lang)


def _registry():
    from sim.registry import load_registry

    return load_registry()


def _slug(name: str) -> str:
    return name.replace(".", "-")


def _fmt_value(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("ja" if value else "nee") if lang == "nl" else ("yes" if value else "no")
    if isinstance(value, float):
        return number(value, lang, 2 if abs(value) < 10 else 0)
    if isinstance(value, int):
        return number(value, lang)
    return str(value)


def _tooltip(par, lang: str) -> str:
    label, desc = par.text(lang)
    src = par.source or {}
    where = ", ".join(str(src[k]) for k in ("document", "where") if src.get(k))
    note = f" ({src['note']})" if src.get("note") else ""
    rng = ""
    if par.range is not None:
        rng = (
            f" {t('range', lang)}: {_fmt_value(par.range[0], lang)} – "
            f"{_fmt_value(par.range[1], lang)} {par.unit}."
        )
    return f"{label}. {desc}{rng} {t('source', lang)}: {where}{note}".strip()


def _shown(kind: str) -> list:
    return [p for p in _registry().by_kind(kind) if p.type in SCALAR_TYPES]


def _policy_groups() -> list[tuple[str, list]]:
    """Policy levers by policy (registry group), in registry order."""
    groups: dict[str, list] = {}
    for par in _shown("policy_lever"):
        groups.setdefault(par.group, []).append(par)
    return list(groups.items())


def _refusal(exc, par, lang: str) -> str:
    label = par.text(lang)[0] if par is not None else exc.parameter
    key = "refused" if "out of range" in str(exc) else "refused_other"
    return t(key, lang, label=label, value=exc.value, allowed=exc.allowed)


@solara.component
def _Even(children: list | None = None):
    solara.Div(children=children or [])


@solara.component
def _Odd(children: list | None = None):
    solara.Div(children=children or [])


@solara.component
def Lever(par, group: str, value: Any, changed: bool, lang: str, on_value, nonce: int):
    """One parameter's input with label, unit, range and a tooltip (description, source)."""
    label, _ = par.text(lang)
    if par.range is not None and par.type in ("float", "int"):
        label = (
            f"{label} ({par.unit}; {_fmt_value(par.range[0], lang)} – "
            f"{_fmt_value(par.range[1], lang)})"
        )
    elif par.type in ("float", "int"):
        label = f"{label} ({par.unit})"
    classes = ["wnw-lever", f"wnw-lever-{group}-{_slug(par.name)}"]
    if changed:
        classes.append("wnw-lever-changed")
    # A refused value must disappear from the input: the inputs keep the typed text as
    # their own state, so after a refusal (nonce + 1) they are mounted anew, which needs
    # a change of component type (a new key alone does not remount them).
    box = _Odd if nonce % 2 else _Even
    with solara.Tooltip(_tooltip(par, lang)):
        with solara.Div(classes=classes), box():
            if par.type == "bool":
                solara.Switch(label=label, value=bool(value), on_value=on_value)
            elif par.type == "choice":
                solara.Select(
                    label=label, values=list(par.choices or ()), value=value, on_value=on_value
                )
            elif par.type == "month":
                solara.InputText(
                    label=label, value=str(value), on_value=on_value, continuous_update=False
                )
            elif par.type == "int":
                solara.InputInt(
                    label=label, value=int(value), on_value=on_value, continuous_update=False
                )
            else:
                solara.InputFloat(
                    label=label, value=float(value), on_value=on_value, continuous_update=False
                )


@solara.component
def ScenarioCard(
    group: str,
    preset: solara.Reactive,
    edits: solara.Reactive,
    lang: str,
    messages: solara.Reactive,
):
    """Scenario A or B: preset, policy levers, and behavioural assumptions on request."""
    from sim.registry import ParameterError
    from sim.scenarios import load_scenario

    reg = _registry()
    show_assumptions = solara.use_reactive(False)
    opened = solara.use_reactive(frozenset())
    nonce = solara.use_reactive(0)
    base = solara.use_memo(lambda: load_scenario(preset.value), [preset.value])

    def setter(name: str):
        def on_value(value: Any) -> None:
            par = reg.parameters[name]
            try:
                value = reg.check(name, value)
            except ParameterError as exc:
                messages.set([*messages.value, _refusal(exc, par, lang)])
                nonce.set(nonce.value + 1)  # redraw the input with the value in force
                return
            new = dict(edits.value)
            if value == base.overrides.get(name, par.default):
                new.pop(name, None)
            else:
                new[name] = value
            edits.set(new)

        return on_value

    def current(par) -> Any:
        return edits.value.get(par.name, base.overrides.get(par.name, par.default))

    def lever(par) -> None:
        Lever(
            par,
            group.lower(),
            current(par),
            par.name in edits.value,
            lang,
            setter(par.name),
            nonce.value,
        )

    def policy_levers() -> None:
        # each policy: its on/off switch; its settings, while it is on, behind a toggle
        # (open when one of them was changed)
        for name, pars in _policy_groups():
            switch = next((p for p in pars if p.name == f"{name}.enabled"), None)
            rest = [p for p in pars if p is not switch]
            if switch is None:
                for par in rest:
                    lever(par)
                continue
            with solara.Row(style={"align-items": "center", "gap": "0px"}):
                lever(switch)
                if current(switch) and rest:
                    is_open = name in opened.value or any(p.name in edits.value for p in rest)
                    solara.Button(
                        t("settings_hide" if is_open else "settings", lang, n=len(rest)),
                        text=True,
                        small=True,
                        classes=[f"wnw-settings-{group.lower()}-{name}"],
                        on_click=lambda name=name: opened.set(opened.value ^ {name}),
                    )
            if (
                current(switch)
                and rest
                and (name in opened.value or any(p.name in edits.value for p in rest))
            ):
                with solara.Div(style={"margin-left": "36px"}):
                    for par in rest:
                        lever(par)

    def levers(kind: str) -> None:
        for par in _shown(kind):
            lever(par)

    with solara.Card(classes=[f"wnw-card-{group}"], margin=0):
        Md(f"## {t('scenario', lang)} {group}")
        with solara.Div(classes=[f"wnw-preset-{group.lower()}"]):
            solara.v.Select(
                label=t("preset", lang),
                items=[{"text": _preset_title(p, lang), "value": p} for p in _presets()],
                v_model=preset.value,
                on_v_model=lambda v: (preset.set(v), edits.set({})),
            )
        Md(
            f"**{base.label(lang)}** — {base.description.get(lang, '')}",
            style={"font-size": "16px"},
        )
        Md(f"### {t('levers', lang)}")
        policy_levers()
        with solara.Row():
            solara.Button(
                t("hide_assumptions" if show_assumptions.value else "show_assumptions", lang),
                text=True,
                on_click=lambda: show_assumptions.set(not show_assumptions.value),
                classes=[f"wnw-toggle-assumptions-{group.lower()}"],
            )
            if edits.value:
                solara.Button(t("reset", lang), text=True, on_click=lambda: edits.set({}))
        if show_assumptions.value:
            Md(f"### {t('assumptions', lang)}")
            levers("behavioural")


@dataclass
class Outcome:
    """What one press of Compare produced (per session)."""

    comparison: compare.Comparison
    scenarios: dict[str, Any]
    table: pd.DataFrame
    query: str

    def names(self, lang: str) -> dict[str, str]:
        """Display name of basis, A and B in ``lang``."""
        from sim.scenarios import load_scenario

        return {
            "basis": load_scenario(compare.BASIS).label(lang),
            "A": self.scenarios["A"].label(lang),
            "B": self.scenarios["B"].label(lang),
        }


class Session:
    """Per browser session: the session's own model (for 'follow a worker')."""

    def __init__(self) -> None:
        self.model = None


def _table_html(table: pd.DataFrame, lang: str) -> str:
    rows = []
    labels = {i.key: i.label[lang] for i in INDICATORS}
    labels["cost_per_job"] = t("cost_per_job", lang)
    for rec in table.to_dict("records"):
        digits = 1 if rec["key"] == "spending" else 0
        unit = rec[f"unit_{lang}"]
        if pd.isna(rec["diff"]):
            diff, interval = t("no_extra_jobs", lang), ""
        else:
            diff = ("+" if rec["diff"] > 0 else "") + number(rec["diff"], lang, digits)
            interval = (
                ""
                if pd.isna(rec["lo"])
                else f"{number(rec['lo'], lang, digits)} … {number(rec['hi'], lang, digits)}"
            )
        rows.append(
            f"<tr class='wnw-row-{rec['key']}'><td>{labels[rec['key']]}</td>"
            f"<td class='num'>{diff}</td><td class='num'>{interval}</td><td>{unit}</td></tr>"
        )
    head = (
        f"<tr><th>{t('indicator', lang)}</th><th>{t('diff', lang)}</th>"
        f"<th>{t('interval', lang)}</th><th>{t('unit', lang)}</th></tr>"
    )
    return f"<table class='wnw-table'>{head}{''.join(rows)}</table>"


@solara.component
def Results(outcome: Outcome, follow, lang: str):
    """Figures, table, story and downloads of one comparison."""
    comp = outcome.comparison
    names = outcome.names(lang)
    fig1 = solara.use_memo(
        lambda: figures.png_bytes(figures.trajectories(comp, names, lang)), [id(outcome), lang]
    )
    fig2 = solara.use_memo(
        lambda: figures.png_bytes(figures.differences(comp, lang)), [id(outcome), lang]
    )
    months = comp.runs["A"][0]["monthly"]["month"].astype(str)
    end = months.iloc[-1]

    Md(f"## {t('trajectories', lang)}")
    Md(
        t("trajectories_note", lang, n=len(comp.seeds), scale=number(comp.scale, lang)),
        style={"color": "#555"},
    )
    with solara.Div(classes=["wnw-plot-trajectories"]):
        solara.Image(fig1, width="100%")
    with solara.Columns([5, 6]):
        with solara.Div(classes=["wnw-difference-table"]):
            Md(f"## {t('table', lang, start=POLICY_START, end=end)}")
            solara.HTML(tag="div", unsafe_innerHTML=_table_html(outcome.table, lang))
            Md(
                t("table_note", lang, n=len(comp.seeds)),
                style={"color": "#555", "font-size": "16px"},
            )
        with solara.Div(classes=["wnw-plot-differences"]):
            Md(f"## {t('differences', lang)}")
            solara.Image(fig2, width="100%")
    Md(f"## {t('story', lang)}")
    with solara.Div(classes=["wnw-story"]):
        if follow.pending:
            solara.ProgressLinear(True)
        elif follow.error:
            solara.Warning(str(follow.exception))
        elif follow.value is not None:
            if follow.value.tier < 3:
                Md(t("story_none", lang))
            Md(follow.value.markdown(lang))
    Md(f"## {t('export', lang)}")
    stem = f"vergelijking_{comp.a.preset}_vs_{comp.b.preset}"
    with solara.Row(classes=["wnw-exports"], style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            fig1,
            filename=f"{stem}_verloop.png",
            label=t("export_fig1", lang),
            mime_type="image/png",
        )
        solara.FileDownload(
            fig2,
            filename=f"{stem}_verschil.png",
            label=t("export_fig2", lang),
            mime_type="image/png",
        )
        solara.FileDownload(
            lambda: long_frame(comp, names).to_csv(index=False).encode(),
            filename=f"{stem}_reeksen.csv",
            label=t("export_csv", lang),
            mime_type="text/csv",
        )
        solara.FileDownload(
            lambda: outcome.table.to_csv(index=False).encode(),
            filename=f"{stem}_tabel.csv",
            label=t("export_table", lang),
            mime_type="text/csv",
        )
        for g in ("A", "B"):
            scn = outcome.scenarios[g]
            solara.FileDownload(
                scn.to_yaml().encode(),
                filename=f"{scn.name}.yaml",
                label=t("export_yaml", lang, g=g),
                mime_type="text/yaml",
            )
    Md(
        f"**{t('share', lang)}:** `?{outcome.query}`",
        style={"font-size": "15px", "word-break": "break-all"},
    )


def _run(a: compare.ScenarioChoice, b: compare.ScenarioChoice, lang: str) -> Outcome:
    comp = compare.compare(a, b)
    scenarios = {"A": a.scenario(), "B": b.scenario()}
    query = urlstate.encode(urlstate.PageState(a=a, b=b, lang=lang, run=True))
    return Outcome(comp, scenarios, difference_table(comp), query)


@solara.component
def Page():
    """The scenario comparer."""
    router = solara.use_router()
    initial = solara.use_memo(lambda: urlstate.decode(router.search, _presets()), [])
    lang = solara.use_reactive(initial.lang)
    preset_a = solara.use_reactive(initial.a.preset)
    preset_b = solara.use_reactive(initial.b.preset)
    edits_a = solara.use_reactive(dict(initial.a.edits))
    edits_b = solara.use_reactive(dict(initial.b.edits))
    messages = solara.use_reactive(list(initial.errors))
    outcome = solara.use_reactive(None)
    session = solara.use_memo(Session, [])

    def run_comparison() -> None:
        messages.set([])
        a = compare.ScenarioChoice.make(preset_a.value, edits_a.value)
        b = compare.ScenarioChoice.make(preset_b.value, edits_b.value)
        result = _run(a, b, lang.value)
        router.push(f"{router.path or '/'}?{result.query}")  # the link first, then the page
        outcome.set(result)

    task = solara.lab.use_task(run_comparison, dependencies=None)

    def follow_worker():
        if outcome.value is None:
            return None
        told, session.model = story.follow(outcome.value.comparison.b)
        return told

    follow = solara.lab.use_task(follow_worker, dependencies=[id(outcome.value)])

    def autorun() -> None:
        if initial.run:
            task()

    solara.use_effect(autorun, [])
    solara.Title(t("title", lang.value))
    solara.Style(CSS)
    with solara.Column(classes=["wnw-page"], style={"padding": "12px 24px"}):
        with solara.Row(style={"align-items": "center"}):
            with solara.Column(gap="0px"):
                solara.HTML(
                    tag="h1", unsafe_innerHTML=t("title", lang.value), classes=["wnw-title"]
                )
                solara.Text(t("subtitle", lang.value), style={"font-size": "18px"})
            solara.v.Spacer()
            with solara.Div(classes=["wnw-lang"]):
                solara.ToggleButtonsSingle(value=lang, values=["nl", "en"])
        with solara.Columns([1, 1]):
            ScenarioCard("A", preset_a, edits_a, lang.value, messages)
            ScenarioCard("B", preset_b, edits_b, lang.value, messages)
        for i, msg in enumerate(messages.value):
            solara.Error(
                msg,
                classes=["wnw-message"],
                dense=True,
                on_close=lambda i=i: messages.set(
                    [m for j, m in enumerate(messages.value) if j != i]
                ),
            )
        with solara.Row(style={"align-items": "center"}):
            solara.Button(
                t("compare", lang.value),
                color="primary",
                on_click=task,
                disabled=task.pending,
                classes=["wnw-compare"],
                style={"font-size": "20px", "height": "52px", "min-width": "220px"},
            )
            if task.pending:
                solara.Text(t("computing", lang.value), classes=["wnw-computing"])
        solara.ProgressLinear(task.pending)
        if task.error:
            solara.Error(t("error", lang.value, msg=task.exception), classes=["wnw-message"])
        if outcome.value is not None:
            Results(outcome.value, follow, lang.value)
        elif not task.pending:
            solara.Info(t("press_compare", lang.value))


def _warm_at_start() -> None:
    if os.environ.get("WNW_DASHBOARD_WARM", "1") != "0":
        compare.warm(_presets())


_warm_at_start()
