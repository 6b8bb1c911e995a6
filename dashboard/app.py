"""The Scenariovergelijker page (Solara): two scenarios against the baseline, live.

Layout: title, presentation switch and language; then, side by side on a wide screen
(stacked on a narrow one, results first in presentation mode), the inputs (scenario A
and B: preset, policy levers, assumptions for that scenario only; the behavioural
assumptions shared by basis, A and B) and the results (headline cards with a verdict,
'what differs', the difference figure with the levels behind a tab, the paired table,
one worker's path, the take-home exports and the link).

Any change of an input marks the results out of date at once and recomputes them on its
own after a short pause (:data:`DEBOUNCE`). All state lives in the page component
(``use_reactive``/``use_memo``), so every browser session has its own scenarios and
results; only finished, read-only results are shared (runs, figures, stories), keyed by
their inputs.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import markdown
import pandas as pd
import solara
import solara.lab

from dashboard import compare, exports, figures, numbers, story, urlstate, views
from dashboard.differ import differences
from dashboard.i18n import document, number, t, unit
from dashboard.summary import POLICY_START, long_frame, paired_table

#: Parameter types that get an input on the page (mappings come with the preset only).
SCALAR_TYPES = urlstate.SCALAR_TYPES
#: Seconds to wait after the last change before recomputing (typing several values in a
#: row starts one computation, not several).
DEBOUNCE = float(os.environ.get("WNW_DASHBOARD_DEBOUNCE", "0.25"))

CSS = """
.wnw-page { font-size: 18px; max-width: 1800px; margin: 0 auto; box-sizing: border-box; }
.wnw-page h1 { font-size: 32px; margin: 4px 0; }
.wnw-page h2 { font-size: 24px; margin: 14px 0 6px 0; }
.wnw-page h3 { font-size: 20px; margin: 10px 0 4px 0; }
.wnw-page .v-label, .wnw-page input, .wnw-page .v-select__selection { font-size: 17px !important; }
.wnw-page .v-btn { font-size: 16px; }
.wnw-main { display: grid; grid-template-columns: minmax(360px, 32%) minmax(0, 1fr);
            gap: 20px; align-items: start; }
.wnw-main > div { min-width: 0; }
@media (max-width: 1180px) { .wnw-main { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 700px) { .wnw-results { order: -1; } .wnw-page { font-size: 16px; }
  .wnw-page h1 { font-size: 26px; } table.wnw-table { font-size: 15px; }
  table.wnw-table .wnw-num { font-size: 16px; } }
.wnw-difference-table, .wnw-differs-box { overflow-x: auto; }
.wnw-present .wnw-main { grid-template-columns: minmax(0, 1fr); }
.wnw-present .wnw-results { order: -1; }
.wnw-present { font-size: 20px; }
.wnw-card-A { border-top: 6px solid #0072B2 !important; }
.wnw-card-B { border-top: 6px dashed #D55E00 !important; }
.wnw-card-S { border-top: 6px solid #999999 !important; }
.wnw-lever { margin: 2px 0; }
.wnw-lever .v-input--switch { margin-top: 2px; padding-top: 0; }
.wnw-lever .v-input--switch .v-messages { display: none; }
.wnw-lever .v-input--switch .v-input__slot { margin-bottom: 0; }
.wnw-lever-changed input, .wnw-lever-changed .v-label { font-weight: 700; }
.wnw-cards { display: flex; flex-wrap: wrap; gap: 12px; }
.wnw-hl { flex: 1 1 200px; min-width: 0; border: 1px solid #ccc; border-radius: 8px;
          padding: 10px 12px; background: #fff; }
.wnw-hl-title { font-weight: 700; font-size: 19px; line-height: 1.25; }
.wnw-hl-unit { color: #555; font-size: 15px; }
.wnw-hl-row { margin-top: 8px; }
.wnw-grp { display: inline-block; width: 24px; font-weight: 700; }
.wnw-num { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.wnw-verdict { font-size: 15px; padding: 1px 6px; border-radius: 4px; display: inline-block; }
.wnw-iv { color: #555; font-size: 15px; font-weight: 400; }
.good .wnw-num, .good .wnw-verdict { color: #1a7f37; }
.bad .wnw-num, .bad .wnw-verdict { color: #b42318; }
.good .wnw-verdict { background: #e6f4ea; } .bad .wnw-verdict { background: #fdecea; }
.noise .wnw-verdict { background: #eee; color: #444; }
table.wnw-table, table.wnw-differs { border-collapse: collapse; width: 100%; }
table.wnw-table { font-size: 18px; }
table.wnw-differs { font-size: 16px; }
table.wnw-table th, table.wnw-table td, table.wnw-differs th, table.wnw-differs td {
  padding: 6px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
table.wnw-table th, table.wnw-differs th { text-align: left; background: #f3f3f3; }
table.wnw-table td.num { text-align: right; }
table.wnw-table .wnw-num { font-size: 19px; }
.wnw-differs td.wnw-changed { font-weight: 700; }
.wnw-kind { color: #555; font-size: 14px; }
.wnw-status { padding: 6px 10px; border-radius: 6px; margin: 4px 0; font-size: 17px; }
.wnw-stale-banner { background: #fff4ce; border: 1px solid #e0b400; }
.wnw-fresh { background: #eef6ee; border: 1px solid #9ccc9c; }
.wnw-partial-banner { background: #e8f0fb; border: 1px solid #7aa7e0; }
.wnw-stale.wnw-partial .wnw-cards, .wnw-stale.wnw-partial .wnw-difference-table {
  opacity: 0.8; }
.wnw-stale .wnw-cards, .wnw-stale .wnw-figure, .wnw-stale .wnw-difference-table {
  opacity: 0.45; }
.wnw-figure img { width: 100%; height: auto; display: block; }
.wnw-story li { margin: 6px 0; }
.wnw-note { color: #555; font-size: 16px; }
.wnw-link { font-size: 15px; word-break: break-all; }
.wnw-qr svg { width: 180px; height: 180px; }
.wnw-page img, .wnw-page table { max-width: 100%; }
"""


@functools.lru_cache(maxsize=2048)
def _markdown(text: str) -> str:
    return markdown.markdown(text)


@solara.component
def Md(text: str, style: dict | None = None, classes: list[str] | None = None):
    """Markdown rendered on the server (``solara.Markdown`` would load katex and mermaid)."""
    solara.HTML(
        tag="div",
        unsafe_innerHTML=_markdown(text),
        style=style or {},
        classes=classes or [],
    )


@solara.component_vue("copy_link.vue")
def CopyLink(url: str, label: str, copied: str):
    """A button that copies ``url`` to the clipboard (in the browser)."""


@solara.component_vue("url_sync.vue")
def UrlSync(query: str):
    """Keeps the browser's address bar on ``?query`` (history.replaceState, no reload).

    Solara's router pushes from the server were sometimes lost (a push during a render);
    the address bar is the browser's, so the browser sets it.
    """


@functools.cache
def _presets() -> tuple[str, ...]:
    from sim.scenarios import list_presets

    return tuple(list_presets())


@functools.cache
def _scenario(name: str):
    from sim.scenarios import load_scenario

    return load_scenario(name)


def _preset_title(name: str, lang: str) -> str:
    return _scenario(name).label(lang)


def _registry():
    from sim.registry import load_registry

    return load_registry()


def _slug(name: str) -> str:
    return name.replace(".", "-")


def _fmt_value(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, float):
        return number(value, lang, 2 if abs(value) < 10 else 0)
    if isinstance(value, int):
        return number(value, lang)
    return str(value)


def _allowed(par, lang: str) -> str:
    if par.range is not None and par.type in ("float", "int", "month"):
        return (
            f"{_fmt_value(par.range[0], lang)} – {_fmt_value(par.range[1], lang)}"
            f"{' ' + unit(par.unit, lang) if par.type != 'month' else ''}"
        )
    if par.type == "choice":
        return ", ".join(str(c) for c in par.choices or ())
    return t("yes", lang) + "/" + t("no", lang) if par.type == "bool" else par.allowed()


def source_text(par, lang: str) -> str:
    """A parameter's source as a reader can follow it: document, place, note."""
    src = par.source or {}
    doc = document(str(src.get("document", "")), lang) if src.get("document") else ""
    parts = [p for p in (doc, src.get("where"), src.get("note")) if p]
    return "; ".join(str(p) for p in parts)


def _tooltip(par, lang: str) -> str:
    label, desc = par.text(lang)
    rng = f" {t('range', lang)}: {_allowed(par, lang)}." if par.range is not None else ""
    return f"{label}. {desc}{rng} {t('source', lang)}: {source_text(par, lang)}".strip()


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
    value = str(exc.value)[:24]
    allowed = _allowed(par, lang) if par is not None else exc.allowed
    return t(key, lang, label=label, value=value, allowed=allowed)


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
    if par.type in ("float", "int"):
        extra = f"; {_allowed(par, lang)}" if par.range is not None else ""
        label = f"{label} ({unit(par.unit, lang)}{extra})"
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
            elif par.range is not None and par.range[1] >= 10_000:
                # large amounts (budgets) in the page's number format, not "98000000.0"
                solara.InputText(
                    label=label,
                    value=number(float(value), lang, 0 if float(value).is_integer() else 2),
                    on_value=lambda text: on_value(numbers.read_number(text, lang)),
                    continuous_update=False,
                )
            else:
                solara.InputFloat(
                    label=label, value=float(value), on_value=on_value, continuous_update=False
                )


def _use_setter(edits: solara.Reactive, base: dict, messages: solara.Reactive, lang: str):
    """A factory of on_value callbacks that check a value and store it as an edit."""
    from sim.registry import ParameterError

    reg = _registry()
    nonce = solara.use_reactive(0)

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
            if value == base.get(name, par.default):
                new.pop(name, None)
            else:
                new[name] = value
            edits.set(new)

        return on_value

    return setter, nonce.value


@solara.component
def ScenarioCard(
    group: str,
    preset: solara.Reactive,
    edits: solara.Reactive,
    shared: dict,
    lang: str,
    messages: solara.Reactive,
):
    """Scenario A or B: preset, policy levers, and assumptions for this scenario only."""
    show_assumptions = solara.use_reactive(False)
    opened = solara.use_reactive(frozenset())
    base = _scenario(preset.value)
    in_force = {**base.overrides, **shared}
    setter, nonce = _use_setter(edits, in_force, messages, lang)

    def current(par) -> Any:
        return edits.value.get(par.name, in_force.get(par.name, par.default))

    def lever(par) -> None:
        Lever(
            par,
            group.lower(),
            current(par),
            par.name in edits.value,
            lang,
            setter(par.name),
            nonce,
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
            is_open = name in opened.value or any(p.name in edits.value for p in rest)
            with solara.Row(style={"align-items": "center", "gap": "0px"}):
                lever(switch)
                if current(switch) and rest:
                    solara.Button(
                        t("settings_hide" if is_open else "settings", lang, n=len(rest)),
                        text=True,
                        small=True,
                        classes=[f"wnw-settings-{group.lower()}-{name}"],
                        on_click=lambda name=name: opened.set(opened.value ^ {name}),
                    )
            if current(switch) and rest and is_open:
                with solara.Div(style={"margin-left": "36px"}):
                    for par in rest:
                        lever(par)

    own = [p for p in _shown("behavioural") if p.name in edits.value]
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
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.Button(
                t("own_assumptions", lang, g=group),
                text=True,
                on_click=lambda: show_assumptions.set(not show_assumptions.value),
                classes=[f"wnw-toggle-assumptions-{group.lower()}"],
            )
            if edits.value:
                solara.Button(t("reset", lang), text=True, on_click=lambda: edits.set({}))
        if show_assumptions.value or own:
            for par in _shown("behavioural") if show_assumptions.value else own:
                lever(par)


@solara.component
def SharedAssumptions(shared: solara.Reactive, lang: str, messages: solara.Reactive):
    """The behavioural assumptions that apply to basis, A and B alike."""
    show = solara.use_reactive(False)
    base = _scenario(compare.BASIS).overrides
    setter, nonce = _use_setter(shared, base, messages, lang)
    with solara.Card(classes=["wnw-card-S", "wnw-shared"], margin=0):
        Md(f"## {t('shared_assumptions', lang)}")
        Md(t("shared_note", lang), classes=["wnw-note"])
        solara.Button(
            t("hide_assumptions" if show.value else "show_assumptions", lang),
            text=True,
            on_click=lambda: show.set(not show.value),
            classes=["wnw-toggle-assumptions-s"],
        )
        if show.value or shared.value:
            for par in _shown("behavioural"):
                if show.value or par.name in shared.value:
                    Lever(
                        par,
                        "s",
                        shared.value.get(par.name, base.get(par.name, par.default)),
                        par.name in shared.value,
                        lang,
                        setter(par.name),
                        nonce,
                    )


@dataclass(frozen=True)
class Inputs:
    """What the page computes from: both scenarios and the shared assumptions."""

    a: compare.ScenarioChoice
    b: compare.ScenarioChoice
    shared: tuple[tuple[str, Any], ...] = ()

    def choices(self) -> dict[str, compare.ScenarioChoice]:
        """Effective basis, A and B (shared assumptions first, then each one's edits)."""
        shared = dict(self.shared)
        return {
            "basis": compare.ScenarioChoice.make(compare.BASIS, shared),
            "A": compare.ScenarioChoice.make(self.a.preset, {**shared, **dict(self.a.edits)}),
            "B": compare.ScenarioChoice.make(self.b.preset, {**shared, **dict(self.b.edits)}),
        }

    def query(self, lang: str) -> str:
        """The link's query part."""
        state = urlstate.PageState(a=self.a, b=self.b, shared=dict(self.shared), lang=lang)
        return urlstate.encode(state)


@dataclass(eq=False)
class Outcome:
    """One computed comparison (per session; its parts are shared read-only)."""

    inputs: Inputs
    comparison: compare.Comparison
    table: pd.DataFrame
    scenarios: dict[str, Any]
    seconds: float
    total: int = compare.N_SEEDS

    @property
    def partial(self) -> bool:
        """Whether only some of the replications are in (more are being computed)."""
        return len(self.comparison.seeds) < self.total

    def names(self, lang: str) -> dict[str, str]:
        """Display name of basis, A and B in ``lang``."""
        return {g: s.label(lang) for g, s in self.scenarios.items()}

    @property
    def end(self) -> str:
        """Last simulated month."""
        return str(self.comparison.runs["A"][0]["monthly"]["month"].iloc[-1])


def compute(inputs: Inputs) -> Outcome:
    """Run (or fetch) basis, A and B and summarise them."""
    *_, final = outcomes(inputs)
    return final


def outcomes(inputs: Inputs) -> Iterator[Outcome]:
    """The comparison of ``inputs`` on the replications done so far, as they finish.

    The last one is the full comparison (:func:`dashboard.compare.comparisons`); a cached
    comparison yields only that one.
    """
    t0 = time.perf_counter()
    ch = inputs.choices()
    scenarios = {g: c.scenario() for g, c in ch.items()}
    with contextlib.closing(compare.comparisons(ch["A"], ch["B"], basis=ch["basis"])) as each:
        for comp in each:
            seconds = time.perf_counter() - t0
            yield Outcome(inputs, comp, paired_table(comp), scenarios, seconds, compare.N_SEEDS)


def cached(inputs: Inputs) -> bool:
    """Whether every run of ``inputs`` is in the cache (no need to wait for more input)."""
    ch = inputs.choices()
    return compare.all_cached(ch["A"], ch["B"], ch["basis"])


class _Shared:
    """Figures rendered once per comparison and language, shared by all sessions.

    Drawing a figure costs about a second of CPU; it runs in the worker pool, so that the
    page server stays free for the sessions (issue 14: under load the server, not the
    model, was the bottleneck).
    """

    def figure(self, outcome: Outcome, kind: str, lang: str) -> tuple[bytes, float]:
        """The PNG and smallest text size (px) of one figure of ``outcome``."""
        names = outcome.names(lang)
        key = ("figure", outcome.inputs, kind, lang)
        cache = compare.run_cache()
        return cache.call(key, figures.render, outcome.comparison, kind, lang, names).result()


FIGURES = _Shared()


def _image(png: bytes, font_px: float, kind: str) -> None:
    solara.HTML(
        tag="div",
        unsafe_innerHTML=(
            f"<img alt='' class='wnw-img-{kind}' data-min-font-px='{font_px:.2f}' "
            f"src='{exports.png_data_uri(png)}'>"
        ),
        classes=["wnw-figure", f"wnw-plot-{kind}"],
    )


def _full_url(query: str) -> str:
    """The full address of the page with ``query`` (host as the browser asked for it)."""
    try:
        host = (solara.lab.headers.value or {}).get("host", ["127.0.0.1"])[0]
    except Exception:  # outside a request (tests)
        host = "127.0.0.1"
    return f"http://{host}/?{query}"


def _sources(outcome: Outcome, lang: str) -> list[str]:
    reg = _registry()
    diffs = _differs(outcome)
    seen = dict.fromkeys(source_text(reg.parameters[d.name], lang) for d in diffs)
    return [document("SRC", lang), *[s for s in seen if s]]


def _differs(outcome: Outcome):
    plain = _scenario(compare.BASIS).overrides
    return differences(plain, {g: s.overrides for g, s in outcome.scenarios.items()})


@solara.component
def Headline(outcome: Outcome, lang: str):
    """The cards: A and B against basis, with verdict and interval."""
    comp = outcome.comparison
    with solara.Div(classes=["wnw-headline"]):
        Md(f"## {t('headline', lang)}")
        cards = solara.use_memo(
            lambda: views.cards_html(
                outcome.table, lang, comp.scale, len(comp.seeds), POLICY_START, outcome.end
            ),
            [outcome, lang],
        )
        solara.HTML(tag="div", unsafe_innerHTML=cards)
        Md(
            t(
                "headline_note",
                lang,
                start=POLICY_START,
                end=outcome.end,
                n=len(comp.seeds),
                scale=number(comp.scale, lang),
            ),
            classes=["wnw-note"],
        )


def _differs_and_table(outcome: Outcome, lang: str) -> tuple[str, str]:
    comp = outcome.comparison
    return (
        views.differs_html(_differs(outcome), lang),
        views.table_html(outcome.table, lang, comp.scale, len(comp.seeds)),
    )


def _table_section(outcome: Outcome, lang: str, table: str) -> None:
    with solara.Div(classes=["wnw-difference-table"]):
        Md(f"## {t('table', lang, start=POLICY_START, end=outcome.end)}")
        solara.HTML(tag="div", unsafe_innerHTML=table)
        Md(t("table_note", lang, n=len(outcome.comparison.seeds)), classes=["wnw-note"])


@solara.component
def PartialResults(outcome: Outcome, lang: str):
    """What differs and the table on the replications done so far (figures come at the end)."""
    differs, table = solara.use_memo(lambda: _differs_and_table(outcome, lang), [outcome, lang])
    Md(f"## {t('what_differs', lang)}")
    solara.HTML(tag="div", unsafe_innerHTML=differs, classes=["wnw-differs-box"])
    _table_section(outcome, lang, table)


@solara.component
def Results(outcome: Outcome, lang: str, stale: bool):
    """Figures, table, story and downloads of one comparison."""
    tab = solara.use_reactive(0)
    kind = "differences" if tab.value == 0 else "levels"
    fig = solara.lab.use_task(
        lambda: FIGURES.figure(outcome, kind, lang), dependencies=[outcome.inputs, lang, kind]
    )
    choice_b = outcome.inputs.choices()["B"]
    story_future = solara.use_memo(
        lambda: compare.run_cache().call(("story", choice_b), story.story_of, choice_b),
        [outcome.inputs],
    )
    told = solara.lab.use_task(lambda: story_future.result(), dependencies=[story_future])

    Md(f"## {t('what_differs', lang)}")
    differs, table = solara.use_memo(lambda: _differs_and_table(outcome, lang), [outcome, lang])
    solara.HTML(tag="div", unsafe_innerHTML=differs, classes=["wnw-differs-box"])
    with solara.Div(classes=["wnw-tabs"]), solara.lab.Tabs(value=tab):
        solara.lab.Tab(t("tab_differences", lang), classes=["wnw-tab-differences"])
        solara.lab.Tab(t("tab_levels", lang), classes=["wnw-tab-levels"])
    if fig.value is None or fig.pending:
        solara.ProgressLinear(True)
    else:
        _image(*fig.value, kind)
    _table_section(outcome, lang, table)
    Md(f"## {t('story', lang)}")
    with solara.Div(classes=["wnw-story"]):
        if told.pending or (told.value is None and not told.error):
            solara.ProgressLinear(True)
        elif told.error:
            solara.Warning(str(told.exception))
        else:
            if told.value.tier < 3:
                Md(t("story_none", lang))
            Md(told.value.markdown(lang))
    TakeHome(outcome, lang)


@solara.component
def TakeHome(outcome: Outcome, lang: str):
    """Exports with unique names, the full link with a copy button and a QR code."""
    comp = outcome.comparison
    query = outcome.inputs.query(lang)
    url = _full_url(query)
    names = outcome.names(lang)
    stem = exports.stem(comp.a.preset, comp.b.preset, outcome.inputs.query("nl"))

    def summary_page() -> bytes:
        png = FIGURES.figure(outcome, "differences", lang)[0]
        cards = views.cards_html(
            outcome.table, lang, comp.scale, len(comp.seeds), POLICY_START, outcome.end
        )
        page = exports.summary_html(
            lang=lang,
            title=f"{t('title', lang)}: A = {names['A']}, B = {names['B']}",
            subtitle=t("trajectories_note", lang, n=len(comp.seeds), scale=comp.scale),
            cards_html=cards,
            figure_png=png,
            differs_html=views.differs_html(_differs(outcome), lang),
            sources=_sources(outcome, lang),
            link=url,
            note=t(
                "headline_note",
                lang,
                start=POLICY_START,
                end=outcome.end,
                n=len(comp.seeds),
                scale=number(comp.scale, lang),
            ),
        )
        return page.encode()

    Md(f"## {t('export', lang)}")
    with solara.Row(classes=["wnw-exports"], style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: FIGURES.figure(outcome, "differences", lang)[0],
            filename=f"{stem}_verschil.png",
            label=t("export_fig2", lang),
            mime_type="image/png",
        )
        solara.FileDownload(
            lambda: FIGURES.figure(outcome, "levels", lang)[0],
            filename=f"{stem}_niveaus.png",
            label=t("export_fig1", lang),
            mime_type="image/png",
        )
        solara.FileDownload(
            summary_page,
            filename=f"{stem}_samenvatting.html",
            label=t("export_summary", lang),
            mime_type="text/html",
        )
        solara.FileDownload(
            lambda: exports.csv_plain(outcome.table),
            filename=f"{stem}_tabel.csv",
            label=t("export_table", lang),
            mime_type="text/csv",
        )
        solara.FileDownload(
            lambda: exports.csv_belgian(outcome.table),
            filename=f"{stem}_tabel_be.csv",
            label=t("export_table_be", lang),
            mime_type="text/csv",
        )
        solara.FileDownload(
            lambda: exports.csv_plain(long_frame(comp, names)),
            filename=f"{stem}_reeksen.csv",
            label=t("export_csv", lang),
            mime_type="text/csv",
        )
        solara.FileDownload(
            lambda: exports.csv_belgian(long_frame(comp, names)),
            filename=f"{stem}_reeksen_be.csv",
            label=t("export_csv_be", lang),
            mime_type="text/csv",
        )
        for g in ("A", "B"):
            scn = outcome.scenarios[g]
            solara.FileDownload(
                scn.to_yaml().encode(),
                filename=f"{stem}_scenario_{g}.yaml",
                label=t("export_yaml", lang, g=g),
                mime_type="text/yaml",
            )
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Column(gap="4px", style={"flex": "1 1 300px", "min-width": "0"}):
            Md(f"**{t('share', lang)}:**")
            solara.HTML(
                tag="div",
                unsafe_innerHTML=f"<a href='{html.escape(url)}'>{html.escape(url)}</a>",
                classes=["wnw-link"],
            )
            CopyLink(url=url, label=t("copy_link", lang), copied=t("copied", lang))
            Md(t("not_in_link", lang), classes=["wnw-note"])
        with solara.Column(gap="0px"):
            solara.HTML(tag="div", unsafe_innerHTML=exports.qr_svg(url), classes=["wnw-qr"])
            Md(t("qr_note", lang), classes=["wnw-note"], style={"max-width": "200px"})


@solara.component
def Page():
    """The scenario comparer."""
    router = solara.use_router()
    initial = solara.use_memo(lambda: urlstate.decode(router.search, list(_presets())), [])
    lang = solara.use_reactive(initial.lang)
    present = solara.use_reactive(False)
    preset_a = solara.use_reactive(initial.a.preset)
    preset_b = solara.use_reactive(initial.b.preset)
    edits_a = solara.use_reactive(dict(initial.a.edits))
    edits_b = solara.use_reactive(dict(initial.b.edits))
    shared = solara.use_reactive(dict(initial.shared))
    link_problems = solara.use_reactive(list(initial.problems))
    messages = solara.use_reactive([])

    inputs = Inputs(
        compare.ScenarioChoice.make(preset_a.value, edits_a.value),
        compare.ScenarioChoice.make(preset_b.value, edits_b.value),
        tuple(sorted(shared.value.items())),
    )
    query = inputs.query(lang.value)

    lg = lang.value
    solara.Title(t("title", lg))
    UrlSync(query=query)
    solara.Style(CSS)
    classes = ["wnw-page"] + (["wnw-present"] if present.value else [])
    with solara.Column(classes=classes, style={"padding": "8px 20px"}):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            with solara.Column(gap="0px", style={"flex": "1 1 300px", "min-width": "0"}):
                solara.HTML(tag="h1", unsafe_innerHTML=t("title", lg), classes=["wnw-title"])
                solara.Text(t("subtitle", lg), style={"font-size": "18px"})
            with solara.Div(classes=["wnw-present-switch"]):
                solara.Switch(label=t("present", lg), value=present)
            with solara.Div(classes=["wnw-lang"]):
                solara.ToggleButtonsSingle(value=lang, values=["nl", "en"])
        with solara.Div(classes=["wnw-messages"]):  # always there: the cards keep their state
            if link_problems.value:
                solara.Error(
                    urlstate.describe_problems(link_problems.value, lg),
                    classes=["wnw-message", "wnw-link-message"],
                    dense=True,
                    on_close=lambda: link_problems.set([]),
                )
            for i, msg in enumerate(messages.value):
                solara.Error(
                    msg,
                    classes=["wnw-message"],
                    dense=True,
                    on_close=lambda i=i: messages.set(
                        [m for j, m in enumerate(messages.value) if j != i]
                    ),
                )
        with solara.Div(classes=["wnw-main"]):
            with solara.Div(classes=["wnw-inputs"]):
                ScenarioCard("A", preset_a, edits_a, shared.value, lg, messages)
                solara.Div(style={"height": "12px"})
                ScenarioCard("B", preset_b, edits_b, shared.value, lg, messages)
                solara.Div(style={"height": "12px"})
                SharedAssumptions(shared, lg, messages)
            ResultsPane(inputs, lg)


@solara.component
def ResultsPane(inputs: Inputs, lang: str):
    """The results of the inputs: computed live, marked stale until they match.

    Its own component, so that new results re-render the results only, not the inputs
    (the page server's CPU under many sessions went mostly to rendering).
    """
    outcome = solara.use_reactive(None)

    def run() -> None:
        # the first comparison, and one whose runs are all cached, start at once
        if outcome.value is not None and not cached(inputs):
            time.sleep(DEBOUNCE)
            if not task.is_current():
                return
        with contextlib.closing(outcomes(inputs)) as each:
            for result in each:  # partial results as replications finish, then all
                if not task.is_current():
                    return
                outcome.set(result)

    task = solara.lab.use_task(run, dependencies=[inputs])
    partial = outcome.value is not None and outcome.value.partial
    stale = outcome.value is None or outcome.value.inputs != inputs or partial
    classes = ["wnw-results"] + (["wnw-stale"] if stale else [])
    if partial and outcome.value.inputs == inputs:
        classes.append("wnw-partial")
    with solara.Div(classes=classes):
        Status(task, stale, outcome.value, lang, inputs)
        if outcome.value is not None:  # which inputs the results belong to (tests)
            solara.HTML(
                tag="span",
                unsafe_innerHTML=html.escape(outcome.value.inputs.query(lang)),
                classes=["wnw-results-for"],
                style={"display": "none"},
            )
        if outcome.value is not None:
            Headline(outcome.value, lang)
            if outcome.value.partial:
                PartialResults(outcome.value, lang)
            else:
                Results(outcome.value, lang, stale)


@solara.component
def Status(task, stale: bool, outcome: Outcome | None, lang: str, inputs: Inputs):
    """Whether the results on screen match the inputs, and what is being done."""
    cache = compare.run_cache()
    if task.error:
        solara.Error(t("error", lang, msg=task.exception), classes=["wnw-message"])
    if outcome is not None and outcome.partial and outcome.inputs == inputs:
        solara.Div(
            children=[
                solara.Text(
                    t("partial", lang, done=len(outcome.comparison.seeds), total=outcome.total)
                )
            ],
            classes=["wnw-status", "wnw-partial-banner"],
        )
        solara.ProgressLinear(int(100 * len(outcome.comparison.seeds) / outcome.total))
    elif stale:
        text = t("stale", lang) if outcome is not None else t("computing", lang)
        if cache.warm_total and cache.warm_done < cache.warm_total:
            text += " " + t("warming", lang, done=cache.warm_done, total=cache.warm_total)
        solara.Div(
            children=[solara.Text(text)],
            classes=["wnw-status", "wnw-stale-banner"],
        )
        solara.ProgressLinear(True)
    else:
        solara.Div(
            children=[solara.Text(t("up_to_date", lang))],
            classes=["wnw-status", "wnw-fresh"],
        )


def _warm_at_start() -> None:
    if os.environ.get("WNW_DASHBOARD_WARM", "1") != "0":
        order = [compare.BASIS, urlstate.DEFAULT_B, *_presets()]
        compare.warm(list(dict.fromkeys(p for p in order if p in _presets())))


_warm_at_start()
