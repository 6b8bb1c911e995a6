"""Longest functions and largest modules of the packages, measured with ``ast``.

Printed, never asserted: ``python benchmarks/code_size.py [--top N] [ROOT ...]``
(default roots: sim experiments dashboard). Lengths are source lines from ``def`` to the
last line of the body, docstring included.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


def functions(path: Path) -> list[tuple[int, str]]:
    """(lines, 'file:Class.function') for every function in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                out.append((child.end_lineno - child.lineno + 1, f"{path}:{name}"))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return out


def main() -> None:
    """Print the longest functions and the largest modules."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("roots", nargs="*", default=["sim", "experiments", "dashboard"])
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    files = sorted(f for r in args.roots for f in Path(r).rglob("*.py"))
    funcs = sorted((f for p in files for f in functions(p)), reverse=True)
    print(f"longest functions (of {len(funcs)}):")
    for n, name in funcs[: args.top]:
        print(f"  {n:4d}  {name}")
    sizes = sorted(
        ((len(p.read_text(encoding="utf-8").splitlines()), str(p)) for p in files), reverse=True
    )
    print(f"largest modules (of {len(files)}, {sum(n for n, _ in sizes)} lines):")
    for n, name in sizes[: args.top]:
        print(f"  {n:4d}  {name}")


if __name__ == "__main__":
    main()
