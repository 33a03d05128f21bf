"""Number formatting shared by the report's sections: ratios, rounded values, spreads and
the per-level lookups of results.json."""

from __future__ import annotations


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def spread_text(s: dict) -> str:
    return f"±{s['spread_pct'] / 2:.0f}%"


def level(d: dict, k: int):
    return d.get(str(k), d.get(k))
