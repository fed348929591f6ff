#!/usr/bin/env python3
"""Write postings.csv and events.csv of the pilot: 3 decoy ads and 3 control ads, 48 h each.

The pilot's contacts are generated, not observed, so that the walk-through in docs/tutorial.md can be
followed end to end with files whose truth is known. Run from anywhere; the CSVs are written
next to this script:

    python3 experiments/pilot/make_pilot.py

Intensity of contacts per ad, t = hours since the ad went live (non-homogeneous Poisson,
simulated by thinning):

    decoy    lambda(t) = 10/h * 2^(-t / 3h) + 0.2/h   (about 43 + 10 = 53 contacts in 48 h)
    control  lambda(t) = 0.02/h                       (about 1 contact in 48 h)

Channels: call, sms, message with weights 0.4, 0.4, 0.2. Contactors: each contact of a decoy
ad comes back from an earlier contactor of the same ad with probability 0.25, else it is a new
person; control contacts are always new. Contact ids are pseudonymous handles `caller-NNN`
(three digits, so the importer never mistakes them for phone numbers); `import` replaces them
by keyed pseudonyms anyway.

The seed fixes everything: the same seed writes byte-identical files.
"""

import csv
import datetime as dt
import math
import os
import random

SEED = 20250307
HORIZON_H = 48.0
START = dt.datetime(2025, 3, 7, 18, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
STAGGER_H = 2.0  # ad k of an arm goes live k * 2 h after the start

DECOY_INITIAL = 10.0  # per hour at going live
DECOY_HALF_LIFE = 3.0  # hours
DECOY_BASELINE = 0.2  # per hour
CONTROL_RATE = 0.02  # per hour

CHANNELS = ["call", "sms", "message"]
CHANNEL_WEIGHTS = [0.4, 0.4, 0.2]
REPEAT_PROBABILITY = 0.25


def decoy_rate(t):
    return DECOY_INITIAL * 2.0 ** (-t / DECOY_HALF_LIFE) + DECOY_BASELINE


def control_rate(t):
    return CONTROL_RATE


def contact_times(rng, rate, rate_max):
    """Points of a Poisson process of intensity rate(t) <= rate_max on [0, HORIZON_H)."""
    times = []
    t = 0.0
    while True:
        t += rng.expovariate(rate_max)
        if t >= HORIZON_H:
            return times
        if rng.random() * rate_max < rate(t):
            times.append(t)


def iso(instant):
    return instant.isoformat(timespec="seconds")


def main():
    rng = random.Random(SEED)
    here = os.path.dirname(os.path.abspath(__file__))
    arms = [
        ("decoy", decoy_rate, DECOY_INITIAL + DECOY_BASELINE, True),
        ("control", control_rate, CONTROL_RATE, False),
    ]
    postings = []
    events = []
    next_person = 1
    for arm, rate, rate_max, repeats in arms:
        for k in range(3):
            name = f"{arm}-{k + 1}"
            posted = START + dt.timedelta(hours=k * STAGGER_H)
            postings.append((arm, name, iso(posted), ""))
            seen = []
            for t in contact_times(rng, rate, rate_max):
                if repeats and seen and rng.random() < REPEAT_PROBABILITY:
                    person = rng.choice(seen)
                else:
                    person = f"caller-{next_person:03d}"
                    next_person += 1
                    seen.append(person)
                channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
                at = posted + dt.timedelta(seconds=math.floor(t * 3600.0))
                events.append((name, iso(at), channel, person))
    events.sort(key=lambda row: (row[1], row[0]))
    with open(os.path.join(here, "postings.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["arm", "posting", "posted_at", "ended_at"])
        w.writerows(postings)
    with open(os.path.join(here, "events.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["posting", "at", "channel", "contact"])
        w.writerows(events)
    counts = {p[1]: 0 for p in postings}
    for e in events:
        counts[e[0]] += 1
    print(" ".join(f"{name}={n}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
