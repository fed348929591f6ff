# Reference values for the corrected (default) intervals, docs/statistics.md, computed with R.
#
# Made with (run in this folder):
#   Rscript make_corrected_reference.R > corrected_reference.csv
# using R with survival and sandwich (versions printed to standard error).
#
# Inputs: recurrent_data.csv (mcf, rate; every dataset) and first_contact_data.csv (rate ratio;
# dataset `mixed`, arms a and b), the inputs of make_curves_reference.R and
# make_analysis_reference.R.
# Output: metric,dataset,t_hours,estimate,se,lower,upper,df
#   mcf        survfit(Surv(start, stop, event) ~ 1, id = posting, robust = TRUE) on counting-process
#              rows: se = std.chaz * sqrt(n / (n - 1)), n the postings of the dataset; interval
#              mu * exp(-/+ qt(0.975, n - 1) * se / mu), [0, 0] where mu = 0; df = n - 1.
#              (Datasets with two contacts of one posting at one instant use the hand formula
#              of make_curves_reference.R, which agrees with survfit elsewhere.)
#   rate       per bin [a, a+1) (the last closed), the n postings exposed in it (t_i > 0):
#              glm(k ~ 1, family = poisson, offset = log(t)), se of log(rate) from
#              sandwich::vcovCL(fit, cluster = ~posting, type = "HC0", cadjust = TRUE)
#              (= n/(n-1) * sum (k_i - r t_i)^2 / K^2), interval rate * exp(-/+ qt(0.975, n - 1) * se);
#              se column = se of log(rate). A posting whose window ends at the bin's start with a
#              contact there is a cluster with t_i = 0 (glm cannot hold it: the formula is used, and
#              checked against vcovCL on every bin without such a posting). The interval is the
#              union of that one and Garwood's [qgamma(0.025, K) / T, qgamma(0.975, K + 1) / T]:
#              each limit the more extreme of the two. A bin with no contact: [0, qgamma(0.975, 1) / T],
#              se empty; a bin with fewer than three exposed postings: Garwood, se empty.
#   rateratio  per arm g (levels b, a), glm(contacts ~ 1, family = poisson, offset = log(window_hours)) and
#              v_g = sandwich::vcovCL(fit_g, cluster = ~posting, type = "HC0", cadjust = TRUE)
#              (CR1: n_g/(n_g-1) * sum (k_i - r T_i)^2 / K^2, checked against that formula), n_g the
#              arm's postings; se of log(ratio) = sqrt(v_a + v_b), the same ratio as the joint
#              glm(contacts ~ arm, ...); df = n_a + n_b - 2; interval ratio * exp(-/+ qt(0.975, df) * se);
#              the p value 2 * pt(-|log ratio| / se, df) is written in the `estimate` column of a
#              second row (metric rateratio_p). The HC1 standard error of the joint fit is written
#              as metric rateratio_hc1 (se).
# Numbers as formatC(x, digits = 17, format = "g"); NA -> empty.
suppressMessages({ library(survival); library(sandwich) })
fmt <- function(x) ifelse(is.na(x), "", trimws(formatC(x, digits = 17, format = "g")))
rows <- character(0)
emit <- function(metric, dataset, t, estimate, se, lower, upper, df)
  rows <<- c(rows, paste(metric, dataset, fmt(t), fmt(estimate), fmt(se), fmt(lower), fmt(upper), fmt(df), sep = ","))

raw <- read.csv("recurrent_data.csv", colClasses = "character")
grid <- seq(0, 10, by = 0.5)
for (ds in unique(raw$dataset)) {
  r <- raw[raw$dataset == ds, ]
  windows <- as.numeric(r$window_hours)
  events <- lapply(r$event_hours, function(s) if (s == "") numeric(0) else as.numeric(strsplit(s, ";")[[1]]))
  n <- length(windows)
  all_events <- unlist(events)
  at_risk <- function(t) sum(windows >= t)
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
  if (!any(sapply(events, function(e) any(duplicated(e))))) {
    cp <- do.call(rbind, lapply(seq_along(events), function(i) {
      e <- events[[i]]; starts <- c(0, e); stops <- c(e, windows[i])
      x <- data.frame(id = i, start = starts, stop = stops, event = c(rep(1, length(e)), 0))
      x[x$stop > x$start, ]
    }))
    fit <- survfit(Surv(start, stop, event) ~ 1, id = id, data = cp, robust = TRUE, ctype = 1)
    step_at <- function(values, t) { k <- findInterval(t, fit$time); if (k == 0) 0 else values[k] }
    stopifnot(max(abs(sapply(grid, function(t) step_at(fit$std.chaz, t)) - se)) < 1e-12)
    se <- sapply(grid, function(t) step_at(fit$std.chaz, t))
    mu <- sapply(grid, function(t) step_at(fit$cumhaz, t))
  }
  if (n > 1) {
    sec <- se * sqrt(n / (n - 1)); q <- qt(0.975, n - 1)
    lower <- ifelse(mu > 0, mu * exp(-q * sec / mu), 0); upper <- ifelse(mu > 0, mu * exp(q * sec / mu), 0)
    for (j in seq_along(grid)) emit("mcf", ds, grid[j], mu[j], sec[j], lower[j], upper[j], n - 1)
  }

  starts <- 0:9
  for (a in starts) {
    last <- a == max(starts)
    k <- sapply(events, function(e) sum(e >= a & (e < a + 1 | (last & e <= a + 1))))
    t <- pmax(0, pmin(a + 1, windows) - a)
    exposed <- t > 0
    clusters <- t > 0 | k > 0   # a contact at a window end that is the bin's start: a cluster without hours
    K <- sum(k); Tt <- sum(t); m <- sum(clusters)
    if (Tt == 0) next
    rate <- K / Tt
    if (K == 0) {
      emit("rate", ds, a, 0, NA, 0, qgamma(0.975, 1) / Tt, NA)
    } else if (m < 3) {
      emit("rate", ds, a, rate, NA, qgamma(0.025, K) / Tt, qgamma(0.975, K + 1) / Tt, NA)
    } else {
      v <- m / (m - 1) * sum((k[clusters] - rate * t[clusters])^2) / K^2
      if (all(t[clusters] > 0)) {
        x <- data.frame(k = k[exposed], t = t[exposed], posting = seq_len(sum(exposed)))
        fit <- glm(k ~ 1, family = poisson, offset = log(t), data = x, control = glm.control(epsilon = 1e-15, maxit = 100))
        stopifnot(abs(v - sandwich::vcovCL(fit, cluster = ~posting, type = "HC0", cadjust = TRUE)[1, 1]) < 1e-12 * v)
      }
      s <- sqrt(v); q <- qt(0.975, m - 1)
      lower <- min(rate * exp(-q * s), qgamma(0.025, K) / Tt); upper <- max(rate * exp(q * s), qgamma(0.975, K + 1) / Tt)
      emit("rate", ds, a, rate, s, lower, upper, m - 1)
    }
  }
}

fc <- read.csv("first_contact_data.csv", colClasses = c("character", "character", "character", "numeric", "numeric", "character"))
x <- fc[fc$dataset == "mixed", ]
x$arm <- factor(x$arm, levels = c("b", "a"))
fit <- glm(contacts ~ arm, family = poisson, offset = log(window_hours), data = x, control = glm.control(epsilon = 1e-15, maxit = 100))
v1 <- sandwich::vcovCL(fit, cluster = ~posting, type = "HC1")["arma", "arma"]
part <- function(g) {
  y <- x[x$arm == g, ]; K <- sum(y$contacts); Tt <- sum(y$window_hours); r <- K / Tt; n <- nrow(y)
  y$posting <- seq_len(n)
  fg <- glm(contacts ~ 1, family = poisson, offset = log(window_hours), data = y, control = glm.control(epsilon = 1e-15, maxit = 100))
  v <- sandwich::vcovCL(fg, cluster = ~posting, type = "HC0", cadjust = TRUE)[1, 1]
  stopifnot(abs(v - n / (n - 1) * sum((y$contacts - r * y$window_hours)^2) / K^2) < 1e-12 * v)
  c(v = v, n = n)
}
pa <- part("a"); pb <- part("b")
stopifnot(all(x$window_hours > 0))
v <- pa[["v"]] + pb[["v"]]
df <- pa[["n"]] + pb[["n"]] - 2
ratio <- exp(coef(fit)[["arma"]]); s <- sqrt(v); q <- qt(0.975, df)
emit("rateratio", "mixed", NA, ratio, s, ratio * exp(-q * s), ratio * exp(q * s), df)
emit("rateratio_p", "mixed", NA, 2 * pt(-abs(log(ratio)) / s, df), NA, NA, NA, df)
emit("rateratio_hc1", "mixed", NA, ratio, sqrt(v1), NA, NA, NA)

cat("metric,dataset,t_hours,estimate,se,lower,upper,df\n")
cat(rows, sep = "\n"); cat("\n")
message("R ", R.version$major, ".", R.version$minor, ", survival ", packageVersion("survival"), ", sandwich ", packageVersion("sandwich"))
