"""Month speed of the working tree against an earlier commit, measured in turns.

This machine's speed drifts by tens of percent from one minute to the next, so two
benchmark runs minutes apart do not compare. This script checks the other commit out in a
temporary git worktree and times one full default run of each version in alternation, a
few rounds, and prints both versions' best and median milliseconds per month.

Usage: ``python benchmarks/compare_commits.py COMMIT [--persons-per-agent N] [--rounds R]
[--clock wall|cpu]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: one full run of ``basis`` in a fresh interpreter; prints milliseconds per month
TIMER = """
import sys, time
sys.path.insert(0, ".")
from sim.simulate import build_model
clock = time.process_time if sys.argv[2] == "cpu" else time.perf_counter
model = build_model("basis", seed=0,
                    overrides={"simulation.persons_per_agent": int(sys.argv[1])})
t0 = clock()
model.run()
print((clock() - t0) / model.n_months * 1000)
"""


def time_month(checkout: Path, persons_per_agent: int, clock: str = "wall") -> float:
    """Milliseconds per month of one default run of the code in ``checkout``.

    ``clock``: ``wall`` (elapsed time) or ``cpu`` (the process's CPU time: on a machine
    shared with other work, time spent waiting for a core is left out).
    """
    out = subprocess.run(
        [sys.executable, "-c", TIMER, str(persons_per_agent), clock],
        cwd=checkout,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Parse the arguments, time both versions in turns, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the commit to compare the working tree with")
    parser.add_argument(
        "--persons-per-agent",
        type=int,
        default=100,
        help="model scale (default 100: the default scale)",
    )
    parser.add_argument("--rounds", type=int, default=4, help="runs of each version")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: elapsed time (default); cpu: process CPU time, steadier on a busy machine",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(base), args.commit],
            cwd=ROOT,
            check=True,
        )
        try:
            old, new = [], []
            for _ in range(args.rounds):
                old.append(time_month(base, args.persons_per_agent, args.clock))
                new.append(time_month(ROOT, args.persons_per_agent, args.clock))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=True
            )
    for name, ms in ((args.commit, old), ("working tree", new)):
        print(f"{name:>14}: best {min(ms):6.2f} ms/month, median {statistics.median(ms):6.2f}")
    print(
        f"speed-up: best {min(old) / min(new):.2f}x, "
        f"median {statistics.median(old) / statistics.median(new):.2f}x"
    )


if __name__ == "__main__":
    main()
