# Reference fits of the proportional-rates regression (`decoy regress`), made with R's survival package,
# together with the two observed-data imports they are fitted to.
#
# Run in this folder:  Rscript make_regression_reference.R   (a few seconds; no other input). A rerun
# rewrites every file byte for byte (checked).
# Made with R 4.2.2 Patched (2022-11-10 r83330) and survival 3.5.3 (Debian package r-cran-survival);
# the run prints the versions it used on its last line.
#
# IMPORT FILES (for each data set NAME: NAME.yaml, NAME_postings.csv, NAME_events.csv)
#   NAME.yaml: version 1, name, description, start (its UTC offset is the local time of posted_hour),
#     horizon, grid 1h, and the arms in order with their posting counts, arm attributes and channel message.
#   NAME_postings.csv  arm,posting,posted_at,ended_at,attr_<name>...  rows by arm in config order;
#     ended_at = posted_at + window; numbers in attr_ columns written formatC(x, digits = 15, "g").
#   NAME_events.csv    posting,at,channel,contact   one row per contact, channel `message`, contact empty.
#   All times are whole seconds. The script reads both CSV files back and fits to what it read: every
#   attribute must read back identical to the value drawn / taken from the package (checked), and
#   t = (seconds from posted_at to the contact) / 3600 from the integer seconds, the hours the tool uses.
#   Checked on reading: 0 < t <= window, contact times distinct within a posting, names unique.
# ROWS: per posting (0, t1], (t1, t2], ..., (t_last, window] with event 1 on the contact rows and 0 on
#   the last (only when t_last < window); a posting without contacts is one row (0, window], event 0.
#
# DATA SETS
#   factorial (simulated, set.seed(20200106); draws in this order): arms adult-vivastreet, adult-backpage,
#     control-vivastreet, control-backpage (config attributes section adult|control, platform
#     vivastreet|backpage), 10 postings each, p001..p040. city: per arm sample(rep(c(paris, lyon), 5));
#     quality = round(rnorm(40), 2); going live at start 2020-01-06T09:00:00+01:00 plus
#     sample.int(10080, 40, replace = TRUE) - 1 minutes; window = min(48 h, max(60 s, round(3600 E)) s),
#     E ~ rexp(rate 1/20) hours (removal); frailty u ~ rgamma(shape 2, rate 2). Contacts: Poisson with
#     intensity u exp(lp) (8 * 2^(-t/3) + 0.3) per hour, lp = log 2 [adult] + log 1.3 [vivastreet]
#     + log 0.8 [adult and vivastreet] + log 1.2 [paris] + 0.2 quality, drawn per posting by thinning a
#     rate-8.3 u exp(lp) process (rpois, runif times, runif acceptance), rounded to whole seconds,
#     times < 1 s or after the window dropped, then duplicates within a posting (3 dropped).
#     Written with the +01:00 offset; horizon 48h. Result: 2675 contacts (1 to 233 per posting, every
#     posting has some), 2715 rows, 5 windows at 48 h (shortest 0.556 h), no contact at a window end,
#     105 distinct contact times shared by more than one posting (so efron and breslow differ);
#     posted_hour takes 21 of the 24 values (9, 11, 18 absent).
#   cgd: survival's `cgd` (recurrent serious infections; days used as hours). Posting cgd-NNN per id,
#     window = max tstop of the id, contacts at tstop where status == 1; each id is checked to tile
#     (0, window] (first tstart 0, tstart = previous tstop, tstop > tstart, every row but the last an
#     event, covariates constant) and the rows rebuilt from the files are checked equal to the package's
#     (tstart, tstop, status). Arms placebo, rifn-g (treat; 65 and 63 postings; no config attributes).
#     attr_ columns: age, height, weight (numbers as in the data), sex (male/female), inherit
#     (x-linked/autosomal), hos_cat (us-nih, us-other, europe-amsterdam, europe-other), steroids and
#     propylac (0/1). posted_at = 2020-01-01T00:00:00Z + (id - 1) * 10 min, written with Z; horizon 500h.
#     128 postings, 76 contacts (84 postings without), 203 rows (no id failed a check), one id ends
#     with a contact at its window end, 6 contact times shared. All levels occur (steroids = 1: 3 ids).
#
# MODELS (each with ties = "efron" and "breslow"); coxph(Surv(start, stop, event) ~ terms
#   + strata(s) + cluster(posting)); labels as factors with the stated reference first and the other
#   levels in the order first met in the postings file (for arm: config order), treatment contrasts:
#   factorial sp:   section + platform + section:platform, strata city (references section=control,
#                   platform=backpage)
#   factorial spq:  sp's terms + quality + posted_hour (local hour 0-23 at +01:00, numeric), strata city
#   factorial arm:  arm (reference control-backpage)
#   cgd treat:      arm (reference placebo)
#   cgd adjusted:   arm + age + sex + inherit, strata hos_cat (placebo, female, x-linked)
#   cgd interaction: arm + age + arm:age (placebo)
#   cgd weights:    arm + height + weight + steroids + propylac, strata hos_cat (placebo)
# Estimation: fit0 = coxph(..., control = coxph.control(eps = 1e-14, iter.max = 100)); then Newton on
#   the partial-likelihood score, computed directly below (`partial`: per stratum and distinct contact
#   time, risk-set sums formed afresh), from coef(fit0) until every step < 1e-13 max(1, |beta|); then
#   fit = coxph(..., init = root, control = coxph.control(iter.max = 0)), coxph evaluated at the root.
#   Why the root: coxph accepts a Newton step only when its log-likelihood does not fall, and with
#   thousands of rows that value has rounding error larger than the gain of the last tiny steps, so at
#   eps = 1e-14 it may halve steps until iter.max and warn "Ran out of iterations". That happened in 4 of
#   the 14 tight fits (factorial sp breslow, spq breslow, arm efron and breslow; 2.9e-8 at most from the
#   root); the other 10 agree with the root to 6.5e-14. Default coxph.control() agrees to 1.6e-11.
#
# OUTPUT regression_reference.csv, one row per coefficient, rows in the order of the term list:
#   dataset, model, ties; terms = the tool's --terms joined by `;`; strata = the --strata name or empty;
#   references = NAME=LEVEL pairs joined by `;`; factors = empty (reserved for --factor);
#   term = the term as written (section:platform); level = the non-reference level the coefficient
#     contrasts (adult:vivastreet; for label x number, the label's level, rifn-g for arm:age), empty for
#     a number; coef = the score root; robust_se = sqrt(diag(fit$var)) (cluster(posting) sandwich);
#   z = coef / robust_se; p = 2 pnorm(-|z|); lower, upper = exp(coef -/+ qnorm(0.975) robust_se);
#   wald = b' V^-1 b over the term's coefficients (V from fit$var), wald_df their number, wald_p =
#     pchisq(wald, wald_df, lower.tail = FALSE), repeated on each row of the term (for a one-coefficient
#     term wald = z^2); loglik = fit$loglik[2]. Numbers formatC(x, digits = 17, format = "g"), trimmed.
# CHECKS (stop() on failure): fit$var == crossprod of residuals(fit, "dfbeta", collapse = posting)
#   (1e-12 relative to max(1, |entry|)); coefficients and fit$var finite; fit$naive.var == inverse of the
#   direct information (1e-10) and fit$loglik[2] == the direct log-likelihood (1e-12 relative);
#   |coef(fit0) - root| < 1e-7 and |default-control coxph - root| < 1e-6; no warning from any fit except
#   "Ran out of iterations" on fit0 (see above) and "tolerance should be < eps" from
#   coxph.control(eps = 1e-14) itself (toler.chol stays at its default; harmless, muffled).
suppressMessages(library(survival))

# ---- helpers -------------------------------------------------------------------------------------
tight <- withCallingHandlers(coxph.control(eps = 1e-14, iter.max = 100), warning = function(w)
  if (grepl("tolerance should be < eps", conditionMessage(w))) invokeRestart("muffleWarning"))
f15 <- function(x) trimws(formatC(x, digits = 15, format = "g"))
f17 <- function(x) ifelse(is.finite(x), trimws(formatC(x, digits = 17, format = "g")), "")
write_csv <- function(df, file) {
  write.csv(df, file, row.names = FALSE, quote = FALSE, na = "")
  cat(sprintf("wrote %s (%d rows)\n", file, nrow(df)))
}
# Whole epoch seconds -> ISO-8601 text at a UTC offset of 0 (written Z) or +01:00.
iso <- function(sec, offset) {
  stopifnot(all(sec == round(sec)), offset %in% c(0, 3600))
  paste0(format(as.POSIXct(sec + offset, origin = "1970-01-01", tz = "UTC"), "%Y-%m-%dT%H:%M:%S", tz = "UTC"),
         if (offset == 0) "Z" else "+01:00")
}
# ISO-8601 text (whole seconds, Z or +hh:mm / -hh:mm) -> epoch seconds.
parse_iso <- function(x) {
  stopifnot(all(grepl("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)$", x)))
  z <- substring(x, 20)
  off <- ifelse(z == "Z", 0, ifelse(substr(z, 1, 1) == "-", -1, 1) *
                  (as.numeric(substr(z, 2, 3)) * 3600 + as.numeric(substr(z, 5, 6)) * 60))
  as.numeric(as.POSIXct(substr(x, 1, 19), format = "%Y-%m-%dT%H:%M:%S", tz = "UTC")) - off
}
# Writes NAME.yaml, NAME_postings.csv and NAME_events.csv. arms: name, attributes (flow-map text or
# NA); P: arm, posting, posted (epoch s), window (s) and the attribute columns `attrs`; E: posting, at.
write_import <- function(name, description, start, offset, horizon, arms, P, E, attrs) {
  stopifnot(all(P$window <= horizon * 3600), !is.unsorted(match(P$arm, arms$name)))
  cfg <- c("version: 1", paste0("name: ", name), "description: >", paste0("  ", strwrap(description, 92)),
           paste0("start: ", iso(start, offset)), sprintf("horizon: %dh", horizon), "grid: 1h", "arms:")
  for (a in seq_len(nrow(arms)))
    cfg <- c(cfg, paste0("  - name: ", arms$name[a]), paste0("    postings: ", sum(P$arm == arms$name[a])),
             if (!is.na(arms$attributes[a])) paste0("    attributes: { ", arms$attributes[a], " }"),
             "    channels: { message: 1 }")
  writeLines(cfg, paste0(name, ".yaml")); cat(sprintf("wrote %s.yaml\n", name))
  out <- data.frame(arm = P$arm, posting = P$posting, posted_at = iso(P$posted, offset),
                    ended_at = iso(P$posted + P$window, offset))
  for (k in attrs) out[[paste0("attr_", k)]] <- if (is.numeric(P[[k]])) f15(P[[k]]) else P[[k]]
  write_csv(out, paste0(name, "_postings.csv"))
  write_csv(data.frame(posting = E$posting, at = iso(E$at, offset), channel = "message", contact = ""),
            paste0(name, "_events.csv"))
}
# Reads the two CSV files back: postings with window (hours), attributes (numbers where every value is
# a number, as the tool reads them) and posted_hour; contacts with time = hours since going live.
read_import <- function(name, offset) {
  P <- read.csv(paste0(name, "_postings.csv"), colClasses = "character")
  E <- read.csv(paste0(name, "_events.csv"), colClasses = "character")
  posted <- parse_iso(P$posted_at); P$window <- (parse_iso(P$ended_at) - posted) / 3600
  for (k in grep("^attr_", names(P), value = TRUE)) {
    x <- P[[k]]; stopifnot(all(grepl("^[a-z0-9.+-]+$", x)))
    num <- all(grepl("^[-+0-9.eE]+$", x)) && all(is.finite(suppressWarnings(as.numeric(x))))
    P[[sub("^attr_", "", k)]] <- if (num) as.numeric(x) else x
  }
  P$posted_hour <- ((posted + offset) %% 86400) %/% 3600
  i <- match(E$posting, P$posting)
  stopifnot(!anyNA(i), all(E$channel == "message"), all(E$contact == ""), !anyDuplicated(P$posting),
            all(grepl("^[a-z][a-z0-9-]*$", P$posting)))
  E$time <- (parse_iso(E$at) - posted[i]) / 3600
  stopifnot(all(E$time > 0), all(E$time <= P$window[i]), !anyDuplicated(E[c("posting", "time")]))
  list(postings = P, contacts = E)
}
# Counting-process rows (0, t1], (t1, t2], ..., (t_last, window], the last only when t_last < window.
make_rows <- function(P, E, covariates) {
  do.call(rbind, lapply(seq_len(nrow(P)), function(i) {
    t <- sort(E$time[E$posting == P$posting[i]])
    start <- c(0, t); stop <- c(t, P$window[i]); event <- c(rep(1, length(t)), 0); keep <- stop > start
    cbind(data.frame(posting = P$posting[i], start = start[keep], stop = stop[keep], event = event[keep]),
          P[rep(i, sum(keep)), covariates, drop = FALSE], row.names = NULL)
  }))
}
same <- function(x, y) identical(x, if (is.numeric(y)) as.numeric(y) else y)

# ---- factorial: simulated ------------------------------------------------------------------------
set.seed(20200106)
arms_f <- data.frame(name = c("adult-vivastreet", "adult-backpage", "control-vivastreet", "control-backpage"),
                     section = rep(c("adult", "control"), each = 2), platform = rep(c("vivastreet", "backpage"), 2))
arms_f$attributes <- sprintf("section: %s, platform: %s", arms_f$section, arms_f$platform)
n <- 40; a <- rep(1:4, each = 10)
Pf <- data.frame(arm = arms_f$name[a], posting = sprintf("p%03d", 1:n), section = arms_f$section[a],
                 platform = arms_f$platform[a], city = c(replicate(4, sample(rep(c("paris", "lyon"), 5)))))
Pf$quality <- round(rnorm(n), 2)
start_f <- as.numeric(as.POSIXct("2020-01-06 08:00:00", tz = "UTC"))     # 09:00 at +01:00
Pf$posted <- start_f + 60 * (sample.int(7 * 24 * 60, n, replace = TRUE) - 1)
Pf$window <- pmin(48 * 3600, pmax(60, round(rexp(n, rate = 1 / 20) * 3600)))
u <- rgamma(n, shape = 2, rate = 2)
lp <- with(Pf, log(2) * (section == "adult") + log(1.3) * (platform == "vivastreet") +
             log(0.8) * (section == "adult") * (platform == "vivastreet") + log(1.2) * (city == "paris") + 0.2 * quality)
Ef <- NULL; dup_f <- 0
for (i in 1:n) {
  W <- Pf$window[i] / 3600; k <- rpois(1, 8.3 * u[i] * exp(lp[i]) * W)
  t <- sort(runif(k, 0, W)); t <- t[runif(k) < (8 * 2^(-t / 3) + 0.3) / 8.3]
  s <- round(t * 3600); s <- s[s >= 1 & s <= Pf$window[i]]
  dup_f <- dup_f + sum(duplicated(s)); s <- unique(s)
  Ef <- rbind(Ef, data.frame(posting = rep(Pf$posting[i], length(s)), at = Pf$posted[i] + s))
}
write_import("factorial", paste("Simulated 2 x 2 factorial decoy-ad test (section adult or control, platform",
  "vivastreet or backpage), 10 postings per arm; reference data for the regression of",
  "make_regression_reference.R."), start_f, 3600, 48, arms_f, Pf, Ef, c("city", "quality"))

# ---- cgd: survival's data set --------------------------------------------------------------------
cg <- cgd[order(cgd$id, cgd$tstart), ]
for (i in unique(cg$id)) {                        # each id tiles (0, window], covariates constant
  r <- cg[cg$id == i, ]; m <- nrow(r)
  ok <- r$tstart[1] == 0 && all(r$tstop > r$tstart) && all(r$tstart[-1] == r$tstop[-m]) &&
    all(r$status[-m] == 1) && all(r$status %in% 0:1) &&
    all(sapply(c("treat", "age", "height", "weight", "sex", "inherit", "hos.cat", "steroids", "propylac"),
               function(k) length(unique(r[[k]])) == 1))
  if (!ok) stop(sprintf("cgd id %d does not tile (0, window]", i))
}
first <- cg[!duplicated(cg$id), ]; start_c <- as.numeric(as.POSIXct("2020-01-01", tz = "UTC"))
Pc <- with(first, data.frame(arm = ifelse(treat == "rIFN-g", "rifn-g", "placebo"), posting = sprintf("cgd-%03d", id),
  age, height, weight, sex = as.character(sex), inherit = tolower(as.character(inherit)),
  hos_cat = c("us-nih", "us-other", "europe-amsterdam", "europe-other")[as.integer(hos.cat)], steroids, propylac,
  posted = start_c + (id - 1) * 600,
  window = 3600 * tapply(cg$tstop, cg$id, max)[as.character(id)]))
ev <- cg[cg$status == 1, ]
Ec <- data.frame(posting = sprintf("cgd-%03d", ev$id), at = Pc$posted[match(ev$id, first$id)] + 3600 * ev$tstop)
Pc <- Pc[order(match(Pc$arm, c("placebo", "rifn-g")), first$id), ]
Ec <- Ec[order(match(Ec$posting, Pc$posting), Ec$at), ]
cgd_attrs <- c("age", "height", "weight", "sex", "inherit", "hos_cat", "steroids", "propylac")
write_import("cgd", paste("Chronic granulomatous disease trial (survival's cgd data set): recurrent serious",
  "infections, days written as hours; reference data for the regression of make_regression_reference.R."),
  start_c, 0, 500,
  data.frame(name = c("placebo", "rifn-g"), attributes = NA), Pc, Ec, cgd_attrs)

# ---- read back; rows -----------------------------------------------------------------------------
data <- list(factorial = read_import("factorial", 3600), cgd = read_import("cgd", 0))
P <- data$factorial$postings
stopifnot(same(P$quality, Pf$quality), same(P$city, Pf$city), same(P$window, Pf$window / 3600),
          same(P$posted_hour, ((Pf$posted + 3600) %% 86400) %/% 3600))
data$factorial$postings[c("section", "platform")] <- arms_f[match(P$arm, arms_f$name), c("section", "platform")]
for (k in cgd_attrs) stopifnot(same(data$cgd$postings[[k]], Pc[[k]]))
rows <- list(factorial = make_rows(data$factorial$postings, data$factorial$contacts,
                                   c("arm", "section", "platform", "city", "quality", "posted_hour")),
             cgd = make_rows(data$cgd$postings, data$cgd$contacts, c("arm", cgd_attrs)))
r <- rows$cgd; o <- cg[order(match(sprintf("cgd-%03d", cg$id), r$posting), cg$tstart), ]
stopifnot(nrow(r) == nrow(o), all(r$posting == sprintf("cgd-%03d", o$id)), all(r$start == o$tstart),
          all(r$stop == o$tstop), all(r$event == o$status))
for (ds in names(data)) {
  P <- data[[ds]]$postings; E <- data[[ds]]$contacts
  cat(sprintf("%s: %d postings (%s), %d contacts, %d rows; without contacts %d; contact at window end %d; windows at the horizon %d; contact times shared by >1 posting %d\n",
    ds, nrow(P), paste(names(table(P$arm)), table(P$arm), collapse = ", "), nrow(E), nrow(rows[[ds]]),
    sum(!(P$posting %in% E$posting)), sum(E$time == P$window[match(E$posting, P$posting)]),
    sum(P$window == c(factorial = 48, cgd = 500)[ds]), sum(table(E$time) > 1)))
}
cat(sprintf("factorial: %d duplicate contact seconds within a posting dropped\n", dup_f))

# ---- models --------------------------------------------------------------------------------------
M <- function(dataset, model, terms, strata, ...) list(dataset = dataset, model = model, terms = terms,
                                                       strata = strata, references = c(...))
sp <- c("section", "platform", "section:platform")
models <- list(
  M("factorial", "sp", sp, "city", section = "control", platform = "backpage"),
  M("factorial", "spq", c(sp, "quality", "posted_hour"), "city", section = "control", platform = "backpage"),
  M("factorial", "arm", "arm", "", arm = "control-backpage"),
  M("cgd", "treat", "arm", "", arm = "placebo"),
  M("cgd", "adjusted", c("arm", "age", "sex", "inherit"), "hos_cat", arm = "placebo", sex = "female", inherit = "x-linked"),
  M("cgd", "interaction", c("arm", "age", "arm:age"), "", arm = "placebo"),
  M("cgd", "weights", c("arm", "height", "weight", "steroids", "propylac"), "hos_cat", arm = "placebo"))

# The partial likelihood written out: per stratum and distinct contact time t, risk set R = rows with
# start < t <= stop, D = rows with event 1 and stop = t (d = |D|); Efron subtracts k/d of D's sums for
# k = 0..d-1, Breslow nothing. The sums are formed afresh over each risk set (no running sums).
prepare <- function(rows, strata) {
  ev <- which(rows$event == 1); key <- unique(data.frame(s = strata[ev], t = rows$stop[ev]))
  lapply(seq_len(nrow(key)), function(k) {
    ins <- strata == key$s[k]
    list(R = which(ins & rows$start < key$t[k] & rows$stop >= key$t[k]),
         D = which(ins & rows$event == 1 & rows$stop == key$t[k]))
  })
}
partial <- function(beta, X, prep, ties) {
  eta <- drop(X %*% beta); w <- exp(eta); ll <- 0; U <- numeric(ncol(X)); I <- matrix(0, ncol(X), ncol(X))
  for (e in prep) {
    XR <- X[e$R, , drop = FALSE]; XD <- X[e$D, , drop = FALSE]; d <- length(e$D)
    S0 <- sum(w[e$R]); S1 <- colSums(XR * w[e$R]); S2 <- crossprod(XR, XR * w[e$R])
    D0 <- sum(w[e$D]); D1 <- colSums(XD * w[e$D]); D2 <- crossprod(XD, XD * w[e$D])
    ll <- ll + sum(eta[e$D]); U <- U + colSums(XD)
    for (k in seq_len(d) - 1) {
      f <- if (ties == "efron") k / d else 0
      a0 <- S0 - f * D0; a1 <- S1 - f * D1
      ll <- ll - log(a0); U <- U - a1 / a0; I <- I + (S2 - f * D2) / a0 - tcrossprod(a1) / a0^2
    }
  }
  list(ll = ll, U = U, I = I)
}
score_root <- function(X, prep, ties, b) {        # Newton until every |step| < 1e-13 max(1, |b|)
  for (i in 1:25) {
    q <- partial(b, X, prep, ties); step <- drop(solve(q$I, q$U)); b <- b + step
    if (all(abs(step) < 1e-13 * pmax(1, abs(b)))) return(b)
  }
  stop("no root of the score")
}
coxfit <- function(...) {                         # coxph with its warnings collected and muffled
  warn <- character(0)
  fit <- withCallingHandlers(coxph(...), warning = function(w) {
    warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(fit = fit, warn = warn)
}

out <- list(); n_ran_out <- 0; max_tight <- 0; max_default <- 0
for (m in models) for (ties in c("efron", "breslow")) {
  label <- paste(m$dataset, m$model, ties); d <- rows[[m$dataset]]
  covs <- unique(unlist(strsplit(m$terms, ":")))
  stopifnot(all(names(m$references) %in% covs))
  for (k in covs) if (!is.numeric(d[[k]])) {      # label: reference first, then levels as first met
    lev <- unique(data[[m$dataset]]$postings[[k]]); ref <- m$references[[k]]
    stopifnot(ref %in% lev); d[[k]] <- factor(d[[k]], levels = c(ref, setdiff(lev, ref)))
  }
  form <- as.formula(paste("Surv(start, stop, event) ~", paste(c(m$terms,
    if (m$strata != "") sprintf("strata(%s)", m$strata), "cluster(posting)"), collapse = " + ")))
  r0 <- coxfit(form, data = d, ties = ties, control = tight, x = TRUE)
  ran_out <- grepl("Ran out of iterations", r0$warn)
  if (any(!ran_out)) stop(label, ": ", paste(r0$warn, collapse = "; "))
  n_ran_out <- n_ran_out + any(ran_out)
  X <- r0$fit$x; prep <- prepare(d, if (m$strata != "") d[[m$strata]] else rep(1, nrow(d)))
  b <- score_root(X, prep, ties, coef(r0$fit))
  dev <- max(abs(coef(r0$fit) - b)); max_tight <- max(max_tight, dev); stopifnot(dev < 1e-7)
  r <- coxfit(form, data = d, ties = ties, init = b, control = coxph.control(iter.max = 0), model = TRUE)
  dflt <- coxfit(form, data = d, ties = ties)
  if (length(c(r$warn, dflt$warn))) stop(label, ": ", paste(c(r$warn, dflt$warn), collapse = "; "))
  fit <- r$fit; V <- fit$var
  max_default <- max(max_default, abs(coef(dflt$fit) - b)); stopifnot(abs(coef(dflt$fit) - b) < 1e-6)
  stopifnot(all(is.finite(b)), all(is.finite(V)), all(abs(coef(fit) - b) <= 1e-14 * pmax(1, abs(b))))
  q <- partial(b, X, prep, ties)
  stopifnot(max(abs(fit$naive.var - solve(q$I)) / pmax(1, abs(solve(q$I)))) < 1e-10,
            abs(fit$loglik[2] - q$ll) < 1e-12 * abs(q$ll))
  D <- residuals(fit, type = "dfbeta", collapse = d$posting)
  stopifnot(nrow(D) == length(unique(d$posting)), all(abs(crossprod(D) - V) <= 1e-12 * pmax(1, abs(V))))
  # Term and level of each coefficient (fit$assign: the columns of each term; R puts interactions after
  # main effects, so the rows are put back in the order of the term list).
  stopifnot(setequal(names(fit$assign), m$terms))
  term <- rep(names(fit$assign), lengths(fit$assign))[order(unlist(fit$assign))]
  level <- unname(mapply(function(name, tm) {
    parts <- strsplit(name, ":")[[1]]; f <- strsplit(tm, ":")[[1]]; stopifnot(startsWith(parts, f))
    lv <- substring(parts, nchar(f) + 1); paste(lv[lv != ""], collapse = ":")
  }, names(b), term))
  wald <- wald_df <- numeric(length(b))
  for (j in fit$assign) { wald[j] <- drop(b[j] %*% solve(V[j, j, drop = FALSE], b[j])); wald_df[j] <- length(j) }
  k <- order(match(term, m$terms)); b <- unname(b[k]); se <- sqrt(diag(V))[k]; z <- b / se
  out[[length(out) + 1]] <- data.frame(dataset = m$dataset, model = m$model, ties = ties,
    terms = paste(m$terms, collapse = ";"), strata = m$strata,
    references = paste(names(m$references), m$references, sep = "=", collapse = ";"), factors = "",
    term = term[k], level = level[k], coef = f17(b), robust_se = f17(se), z = f17(z), p = f17(2 * pnorm(-abs(z))),
    lower = f17(exp(b - qnorm(0.975) * se)), upper = f17(exp(b + qnorm(0.975) * se)), wald = f17(wald[k]),
    wald_df = wald_df[k], wald_p = f17(pchisq(wald[k], wald_df[k], lower.tail = FALSE)), loglik = f17(fit$loglik[2]))
  cat(sprintf("%-26s coef %s | robust se %s (coxph iter %d%s; |coxph - root| %.2g)\n", label,
              paste(formatC(b, digits = 6, format = "g"), collapse = " "), paste(formatC(se, digits = 6,
              format = "g"), collapse = " "), r0$fit$iter, if (any(ran_out)) ", ran out" else "", dev))
}
res <- do.call(rbind, out); rownames(res) <- NULL
stopifnot(!any(grepl(",", as.matrix(res))))
write_csv(res, "regression_reference.csv")
cat(sprintf("tight-control fits that ran out of iterations: %d of %d; max |tight - root| %.2g; max |default control - root| %.2g\n",
            n_ran_out, length(out), max_tight, max_default))
cat(sprintf("R %s, survival %s\n", getRversion(), packageVersion("survival")))
