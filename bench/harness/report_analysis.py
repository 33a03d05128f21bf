"""Where missed targets come from: the measured breakdowns (callgrind stages, profiles)
that explain each miss."""

from __future__ import annotations

from report_format import fmt
from report_targets import targets


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
    sha = cost(inc, "dcs::core::sha256_hex")
    hmac = cost(inc, "dcs::core::hmac_sha256_hex")
    perform = cost(inc, "dcs::core::Transport::perform ")
    multi = cost(inc, "curl_multi_perform ")
    easy = cost(base, "curl_easy_perform ")
    rows = [
        ("bare libcurl: the whole call (`curl_easy_perform`)", easy),
        ("libdcs: the whole call (`dcs_restore_instance`)", whole),
        ("— signing (`Signer::sign_request`)", sign),
        ("  — of which SHA-256 digests (`sha256_hex`)", sha),
        ("  — of which HMAC (`hmac_sha256_hex`)", hmac),
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
    missed = [x["what"] for x in targets(r) if not x["met"]]
    out: list[str] = []
    if not missed:
        return ["Every target was met in this run.", ""]
    cg = r["callgrind"]
    curl, dcs = cg["curl_floor"], cg["libdcs_seq"]
    seq_cpu = r["sequential"]["cpu_us_per_call"]
    if any("bare libcurl" in m for m in missed):
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
            f"instructions per call than the bare easy handle "
            f"({dcs['instructions_per_call']:,.0f} vs {curl['instructions_per_call']:,.0f}); "
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
            c for label, c in stages if "sha256_hex" in label or "hmac_sha256" in label
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
                f"leaves {0.25 * base:,.0f} instructions (0.25×) for everything libdcs adds; "
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
        out += [
            "",
            (
                "  Reading the table: libcurl's own share grows because libdcs drives every "
                "exchange through a curl multi handle (polled in short slices so that deadlines "
                "and cancellation are honoured) and parses response headers (Date, "
                "X-Request-Id, Retry-After) in callbacks; libcrypto is the SDK-HMAC-SHA256 "
                "signature (SHA-256 of the body and of the canonical request, one HMAC, through "
                "OpenSSL 3's EVP, which looks algorithms up on every call); libc and libstdc++ "
                "are the allocations and copies of the strings a signed request is built from."
            ),
            "",
        ]
    if any("Python" in m for m in missed) and "python" in r:
        py = r["python"]
        c_cpu = seq_cpu["libdcs"]["median"]
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
    if any("Go binding vs" in m for m in missed) and "go" in r:
        go = r["go"]
        out.append(
            f"- **Go.** CPU per call: Go binding {go['libdcs']['cpu_us_per_call']['median']:.0f} "
            f"µs (the C library alone, from C: {seq_cpu['libdcs']['median']:.0f} µs), "
            f"huaweicloud-sdk-go-v3 {go['official']['cpu_us_per_call']['median']:.0f} µs: "
            "net/http with one kept-alive connection and a Go signer is as cheap per call "
            "as libdcs's C path, so the binding has no margin to spend. pprof of the binding "
            "(own time; `runtime.cgocall` is the C library at work, so what the binding adds "
            "on top of it is the small remainder; it cancels through context.AfterFunc and "
            "starts no goroutine per call):"
        )
        out += ["", "| function | share of the binding's CPU |", "|---|---|"]
        for row in go.get("profile", []):
            out.append(f"| `{row['function']}` | {row['own_pct']:.1f}% |")
        out.append("")
    conc = r["concurrency"]
    if any("wrk -c64" in m for m in missed) and "cpu_per_call" in conc:
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
    if any("dcsctl" in m for m in missed) and r.get("cli"):
        cli = r["cli"]
        parts = ", ".join(
            f"{o} {v / 1e6:.1f} M" for o, v in cli["instructions_by_object"].items()
        )
        out.append(
            f"- **dcsctl start-up.** One run executes {cli['instructions'] / 1e6:.1f} M "
            f"instructions (callgrind), by shared object: {parts}. Most of it is the dynamic "
            f"loader relocating the {cli['shared_libraries']} shared libraries dcsctl loads "
            "(libcurl's dependency tree: libssh2, nghttp2, librtmp, LDAP, Kerberos, GnuTLS, "
            "…) and OpenSSL's initialisation, before dcsctl's own code runs; the request "
            "itself is a small part."
        )
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
