"""Reads a callgrind output file directly: total instructions and self instructions per
(function, shared object). callgrind_annotate drops the object name on some lines, and
grouping the cost by library is what explains where a client spends its instructions."""

from __future__ import annotations

import os
import re
from pathlib import Path

_NAMED = re.compile(r"^(ob|fl|fi|fe|fn|cob|cfi|cfl|cfn)=\((\d+)\)(?: (.*))?$")
_STD_STRING = (
    "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
)


def short_name(function: str) -> str:
    """A readable function name: std::string spelled out, argument lists dropped."""
    name = function.replace(_STD_STRING, "std::string").replace(
        "(anonymous namespace)", "{anon}"
    )
    depth, cut = 0, len(name)
    for i, ch in enumerate(name):  # cut at the first '(' outside template brackets
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "(" and depth == 0 and not name.startswith("0x"):
            cut = i
            break
    return name[:cut]


def short_object(path: str) -> str:
    return re.sub(r"\.so[.\d]*$", "", os.path.basename(path)) or "?"


class Profile:
    def __init__(self, path: Path) -> None:
        self.total = 0
        self.self_cost: dict[tuple[str, str], int] = {}
        # Inclusive cost: self cost plus the cost of every call made from the function
        # (a recursive function counts its recursion twice; none of those we report is).
        self.inclusive: dict[tuple[str, str], int] = {}
        names: dict[tuple[str, str], str] = {}
        obj, fn = "?", "?"
        skip_next_cost = False  # the line after calls= is the call's inclusive cost
        with open(path) as f:
            for raw in f:
                line = raw.rstrip("\n")
                m = _NAMED.match(line)
                if m:
                    kind, ident, text = m.groups()
                    table = (
                        "ob"
                        if kind in ("ob", "cob")
                        else ("fn" if kind in ("fn", "cfn") else "fl")
                    )
                    if text is not None:
                        names[(table, ident)] = text
                    value = names.get((table, ident), "?")
                    if kind == "ob":
                        obj = value
                    elif kind == "fn":
                        fn = value
                    continue
                if line.startswith(("summary:", "totals:")):
                    self.total = int(line.split()[1])
                    continue
                if line.startswith("calls="):
                    skip_next_cost = True
                    continue
                if line and (line[0].isdigit() or line[0] in "+-*"):
                    parts = line.split()
                    if len(parts) < 2:
                        continue
                    key, cost = (fn, obj), int(parts[1])
                    self.inclusive[key] = self.inclusive.get(key, 0) + cost
                    if skip_next_cost:
                        skip_next_cost = False
                        continue
                    self.self_cost[key] = self.self_cost.get(key, 0) + cost

    def by_object(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for (_, obj), cost in self.self_cost.items():
            out[short_object(obj)] = out.get(short_object(obj), 0) + cost
        return out


def per_call_difference(small: Profile, large: Profile, calls: int) -> dict:
    """(large - small) / calls, overall, per object and per function."""

    def diff(a: dict, b: dict) -> dict:
        return {k: (b.get(k, 0) - a.get(k, 0)) / calls for k in set(a) | set(b)}

    functions = diff(small.self_cost, large.self_cost)
    inclusive = diff(small.inclusive, large.inclusive)
    objects = diff(small.by_object(), large.by_object())
    top = sorted(functions.items(), key=lambda kv: -kv[1])[:15]
    return {
        "instructions_per_call": (large.total - small.total) / calls,
        "by_object": dict(
            sorted(
                ((k, v) for k, v in objects.items() if abs(v) >= 1),
                key=lambda kv: -kv[1],
            )
        ),
        "top_functions": [
            (f"{short_name(fn)} [{short_object(obj)}]", cost) for (fn, obj), cost in top
        ],
        # Every function costing at least 100 instructions per call, to compare two clients.
        "functions": {
            f"{short_name(fn)} [{short_object(obj)}]": round(cost)
            for (fn, obj), cost in functions.items()
            if cost >= 100
        },
        "inclusive": {
            f"{short_name(fn)} [{short_object(obj)}]": round(cost)
            for (fn, obj), cost in inclusive.items()
            if cost >= 1000
        },
    }
