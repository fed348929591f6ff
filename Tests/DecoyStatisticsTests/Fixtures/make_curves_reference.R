# Reference values for the `mcf` and `rate` curves, computed with R's survival package.
# Made with:  Rscript make_curves_reference.R   (R 4.2, survival 3.x; run in this folder)
# Input:  recurrent_data.csv  (one row per posting; event times in hours separated by ';')
# Output: curves_reference.csv
#   mcf:  survfit(Surv(start, stop, event) ~ 1, id = posting, robust = TRUE) cumulative hazard
#         and its robust (infinitesimal jackknife) standard error `std.chaz`, for data sets
#         without two contacts of one posting at one instant (counting-process rows cannot be
#         zero-length); the Lawless–Nadeau formula written out directly gives the `ties` data set
#         and is checked against survfit (to 1e-12) on the others.
#   rate: contacts in [t, t+1) / posting-hours at risk, Garwood interval from qgamma; the last
#         bin [9, 10] is closed on the right (docs/statistics.md), so a contact at t = 10 counts.
suppressMessages(library(survival))
raw <- read.csv("recurrent_data.csv", colClasses = "character")
z <- qnorm(0.975)
out <- list()
emit <- function(...) out[[length(out) + 1]] <<- data.frame(...)
grid <- seq(0, 10, by = 0.5)

for (ds in unique(raw$dataset)) {
  rows <- raw[raw$dataset == ds, ]
  windows <- as.numeric(rows$window_hours)
  events <- lapply(rows$event_hours, function(s) if (s == "") numeric(0) else as.numeric(strsplit(s, ";")[[1]]))
  all_events <- unlist(events)
  owner <- rep(seq_along(events), lengths(events))
  at_risk <- function(t) sum(windows >= t)
  has_within_ties <- any(sapply(events, function(e) any(duplicated(e))))

  # Lawless–Nadeau written out directly (docs/statistics.md)
  times <- sort(unique(all_events))
  d <- sapply(times, function(s) sum(all_events == s))
  Y <- sapply(times, at_risk)
  mu <- sapply(grid, function(t) sum((d / Y)[times <= t]))
  se <- sapply(grid, function(t) {
    total <- 0
    for (i in seq_along(events)) {
      keep <- times <= t & times <= windows[i]
      dNi <- vapply(times[keep], function(s) sum(events[[i]] == s), numeric(1))
      total <- total + sum((dNi - d[keep] / Y[keep]) / Y[keep])^2
    }
    sqrt(total)
  })
  method <- "formula"
  if (!has_within_ties) {
    # survival's own estimator; the hand formula must agree with it
    formula_mu <- mu; formula_se <- se
    cp <- do.call(rbind, lapply(seq_along(events), function(i) {
      e <- events[[i]]; starts <- c(0, e); stops <- c(e, windows[i])
      d <- data.frame(id = i, start = starts, stop = stops, event = c(rep(1, length(e)), 0))
      d[d$stop > d$start, ]          # drop the empty tail when the last contact is at the window end
    }))
    fit <- survfit(Surv(start, stop, event) ~ 1, id = id, data = cp, robust = TRUE, ctype = 1)
    step_at <- function(values, t) { k <- findInterval(t, fit$time); if (k == 0) 0 else values[k] }
    mu <- sapply(grid, function(t) step_at(fit$cumhaz, t))
    se <- sapply(grid, function(t) step_at(fit$std.chaz, t))
    method <- "survfit"
    stopifnot(max(abs(mu - formula_mu)) < 1e-12, max(abs(se - formula_se)) < 1e-12)
  }
  lower <- ifelse(mu > 0, mu * exp(-z * se / mu), 0)   # [0, 0] where mu = 0: no contact yet, no variance
  upper <- ifelse(mu > 0, mu * exp(z * se / mu), 0)
  emit(dataset = ds, metric = "mcf", method = method, t_hours = grid, estimate = mu, se = se,
       lower = lower, upper = upper, at_risk = sapply(grid, at_risk),
       events = sapply(grid, function(t) sum(all_events <= t)))

  starts <- 0:9
  last <- max(starts)
  k <- sapply(starts, function(a) sum(all_events >= a & (all_events < a + 1 | (a == last & all_events <= a + 1))))
  exposure <- sapply(starts, function(a) sum(pmax(0, pmin(a + 1, windows) - a)))
  rate <- ifelse(exposure > 0, k / exposure, NA)
  rl <- ifelse(exposure > 0, ifelse(k > 0, qgamma(0.025, k) / exposure, 0), NA)
  ru <- ifelse(exposure > 0, qgamma(0.975, k + 1) / exposure, NA)
  emit(dataset = ds, metric = "rate", method = "garwood", t_hours = starts, estimate = rate, se = NA,
       lower = rl, upper = ru, at_risk = exposure, events = k)
}
res <- do.call(rbind, out)
num <- sapply(res, is.numeric)
res[num] <- lapply(res[num], function(x) ifelse(is.na(x), "", trimws(formatC(x, digits = 17, format = "g"))))
write.csv(res, "curves_reference.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("wrote %d rows (R %s, survival %s)\n", nrow(res), getRversion(), packageVersion("survival")))
