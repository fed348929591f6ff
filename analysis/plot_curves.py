#!/usr/bin/env python3
"""Plot the response curves written by `decoy curves RUN --out curves.csv`.

    python3 analysis/plot_curves.py curves.csv [out.png]        (default out: curves.png)

Same figure as plot_curves.R: one panel per metric, one colour per arm and one line style per
replicate (when `replicate` is filled, `decoy curves --by replicate`), confidence band
(lower/upper) shaded where both ends are present, one legend below the panels. mcf/unique are not
drawn where at_risk_postings = 0 (past every observation window decoy repeats the last value); the y axis
stops at 1.5 x the largest estimate, clipping the very wide bands of low-exposure rate bins.
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
    cv["group"] = [(f"{r} " if several_runs else "") + a for r, a in zip(cv["run_id"], cv["arm"])]
    cv["series"] = [g + ("" if pd.isna(p) else f" rep {p}") for g, p in zip(cv["group"], cv["replicate"])]
    # mcf and unique: blank where no posting is at risk any more (values repeated past the windows).
    # at_risk_postings (at_risk in a file from a decoy without that column).
    at_risk = cv["at_risk_postings"] if "at_risk_postings" in cv.columns else cv["at_risk"]
    past_end = cv["metric"].isin(["mcf", "unique"]) & (at_risk == 0)
    cv.loc[past_end, ["estimate", "lower", "upper"]] = float("nan")
    present = list(dict.fromkeys(cv["metric"]))
    metrics = [m for m in YLABELS if m in present] + [m for m in present if m not in YLABELS]
    # Colour = run and arm, line style = replicate, so the replicates of one arm read as a group.
    colours = {g: f"C{i % 10}" for i, g in enumerate(dict.fromkeys(cv["group"]))}
    reps = sorted(set(cv["replicate"].dropna()), key=lambda r: (float(r) if r.replace(".", "", 1).isdigit() else math.inf, r))
    styles = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3))]
    style = {r: styles[i % len(styles)] for i, r in enumerate(reps)}

    series = list(dict.fromkeys(cv["series"]))
    # With replicates, one legend column per arm (items fill column by column, arm by arm).
    n_groups = cv["group"].nunique()
    legend_cols = min(n_groups, 6) if len(reps) > 1 else min(len(series), 4)
    legend_rows = math.ceil(len(series) / legend_cols)
    legend_h = 0.45 + 0.22 * legend_rows                       # inches below the panels
    ncol = 2 if len(metrics) > 1 else 1
    nrow = math.ceil(len(metrics) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(7.5 * ncol, 5 * nrow + legend_h), squeeze=False)
    handles = {}
    for ax, m in zip(axes.flat, metrics):
        dm = cv[cv["metric"] == m]
        for s, d in dm.groupby("series", sort=False):
            d = d.sort_values("t_hours")
            c = colours[d["group"].iloc[0]]
            r = d["replicate"].iloc[0]
            ls = "-" if pd.isna(r) else style[r]
            t = d["t_hours"].tolist()
            est, lo, hi = d["estimate"].tolist(), d["lower"].tolist(), d["upper"].tolist()
            if m == "rate":  # a rate holds for its whole bin: extend the last bin by one width
                width = min(b - a for a, b in zip(t, t[1:])) if len(t) > 1 else 1.0
                t, est, lo, hi = t + [t[-1] + width], est + est[-1:], lo + lo[-1:], hi + hi[-1:]
            ok = [not (pd.isna(a) or pd.isna(b)) for a, b in zip(lo, hi)]
            ax.fill_between(t, lo, hi, where=ok, step="post", color=c, alpha=0.15, lw=0)
            handles[s], = ax.step(t, est, where="post", color=c, ls=ls, lw=2, label=s)
        ax.set_xlabel("hours since posting went live")
        ax.set_ylabel(YLABELS.get(m, m))
        ax.set_title(TITLES.get(m, m))
        est_max = max(0.0, dm["estimate"].max(skipna=True) if dm["estimate"].notna().any() else 0.0)
        top = max([0.0] + [v for v in pd.concat([dm["estimate"], dm["lower"], dm["upper"]]) if not pd.isna(v)])
        if est_max > 0 and top > 1.5 * est_max:
            top = 1.5 * est_max
            ax.text(0.5, 1.0, "some confidence bands clipped at the top", transform=ax.transAxes,
                    ha="center", va="bottom", fontsize="small")
        bottom = min([0.0] + [v for v in dm["lower"] if not pd.isna(v)])
        top = top if top > 0 else 1.0
        ax.set_ylim(bottom - 0.03 * top, top * 1.04)
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    fig.legend([handles[s] for s in series if s in handles], [s for s in series if s in handles],
               loc="lower center", ncol=legend_cols, frameon=False, fontsize="small",
               title="shaded: confidence interval (columns lower, upper)", title_fontsize="small")
    fig.tight_layout(rect=(0, legend_h / fig.get_figheight(), 1, 1))
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
