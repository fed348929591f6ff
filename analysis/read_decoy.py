"""Read decoy's CSV files into pandas with every column's type, instants exact to the microsecond.

    import sys; sys.path.insert(0, "analysis")
    from read_decoy import read_events, read_postings, read_intervals, read_curves, read_decoy
    ev = read_events("events.csv")          # decoy export RUN --table events
    po = read_postings("postings.csv")      # decoy export RUN --table postings
    iv = read_intervals("intervals.csv")    # decoy export RUN --table intervals
    cv = read_curves("curves.csv")          # decoy curves RUN
    x = read_decoy("any-of-them.csv")       # the table is told by its header

Or from the command line, to see the types: python3 analysis/read_decoy.py FILE.csv

Types: run_id, replicate, seq, contacts, unique_contactors, events, at_risk_postings, event and
posted_hour are pandas' nullable Int64 (an empty `replicate`, a curve pooled over replicates, is
<NA>); times and estimates are float64; `removed` is boolean; arm, posting, channel, contactor,
name, metric and every attr_<name> column are text (`posting` is an index for a simulated run and
the team's name for an observed one). Only an empty field is missing: an arm named "NA" or "null"
stays text. Instants (at, at_local, posted_at, posted_at_local) are datetime64[us, UTC], exact to
the microsecond whatever offset they were written in. Numbers are parsed with
float_precision="round_trip", so each is the double decoy wrote. In the intervals export, a covariate column is
float64 when every value is a decimal number, text otherwise.

Needs pandas >= 2.0 (format="ISO8601"); checked with pandas 2.2.3 and 3.1.1.
"""

import re
import sys

import pandas as pd

INTEGER, FLOAT, TEXT, INSTANT, FLAG = "Int64", "float64", "text", "instant", "flag"

TYPES = {
    "events": {"run_id": INTEGER, "replicate": INTEGER, "arm": TEXT, "posting": TEXT, "seq": INTEGER,
               "t_seconds": FLOAT, "at": INSTANT, "channel": TEXT, "contactor": TEXT,
               "t_hours": FLOAT, "at_local": INSTANT},
    "postings": {"run_id": INTEGER, "replicate": INTEGER, "arm": TEXT, "posting": TEXT, "posted_at": INSTANT,
                 "observed_hours": FLOAT, "removed": FLAG, "contacts": INTEGER, "first_contact_hours": FLOAT,
                 "unique_contactors": INTEGER, "posted_at_local": INSTANT},
    "intervals": {"posting": INTEGER, "name": TEXT, "replicate": INTEGER, "arm": TEXT,
                  "posted_hour": INTEGER, "posted_weekday": TEXT, "start": FLOAT, "stop": FLOAT, "event": INTEGER},
    "curves": {"run_id": INTEGER, "arm": TEXT, "replicate": INTEGER, "metric": TEXT, "t_hours": FLOAT,
               "estimate": FLOAT, "lower": FLOAT, "upper": FLOAT, "at_risk": FLOAT, "events": INTEGER,
               "at_risk_postings": INTEGER, "exposure_hours": FLOAT},
}

# The columns every file of a table has (SPEC §5); the others are read where present, so a file
# from an older decoy reads too.
REQUIRED = {
    "events": ["run_id", "replicate", "arm", "posting", "seq", "t_seconds", "at", "channel", "contactor"],
    "postings": ["run_id", "replicate", "arm", "posting", "posted_at", "observed_hours", "removed", "contacts",
                 "first_contact_hours", "unique_contactors"],
    "intervals": ["posting", "name", "replicate", "arm", "start", "stop", "event"],
    "curves": ["run_id", "arm", "replicate", "metric", "t_hours", "estimate", "lower", "upper", "events"],
}

DECIMAL = re.compile(r"^[-+0-9.eE]+$")


def instants(text):
    """ISO-8601 text with an offset (`2025-06-02T07:04:00.000001Z`, `…+02:00`) as datetime64[us, UTC]; empty is NaT."""
    return pd.to_datetime(text, utc=True, format="ISO8601").dt.as_unit("us")


def header(path):
    return list(pd.read_csv(path, nrows=0, encoding="utf-8").columns)


def read_table(path, table):
    types = TYPES[table]
    columns = header(path)
    missing = [c for c in REQUIRED[table] if c not in columns]
    if missing:
        raise ValueError(f"{path} is not a decoy {table} file: no column {', '.join(missing)}")
    kinds = {c: types.get(c, TEXT) for c in columns}
    dtype = {c: (k if k in (INTEGER, FLOAT) else str) for c, k in kinds.items()}
    # float_precision="round_trip": each number is the double its shortest decimal names (pandas
    # 2 parses with a faster converter that can miss by one unit in the last place).
    d = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=[""], encoding="utf-8",
                    float_precision="round_trip")
    for c, k in kinds.items():
        if k == INSTANT:
            d[c] = instants(d[c])
        elif k == FLAG:
            values = d[c]
            if not values.dropna().isin(["0", "1"]).all():
                raise ValueError(f"{path}: {c} holds values other than 0 and 1")
            d[c] = values.map({"0": False, "1": True}).astype("boolean")
    if table == "intervals":
        # A covariate is a number where every value is a decimal number, as decoy regress reads a
        # postings file's attr_ columns (an arm's attributes are labels to decoy even when they
        # look like numbers).
        for c in columns:
            if c in types:
                continue
            values = d[c]
            if values.notna().all() and values.map(lambda v: bool(DECIMAL.match(v))).all():
                numbers = pd.to_numeric(values, errors="coerce")
                if numbers.notna().all() and (numbers.abs() != float("inf")).all():
                    d[c] = numbers.astype("float64")
    return d


def read_events(path):
    return read_table(path, "events")


def read_postings(path):
    return read_table(path, "postings")


def read_intervals(path):
    return read_table(path, "intervals")


def read_curves(path):
    return read_table(path, "curves")


def read_decoy(path):
    """Any of the four, told by its header."""
    columns = set(header(path))
    if {"metric", "estimate"} <= columns:
        return read_table(path, "curves")
    if {"seq", "t_seconds"} <= columns:
        return read_table(path, "events")
    if {"posted_at", "observed_hours"} <= columns:
        return read_table(path, "postings")
    if {"start", "stop", "event"} <= columns:
        return read_table(path, "intervals")
    raise ValueError(f"{path} is not a decoy export or curves file (header: {','.join(sorted(columns))})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 analysis/read_decoy.py FILE.csv")
    frame = read_decoy(sys.argv[1])
    print(frame.dtypes.to_string())
    print(frame.head().to_string())
