#!/usr/bin/env Rscript
# Plot the response curves written by `decoy curves RUN --out curves.csv`.
#
#   Rscript analysis/plot_curves.R curves.csv [out.png]        (default out: curves.png)
#
# One panel per metric present (mcf, rate, ttfc, unique, expected, ...), one line per arm (and per
# replicate when the `replicate` column is filled), confidence band (lower/upper) shaded where both
# ends are present. Curves are steps: mcf/ttfc/unique are right-continuous step functions sampled
# on the grid; a rate row holds for its whole bin [t, t + grid). Base R (graphics, grDevices) only.

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
cv$series <- paste0(if (length(unique(cv$run_id)) > 1) paste0(cv$run_id, " ") else "", cv$arm,
                    ifelse(is.na(cv$replicate), "", paste0(" rep ", cv$replicate)))
series <- unique(cv$series)
cols <- hcl.colors(max(length(series), 2), "Dark 3")[seq_along(series)]
names(cols) <- series

# Right ends of each step: the next grid point; the last rate bin extends by one grid width.
step_ends <- function(t, metric) {
  width <- if (length(t) > 1) min(diff(t)) else 1
  c(t[-1], t[length(t)] + if (metric == "rate") width else 0)
}

ncol <- if (length(metrics) > 1) 2 else 1
nrow <- ceiling(length(metrics) / ncol)
png(out, width = 900 * ncol, height = 600 * nrow, res = 120)
par(mfrow = c(nrow, ncol), mar = c(4.5, 4.5, 3, 1))
for (m in metrics) {
  d <- cv[cv$metric == m, ]
  yr <- range(c(0, d$estimate, d$lower, d$upper), finite = TRUE)
  plot(NA, xlim = range(0, d$t_hours, finite = TRUE), ylim = yr,
       xlab = "hours since posting went live", ylab = if (m %in% names(ylabs)) ylabs[[m]] else m,
       main = if (m %in% names(titles)) titles[[m]] else m)
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
              col = adjustcolor(cols[[s]], alpha.f = 0.2), border = NA)
    }
    # Line: horizontal pieces joined vertically; NA estimates leave a gap.
    lines(as.vector(rbind(x$t_hours, ends)), rep(x$estimate, each = 2), col = cols[[s]], lwd = 2)
  }
  # Cumulative curves rise, rate and ttfc fall: put the legend where the lines usually are not.
  legend(if (m %in% c("rate", "ttfc")) "topright" else "bottomright", legend = unique(d$series),
         col = cols[unique(d$series)], lwd = 2, cex = 0.8, box.lty = 0,
         bg = adjustcolor("white", alpha.f = 0.8),
         ncol = ceiling(length(unique(d$series)) / 10))
}
invisible(dev.off())
cat("wrote", out, "\n")
