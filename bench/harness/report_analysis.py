"""Where missed targets come from: the measured breakdowns (callgrind stages, profiles)
that explain each miss."""

from __future__ import annotations

from report_format import fmt
from report_targets import sha256_share, targets


def rate_row(name: str, s: dict, unit: str = "calls/s") -> str:
    return (
        f"| {name} | {fmt(s['median'])} {unit} | {fmt(s['min'])} – {fmt(s['max'])} | "
        f"{len(s['runs'])} |"
    )


def call_stages(curl: dict, dcs: dict) -> list[tuple[str, float]]:
    """The stages of a libdcs call from callgrind's inclusive costs (names as this build
    spells them; a stage whose function is not found is left out)."""
    inc, base = dcs.get("inclusive", {}), curl.get("inclusive", {})

    def cost(table: dict, *prefixes: str) -> float | None:
        for name, value in table.items():
            if any(name.startswith(p) for p in prefixes):
                return value
        return None

    whole = cost(inc, "dcs_restore_instance ")
    sign = cost(inc, "dcs::core::Signer::sign_request ")
    # Today's names first, then those of earlier results.json files (the Contexts class of
    # 4ed171f's run, the one-off helpers before it), so that --render-only keeps the rows.
    sha = cost(
        inc, "dcs::core::sha256_hex", "dcs::core::HmacSha256Key::Contexts::sha256_hex"
    )
    hmac = cost(
        inc,
        "dcs::core::HmacSha256Key::hmac_hex",
        "dcs::core::HmacSha256Key::Contexts::hmac_hex",
        "dcs::core::hmac_sha256_hex",
    )
    perform = cost(inc, "dcs::core::Transport::perform ")
    multi = cost(inc, "curl_multi_perform ")
    easy = cost(base, "curl_easy_perform ")
    rows = [
        ("bare libcurl: the whole call (`curl_easy_perform`)", easy),
        ("libdcs: the whole call (`dcs_restore_instance`)", whole),
        ("— signing (`Signer::sign_request`)", sign),
        ("  — of which SHA-256 digests (`sha256_hex`)", sha),
        ("  — of which HMAC (`hmac_hex`)", hmac),
        ("— HTTP exchange (`Transport::perform`)", perform),
        ("  — of which inside libcurl (`curl_multi_perform`)", multi),
    ]
    if whole and sign and perform:
        rows.append(
            (
                "— the rest (validation, JSON body and decoding, retry logic)",
                whole - sign - perform,
            )
        )
    return [(label, value) for label, value in rows if value is not None]


def analysis(r: dict) -> list[str]:
    """For every missed target, the measured cause."""
    missed = {x["key"] for x in targets(r) if x["met"] is False}
    out: list[str] = []
    if not missed:
        return ["Every target was met in this run.", ""]
    cg = r["callgrind"]
    # The floor the targets are judged against (report_targets.targets): the same request
    # bytes when this run measured it, else the minimal POST.
    same = "curl_same" in r["sequential"] and "curl_floor_same" in cg
    floor_cg, floor_seq = (
        ("curl_floor_same", "curl_same") if same else ("curl_floor", "curl")
    )
    curl, dcs = cg[floor_cg], cg["libdcs_seq"]
    seq_cpu = dict(r["sequential"]["cpu_us_per_call"])
    seq_cpu["curl"] = seq_cpu[floor_seq]
    if missed & {"c_rate", "c_cpu", "c_instructions"}:
        extra = dcs["instructions_per_call"] - curl["instructions_per_call"]
        objects = sorted(
            {*curl["by_object"], *dcs["by_object"]},
            key=lambda o: -(dcs["by_object"].get(o, 0) - curl["by_object"].get(o, 0)),
        )
        parts = [
            f"{o} {dcs['by_object'].get(o, 0) - curl['by_object'].get(o, 0):+,.0f}"
            for o in objects
            if abs(dcs["by_object"].get(o, 0) - curl["by_object"].get(o, 0)) >= 500
        ]
        out += [
            f"- **libdcs vs bare libcurl (sequential).** libdcs executes {extra:,.0f} more "
            "instructions per call than the bare easy handle"
            + (" sending the same request bytes " if same else " ")
            + f"({dcs['instructions_per_call']:,.0f} vs {curl['instructions_per_call']:,.0f}); "
            f"natively that is {seq_cpu['libdcs']['median']:.1f} vs "
            f"{seq_cpu['curl']['median']:.1f} µs of CPU per call. On one loopback connection "
            "the call rate is set by the client's CPU plus nginx's and the wake-ups between "
            "them, so the extra CPU shows up in calls/s. The extra instructions by shared "
            "object: "
            + ", ".join(parts)
            + ". The functions whose cost per call grows most "
            "from bare libcurl to libdcs:",
            "",
            "| function [object] | bare libcurl | libdcs | difference |",
            "|---|---|---|---|",
        ]
        names = set(curl["functions"]) | set(dcs["functions"])
        growth = sorted(
            names,
            key=lambda n: -(dcs["functions"].get(n, 0) - curl["functions"].get(n, 0)),
        )[:15]
        for name in growth:
            a, b = curl["functions"].get(name, 0), dcs["functions"].get(name, 0)
            out.append(f"| `{name}` | {a:,} | {b:,} | {b - a:+,} |")
        stages = call_stages(curl, dcs)
        if stages:
            out += [
                "",
                (
                    "  Where one libdcs call's instructions go (inclusive callgrind cost per "
                    "call), next to the bare easy handle:"
                ),
                "",
                "| stage | instructions per call | share of the bare libcurl call |",
                "|---|---|---|",
            ]
            base = curl["instructions_per_call"]
            for label, cost in stages:
                out.append(f"| {label} | {cost:,.0f} | {cost / base:.2f}× |")
        sign_cost = next(
            (c for label, c in stages if "Signer::sign_request" in label), None
        )
        digests = sum(
            c for label, c in stages if "sha256_hex" in label or "hmac_hex" in label
        )
        native_sign_us = r["signing"]["ns_per_sign"]["median"] / 1000
        sha = cg.get("sha_extensions", {})
        if sign_cost:
            base = curl["instructions_per_call"]
            out += [
                "",
                f"  Signing alone is {sign_cost / base:.2f}× the instructions of the whole "
                "bare libcurl call, so even a transport exactly as cheap as the bare easy "
                f"handle would put libdcs at {(base + sign_cost) / base:.2f}×. The target "
                f"leaves {0.8 * base:,.0f} instructions (0.8×) for everything libdcs adds; "
                f"the SHA-256 digests and the HMAC of the signature take {digests:,.0f} "
                "by themselves."
                + (
                    " This overstates the native cost: valgrind's synthetic CPU hides the SHA "
                    "extensions that this CPU has (CPUID leaf 7: sha=1 natively, sha=0 under "
                    "valgrind), so OpenSSL takes a slower SHA-256 path under callgrind."
                    if sha.get("native") == "1" and sha.get("valgrind") == "0"
                    else ""
                )
                + f" Natively, signing costs {native_sign_us:.1f} µs (section 7), "
                f"{native_sign_us / seq_cpu['curl']['median']:.2f}× of bare libcurl's "
                f"{seq_cpu['curl']['median']:.1f} µs CPU per call.",
            ]
        share = sha256_share(cg, floor_cg)
        if share:
            out += [
                "",
                f"  Of the {share['extra']:,.0f} instructions per call libdcs adds to the bare "
                f"call, libcrypto executes {share['libcrypto']:,.0f} "
                f"({share['share_pct']:.0f}%): on plain HTTP libcrypto does nothing but the "
                "signature's SHA-256 digests and HMAC, counted on valgrind's CPU model"
                + (
                    ", which lacks the SHA extensions this CPU has"
                    if sha.get("native") == "1" and sha.get("valgrind") == "0"
                    else ""
                )
                + f". Less libcrypto's share, the ratio would be "
                f"{(dcs['instructions_per_call'] - share['libcrypto']) / curl['instructions_per_call']:.2f}×.",
            ]
        out += [
            "",
            (
                "  Reading the tables: libcurl's own share is how libdcs drives libcurl "
                "(the functions listed above); libcrypto is the SDK-HMAC-SHA256 signature; "
                "libc and libstdc++ are the allocations and copies of the strings a signed "
                "request is built from."
            ),
            "",
        ]
    if missed & {"py_rate", "py_cpu"} and "python" in r:
        py = r["python"]
        c_cpu = py.get("c_library", {"cpu_us_per_call": seq_cpu["libdcs"]})[
            "cpu_us_per_call"
        ]["median"]
        b_cpu = py["libdcs"]["cpu_us_per_call"]["median"]
        o_cpu = py["official"]["cpu_us_per_call"]["median"]
        out.append(
            f"- **Python.** A call through the Python binding costs {b_cpu:.0f} µs of CPU, of "
            f"which the C library accounts for about {c_cpu:.0f} µs (libdcs_seq, same "
            f"requests) and the Python side for the remaining {max(b_cpu - c_cpu, 0):.0f} µs; "
            f"huaweicloudsdkdcs costs {o_cpu:.0f} µs. Calls/s also include nginx's time and "
            "the wake-ups, which both sides pay alike. Where the binding's Python time goes "
            "(cProfile, 300 calls; profiling inflates Python time, so read the split and the "
            "call counts):"
        )
        out += [
            "",
            "| function (libdcs binding) | calls per restore | own µs per restore |",
            "|---|---|---|",
        ]
        for row in py.get("profiles", {}).get("libdcs", [])[:8]:
            out.append(
                f"| `{row['function']}` | {row['calls_per_restore']:g} | "
                f"{row['own_us_per_restore']:.1f} |"
            )
        threads = next(
            (
                row["calls_per_restore"]
                for row in py.get("profiles", {}).get("libdcs", [])
                if "start_new_thread" in row["function"]
            ),
            0,
        )
        if threads:
            compared = "more" if b_cpu - c_cpu > c_cpu else "less"
            out += [
                "",
                (
                    f"  The binding starts {threads:g} OS thread(s) per restore (its "
                    "blocking calls run on a helper thread and the caller waits on a lock and "
                    "a queue): in this run thread creation, the context switches and the "
                    f"hand-off cost {compared} CPU than the C call itself."
                ),
            ]
        out.append("")
    if "go_rate" in missed and "go" in r:
        go = r["go"]
        out.append(
            f"- **Go.** CPU per call: Go binding {go['libdcs']['cpu_us_per_call']['median']:.0f} "
            f"µs (the C library alone, from C: {seq_cpu['libdcs']['median']:.0f} µs), "
            f"huaweicloud-sdk-go-v3 {go['official']['cpu_us_per_call']['median']:.0f} µs"
            + (
                ": net/http with one kept-alive connection and a Go signer is about as "
                "cheap per call as libdcs's C path, so the binding has little margin. "
                if go["official"]["cpu_us_per_call"]["median"]
                < 1.2 * go["libdcs"]["cpu_us_per_call"]["median"]
                else ": the official SDK spends more CPU per call, so the rate gap is not "
                "the binding's CPU but the time between a call's request and its answer. "
            )
            + "pprof of the binding "
            "(own time; `runtime.cgocall` is the C library at work, so what the binding adds "
            "on top of it is the small remainder; it cancels through context.AfterFunc and "
            "starts no goroutine per call):"
        )
        out += ["", "| function | share of the binding's CPU |", "|---|---|"]
        for row in go.get("profile", []):
            out.append(f"| `{row['function']}` | {row['own_pct']:.1f}% |")
        out.append("")
    conc = r["concurrency"]
    if missed & {"conc_c", "conc_go"} and "cpu_per_call" in conc:
        top = max(conc["levels"])
        mine = conc["cpu_per_call"]["libdcs_c"].get(top) or conc["cpu_per_call"][
            "libdcs_c"
        ].get(str(top))
        w = conc["cpu_per_call"]["wrk_c64"]
        cores = r["machine"]["nproc"]
        out.append(
            f"- **Concurrency at {top} in flight.** With {cores} cores, client and nginx "
            f"share the CPU, so the ceiling is about cores ÷ (client CPU + server CPU per "
            f"request). Measured per request: libdcs {mine['client_cpu_us']:.1f} µs + nginx "
            f"{mine['server_cpu_us']:.1f} µs (ceiling ≈ "
            f"{cores * 1e6 / (mine['client_cpu_us'] + mine['server_cpu_us']):,.0f}/s); wrk "
            f"{w['client_cpu_us']:.1f} µs + nginx {w['server_cpu_us']:.1f} µs (ceiling ≈ "
            f"{cores * 1e6 / (w['client_cpu_us'] + w['server_cpu_us']):,.0f}/s). wrk builds "
            "its request once and never signs, parses or allocates per request; every "
            "libdcs call signs, builds and decodes (see the callgrind table above), and "
            f"{top} threads add context switches that wrk's 2 event-loop threads avoid."
        )
        multi = conc.get("curl_multi")
        multi_cpu = conc["cpu_per_call"].get("curl_multi")
        if multi and multi_cpu:
            wrk_rate = conc["wrk_c64"]["median"]
            out.append(
                f"  The floor for any client built on libcurl, measured in the same "
                f"repetitions: one thread driving one multi handle with {top} easy handles "
                f"that send libdcs's header lines (no signing, no decoding, no threads) "
                f"reaches {multi['median']:,.0f} calls/s, {multi['median'] / wrk_rate:.2f}× "
                f"wrk, at {multi_cpu['client_cpu_us']:.1f} µs of client CPU per request: "
                "libcurl's own per-request work (building the request through its printf "
                "engine, parsing the response headers) is most of what separates libdcs "
                "from wrk, and what remains is libdcs's per-call work and one thread per "
                "call."
            )
            if "context_switches" in mine and "context_switches" in multi_cpu:
                out.append(
                    f"  Threads: the C client's {top} blocked callers cost "
                    f"{mine['context_switches']:.2f} context switches per call (each caller "
                    "is woken when its answer is in and sleeps again on its next call; "
                    "getrusage over all threads), the one-thread floor "
                    f"{multi_cpu['context_switches']:.2f}. A blocking call per thread has "
                    "that price whatever drives the transfers."
                )
        go = conc["cpu_per_call"].get("go_libdcs", {})
        go_top = go.get(top) or go.get(str(top))
        if go_top:
            go_cpu = go_top["client_cpu_us"]
            out.append(
                f"  The Go binding at {top} goroutines: {go_cpu:.1f} µs of client CPU per "
                f"request (Go runtime and cgo included) + nginx ≈ "
                f"{mine['server_cpu_us']:.1f} µs (ceiling ≈ "
                f"{cores * 1e6 / (go_cpu + mine['server_cpu_us']):,.0f}/s)."
                + (
                    f" It costs {go_top['context_switches']:.2f} context switches per call: "
                    "each blocking cgo call holds an OS thread, and the Go scheduler hands "
                    "its processor on and takes one back around it."
                    if "context_switches" in go_top
                    else ""
                )
            )
        out.append("")
    if "cli" in missed and r.get("cli"):
        out += cli_analysis(r["cli"])
    if any(k.startswith("waiter_") for k in missed) and r.get("waiter"):
        out += waiter_analysis(r["waiter"], missed)
    if max(r["load1_before"], r["load1_after"]) > 2:
        out.append(
            f"- **Machine load.** The 1-minute load average was {r['load1_before']:.1f} when "
            f"the run started and {r['load1_after']:.1f} when it ended on {r['machine']['nproc']} "
            "cores (other engineers' builds and tests share this machine): absolute rates "
            "are lower, CPU times per call higher and spreads wider than on an idle machine; "
            "the ratios, measured side by side and alternating, are less affected, but the "
            "spreads shown next to them are the honest error bars."
        )
    out.append("")
    return out


def cli_analysis(cli: dict) -> list[str]:
    """dcsctl vs curl: where the extra instructions of one run are, by shared object."""
    by = cli["instructions_by_object"]
    mine, floor = by["dcsctl_no_preflight"], by["curl_one"]
    extra = cli["instructions"]["dcsctl_no_preflight"] - cli["instructions"]["curl_one"]
    diffs = sorted(
        ((o, mine.get(o, 0) - floor.get(o, 0)) for o in {*mine, *floor}),
        key=lambda kv: -kv[1],
    )
    parts = ", ".join(f"{o} {d / 1e6:+.2f} M" for o, d in diffs if abs(d) >= 50_000)
    cpu = cli["cpu_ms"]
    return [
        (
            f"- **dcsctl start-up vs curl.** One dcsctl run executes "
            f"{abs(extra) / 1e6:.2f} M instructions {'more' if extra >= 0 else 'fewer'} "
            f"than curl sending the same POST (callgrind: "
            f"{cli['instructions']['dcsctl_no_preflight'] / 1e6:.2f} M vs "
            f"{cli['instructions']['curl_one'] / 1e6:.2f} M), by shared object: {parts}; it "
            f"loads {cli['shared_libraries']['dcsctl']} shared libraries, curl "
            f"{cli['shared_libraries']['curl']}. CPU per run (hyperfine): "
            f"{cpu['dcsctl_no_preflight']['median']:.2f} vs {cpu['curl_one']['median']:.2f} ms. "
            "(The top-10 objects of each side are compared; an object missing on one side "
            "counts as 0 there.)"
        ),
        "",
    ]


def plural(counts: list[int]) -> str:
    """ " request" or " requests" after a list of request counts."""
    return " request" if counts == [1] else " requests"


def waiter_analysis(waiter: dict, missed: set[str]) -> list[str]:
    """For each missed waiter target, the measured delays and request counts."""
    out = []
    for duration, modes in waiter["by_duration"].items():
        if not {f"waiter_delay_{duration}", f"waiter_requests_{duration}"} & missed:
            continue
        mine, fixed = modes.get("libdcs", {}), modes.get("fixed10", {})
        allowed = max(1.0, 0.05 * float(duration))
        out.append(
            f"- **Waiter, {duration} s restore.** libdcs noticed the end after "
            + ", ".join(f"{d / 1000:.2f}" for d in mine.get("delay_ms", []))
            + f" s (allowed {allowed:g} s) with "
            + ", ".join(str(n) for n in mine.get("requests", []))
            + plural(mine.get("requests", []))
            + (
                " ("
                + ", ".join(str(n) for n in mine["client_polls"])
                + " polls by the waiter's own count)"
                if mine.get("client_polls")
                else ""
            )
            + "; the fixed 10 s poller after "
            + ", ".join(f"{d / 1000:.2f}" for d in fixed.get("delay_ms", []))
            + " s with "
            + ", ".join(str(n) for n in fixed.get("requests", []))
            + plural(fixed.get("requests", []))
            + "."
        )
        if f"waiter_requests_{duration}" not in missed or not fixed:
            continue
        # A nominal duration is a multiple of 10 s: the fixed poller's grid. Said only
        # when measured so: its delay there is ~0, its look came right after the end.
        looks, on_grid = fixed["median_requests"], float(duration) % 10 == 0
        if on_grid and fixed["median_delay_ms"] < 1000:
            out.append(
                f"  The fixed poller's {looks:g} request{'' if looks == 1 else 's'} "
                f"for {duration} s {'is' if looks == 1 else 'are'} its grid's best case: "
                f"it looks every 10 s from the restore call, and its look at "
                f"{10 * looks:g} s came {fixed['median_delay_ms'] / 1000:.2f} s after the "
                "end, so it found the restore done with the fewest requests and the "
                "shortest delay a 10 s poller can have."
            )
        # The off-grid restore of the same run just past this one (10.5 s for 10 s).
        off_grid = waiter.get("off_grid") or {}
        near = [
            k for k in off_grid if float(duration) < float(k) < float(duration) + 10
        ]
        if near:
            key = min(near, key=float)
            o_mine, o_fixed = (
                off_grid[key].get("libdcs", {}),
                off_grid[key].get("fixed10", {}),
            )
            out.append(
                f"  Off the grid, in the same run: a {key} s restore"
                + (
                    f", ending {float(key) - float(duration):g} s after the fixed "
                    f"poller's look at {duration} s,"
                    if on_grid and float(key) - float(duration) <= 1
                    else ""
                )
                + " cost the fixed poller "
                + ", ".join(str(n) for n in o_fixed.get("requests", []))
                + " requests and a delay of "
                + ", ".join(f"{d / 1000:.2f}" for d in o_fixed.get("delay_ms", []))
                + " s; libdcs "
                + ", ".join(str(n) for n in o_mine.get("requests", []))
                + " requests and "
                + ", ".join(f"{d / 1000:.2f}" for d in o_mine.get("delay_ms", []))
                + " s."
            )
    out.append("")
    return out
