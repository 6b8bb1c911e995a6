"""Batch experiments with the werk-naar-werk model: ``python run_experiment.py --help``.

Without arguments it runs the default experiment, the comparison of the 'Alle hens aan dek'
levers (``experiments/ahad.yaml``), and writes ``results/ahad/`` with its report. See
``docs/EXPERIMENTS.md``.
"""

import sys

from experiments.cli import main

if __name__ == "__main__":
    sys.exit(main())
