"""Generate the parameter reference ``docs/PARAMETERS.md`` from the registry.

Run ``python -m sim.reference`` after any change to ``sim/parameters.yaml`` or
``sim/policies.yaml`` (tests/test_docs.py fails while the file is out of date);
``python -m sim.reference --check`` only reports whether it is. The reference lists every
parameter that :func:`sim.registry.load_registry` loads, grouped by the prefix before the
first dot, in registry order.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.registry import KINDS, Parameter, Registry, load_registry

#: where the reference is written (repository root / docs / PARAMETERS.md)
REFERENCE_PATH = Path(__file__).resolve().parents[1] / "docs" / "PARAMETERS.md"

#: headings of the known groups; a group not listed here is shown under its prefix
GROUP_TITLES: dict[str, str] = {
    "simulation": "Simulation settings",
    "population": "Initial population (2019)",
    "sector": "Sectors",
    "vacancy": "Vacancies",
    "shock": "Shocks (COVID-19 lockdowns)",
    "skill": "Skill distance",
    "flows": "Flows between employment, unemployment and inactivity",
    "attachment": "Attachment to work",
    "matching": "Matching (applications, offers, acceptance)",
    "demography": "Demography",
    "vdab": "VDAB registration and counselling",
    "training": "VDAB training",
    "federal_top_up": "Policy: federal top-up for temporary unemployment",
    "automatic_registration": "Policy: automatic registration of temporarily unemployed",
    "training_offensive": "Policy: training offensive for temporarily unemployed",
    "worker_sharing": "Policy: worker-sharing pilot",
    "side_entry": "Policy: side entry into care and teaching",
    "dismissed_offer": "Policy: offer for dismissed workers",
    "transition_premium": "Policy: transition premium to entrepreneurship",
    "training_leave": "Policy: training leave and competence check-ups",
    "budget": "Policy budget envelopes",
    "monitor": "Monitor of intensively temporarily unemployed",
}

KIND_TEXT: dict[str, str] = {
    "policy_lever": "a choice of policy makers (a lever of 'Alle hens aan dek')",
    "behavioural": "an assumption about how people or firms behave (an uncertainty)",
    "calibrated": "a value fitted so that the baseline reproduces an observed figure",
    "structural": "an observed datum of the Flemish labour market used as input",
    "simulation": "a setting of the simulation itself (scale, horizon)",
}


def _cell(text: Any) -> str:
    """Text safe for one Markdown table cell (no pipes, no line breaks)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _number(x: Any) -> str:
    """A number as short text: integers as they are, floats with up to 6 digits."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def format_default(par: Parameter) -> str:
    """The default value in one line; mappings as ``key: value, key: value, ...``."""
    d = par.default
    if isinstance(d, dict):
        if not d:
            return "(empty: 0 in every month)" if par.type == "series" else "(empty)"
        return ", ".join(f"{k}: {_number(v)}" for k, v in d.items())
    if isinstance(d, str):
        return f"`{d}`"
    return _number(d)


def format_source(par: Parameter) -> str:
    """Source as ``document; where; note`` (empty parts left out)."""
    parts = [str(par.source.get(k, "")).strip() for k in ("document", "where", "note")]
    return "; ".join(p for p in parts if p) or "(none given)"


def group_parameters(registry: Registry) -> dict[str, list[Parameter]]:
    """Parameters by group prefix, groups and parameters in registry order."""
    groups: dict[str, list[Parameter]] = {}
    for par in registry.parameters.values():
        groups.setdefault(par.name.split(".")[0], []).append(par)
    return groups


def _anchor(text: str) -> str:
    """GitHub-style anchor of a heading."""
    keep = [c for c in text.lower() if c.isalnum() or c in " -_"]
    return "".join(keep).replace(" ", "-")


def _parameter_block(par: Parameter) -> list[str]:
    label_nl, _ = par.text("nl")
    label_en, desc_en = par.text("en")
    return [
        f"### `{par.name}`",
        "",
        f"**{label_nl}** / *{label_en}*",
        "",
        desc_en,
        "",
        "| field | value |",
        "|---|---|",
        f"| unit | {_cell(par.unit)} |",
        f"| default | {_cell(format_default(par))} |",
        f"| allowed | {_cell(par.allowed())} |",
        f"| kind | {par.kind} |",
        f"| source | {_cell(format_source(par))} |",
        "",
    ]


def render(registry: Registry | None = None) -> str:
    """The whole reference as Markdown text.

    Args:
        registry: the registry to describe; the package's registry if None.

    Returns:
        The text of docs/PARAMETERS.md, ending with one newline.
    """
    reg = registry if registry is not None else load_registry()
    groups = group_parameters(reg)
    lines = [
        "# Parameter reference",
        "",
        "<!-- Generated by `python -m sim.reference` from the registry "
        "(sim/parameters.yaml, sim/policies.yaml, sim/calibrated.yaml). "
        "Do not edit by hand. -->",
        "",
        "Every parameter of the model, as declared in the registry: its name, Dutch and "
        "English label, description, unit, default, allowed values, kind and source. "
        "Scenario files override parameters by these names. The source document is "
        f"{reg.documents['SRC']} (the Flemish Parliament's committee report on the VESOC "
        "agreement 'Alle hens aan dek'); \"assumption\" means the number is in no "
        "source and is open to sensitivity analysis. The defaults of parameters of kind "
        "`calibrated` are the values fitted by `run_experiment.py calibrate` where "
        "`sim/calibrated.yaml` lists them (their source then says so), else the hand-set "
        "values of `sim/parameters.yaml` ([CALIBRATION.md](CALIBRATION.md)). The model is "
        "described in [ODD.md](ODD.md).",
        "",
        f"{len(reg.parameters)} parameters in {len(groups)} groups.",
        "",
        "## Kinds",
        "",
        "| kind | meaning | parameters |",
        "|---|---|---|",
    ]
    for kind in KINDS:
        lines.append(f"| {kind} | {KIND_TEXT.get(kind, kind)} | {len(reg.by_kind(kind))} |")
    lines += [
        "",
        "## Sectors",
        "",
        "| id | nl | en | NACE | structural shortage |",
        "|---|---|---|---|---|",
    ]
    for s in reg.sectors:
        lines.append(
            f"| `{s.id}` | {_cell(s.label.get('nl', ''))} | "
            f"{_cell(s.label.get('en', ''))} | {_cell(s.nace)} | "
            f"{'yes' if s.shortage else ''} |"
        )
    lines += ["", "## Groups", ""]
    for g, pars in groups.items():
        title = f"{g}: {GROUP_TITLES.get(g, g)}"
        lines.append(f"- [{title}](#{_anchor(title)}) ({len(pars)})")
    lines.append("")
    for g, pars in groups.items():
        lines += [f"## {g}: {GROUP_TITLES.get(g, g)}", ""]
        for par in pars:
            lines += _parameter_block(par)
    return "\n".join(lines).rstrip("\n") + "\n"


def write(path: Path = REFERENCE_PATH) -> Path:
    """Write the reference to ``path`` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Write docs/PARAMETERS.md, or with ``--check`` report whether it is up to date."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--check" in args:
        current = REFERENCE_PATH.read_text(encoding="utf-8") if REFERENCE_PATH.exists() else ""
        if current != render():
            print(f"{REFERENCE_PATH} is out of date: run `python -m sim.reference`")
            return 1
        print(f"{REFERENCE_PATH} is up to date")
        return 0
    path = write()
    print(f"wrote {path} ({len(load_registry().parameters)} parameters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
