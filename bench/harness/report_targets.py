"""The report's targets: each measure, its goal, and whether this run met it."""

from __future__ import annotations

from report_format import fmt, level, ratio, spread_text


def targets(r: dict) -> list[dict]:
    """One row per target: what, measured, goal, met."""
    rows = []

    def row(
        what: str,
        value: float,
        goal: float,
        unit: str,
        higher_is_better: bool = True,
        detail: str = "",
        spread: tuple = (),
    ) -> None:
        met = value >= goal if higher_is_better else value <= goal
        if spread:  # half the min-max range of each side, in % of its median
            detail += "; spread " + " / ".join(spread_text(x) for x in spread)
        sign = "≥" if higher_is_better else "≤"
        rows.append(
            {
                "what": what,
                "value": value,
                "goal": f"{sign} {goal:g}{unit}",
                "measured": f"{value:.2f}{unit}",
                "met": met,
                "detail": detail,
            }
        )

    seq = r["sequential"]
    row(
        "libdcs C ABI calls/s vs bare libcurl (sequential, keep-alive)",
        ratio(seq["libdcs"]["median"], seq["curl"]["median"]),
        0.9,
        "×",
        detail=f"{fmt(seq['libdcs']['median'])} vs {fmt(seq['curl']['median'])} calls/s",
        spread=(seq["libdcs"], seq["curl"]),
    )
    cg = r["callgrind"]
    row(
        "libdcs instructions per call vs bare libcurl (callgrind)",
        ratio(
            cg["libdcs_seq"]["instructions_per_call"],
            cg["curl_floor"]["instructions_per_call"],
        ),
        1.25,
        "×",
        higher_is_better=False,
        detail=f"{fmt(cg['libdcs_seq']['instructions_per_call'])} vs "
        f"{fmt(cg['curl_floor']['instructions_per_call'])} instructions",
    )
    if "python" in r:
        py = r["python"]
        row(
            "Python binding vs huaweicloudsdkdcs: calls/s",
            ratio(py["libdcs"]["rate"]["median"], py["official"]["rate"]["median"]),
            5,
            "×",
            detail=f"{fmt(py['libdcs']['rate']['median'])} vs "
            f"{fmt(py['official']['rate']['median'])} calls/s",
            spread=(py["libdcs"]["rate"], py["official"]["rate"]),
        )
        row(
            "Python binding vs huaweicloudsdkdcs: CPU time per call",
            ratio(
                py["official"]["cpu_us_per_call"]["median"],
                py["libdcs"]["cpu_us_per_call"]["median"],
            ),
            5,
            "×",
            detail=f"{fmt(py['libdcs']['cpu_us_per_call']['median'])} vs "
            f"{fmt(py['official']['cpu_us_per_call']['median'])} µs CPU per call",
            spread=(py["libdcs"]["cpu_us_per_call"], py["official"]["cpu_us_per_call"]),
        )
    if "go" in r:
        go = r["go"]
        row(
            "Go binding vs huaweicloud-sdk-go-v3: calls/s",
            ratio(go["libdcs"]["rate"]["median"], go["official"]["rate"]["median"]),
            1.2,
            "×",
            detail=f"{fmt(go['libdcs']['rate']['median'])} vs "
            f"{fmt(go['official']['rate']['median'])} calls/s",
            spread=(go["libdcs"]["rate"], go["official"]["rate"]),
        )
    tls = r["https"]
    row(
        "HTTPS (emulator): libdcs keep-alive vs new TLS connection per call",
        ratio(tls["libdcs"]["median"], tls["new_conn"]["median"]),
        5,
        "×",
        detail=f"{fmt(tls['libdcs']['median'])} vs {fmt(tls['new_conn']['median'])} calls/s",
        spread=(tls["libdcs"], tls["new_conn"]),
    )
    conc = r["concurrency"]
    top = max(conc["levels"])
    c_top = (
        conc["libdcs_c"][str(top)]
        if str(top) in conc["libdcs_c"]
        else conc["libdcs_c"][top]
    )
    row(
        f"{top} in flight through one client (C) vs wrk -c64",
        ratio(c_top["median"], conc["wrk_c64"]["median"]),
        0.5,
        "×",
        detail=f"{fmt(c_top['median'])} vs {fmt(conc['wrk_c64']['median'])} calls/s",
        spread=(c_top, conc["wrk_c64"]),
    )
    go_top = level(conc.get("go_libdcs", {}), top)
    if go_top:
        row(
            f"{top} goroutines through one Go client vs wrk -c64",
            ratio(go_top["median"], conc["wrk_c64"]["median"]),
            0.5,
            "×",
            detail=f"{fmt(go_top['median'])} vs {fmt(conc['wrk_c64']['median'])} calls/s",
            spread=(go_top, conc["wrk_c64"]),
        )
    mem = r["memory"]
    row(
        f"resident memory growth from {mem['samples'][0][0]:,} to {mem['samples'][-1][0]:,} calls",
        mem["growth_kib"],
        256,
        " KiB",
        higher_is_better=False,
        detail=" → ".join(f"{kib:,}" for _, kib in mem["samples"]) + " KiB",
    )
    if r.get("cli"):
        row(
            "dcsctl: process start to printed restore id (hyperfine, median)",
            r["cli"]["ms"]["median"],
            10,
            " ms",
            higher_is_better=False,
            detail=f"mean {r['cli']['mean_ms']:.2f} ± {r['cli']['stddev_ms']:.2f} ms",
        )
    return rows
