#!/usr/bin/env bash
# The type I study of `decoy regress`'s default test of one term: in a 2 x 2 factorial (section x
# platform) with two cities as strata, where the platform changes nothing, the share of simulated
# experiments in which the joint Wald test of `platform` (jackknife over postings, Hotelling F) and
# R's classic robust chi-square reject at 5%. Each row comes from `decoy power --terms`, whose
# `power` column (the design as configured) and `type_one_error` column (every arm given its
# site-a counterpart's response: the same null, drawn from other streams) both estimate it.
#
#   scripts/regression-type-one-study.sh [SIMS]      (default 4000 per design and column)
#
# Writes experiments/coverage/type-one/regression-<design>-<intervals>.csv. n is postings per arm,
# so 5, 10 and 20 per arm are 10, 20 and 40 postings per cell of the 2 x 2 (40, 80, 160 in all).
set -euo pipefail
cd "$(dirname "$0")/.."
sims="${1:-4000}"
decoy="${DECOY:-.build/release/decoy}"
mkdir -p experiments/coverage/type-one
for design in regression-decay-removal regression-hawkes-removal; do
    for intervals in corrected classic; do
        out="experiments/coverage/type-one/$design-$intervals.csv"
        "$decoy" power "experiments/coverage/$design.yaml" --terms section,platform,section:platform --strata city \
            --reference section=control --reference platform=site-a --term platform --postings 5,10,20 --sims "$sims" \
            --intervals "$intervals" --format csv --quiet --jobs "${JOBS:-1}" --out "$out"
        echo "$out"
    done
done
