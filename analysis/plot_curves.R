#!/usr/bin/env Rscript
# Plot the response curves written by `decoy curves RUN --out curves.csv`.
#
#   Rscript analysis/plot_curves.R curves.csv [out.png]        (default out: curves.png)
#
# One panel per metric present (mcf, rate, ttfc, unique, expected, ...), one colour per arm and,
# when the `replicate` column is filled (`decoy curves --by replicate`), one line type per
# replicate; confidence band (lower/upper) shaded where both ends are present; one legend for
# all panels, below them. Curves are steps: mcf/ttfc/unique are right-continuous step functions
# sampled on the grid; a rate row holds for its whole bin [t, t + grid).
# mcf/unique are not drawn at grid times where at_risk_postings = 0 (after every observation window has
# ended `decoy curves` repeats the last value; it is not an observation). A rate bin with little
# exposure has a very wide interval; the y axis stops at 1.5 x the largest estimate and such bands
# are clipped (the panel says so). Base R (graphics, grDevices) only.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1 || length(args) > 2) stop("usage: Rscript plot_curves.R curves.csv [out.png]")
out <- if (length(args) == 2) args[2] else "curves.png"

# Empty fields are missing values; keep the text columns as text ("1" stays a label, not a number).
cv <- read.csv(args[1], na.strings = "", stringsAsFactors = FALSE,
               colClasses = c(run_id = "character", arm = "character", replicate = "character",
                              metric = "character"))
if (nrow(cv) == 0) stop("no rows in ", args[1])

# y-axis label (with units) per metric; unknown metrics are plotted under their own name.
ylabs <- c(mcf      = "mean cumulative contacts per posting",
           rate     = "contacts per posting-hour",
           ttfc     = "probability of no contact yet",
           unique   = "mean cumulative distinct contactors per posting",
           expected = "expected cumulative contacts per posting (model)")
titles <- c(mcf = "Mean cumulative contacts (MCF)", rate = "Contact rate",
            ttfc = "Time to first contact", unique = "Distinct contactors",
            expected = "Expected contacts (model truth)")
metrics <- unique(cv$metric)
metrics <- c(intersect(names(ylabs), metrics), setdiff(metrics, names(ylabs)))

# One series per (run, arm, replicate); the run only named when the file holds several runs.
# Colour = run and arm, line type = replicate, so the replicates of one arm read as one group.
several_runs <- length(unique(cv$run_id)) > 1
cv$group <- paste0(if (several_runs) paste0(cv$run_id, " ") else "", cv$arm)
cv$series <- paste0(cv$group, ifelse(is.na(cv$replicate), "", paste0(" rep ", cv$replicate)))
series <- unique(cv$series)
groups <- unique(cv$group)
gcols <- hcl.colors(max(length(groups), 2), "Dark 3")[seq_along(groups)]
names(gcols) <- groups
reps <- unique(cv$replicate[!is.na(cv$replicate)])
reps <- reps[order(suppressWarnings(as.numeric(reps)), reps)]
s_group <- cv$group[match(series, cv$series)]
s_rep <- cv$replicate[match(series, cv$series)]
cols <- setNames(gcols[s_group], series)
ltys <- setNames(ifelse(is.na(s_rep), 1, (match(s_rep, reps) - 1) %% 6 + 1), series)

# mcf and unique: blank where no posting is at risk any more (values repeated past the windows).
# at_risk_postings (at_risk in a file from a decoy without that column).
postings_at_risk <- as.numeric(if ("at_risk_postings" %in% names(cv)) cv$at_risk_postings else cv$at_risk)
past_end <- cv$metric %in% c("mcf", "unique") & !is.na(postings_at_risk) & postings_at_risk == 0
cv[past_end, c("estimate", "lower", "upper")] <- NA

# Right ends of each step: the next grid point; the last rate bin extends by one grid width.
step_ends <- function(t, metric) {
  width <- if (length(t) > 1) min(diff(t)) else 1
  c(t[-1], t[length(t)] + if (metric == "rate") width else 0)
}

# Layout: panels in up to 2 columns, then one strip for the shared legend.
ncol <- if (length(metrics) > 1) 2 else 1
nrow <- ceiling(length(metrics) / ncol)
# With replicates, one legend column per arm (items fill column by column, arm by arm).
leg_cols <- if (length(reps) > 1) min(length(groups), 6) else min(length(series), 4)
leg_rows <- ceiling(length(series) / leg_cols)
leg_h <- 40 + 22 * leg_rows                                   # legend strip height, pixels
png(out, width = 900 * ncol, height = 600 * nrow + leg_h, res = 120)
layout(rbind(matrix(seq_len(nrow * ncol), nrow, ncol, byrow = TRUE), nrow * ncol + 1),
       heights = c(rep(600, nrow), leg_h))
par(mar = c(4.5, 4.5, 3.5, 1))
for (m in metrics) {
  d <- cv[cv$metric == m, ]
  est_max <- max(c(0, d$estimate), na.rm = TRUE)
  top <- max(c(0, d$estimate, d$lower, d$upper), na.rm = TRUE)
  clipped <- est_max > 0 && top > 1.5 * est_max
  if (clipped) top <- 1.5 * est_max
  if (top == 0) top <- 1
  plot(NA, xlim = range(0, d$t_hours, finite = TRUE), ylim = c(min(0, d$lower, na.rm = TRUE), top),
       xlab = "hours since posting went live", ylab = if (m %in% names(ylabs)) ylabs[[m]] else m)
  title(main = if (m %in% names(titles)) titles[[m]] else m, line = 2)
  if (clipped) mtext("some confidence bands clipped at the top", side = 3, line = 0.2, cex = 0.75)
  for (s in unique(d$series)) {
    x <- d[d$series == s, ]
    x <- x[order(x$t_hours), ]
    ends <- step_ends(x$t_hours, m)
    # Band: one polygon per run of consecutive rows where both lower and upper are present.
    ok <- is.finite(x$lower) & is.finite(x$upper)
    runs <- rle(ok); last <- cumsum(runs$lengths); first <- last - runs$lengths + 1
    for (r in which(runs$values)) {
      i <- first[r]:last[r]
      bx <- as.vector(rbind(x$t_hours[i], ends[i]))
      polygon(c(bx, rev(bx)), c(rep(x$lower[i], each = 2), rev(rep(x$upper[i], each = 2))),
              col = adjustcolor(cols[[s]], alpha.f = 0.15), border = NA)
    }
    # Line: horizontal pieces joined vertically; NA estimates leave a gap.
    lines(as.vector(rbind(x$t_hours, ends)), rep(x$estimate, each = 2), col = cols[[s]],
          lty = ltys[[s]], lwd = 2)
  }
}
for (k in seq_len(nrow * ncol - length(metrics))) plot.new()   # empty panel slots
par(mar = c(0, 0, 0, 0))
plot.new()
legend("center", legend = series, col = cols[series], lty = ltys[series], lwd = 2, seg.len = 3,
       ncol = leg_cols, bty = "n", cex = 0.9,
       title = "shaded: confidence interval (columns lower, upper)")
invisible(dev.off())
cat("wrote", out, "\n")
