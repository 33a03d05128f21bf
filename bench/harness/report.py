"""Turns results.json into the console table, docs/bench/REPORT.md and bench.png.
Every verdict is computed from the numbers of this one run; where a target is missed the
report shows the measured breakdown that explains it. The sections live in report_*.py."""

from __future__ import annotations

from pathlib import Path

from report_markdown import markdown
from report_plot import plot
from report_targets import targets


def verdict(met: bool | None) -> str:
    return "reported" if met is None else ("MET" if met else "MISSED")


def console_table(r: dict) -> str:
    rows = targets(r)
    width = max(len(x["what"]) for x in rows)
    lines = [
        (
            f"{'measure':<{width}}  {'median':>10}  {'worst':>10}  {'best':>10}  "
            f"{'target':>9}  verdict"
        )
    ]
    for x in rows:
        lines.append(
            f"{x['what']:<{width}}  {x['measured']:>10}  {x['worst_text']:>10}  "
            f"{x['best_text']:>10}  {x['goal']:>9}  {verdict(x['met'])}   "
            f"({x['reps']} rep.; {x['detail']})"
        )
    lines.append(
        f"signing: {r['signing']['ns_per_sign']['median'] / 1000:.2f} µs per request; "
        f"libdcs.so.1: {r['size']['stripped'] / 1024:.0f} KiB stripped, "
        f"{r['size']['unstripped'] / 1024:.0f} KiB unstripped"
    )
    lines.append(
        f"load average before/after: {r['load1_before']:.2f} / {r['load1_after']:.2f}; "
        f"run took {r['duration_s']:.0f} s"
    )
    return "\n".join(lines)


def write(r: dict, out: Path, quick: bool = False) -> None:
    (out / "REPORT.md").write_text(markdown(r, quick))
    plot(r, out / "bench.png")
