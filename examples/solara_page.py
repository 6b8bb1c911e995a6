"""Recipe: Mesa's SolaraViz page of the model (Step, Play, Reset, a live plot).

Serve it with ``solara run examples/solara_page.py`` (see docs/RECIPES.md). The project's
workshop page (``make dashboard``) is the full scenario comparer; this is Mesa's generic
page, for researchers who know Mesa.
"""

import solara
from mesa.visualization import SolaraViz, make_plot_component

from sim import LabourMarketModel, list_presets

#: inputs on the page; ``preset`` survives Reset (it travels in the model's Mesa scenario)
MODEL_PARAMS = {
    "preset": {
        "type": "Select",
        "value": "werknemersdelen",
        "values": list(list_presets()),
        "label": "Scenario",
    },
    "persons_per_agent": {
        "type": "SliderInt",
        "value": 2000,
        "min": 500,
        "max": 5000,
        "step": 500,
        "label": "Personen per agent",
    },
    "end": "2021-12",
}


def new_model() -> LabourMarketModel:
    """The model the page opens with (``rng=None``: a fresh seed per session)."""
    return LabourMarketModel(preset="werknemersdelen", persons_per_agent=2000, end="2021-12")


def make_page(model: LabourMarketModel):
    """The SolaraViz page: employment and job seekers per month, in persons."""
    return SolaraViz(
        model,
        components=[
            make_plot_component(["employed"]),
            make_plot_component(["job_seekers", "temporarily_unemployed"]),
        ],
        model_params=MODEL_PARAMS,
        name="werk-naar-werk",
    )


@solara.component
def Page():
    """The page ``solara run`` serves."""
    model = solara.use_memo(new_model, [])  # one model per browser session
    with solara.AppLayout():
        make_page(model)
