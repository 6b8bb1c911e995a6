"""Calendar months as 'YYYY-MM' labels: the model's time axis.

Small pure functions shared by the model (its month of each step), the rules (windows such
as the restructuring wave) and the input data (the lockdown paths, month by month).
"""

from __future__ import annotations


def month_label(start: str, index: int) -> str:
    """'YYYY-MM' of the month ``index`` months after ``start``."""
    y, m = int(start[:4]), int(start[5:7]) - 1 + index
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def months_between(start: str, end: str) -> int:
    """Number of months from ``start`` to ``end`` inclusive."""
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1


def month_range(first: str, last: str) -> list[str]:
    """The months from ``first`` to ``last``, both included (empty if ``last`` < ``first``)."""
    return [month_label(first, i) for i in range(max(months_between(first, last), 0))]
