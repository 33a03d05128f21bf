"""REPORT.md section 9: how soon libdcs's waiter notices a restore's end, and at what
cost in requests, next to a poller asking every 10 s (bench/waiter/run.py)."""

from __future__ import annotations


def waiter_section(waiter: dict | None) -> list[str]:
    out = ["## 9. Waiting for a restore: libdcs's waiter vs a fixed 10 s poller", ""]
    if not waiter:
        return [
            *out,
            (
                "Not in this results.json (bench/waiter/run.py absent, or a run from "
                "before this measure existed)."
            ),
            "",
        ]
    out += [
        (
            "`bench/waiter/run.py` starts restores of fixed durations on the emulator and "
            "follows each with libdcs's waiter and with a poller that asks every 10 s. The "
            "delay is the time from the restore's end (the emulator's clock) to the waiter's "
            "return; requests are those the emulator counted for the wait. Target: delay "
            "within max(1 s, 5% of the duration), and no more requests than the fixed "
            "poller. It ran in the background beside the other measurements (it mostly "
            f"sleeps): {waiter['cpu_s']:.1f} s of CPU over {waiter['wall_s']:.0f} s."
        ),
        "",
        "| restore | waiter | delay s (median) | delay range | requests (median) | range |",
        "|---|---|---|---|---|---|",
    ]
    for duration, modes in waiter["by_duration"].items():
        for mode, label in (("libdcs", "libdcs"), ("fixed10", "fixed 10 s poller")):
            s = modes.get(mode)
            if not s:
                continue
            d, n = s["delay_ms"], s["requests"]
            out.append(
                f"| {duration} s | {label} | {s['median_delay_ms'] / 1000:.2f} | "
                f"{min(d) / 1000:.2f} – {max(d) / 1000:.2f} | "
                f"{s['median_requests']:g} | {min(n)} – {max(n)} |"
            )
    out.append("")
    return out
