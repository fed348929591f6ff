# Reference values for `compare` (KM of time to first contact, KM medians, log-rank, rate ratio)
# and `population` (Chao1), docs/statistics.md, computed with R.
#
# Made with (run in this folder):
#   Rscript make_analysis_reference.R
# using R 4.2.2 Patched (2022-11-10 r83330), survival 3.5.3, sandwich 3.0.2, vegan 2.6.4
# (Debian bookworm packages r-cran-survival, r-cran-sandwich, r-cran-vegan). The versions actually
# used are printed at the end of the run.
#
# Inputs:
#   first_contact_data.csv  dataset,arm,posting,window_hours,contacts,first_contact_hours
#       one row per posting; first_contact_hours empty = no contact (censored at window_hours).
#       time = first_contact_hours if present else window_hours; status = 1 if present else 0.
#       A first contact exactly at the window end is an event (contacts come before the end of
#       a window at one instant; survival does the same: at a tied time, events precede censorings).
#   chao1_data.csv          example,contactor,count   (contacts per contactor, count >= 1)
#   Data design: `mixed` arm a (15 postings) / arm b (12, clearly slower): windows 2.5-10 h;
#     three first contacts tied at 1 h (a02-a04); first contact at the window end (a08 at 3 of 3,
#     b10 at 7 of 7); event tied with another posting's censoring (a06 event / a07 censored at
#     2.5; b08 event / b07 censored at 4); postings without contact in both arms; contacts 0..40.
#     `single`: one posting (arm a only, first contact at 2 h, so S drops to 0).
#     `nocontact`: arm a (4 postings, S = 0.5 exactly on [3, 4) -> midpoint median 3.5), arm b
#     (3 postings, no contacts at all: S = 1, median undefined, rate 0 so no rate ratio).
#   Chao1 examples: cottontail (literature, below), small (f1 = 4, f2 = 2), f2_zero, f1_zero,
#     f1_one (f1 = 1: T = 0 but variance > 0; interval collapses to S_obs by the T = 0 rule).
#
# Outputs (numbers as formatC(x, digits = 17, format = "g"), trimmed; NA/NaN/Inf -> empty field):
#   km_reference.csv  dataset,arm,interval,t_hours,surv,std_err,lower,upper,n_risk,n_event
#       fit <- survfit(Surv(time, status) ~ 1, conf.type = interval, conf.int = 0.95,
#                      conf.lower = "usual")   per (dataset, arm); interval in log-log, log, plain.
#       Grid t = 0, 0.5, ..., 10; right-continuous step lookup k = findInterval(t, fit$time)
#       (value at the last fit time <= t); before the first fit time surv = 1, std.err = 0.
#       Wherever surv = 1 the interval is written as lower = upper = 1 for every conf.type: this is
#       what survfit gives for log and plain, and what summary.survfit gives for all types before
#       the first fit time; survfit's own rows with S = 1 (censorings before any event) have NA for
#       log-log, because log(-log 1) is undefined — overridden here (only nocontact/b, log-log).
#       plain: lower = max(0, S - z se), upper = min(1, S + z se) (survfit clips to [0, 1]).
#       std_err = Greenwood standard error OF S(t) = surv * fit$std.err (fit$std.err is the s.e. of
#       the cumulative hazard -log S). Where S = 0 it is NaN (empty), as are log/log-log limits.
#       n_risk  = sum(time >= t) (postings with follow-up >= t, at risk at t);
#       n_event = sum(status == 1 & time <= t) (cumulative first contacts up to and including t).
#       Cross-checked against summary(fit, times = grid, extend = TRUE) (surv, std.err on the S
#       scale, lower, upper, n.risk) to 1e-12.
#   km_median_reference.csv  dataset,arm,interval,median,lower,upper
#       quantile(fit, probs = 0.5, conf.int = TRUE) for each conf.type (= summary(fit)$table
#       median, 0.95LCL, 0.95UCL; checked equal). Brookmeyer–Crowley-type: the interval is the set
#       of t where the pointwise interval contains 0.5. survfit convention: where S(t) = 0.5 exactly
#       on an interval [t1, t2) the median is (t1 + t2)/2 (dataset `nocontact`, arm a).
#   logrank_reference.csv  dataset,chisq,df,p,observed_a,expected_a,observed_b,expected_b
#       sd <- survdiff(Surv(time, status) ~ arm) (rho = 0, arm levels a, b); df = 1;
#       p = pchisq(chisq, 1, lower.tail = FALSE). Fields empty when the dataset has one arm.
#   rate_ratio_reference.csv
#       dataset,contacts_a,hours_a,rate_a,contacts_b,hours_b,rate_b,ratio,log_se,lower,upper,z,p
#       rate_X = sum(contacts)/sum(window_hours); ratio = rate_a/rate_b;
#       fit <- glm(contacts ~ arm, family = poisson, offset = log(window_hours)) with arm levels
#       (b, a), so coef "arma" = log(ratio), control = glm.control(epsilon = 1e-15, maxit = 100)
#       (tight convergence so the fitted means are exactly r_X T_i);
#       log_se = sqrt(sandwich::vcovCL(fit, cluster = ~posting, type = "HC0", cadjust = FALSE)
#                     ["arma", "arma"]),
#       checked against Var = sum_{i in a}(k_i - r_a T_i)^2/K_a^2 + sum_{i in b}(k_i - r_b T_i)^2/K_b^2
#       (K_X = total contacts in arm X) and exp(coef) against ratio, to 1e-10 relative.
#       lower, upper = exp(log(ratio) -/+ 1.959963984540054 * log_se); z = log(ratio)/log_se;
#       p = 2 * pnorm(-abs(z)). ratio..p empty when a rate is 0 or an arm is missing.
#   chao1_reference.csv  example,observed,f1,f2,chao1,variance,lower,upper
#       S_obs = number of contactors, f1/f2 = contactors with exactly 1/2 contacts;
#       chao1 = S_obs + f1(f1-1)/(2(f2+1));
#       variance = f1(f1-1)/(2(f2+1)) + f1(2f1-1)^2/(4(f2+1)^2) + f1^2 f2 (f1-1)^2/(4(f2+1)^4);
#       T = chao1 - S_obs, K = exp(1.959963984540054 * sqrt(log(1 + variance/T^2))),
#       lower = S_obs + T/K, upper = S_obs + T*K. When T = 0: with f1 = 0, EstimateS's eq. 14 with
#       N contacts, P = exp(-N/S_obs): lower = max(S_obs, S_obs/(1-P) - z sqrt(S_obs P/(1-P))),
#       upper = S_obs/(1-P) + z sqrt(S_obs P/(1-P)) (scikit-bio 0.7.4's chao1_ci gives the same
#       to the last digit); with f1 = 1, lower = upper = S_obs.
#       chao1 is checked against vegan::estimateR (S.chao1, bias-corrected; equal to 1e-12).
#       vegan's se.chao1 does NOT use this variance: its square equals
#       variance - f1^2 (f1+f2)^2 / (4 (f2+1)^4 chao1) (identity checked here to 1e-9 on every
#       example), so vegan's se is slightly smaller; both are printed, the file holds the formula.
#       Example `cottontail` = Chao (1987, Biometrics 43:783-791) cottontail rabbit data of Edwards
#       & Eberhardt (1967): f1..f7 = 43, 16, 8, 6, 0, 2, 1, S_obs = 76 (frequency table taken from
#       the `cottontail` data set of the CRAN package SPECIES). The classic (not bias-corrected)
#       Chao (1984/1987) estimate S_obs + f1^2/(2 f2) and its s.e. are printed for comparison.
suppressMessages({ library(survival); library(sandwich); library(vegan) })

z <- 1.959963984540054
stopifnot(abs(z - qnorm(0.975)) < 1e-15)
grid <- seq(0, 10, by = 0.5)
intervals <- c("log-log", "log", "plain")
fmt <- function(res) {
  num <- sapply(res, is.numeric)
  res[num] <- lapply(res[num], function(x)
    ifelse(is.finite(x), trimws(formatC(x, digits = 17, format = "g")), ""))
  res
}
write_out <- function(res, file) {
  write.csv(fmt(res), file, row.names = FALSE, quote = FALSE)
  cat(sprintf("wrote %s (%d rows)\n", file, nrow(res)))
}
close_enough <- function(x, y, tol = 1e-12) {
  both_na <- !is.finite(x) & !is.finite(y)
  all(both_na | (is.finite(x) & is.finite(y) & abs(x - y) <= tol * pmax(1, abs(y))))
}

raw <- read.csv("first_contact_data.csv", colClasses = "character")
data <- data.frame(dataset = raw$dataset, arm = raw$arm, posting = raw$posting,
                   window = as.numeric(raw$window_hours), contacts = as.numeric(raw$contacts),
                   first = ifelse(raw$first_contact_hours == "", NA, as.numeric(raw$first_contact_hours)))
data$status <- ifelse(is.na(data$first), 0, 1)
data$time <- ifelse(is.na(data$first), data$window, data$first)
stopifnot(all(data$time <= data$window), all((data$contacts > 0) == (data$status == 1)))
datasets <- unique(data$dataset)

# ---- 1 & 2: Kaplan–Meier per arm, and its median --------------------------------------------
km <- list(); med <- list()
for (ds in datasets) for (arm in sort(unique(data$arm[data$dataset == ds]))) {
  d <- data[data$dataset == ds & data$arm == arm, ]
  for (ct in intervals) {
    fit <- survfit(Surv(time, status) ~ 1, data = d, conf.type = ct, conf.int = 0.95,
                   conf.lower = "usual")
    k <- findInterval(grid, fit$time)
    pick <- function(v, first) ifelse(k == 0, first, v[pmax(k, 1)])
    surv <- pick(fit$surv, 1)
    std_err <- pick(fit$surv * fit$std.err, 0)
    lower <- pick(fit$lower, 1)
    upper <- pick(fit$upper, 1)
    # Where S = 1 (no first contact yet) every interval is [1, 1]. survfit itself gives this for
    # log and plain, and summary.survfit gives it for all types before the first fit time, but
    # survfit leaves log-log at NA on rows with S = 1 after a censoring (nocontact/b only).
    lower[surv == 1] <- 1; upper[surv == 1] <- 1
    n_risk <- sapply(grid, function(t) sum(d$time >= t))
    n_event <- sapply(grid, function(t) sum(d$status == 1 & d$time <= t))
    s <- summary(fit, times = grid, extend = TRUE)
    s$lower[s$surv == 1] <- 1; s$upper[s$surv == 1] <- 1
    stopifnot(close_enough(surv, s$surv), close_enough(std_err, s$std.err),
              close_enough(lower, s$lower), close_enough(upper, s$upper),
              all(n_risk == s$n.risk), all(n_event == cumsum(s$n.event)))
    km[[length(km) + 1]] <- data.frame(dataset = ds, arm = arm, interval = ct, t_hours = grid,
      surv = surv, std_err = std_err, lower = lower, upper = upper, n_risk = n_risk, n_event = n_event)
    q <- quantile(fit, probs = 0.5, conf.int = TRUE)
    tab <- summary(fit)$table
    m <- c(unname(q$quantile), unname(q$lower), unname(q$upper))
    stopifnot(close_enough(m, unname(tab[c("median", "0.95LCL", "0.95UCL")])))
    med[[length(med) + 1]] <- data.frame(dataset = ds, arm = arm, interval = ct,
                                         median = m[1], lower = m[2], upper = m[3])
  }
}
km <- do.call(rbind, km); med <- do.call(rbind, med)
write_out(km, "km_reference.csv")
write_out(med, "km_median_reference.csv")

# ---- 3: log-rank ------------------------------------------------------------------------------
lr <- list()
for (ds in datasets) {
  d <- data[data$dataset == ds, ]
  row <- data.frame(dataset = ds, chisq = NA_real_, df = NA_real_, p = NA_real_,
                    observed_a = NA_real_, expected_a = NA_real_,
                    observed_b = NA_real_, expected_b = NA_real_)
  if (all(c("a", "b") %in% d$arm)) {
    d$arm <- factor(d$arm, levels = c("a", "b"))
    sd <- survdiff(Surv(time, status) ~ arm, data = d)
    df <- length(sd$n) - 1
    p <- pchisq(sd$chisq, df, lower.tail = FALSE)
    if (!is.null(sd$pvalue)) stopifnot(abs(p - sd$pvalue) < 1e-15)
    row[1, -1] <- c(sd$chisq, df, p, sd$obs[1], sd$exp[1], sd$obs[2], sd$exp[2])
  }
  lr[[length(lr) + 1]] <- row
}
write_out(do.call(rbind, lr), "logrank_reference.csv")

# ---- 4: rate ratio with cluster-robust (per posting) variance --------------------------------
rr <- list()
for (ds in datasets) {
  d <- data[data$dataset == ds, ]
  tot <- function(arm, col) if (arm %in% d$arm) sum(d[[col]][d$arm == arm]) else NA_real_
  Ka <- tot("a", "contacts"); Ta <- tot("a", "window"); Kb <- tot("b", "contacts"); Tb <- tot("b", "window")
  ra <- Ka / Ta; rb <- Kb / Tb
  row <- data.frame(dataset = ds, contacts_a = Ka, hours_a = Ta, rate_a = ra,
                    contacts_b = Kb, hours_b = Tb, rate_b = rb, ratio = NA_real_, log_se = NA_real_,
                    lower = NA_real_, upper = NA_real_, z = NA_real_, p = NA_real_)
  if (is.finite(ra) && is.finite(rb) && ra > 0 && rb > 0) {
    d$arm <- factor(d$arm, levels = c("b", "a"))
    fit <- glm(contacts ~ arm, family = poisson, offset = log(window), data = d,
               control = glm.control(epsilon = 1e-15, maxit = 100))
    V <- vcovCL(fit, cluster = ~posting, type = "HC0", cadjust = FALSE)
    log_se <- sqrt(V["arma", "arma"])
    ratio <- ra / rb
    ia <- d$arm == "a"; ib <- d$arm == "b"
    var_formula <- sum((d$contacts[ia] - ra * d$window[ia])^2) / Ka^2 +
                   sum((d$contacts[ib] - rb * d$window[ib])^2) / Kb^2
    cat(sprintf("%s: log ratio glm %.17g vs direct %.17g; log_se sandwich %.17g vs formula %.17g\n",
                ds, coef(fit)[["arma"]], log(ratio), log_se, sqrt(var_formula)))
    stopifnot(abs(coef(fit)[["arma"]] - log(ratio)) < 1e-10 * max(1, abs(log(ratio))),
              abs(log_se - sqrt(var_formula)) < 1e-10 * sqrt(var_formula))
    zz <- log(ratio) / log_se
    row$ratio <- ratio; row$log_se <- log_se
    row$lower <- exp(log(ratio) - z * log_se); row$upper <- exp(log(ratio) + z * log_se)
    row$z <- zz; row$p <- 2 * pnorm(-abs(zz))
  }
  rr[[length(rr) + 1]] <- row
}
write_out(do.call(rbind, rr), "rate_ratio_reference.csv")

# ---- 5: Chao1 ----------------------------------------------------------------------------------
cr <- read.csv("chao1_data.csv", colClasses = c("character", "character", "numeric"))
ch <- list()
for (ex in unique(cr$example)) {
  x <- cr$count[cr$example == ex]
  stopifnot(all(x >= 1))
  S <- length(x); f1 <- sum(x == 1); f2 <- sum(x == 2)
  T <- f1 * (f1 - 1) / (2 * (f2 + 1))
  chao1 <- S + T
  v <- f1 * (f1 - 1) / (2 * (f2 + 1)) + f1 * (2 * f1 - 1)^2 / (4 * (f2 + 1)^2) +
       f1^2 * f2 * (f1 - 1)^2 / (4 * (f2 + 1)^4)
  if (T > 0) {
    K <- exp(z * sqrt(log(1 + v / T^2))); lo <- S + T / K; up <- S + T * K
  } else if (f1 == 0) {
    P <- exp(-sum(x) / S); h <- z * sqrt(S * P / (1 - P))
    lo <- max(S, S / (1 - P) - h); up <- S / (1 - P) + h
  } else { lo <- S; up <- S }
  er <- estimateR(x)
  stopifnot(er[["S.obs"]] == S, abs(er[["S.chao1"]] - chao1) < 1e-12 * chao1)
  # vegan 2.6-4's se.chao1 is sqrt of this variance minus f1^2 (f1+f2)^2 / (4 (f2+1)^4 chao1)
  # (checked identity, not a documented one); so it is smaller than the formula above.
  stopifnot(abs(er[["se.chao1"]]^2 - (v - f1^2 * (f1 + f2)^2 / (4 * (f2 + 1)^4 * chao1))) < 1e-9 * max(1, v))
  classic <- if (f2 > 0) S + f1^2 / (2 * f2) else NA
  classic_se <- if (f2 > 0) sqrt(f2 * (0.25 * (f1 / f2)^4 + (f1 / f2)^3 + 0.5 * (f1 / f2)^2)) else NA
  cat(sprintf("%s: S_obs %d f1 %d f2 %d chao1 %.10g (vegan %.10g) se %.10g (vegan se.chao1 %.10g); classic %.10g se %.10g\n",
              ex, S, f1, f2, chao1, er[["S.chao1"]], sqrt(v), er[["se.chao1"]], classic, classic_se))
  ch[[length(ch) + 1]] <- data.frame(example = ex, observed = S, f1 = f1, f2 = f2, chao1 = chao1,
                                     variance = v, lower = lo, upper = up)
}
write_out(do.call(rbind, ch), "chao1_reference.csv")

cat(sprintf("R %s, survival %s, sandwich %s, vegan %s\n", getRversion(), packageVersion("survival"),
            packageVersion("sandwich"), packageVersion("vegan")))
