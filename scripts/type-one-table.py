#!/usr/bin/env python3
"""The type I table of docs/statistics.md from the CSV files of scripts/type-one-study.sh.

Usage: python3 scripts/type-one-table.py [FOLDER]  (default experiments/coverage/type-one)
One row per design and test; per postings count, the corrected (default) type I error in percent
with its Clopper-Pearson 95% interval, and the classic one beside it. A cell whose interval lies
wholly outside 3.5-6.5% is marked with *.
"""
import csv
import os
import sys

DESIGNS = [
    ("poisson", "Poisson 2/h"),
    ("decay-removal", "decay, removal 0.04/h"),
    ("decay-removal-01", "decay, removal 0.1/h"),
    ("decay-removal-03", "decay, removal 0.3/h"),
    ("decay-removal-differs", "decay, removal 0.4/h against 0.05/h"),
    ("hawkes-bursty-removal", "bursty Hawkes, removal 0.1/h"),
    ("diurnal-hours", "decay under a diurnal cycle, arms posted at different hours, removal 0.1/h"),
]
TESTS = ["proportional-rates", "randomization", "mcf-difference", "logrank", "rate-ratio", "exact-poisson"]


def read(folder, design, intervals):
    path = os.path.join(folder, f"{design}-{intervals}.csv")
    with open(path, newline="") as f:
        return {(row["test"], int(row["postings"])): row for row in csv.DictReader(f)}


def cell(row):
    if row is None or not row["type_one_error"]:
        return "–", False
    rate = float(row["type_one_error"]) * 100
    lower, upper = float(row["lower"]) * 100, float(row["upper"]) * 100
    outside = upper < 3.5 or lower > 6.5
    undefined = int(row["replicates"]) - int(row["defined"])
    note = f" ({undefined} undef.)" if undefined else ""
    return f"{rate:.1f}{' *' if outside else ''}{note}", outside


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "experiments/coverage/type-one"
    counts = [5, 10, 20, 40]
    print("| design | test | " + " | ".join(f"{n} postings" for n in counts) + " |")
    print("|---|---|" + "---:|" * len(counts))
    for design, label in DESIGNS:
        corrected, classic = read(folder, design, "corrected"), read(folder, design, "classic")
        for test in TESTS:
            cells = []
            for n in counts:
                bold, _ = cell(corrected.get((test, n)))
                plain, _ = cell(classic.get((test, n)))
                cells.append(f"**{bold}** ({plain})" if bold != plain else f"**{bold}**")
            print(f"| {label} | `{test}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
