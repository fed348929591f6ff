#!/usr/bin/env python3
"""Plot the response curves written by `decoy curves RUN --out curves.csv`.

    python3 analysis/plot_curves.py curves.csv [out.png]        (default out: curves.png)

Same figure as plot_curves.R: one panel per metric, one step line per arm (and per replicate
when `replicate` is filled), confidence band (lower/upper) shaded where both ends are present.
"""
import math
import sys

try:
    import pandas as pd
    import matplotlib
    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt
except ImportError as err:
    sys.exit(f"error: {err.name} is missing; install it with:  pip install pandas matplotlib")

YLABELS = {
    "mcf": "mean cumulative contacts per posting",
    "rate": "contacts per posting-hour",
    "ttfc": "probability of no contact yet",
    "unique": "mean cumulative distinct contactors per posting",
    "expected": "expected cumulative contacts per posting (model)",
}
TITLES = {"mcf": "Mean cumulative contacts (MCF)", "rate": "Contact rate",
          "ttfc": "Time to first contact", "unique": "Distinct contactors",
          "expected": "Expected contacts (model truth)"}


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit("usage: python3 plot_curves.py curves.csv [out.png]")
    out = argv[2] if len(argv) == 3 else "curves.png"
    # Empty fields are missing values; text columns stay text ("1" is a replicate label).
    cv = pd.read_csv(argv[1], keep_default_na=False, na_values=[""],
                     dtype={"run_id": str, "arm": str, "replicate": str, "metric": str})
    if cv.empty:
        sys.exit(f"error: no rows in {argv[1]}")
    several_runs = cv["run_id"].nunique() > 1
    cv["series"] = [(f"{r} " if several_runs else "") + a + ("" if pd.isna(p) else f" rep {p}")
                    for r, a, p in zip(cv["run_id"], cv["arm"], cv["replicate"])]
    present = list(dict.fromkeys(cv["metric"]))
    metrics = [m for m in YLABELS if m in present] + [m for m in present if m not in YLABELS]
    colours = {s: f"C{i % 10}" for i, s in enumerate(dict.fromkeys(cv["series"]))}

    ncol = 2 if len(metrics) > 1 else 1
    nrow = math.ceil(len(metrics) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(7.5 * ncol, 5 * nrow), squeeze=False)
    for ax, m in zip(axes.flat, metrics):
        for s, d in cv[cv["metric"] == m].groupby("series", sort=False):
            d = d.sort_values("t_hours")
            t = d["t_hours"].tolist()
            est, lo, hi = d["estimate"].tolist(), d["lower"].tolist(), d["upper"].tolist()
            if m == "rate":  # a rate holds for its whole bin: extend the last bin by one width
                width = min(b - a for a, b in zip(t, t[1:])) if len(t) > 1 else 1.0
                t, est, lo, hi = t + [t[-1] + width], est + est[-1:], lo + lo[-1:], hi + hi[-1:]
            ok = [not (pd.isna(a) or pd.isna(b)) for a, b in zip(lo, hi)]
            ax.fill_between(t, lo, hi, where=ok, step="post", color=colours[s], alpha=0.2, lw=0)
            ax.step(t, est, where="post", color=colours[s], lw=2, label=s)
        ax.set_xlabel("hours since posting went live")
        ax.set_ylabel(YLABELS.get(m, m))
        ax.set_title(TITLES.get(m, m))
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
        ax.legend(loc="upper right" if m in ("rate", "ttfc") else "lower right", fontsize="small")
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
