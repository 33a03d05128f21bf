"""REPORT.md section 8: dcsctl's start-up next to the curl tool sending the same requests."""

from __future__ import annotations

from report_format import fmt

LABELS = {
    "dcsctl_no_preflight": "`dcsctl restore --no-preflight` (1 request)",
    "curl_one": "`curl`, the same POST with the same headers",
    "dcsctl_default": "`dcsctl restore` (pre-flight on: 3 requests)",
    "curl_three": "one `curl` making the same 3 requests (`--next`)",
}


def cli_section(cli: dict | None) -> list[str]:
    out = ["## 8. dcsctl start-up vs the curl tool", ""]
    if not cli or "curl_one" not in cli.get("ms", {}):
        return [
            *out,
            (
                "Not in this results.json (dcsctl not built, or a run from before this "
                "comparison existed)."
            ),
            "",
        ]
    req = cli["requests"]
    out += [
        (
            "From process start to the printed answer, against the same nginx. dcsctl first "
            "runs once against a recording server; each request it sent becomes a curl "
            "operation with the same headers ("
            + ", ".join(f"`{h}`" for h in req["headers"])
            + "), its signature computed beforehand for nginx's host by the project's "
            "independent test signer (`tests/emulator/signing.py`) with dcsctl's X-Sdk-Date"
            + (
                " (that signer reproduces dcsctl's own signatures exactly)"
                if cli["signatures_reproduced"]
                else " (**that signer did not reproduce dcsctl's own signatures**)"
            )
            + ". curl is the floor for any libcurl program on this machine: the same "
            f"libcurl, loader and TLS library. hyperfine `-N`, {cli['rounds']} rounds of "
            f"{cli['runs_per_round']} runs per command after 3 warm-ups, the order of the "
            "commands reversed from one round to the next; each round gives one median per "
            "command and one ratio."
        ),
        "",
        "Requests, `--no-preflight`: "
        + ", ".join(f"`{x}`" for x in req["no_preflight"])
        + "; default: "
        + ", ".join(f"`{x}`" for x in req["default"])
        + ".",
        "",
        "| command | median ms (of the rounds' medians) | range | CPU ms (user+system) |",
        "|---|---|---|---|",
    ]
    for name, label in LABELS.items():
        ms, cpu = cli["ms"][name], cli["cpu_ms"][name]
        out.append(
            f"| {label} | {ms['median']:.2f} | {ms['min']:.2f} – {ms['max']:.2f} | "
            f"{cpu['median']:.2f} |"
        )
    ins = cli["instructions"]
    libs = cli["shared_libraries"]
    out += [
        "",
        (
            f"One run under callgrind: dcsctl {fmt(ins['dcsctl_no_preflight'])} "
            f"instructions, curl {fmt(ins['curl_one'])}; shared libraries loaded (ldd): "
            f"dcsctl {libs['dcsctl']}, curl {libs['curl']}."
        ),
        "",
        "| instructions by shared object | dcsctl --no-preflight | curl |",
        "|---|---|---|",
    ]
    by = cli["instructions_by_object"]
    objects = dict.fromkeys([*by["dcsctl_no_preflight"], *by["curl_one"]])
    for obj in objects:
        a = by["dcsctl_no_preflight"].get(obj)
        b = by["curl_one"].get(obj)
        out.append(
            f"| {obj} | {fmt(a) if a is not None else '–'} | "
            f"{fmt(b) if b is not None else '–'} |"
        )
    out += ["", "Commands:", ""]
    out += [f"- {LABELS[n]}: `{c}`" for n, c in cli["commands"].items()]
    out.append("")
    return out
