#!/usr/bin/python3
"""Plots the cost curves `bench/run scale --json FILE` wrote: one PNG per curve.

    bench/plot-scale.py scale.json [OUTDIR [BEFORE.json]]     (OUTDIR defaults to bench/)

Each PNG has the wall time and the server CPU per unit (one entry for readdir, one COMPOUND
otherwise) against the directory size or the number of clients, both axes logarithmic; the
clients plot adds the server's resident memory per client on a second axis. With BEFORE.json
(another build's run), its points of the same curve are drawn dashed for comparison. Needs matplotlib
(Debian: apt-get install python3-matplotlib, for the system /usr/bin/python3).
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    points = json.load(open(sys.argv[1]))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    before = {}
    if len(sys.argv) > 3:
        for p in json.load(open(sys.argv[3])):
            before.setdefault(p["curve"], []).append(p)
    curves = {}
    for p in points:
        curves.setdefault(p["curve"], []).append(p)
    seq(curves, out)
    for name, ps in curves.items():
        if name == "loopback" or name.startswith("seq-"):
            continue
        ps.sort(key=lambda p: p["x"])
        xs = [p["x"] for p in ps]
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(xs, [p["wall_us"] for p in ps], "o-", label="wall µs / unit")
        cpu = [p for p in ps if p["cpu_us"]]  # 0: below one 10 ms tick, no point on a log axis
        if cpu:
            ax.plot([p["x"] for p in cpu], [p["cpu_us"] for p in cpu], "s-", label="server CPU µs / unit")
        old = sorted(before.get(name, []), key=lambda p: p["x"])
        if old:
            ox = [p["x"] for p in old]
            ax.plot(ox, [p["wall_us"] for p in old], "o--", alpha=0.6, label="before: wall")
            oc = [p for p in old if p["cpu_us"]]
            if oc:
                ax.plot([p["x"] for p in oc], [p["cpu_us"] for p in oc], "s--", alpha=0.6,
                        label="before: server CPU")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("clients" if name.startswith("clients")
                      else "files opened one after another" if name == "fd-files" else "entries in the directory")
        unit = {"readdir": "entry", "fd-files": "file (create+write+close, open+read+close)"}.get(name, "COMPOUND")
        ax.set_ylabel(f"µs per {unit}")
        ax.set_title(f"jnfsd {name}")
        ax.grid(True, which="both", alpha=0.3)
        if any(p.get("rss_kib_per_client") is not None for p in ps):
            ax2 = ax.twinx()
            ax2.plot(xs, [p["rss_kib_per_client"] or 0 for p in ps], "^--", color="gray", label="RSS KiB / client")
            if any(p.get("heap_kib_per_client") is not None for p in ps):
                ax2.plot(xs, [p["heap_kib_per_client"] or 0 for p in ps], "v--", color="brown",
                         label="live heap KiB / client")
            ax2.set_ylabel("server KiB per client")
            ax2.legend(loc="upper right")
        ax.legend(loc="upper left")
        fig.tight_layout()
        path = os.path.join(out, f"scale-{name.replace('+', '-')}.png")
        fig.savefig(path, dpi=100)
        print(path)


def seq(curves, out):
    """One plot of the sequential write and read rates against the file size, with the loopback ceiling."""
    if "seq-write" not in curves and "seq-read" not in curves:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    for name in ("seq-write", "seq-read"):
        ps = sorted(curves.get(name, []), key=lambda p: p["x"])
        if ps:
            ax.plot([p["x"] for p in ps], [p["mib_s"] for p in ps], "o-", label=f"{name} MiB/s")
    for p in curves.get("loopback", []):
        ax.axhline(p["mib_s"], color="gray", linestyle="--", label="loopback TCP ceiling, same run")
    ax.set_xscale("log")
    ax.set_xlabel("file size, MiB (1 MiB per WRITE/READ, one in flight)")
    ax.set_ylabel("MiB/s")
    ax.set_title("jnfsd sequential file")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path = os.path.join(out, "scale-seq.png")
    fig.savefig(path, dpi=100)
    print(path)


if __name__ == "__main__":
    main()
