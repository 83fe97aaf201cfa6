#!/usr/bin/python3
"""Plots the cost curves `bench/run scale --json FILE` wrote: one PNG per curve.

    bench/plot-scale.py scale.json [OUTDIR]     (OUTDIR defaults to bench/)

Each PNG has the wall time and the server CPU per unit (one entry for readdir, one COMPOUND
otherwise) against the directory size or the number of clients, both axes logarithmic; the
clients plot adds the server's resident memory per client on a second axis. Needs matplotlib
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
    curves = {}
    for p in points:
        curves.setdefault(p["curve"], []).append(p)
    for name, ps in curves.items():
        ps.sort(key=lambda p: p["x"])
        xs = [p["x"] for p in ps]
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(xs, [p["wall_us"] for p in ps], "o-", label="wall µs / unit")
        if all(p["cpu_us"] is not None for p in ps):
            ax.plot(xs, [p["cpu_us"] for p in ps], "s-", label="server CPU µs / unit")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("clients" if name.startswith("clients") else "entries in the directory")
        unit = "entry" if name == "readdir" else "COMPOUND"
        ax.set_ylabel(f"µs per {unit}")
        ax.set_title(f"jnfsd {name}")
        ax.grid(True, which="both", alpha=0.3)
        if any(p["rss_kib_per_client"] is not None for p in ps):
            ax2 = ax.twinx()
            ax2.plot(xs, [p["rss_kib_per_client"] or 0 for p in ps], "^--", color="gray", label="RSS KiB / client")
            ax2.set_ylabel("server RSS KiB per client")
            ax2.legend(loc="upper right")
        ax.legend(loc="upper left")
        fig.tight_layout()
        path = os.path.join(out, f"scale-{name.replace('+', '-')}.png")
        fig.savefig(path, dpi=100)
        print(path)


if __name__ == "__main__":
    main()
