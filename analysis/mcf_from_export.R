#!/usr/bin/env Rscript
# Cross-check `decoy curves --metric mcf` with R's survival package, from the raw exports.
#
#   decoy export RUN --table events   --out events.csv
#   decoy export RUN --table postings --out postings.csv
#   Rscript analysis/mcf_from_export.R events.csv postings.csv [GRID_HOURS] [--by-replicate]
#
# Prints CSV in the layout of `decoy curves` (metric mcf), plus the column std_chaz:
#   estimate = survfit cumulative hazard `cumhaz` (Nelson-Aalen for recurrent events),
#   std_chaz = its robust (Lawless-Nadeau / infinitesimal jackknife) standard error,
#   lower/upper = estimate * exp(-/+ z * std_chaz / estimate), empty when estimate = 0,
#   at_risk = postings whose window end C_i >= t, events = contacts at or before t,
# at t = 0, GRID, 2*GRID, ... up to the longest observation window. One curve per arm, pooled
# over replicates (as `decoy curves` with `replicate` empty), or one per (arm, replicate).
#
# Counting-process rows per posting (times in hours since the posting went live):
#   (previous contact, contact] event = 1 for each contact, the first one starting at the origin,
#   (last contact, C_i]          event = 0 when the window ends after the last contact.
# Two details make this exact (see analysis/README.md, "Ties"):
#   * survfit cannot take zero-length rows, so k contacts of one posting at one instant are
#     moved 0, 1, ..., k-1 "sub-ticks" earlier, below the microsecond resolution of the export;
#     this leaves cumhaz and the robust variance unchanged at every grid point. The origin is one
#     tick before 0, so a contact at exactly t = 0 (or a zero-length window) is representable.
#   * timefix = FALSE: survfit's default merges times closer than ~1e-8 relative (ms apart).
suppressMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
by_replicate <- "--by-replicate" %in% args
args <- setdiff(args, "--by-replicate")
if (length(args) < 2 || length(args) > 3)
  stop("usage: Rscript mcf_from_export.R events.csv postings.csv [GRID_HOURS] [--by-replicate]")
grid_hours <- if (length(args) == 3) as.numeric(args[3]) else 1
if (!is.finite(grid_hours) || grid_hours <= 0) stop("GRID_HOURS must be a positive number of hours")
z <- qnorm(1 - 0.05 / 2)                       # 95% intervals, as `decoy curves` by default

read <- function(f) read.csv(f, na.strings = "", stringsAsFactors = FALSE,
                             colClasses = c(run_id = "character", arm = "character"))
ev <- read(args[1])
po <- read(args[2])
if (length(unique(po$run_id)) != 1) stop("postings.csv must hold exactly one run")

# Integer time scale: microseconds times K sub-ticks, K = the largest number of contacts one
# posting has at one instant. Integers below 2^53 are exact doubles, so ties stay ties.
US_PER_HOUR <- 3600e6
po$id <- paste(po$replicate, po$arm, po$posting)
ev$id <- paste(ev$replicate, ev$arm, ev$posting)
if (!all(ev$id %in% po$id)) stop("events.csv has contacts of postings missing from postings.csv")
ev$us <- round(ev$t_seconds * 1e6)
po$us <- round(po$observed_hours * US_PER_HOUR)
# tie = 0 for the first contact of a posting at an instant, 1 for the second, ...
ev$tie <- integer(nrow(ev))
o <- order(ev$id, ev$us)
run <- cumsum(!c(FALSE, ev$id[o][-1] == head(ev$id[o], -1) & ev$us[o][-1] == head(ev$us[o], -1)))
ev$tie[o] <- seq_along(o) - match(run, run)
K <- max(1, ev$tie + 1)
ORIGIN <- -K                                                 # one microsecond before going live
if (max(po$us, ev$us) * K >= 2^53) stop("times too large for exact integer arithmetic")

# A window end printed with fewer digits than the contact times may fall just before the last
# contact; contacts never happen after the window ends, so extend the window to that contact.
last_us <- tapply(ev$us, ev$id, max)
late <- names(last_us)[last_us > po$us[match(names(last_us), po$id)]]
if (length(late)) {
  over <- last_us[late] - po$us[match(late, po$id)]
  if (max(over) > 1000) warning(sprintf("%d postings have contacts up to %.3f s after observed_hours",
                                        length(late), max(over) / 1e6))
  po$us[match(late, po$id)] <- last_us[late]
}

# Counting-process rows for a set of postings `p` and their contacts `e`.
counting_rows <- function(p, e) {
  e$time <- e$us * K - e$tie
  e <- e[order(e$id, e$time), ]
  first <- !duplicated(e$id)
  start <- c(ORIGIN, head(e$time, -1))
  start[first] <- ORIGIN
  contacts <- data.frame(id = e$id, start = start, stop = e$time, event = rep(1, nrow(e)))
  last <- rep(ORIGIN, nrow(p))
  has <- p$id %in% e$id
  last[has] <- tapply(e$time, e$id, max)[p$id[has]]
  tail <- data.frame(id = p$id, start = last, stop = p$us * K, event = rep(0, nrow(p)))
  rbind(contacts, tail[tail$stop > tail$start, ])
}

groups <- if (by_replicate) paste(po$arm, po$replicate, sep = "\t") else po$arm
out <- list()
for (g in unique(groups[order(match(po$arm, unique(po$arm)), po$replicate)])) {
  p <- po[groups == g, ]
  e <- ev[ev$id %in% p$id, ]
  grid <- seq(0, max(p$observed_hours) + 1e-9, by = grid_hours)
  grid_us <- round(grid * US_PER_HOUR)
  mu <- se <- rep(0, length(grid))
  if (nrow(e) > 0) {
    d <- counting_rows(p, e)
    fit <- survfit(Surv(start, stop, event) ~ 1, id = id, data = d,
                   ctype = 1, robust = TRUE, timefix = FALSE)
    k <- findInterval(grid_us * K, fit$time)          # right-continuous step-function lookup
    mu[k > 0] <- fit$cumhaz[k]
    se[k > 0] <- fit$std.chaz[k]
  }
  pos <- mu > 0
  out[[g]] <- data.frame(
    run_id = p$run_id[1], arm = p$arm[1], replicate = if (by_replicate) p$replicate[1] else NA,
    metric = "mcf", t_hours = grid, estimate = mu,
    lower = ifelse(pos, mu * exp(-z * se / mu), NA), upper = ifelse(pos, mu * exp(z * se / mu), NA),
    at_risk = sapply(grid_us, function(t) sum(p$us >= t)),
    events = sapply(grid_us, function(t) sum(e$us <= t)),
    std_chaz = se)
}
res <- do.call(rbind, out)
write.csv(res, stdout(), row.names = FALSE, na = "")
