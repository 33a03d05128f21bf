"""bench.png: the report's plot."""

from __future__ import annotations

from pathlib import Path

from report_format import level


def plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    fig.suptitle(
        f"libdcs benchmarks — {r['machine']['cpu']}, {r['machine']['nproc']} cores, "
        f"{r['machine']['date']}"
    )

    def bars(ax, items, title, ylabel):
        names = [n for n, _ in items]
        med = [s["median"] for _, s in items]
        low = [s["median"] - s["min"] for _, s in items]
        high = [s["max"] - s["median"] for _, s in items]
        ax.bar(
            range(len(items)),
            med,
            yerr=[low, high],
            capsize=4,
            color=["#999999" if "libdcs" not in n else "#1f77b4" for n in names],
        )
        ax.set_xticks(range(len(items)), names, rotation=25, ha="right", fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel)
        for i, v in enumerate(med):
            ax.text(i, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=7)

    seq = r["sequential"]
    items = [
        ("wrk -c1", seq["wrk_c1"]),
        ("bare libcurl", seq["curl"]),
        *([("libcurl, same headers", seq["curl_same"])] if "curl_same" in seq else []),
        ("libdcs C", seq["libdcs"]),
    ]
    for key, label in (("python", "Python"), ("go", "Go")):
        if key in r:
            items += [
                (f"{label} libdcs", r[key]["libdcs"]["rate"]),
                (f"{label} official", r[key]["official"]["rate"]),
            ]
    bars(
        axes[0][0],
        items,
        "Sequential restores, one keep-alive connection (nginx)",
        "calls/s",
    )

    tls = r["https"]
    bars(
        axes[0][1],
        [
            ("libdcs keep-alive", tls["libdcs"]),
            ("new TLS conn per call", tls["new_conn"]),
        ],
        "HTTPS restores against the emulator",
        "calls/s",
    )

    ax = axes[1][0]
    conc = r["concurrency"]
    for key, label in (
        ("libdcs_c", "libdcs C ABI"),
        ("go_libdcs", "Go binding"),
        ("go_official", "huaweicloud-sdk-go-v3"),
    ):
        points = [(k, level(conc.get(key, {}), k)) for k in conc["levels"]]
        points = [(k, s["median"]) for k, s in points if s]
        if points:
            ax.plot(
                [k for k, _ in points], [v for _, v in points], marker="o", label=label
            )
    ax.axhline(
        conc["wrk_c64"]["median"], color="black", linestyle="--", label="wrk -c64"
    )
    ax.set_xscale("log", base=2)
    ax.set_xlabel("restores in flight (one client)")
    ax.set_ylabel("calls/s")
    ax.set_title(f"Concurrency, {conc['calls']:,} restores (nginx)", fontsize=10)
    ax.legend(fontsize=8)

    ax = axes[1][1]
    mem = r["memory"]
    ax.plot(
        [n for n, _ in mem["samples"]],
        [kib / 1024 for _, kib in mem["samples"]],
        marker="o",
    )
    ax.set_ylim(0, 1.25 * max(kib for _, kib in mem["samples"]) / 1024)
    ax.set_xlabel("calls made")
    ax.set_ylabel("resident set (MiB)")
    ax.set_title("Resident memory of one libdcs client", fontsize=10)

    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
