"""The report's targets: each measure, its goal, and whether this run met it.

Every comparison is measured in paired repetitions (the two sides alternate, one fresh
process each), so each repetition gives one ratio; a target row shows the median of those
ratios, the worst and the best repetition, and the verdict on the median. A measure with
one value per repetition (memory growth, a waiter's delay) is shown the same way."""

from __future__ import annotations

import statistics
from collections.abc import Callable

from report_format import fmt, level


def paired(a: dict, b: dict) -> list[float]:
    """a/b for each repetition: both summaries list their runs in the order they ran,
    alternating, so the i-th runs of the two sides are a pair."""
    return [x / y for x, y in zip(a["runs"], b["runs"], strict=False) if y]


def targets(r: dict) -> list[dict]:
    """One row per target: key, what, median/worst/best, goal, met (None: reported, no
    target)."""
    rows: list[dict] = []

    def row(
        key: str,
        what: str,
        values: list[float],
        goal: float | None,
        unit: str = "×",
        higher_is_better: bool = True,
        detail: str = "",
        digits: int = 2,
    ) -> None:
        if not values:
            return
        median = statistics.median(values)
        worst, best = (
            (min(values), max(values))
            if higher_is_better
            else (max(values), min(values))
        )
        sign = "≥" if higher_is_better else "≤"
        goal_text = f"{goal:g}" if goal is not None else ""
        if unit == "×" and goal_text.isdigit():
            goal_text += ".0"  # "≥ 1.0×", as the targets are written
        met = (
            None
            if goal is None
            else (median >= goal if higher_is_better else median <= goal)
        )
        rows.append(
            {
                "key": key,
                "what": what,
                "value": median,
                "worst": worst,
                "best": best,
                "reps": len(values),
                "goal": "—" if goal is None else f"{sign} {goal_text}{unit}",
                "measured": f"{median:,.{digits}f}{unit}",
                "worst_text": f"{worst:,.{digits}f}{unit}",
                "best_text": f"{best:,.{digits}f}{unit}",
                "met": met,
                "detail": detail,
            }
        )

    seq = r["sequential"]
    cpu = seq["cpu_us_per_call"]
    cg = r["callgrind"]
    dcs_i = cg["libdcs_seq"]["instructions_per_call"]
    # The targets' floor: bare libcurl sending the same request bytes (libdcs's own header
    # lines, signed beforehand), as item 4 defines dcsctl's floor; results from before that
    # floor existed fall back to the minimal POST. Both are shown.
    same = "curl_same" in seq and "curl_floor_same" in cg
    floors = [("curl", "curl_floor", "bare libcurl, minimal POST")]
    if same:
        floors.insert(0, ("curl_same", "curl_floor_same", "bare libcurl, same request"))
    for index, (key, cg_key, label) in enumerate(floors):
        judged = index == 0
        suffix = "" if judged else "_minimal"
        row(
            "c_rate" + suffix,
            f"C ABI calls/s vs {label} (sequential, keep-alive)",
            paired(seq["libdcs"], seq[key]),
            1.0 if judged else None,
            detail=f"{fmt(seq['libdcs']['median'])} vs {fmt(seq[key]['median'])} calls/s",
        )
        row(
            "c_cpu" + suffix,
            f"C ABI CPU per sequential call vs {label} (process CPU time)",
            paired(cpu["libdcs"], cpu[key]),
            1.15 if judged else None,
            higher_is_better=False,
            detail=f"{cpu['libdcs']['median']:.1f} vs {cpu[key]['median']:.1f} µs per call",
        )
        floor_i = cg[cg_key]["instructions_per_call"]
        sha = sha256_share(cg, cg_key)
        row(
            "c_instructions" + suffix,
            f"C ABI instructions per call vs {label} (callgrind)",
            [dcs_i / floor_i],
            1.8 if judged else None,
            higher_is_better=False,
            detail=f"{fmt(dcs_i)} vs {fmt(floor_i)} instructions"
            + (
                f"; SHA-256/HMAC (libcrypto) {fmt(sha['libcrypto'])} of the "
                f"{fmt(sha['extra'])} extra ({sha['share_pct']:.0f}%)"
                if sha
                else ""
            ),
        )
    if "python" in r:
        py = r["python"]
        row(
            "py_rate",
            "Python binding calls/s vs huaweicloudsdkdcs",
            paired(py["libdcs"]["rate"], py["official"]["rate"]),
            5,
            detail=f"{fmt(py['libdcs']['rate']['median'])} vs "
            f"{fmt(py['official']['rate']['median'])} calls/s",
        )
        if "c_library" in py:
            c = py["c_library"]["cpu_us_per_call"]
            row(
                "py_cpu",
                "Python binding CPU per call vs the C library's",
                paired(py["libdcs"]["cpu_us_per_call"], c),
                1.3,
                higher_is_better=False,
                detail=f"{py['libdcs']['cpu_us_per_call']['median']:.1f} vs "
                f"{c['median']:.1f} µs per call "
                f"(huaweicloudsdkdcs {py['official']['cpu_us_per_call']['median']:.0f} µs)",
            )
    if "go" in r:
        go = r["go"]
        row(
            "go_rate",
            "Go binding calls/s vs huaweicloud-sdk-go-v3",
            paired(go["libdcs"]["rate"], go["official"]["rate"]),
            1.2,
            detail=f"{fmt(go['libdcs']['rate']['median'])} vs "
            f"{fmt(go['official']['rate']['median'])} calls/s",
        )
    tls = r["https"]
    row(
        "https",
        "HTTPS (emulator): keep-alive vs a new TLS connection per call",
        paired(tls["libdcs"], tls["new_conn"]),
        5,
        detail=f"{fmt(tls['libdcs']['median'])} vs {fmt(tls['new_conn']['median'])} calls/s",
    )
    conc = r["concurrency"]
    top = max(conc["levels"])
    wrk = conc["wrk_c64"]
    for key, client, label, goal in (
        ("conc_c", "libdcs_c", "C", 0.5),
        ("conc_go", "go_libdcs", "Go", 0.4),
    ):
        s = level(conc.get(client, {}), top)
        if s:
            row(
                key,
                f"{top} in flight through one client ({label}) vs wrk -c{top}",
                paired(s, wrk),
                goal,
                detail=f"{fmt(s['median'])} vs {fmt(wrk['median'])} calls/s",
            )
    multi = conc.get("curl_multi")
    if multi:
        # No target: the libcurl floor at this concurrency, for reading the two rows above.
        row(
            "conc_curl_multi",
            f"bare libcurl multi handle, {top} in flight, libdcs's headers, vs wrk -c{top}",
            paired(multi, wrk),
            None,
            detail=f"{fmt(multi['median'])} vs {fmt(wrk['median'])} calls/s",
        )
        c = level(conc.get("libdcs_c", {}), top)
        if c:
            row(
                "conc_c_vs_multi",
                f"{top} in flight through one client (C) vs that libcurl floor",
                paired(c, multi),
                None,
                detail=f"{fmt(c['median'])} vs {fmt(multi['median'])} calls/s",
            )
    mem = r["memory"]
    row(
        "memory",
        f"resident memory growth from {mem['samples'][0][0]:,} to "
        f"{mem['samples'][-1][0]:,} calls",
        [mem["growth_kib"]],
        256,
        " KiB",
        higher_is_better=False,
        detail=" → ".join(f"{kib:,}" for _, kib in mem["samples"]) + " KiB",
        digits=0,
    )
    cli = r.get("cli")
    if cli and "dcsctl_no_preflight" in cli.get("ms", {}):
        ms = cli["ms"]
        row(
            "cli",
            "dcsctl restore --no-preflight vs curl, same POST (start to answer)",
            paired(ms["dcsctl_no_preflight"], ms["curl_one"]),
            1.1,
            higher_is_better=False,
            detail=f"{ms['dcsctl_no_preflight']['median']:.2f} vs "
            f"{ms['curl_one']['median']:.2f} ms",
        )
        row(
            "cli_default",
            "dcsctl restore (pre-flight: 3 requests) vs one curl making the 3",
            paired(ms["dcsctl_default"], ms["curl_three"]),
            None,
            higher_is_better=False,
            detail=f"{ms['dcsctl_default']['median']:.2f} vs "
            f"{ms['curl_three']['median']:.2f} ms (reported, no target)",
        )
    waiter_rows(r.get("waiter"), row)
    return rows


def waiter_rows(waiter: dict | None, row: Callable[..., None]) -> None:
    """Per restore duration: libdcs's delay after the restore ended, within max(1 s, 5%
    of the duration), and its requests, no more than the fixed 10 s poller's."""
    if not waiter:
        return
    for duration, modes in waiter["by_duration"].items():
        mine, fixed = modes.get("libdcs"), modes.get("fixed10")
        if not mine:
            continue
        seconds = float(duration)
        allowed = max(1.0, 0.05 * seconds)
        row(
            f"waiter_delay_{duration}",
            f"waiter, {duration} s restore: noticed after the end",
            [d / 1000 for d in mine["delay_ms"]],
            allowed,
            " s",
            higher_is_better=False,
            detail=f"fixed 10 s poller: {fixed['median_delay_ms'] / 1000:.2f} s"
            if fixed
            else "",
        )
        if fixed:
            row(
                f"waiter_requests_{duration}",
                f"waiter, {duration} s restore: requests vs the fixed 10 s poller",
                [n / fixed["median_requests"] for n in mine["requests"]],
                1.0,
                higher_is_better=False,
                detail=f"{mine['median_requests']:g} vs {fixed['median_requests']:g} requests",
            )


def sha256_share(cg: dict, floor: str = "curl_floor") -> dict | None:
    """How much of libdcs's extra instructions per call (over the bare libcurl `floor`)
    libcrypto executes: on plain HTTP libcrypto does nothing but the signature's SHA-256
    digests and HMAC, so this is the hashing's cost, under valgrind's CPU model."""
    dcs, curl = cg["libdcs_seq"], cg[floor]
    extra = dcs["instructions_per_call"] - curl["instructions_per_call"]
    crypto = dcs["by_object"].get("libcrypto", 0) - curl["by_object"].get(
        "libcrypto", 0
    )
    if extra <= 0:
        return None
    return {"extra": extra, "libcrypto": crypto, "share_pct": 100 * crypto / extra}
