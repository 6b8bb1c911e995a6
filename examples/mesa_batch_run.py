"""Recipe: Mesa's own ``batch_run`` on the model class.

The model takes Mesa's conventions: keyword arguments with flat parameter names, ``rng``
for the seed, a ``datacollector`` collected every month (in persons) and ``running`` False
after the end month, so ``mesa.batch_run`` needs nothing else.

Run: ``python examples/mesa_batch_run.py``
"""

import mesa
import pandas as pd

from sim import LabourMarketModel


def main() -> pd.DataFrame:
    """Two presets x two seeds to December 2021 (the pilot starts in 2021); one row per run."""
    rows = mesa.batch_run(
        LabourMarketModel,
        parameters={
            "scenario": ["basis", "werknemersdelen"],
            "persons_per_agent": 2000,  # small and quick; 100 is the default scale
            "end": "2021-12",
        },
        rng=[1, 2],
        max_steps=1000,  # the model stops itself at simulation.end
        number_processes=1,
        display_progress=False,
    )
    table = pd.DataFrame(rows)
    print(table[["scenario", "rng", "Step", "month", "employed", "job_seekers"]].to_string())
    return table


if __name__ == "__main__":
    main()
