# Reference values for the Andersen–Gill proportional-rates (Cox) model of recurrent contacts,
# computed with R's survival package.
#
# Made with (run in this folder):
#   Rscript make_proportional_rates_reference.R
# using R 4.2.2 Patched (2022-11-10 r83330), survival 3.5.3 (Debian bookworm package
# r-cran-survival). The versions actually used are printed at the end of the run (about 30 s).
#
# Model: posting i is observed on (0, C_i] (C_i = window, hours) with contact times
# 0 < t_1 < t_2 < ... <= C_i (strictly increasing within a posting; a contact may be at C_i;
# contacts of different postings may tie) and constant covariates x1, x2, stratum.
# Counting-process rows per posting: (0, t_1], (t_1, t_2], ... with event = 1, then (t_last, C_i]
# with event = 0 when t_last < C_i (no such row when the last contact is at C_i); a posting
# without contacts is one row (0, C_i] with event = 0. The rows are built from the two data files
# after reading them back, so the fits use exactly the numbers in the files.
#
# Outputs (NA -> empty field; no NA occurs in this run):
#   proportional_rates_postings.csv  dataset,posting,x1,x2,stratum,window
#   proportional_rates_contacts.csv  dataset,posting,time      (one row per contact, in time order)
#       Written with formatC(x, digits = 15, format = "g") (so the 0.05-hour grid prints as e.g.
#       3.15); every written value is checked to read back as the identical double.
#   proportional_rates_reference.csv (numbers as formatC(x, digits = 17, format = "g"), trimmed)
#       dataset,model,ties,term,coef,se,robust_se,z,p,lower,upper,loglik,score_test,jackknife_se
#       One row per (dataset, model, ties, term); ties in efron, breslow; models
#         `arm`:        Surv(start, stop, event) ~ x1 + cluster(posting)
#         `arm+x2`:     Surv(start, stop, event) ~ x1 + x2 + cluster(posting)   (terms x1, x2)
#         `arm+strata`: Surv(start, stop, event) ~ x1 + strata(stratum) + cluster(posting)
#       fit0 <- coxph(formula, ties = ties, data = rows,
#                     control = coxph.control(eps = 1e-14, iter.max = 100))   ("tight control")
#       coef = the root of the partial-likelihood score: Newton–Raphson on the score written out
#         directly below (function `partial`), started at coef(fit0), until every step is below
#         1e-13 * max(1, |coef|). On the full data it differs from coef(fit0) by at most 6.4e-14;
#         see "Convergence" below for why the root is used.
#       fit <- coxph(formula, ties = ties, data = rows, init = coef,
#                    control = coxph.control(iter.max = 0))   (coxph evaluated at the root)
#       se = sqrt(diag(fit$naive.var)); robust_se = sqrt(diag(fit$var)) (the cluster(posting)
#         sandwich); z = coef/robust_se; p = 2 * pnorm(-abs(z));
#       lower, upper = exp(coef -/+ qnorm(0.975) * robust_se);
#       loglik = fit$loglik[2] (partial log-likelihood at the estimate);
#       score_test = fit0$score (score test statistic at beta = 0 with the naive information; the
#         same on both term rows of `arm+x2`);
#       jackknife_se = sqrt((G - 1)/G * sum_g (beta_(-g) - coef)^2), G = number of postings,
#         centred at the full-data coef (not at the mean of the beta_(-g)); beta_(-g) = the same
#         model refitted without posting g: coxph with the same tight control, then the score root
#         from its estimate as above. A refit that raised an error, gave an NA coefficient or a
#         warning other than "Ran out of iterations" would make the field NA (the script stops and
#         lists them, so the file is not written with NA silently); none did.
#   Checks on every full-data fit (stop() if one fails):
#     fit$var == t(D) %*% D with D = residuals(fit, type = "dfbeta", collapse = rows$posting),
#       to 1e-12 relative to max(1, |entry|);
#     fit$naive.var == inverse of the directly computed information (1e-10 relative), fit$loglik[2]
#       == the directly computed log-likelihood (1e-12 relative), fit0$score == U(0)' I(0)^-1 U(0)
#       from the direct score U and information I at 0 (1e-10 relative);
#     default control coxph.control() gives coefficients within 1e-6 of fit0's (max |difference|
#       3.1e-10 in this run, printed);
#     fit0 has no warning other than "Ran out of iterations" (none had one), and
#       |coef(fit0) - coef| < 1e-7.
#   Convergence: coxph (agfit4) accepts a Newton step only if the partial log-likelihood does not
#     decrease, and its log-likelihood carries rounding error of about 1e-11 (absolute) on these
#     data, while near the maximum a step of 1e-7 changes it by about 1e-12. So with eps = 1e-14
#     coxph can stop short of the maximum, halving steps until iter.max, and end with the warning
#     "Ran out of iterations and did not converge". In this run that happened in 19 of the 1608
#     leave-one-out refits, in 8 of the 36 (dataset, model, ties) fits, and in none of the
#     full-data fits (all printed by the run). Those 19 estimates were 3e-15 to 1.2e-7 from the root
#     of the score (the score at coxph's estimate was up to 2.3e-5, at the root about 1e-13); the
#     other refits agree with the root to 7.7e-14. Writing NA for the 19 would have made the
#     jackknife of those 8 fits NA, so the root is used throughout, for the full-data fits too.
#   coxph.control(eps = 1e-14) itself warns "For numerical accuracy, tolerance should be < eps"
#   because toler.chol stays at its default .Machine$double.eps^0.75 (about 1.8e-12); that warning
#   (only that one) is muffled. toler.chol is the singularity tolerance of the Cholesky step, not
#   the convergence criterion.
#
# Datasets:
#   sim1..sim4: simulated below (seeds 101..104). Arm A (x1 = 1) postings, then arm B (x1 = 0),
#     numbered 1..n: sim1 6 + 6, sim2 5 + 8, sim3 4 + 4, sim4 12 + 10.
#     x2 = round(rnorm(1), 2); stratum 1 or 2, half of each arm in each (shuffled within arm);
#     window = min(24, max(0.05, round(20 * E) / 20)), E ~ exponential with mean 20 h (removal),
#       so windows are on the 0.05-hour grid and some are capped at the 24-hour horizon;
#     contacts: a Poisson process on (0, window] with intensity
#       u * exp(b1 x1 + 0.2 x2) * (10 * 2^(-t/3) + 0.5) per hour, u ~ gamma(shape 2, rate 2)
#       (mean 1, variance 0.5) per posting, b1 = log 1.5, 0, log 0.7, log 2 for sim1..sim4,
#       drawn by thinning a homogeneous process of rate 10.5 u exp(...); times rounded to the
#       0.05-hour grid (round(20 t)/20), duplicates within a posting and times at 0 dropped.
#     Then posting nA + 1 (the first of arm B) has its contacts removed (a posting without
#     contacts; sim3 posting 1 and sim4 posting 15 have none as drawn), and posting 2 (arm A) has
#     its window set to its last contact. Contacts at the window end: sim1 postings 2, 3, 12;
#     sim2 2; sim3 2; sim4 2, 5, 12, 17, 21. Contact times shared by more than one posting:
#     151, 203, 29, 153 distinct times in sim1..sim4; window ends equal to another posting's
#     contact time: 8, 3, 3, 11 postings.
#   cgd: survival's `cgd` (chronic granulomatous disease, recurrent serious infections, days).
#     posting = id, window = max tstop of the id, contacts = tstop where status == 1,
#     x1 = 1 if treat == "rIFN-g" else 0, x2 = age (years), stratum = as.integer(hos.cat)
#     (1 US:NIH, 2 US:other, 3 Europe:Amsterdam, 4 Europe:other).
#   bladder2: survival's `bladder2` (bladder tumour recurrences, months).
#     posting = id, window = max stop of the id, contacts = stop where event == 1,
#     x1 = 1 if rx == 2 else 0, x2 = number (initial number of tumours), stratum = 1 + (size > 1).
#   For cgd and bladder2 each id is checked to tile (0, window]: first start 0, each start equal
#   to the previous stop, stop > start on every row, every row but the last an event, covariates
#   constant within the id; and the rows rebuilt from (window, contacts) are checked equal to the
#   package's rows (start, stop, event, covariates). An id failing a check would be dropped and
#   listed in the run's output; none failed, so none is dropped (cgd: 128 ids, 203 rows, 76
#   contacts; bladder2: 85 ids, 178 rows, 112 contacts, no rows with start == stop). One cgd id
#   and 19 bladder2 ids end with a contact at their window end.
suppressMessages(library(survival))

tight <- withCallingHandlers(coxph.control(eps = 1e-14, iter.max = 100),
  warning = function(w) if (grepl("tolerance should be < eps", conditionMessage(w)))
    invokeRestart("muffleWarning"))
fmt_data <- function(x) trimws(formatC(x, digits = 15, format = "g"))
fmt <- function(res) {
  num <- sapply(res, is.numeric)
  res[num] <- lapply(res[num], function(x)
    ifelse(is.finite(x), trimws(formatC(x, digits = 17, format = "g")), ""))
  res
}
write_csv <- function(res, file) {
  write.csv(res, file, row.names = FALSE, quote = FALSE)
  cat(sprintf("wrote %s (%d rows)\n", file, nrow(res)))
}

# ---- simulated datasets ------------------------------------------------------------------------
simulate <- function(name, seed, nA, nB, b1, b2 = 0.2) {
  set.seed(seed)
  n <- nA + nB
  x1 <- c(rep(1, nA), rep(0, nB))
  x2 <- round(rnorm(n), 2)
  stratum <- c(sample(rep(1:2, length.out = nA)), sample(rep(1:2, length.out = nB)))
  window <- pmin(24, pmax(0.05, round(20 * rexp(n, rate = 1 / 20)) / 20))
  u <- rgamma(n, shape = 2, rate = 2)
  times <- vector("list", n)
  for (i in seq_len(n)) {
    m <- u[i] * exp(b1 * x1[i] + b2 * x2[i])
    k <- rpois(1, 10.5 * m * window[i])
    t <- sort(runif(k, 0, window[i]))
    t <- t[runif(k) < (10 * 2^(-t / 3) + 0.5) / 10.5]
    t <- round(20 * t) / 20
    times[[i]] <- unique(t[t > 0 & t <= window[i]])
  }
  times[[nA + 1]] <- numeric(0)
  stopifnot(length(times[[2]]) > 0)
  window[2] <- max(times[[2]])
  stopifnot(any(window == 24), any(window < 24), all(c(1, 2) %in% stratum))
  list(postings = data.frame(dataset = name, posting = seq_len(n), x1 = x1, x2 = x2,
                             stratum = stratum, window = window),
       contacts = data.frame(dataset = rep(name, sum(lengths(times))),
                             posting = rep(seq_len(n), lengths(times)),
                             time = unlist(times)))
}
sims <- list(simulate("sim1", 101, 6, 6, log(1.5)), simulate("sim2", 102, 5, 8, 0),
             simulate("sim3", 103, 4, 4, log(0.7)), simulate("sim4", 104, 12, 10, log(2)))

# ---- survival data sets ------------------------------------------------------------------------
# d: one data frame with columns id, start, stop, event, x1, x2, stratum
convert <- function(name, d) {
  dropped <- c()
  post <- list(); cont <- list()
  for (i in sort(unique(d$id))) {
    r <- d[d$id == i, ]; r <- r[order(r$start), ]
    n <- nrow(r)
    ok <- r$start[1] == 0 && all(r$stop > r$start) &&
      (n == 1 || all(r$start[-1] == r$stop[-n])) && (n == 1 || all(r$event[-n] == 1)) &&
      all(r$event %in% c(0, 1)) &&
      length(unique(r$x1)) == 1 && length(unique(r$x2)) == 1 && length(unique(r$stratum)) == 1
    if (!ok) { dropped <- c(dropped, i); next }
    post[[length(post) + 1]] <- data.frame(dataset = name, posting = i, x1 = r$x1[1], x2 = r$x2[1],
                                           stratum = r$stratum[1], window = max(r$stop))
    cont[[length(cont) + 1]] <- data.frame(dataset = rep(name, sum(r$event == 1)),
                                           posting = rep(i, sum(r$event == 1)),
                                           time = r$stop[r$event == 1])
  }
  cat(sprintf("%s: %d ids, %d rows; dropped ids: %s\n", name, length(unique(d$id)), nrow(d),
              if (length(dropped)) paste(dropped, collapse = " ") else "none"))
  list(postings = do.call(rbind, post), contacts = do.call(rbind, cont),
       original = d[!(d$id %in% dropped), ])
}
cg <- with(cgd, data.frame(id = id, start = tstart, stop = tstop, event = status,
                           x1 = as.numeric(treat == "rIFN-g"), x2 = age,
                           stratum = as.integer(hos.cat)))
bl <- with(bladder2, data.frame(id = id, start = start, stop = stop, event = event,
                                x1 = as.numeric(rx == 2), x2 = number,
                                stratum = 1 + as.numeric(size > 1)))
real <- list(cgd = convert("cgd", cg), bladder2 = convert("bladder2", bl))

# ---- write the data and read it back -----------------------------------------------------------
all_sets <- c(sims, real)
postings <- do.call(rbind, lapply(all_sets, `[[`, "postings"))
contacts <- do.call(rbind, lapply(all_sets, `[[`, "contacts"))
rownames(postings) <- NULL; rownames(contacts) <- NULL
as_text <- function(df) { for (k in names(df)) if (is.numeric(df[[k]])) df[[k]] <- fmt_data(df[[k]]); df }
pt <- as_text(postings); ctx <- as_text(contacts)
for (k in c("x1", "x2", "stratum", "window")) stopifnot(identical(as.numeric(pt[[k]]), as.numeric(postings[[k]])))
stopifnot(identical(as.numeric(ctx$time), as.numeric(contacts$time)))
write_csv(pt, "proportional_rates_postings.csv")
write_csv(ctx, "proportional_rates_contacts.csv")
postings <- read.csv("proportional_rates_postings.csv", colClasses = c("character", rep("numeric", 5)))
contacts <- read.csv("proportional_rates_contacts.csv", colClasses = c("character", "numeric", "numeric"))

make_rows <- function(p, ct) {
  do.call(rbind, lapply(seq_len(nrow(p)), function(i) {
    t <- ct$time[ct$posting == p$posting[i]]
    stopifnot(!is.unsorted(t, strictly = TRUE), all(t > 0), all(t <= p$window[i]))
    start <- c(0, t); stop <- c(t, p$window[i]); event <- c(rep(1, length(t)), 0)
    keep <- stop > start
    data.frame(posting = p$posting[i], x1 = p$x1[i], x2 = p$x2[i], stratum = p$stratum[i],
               start = start[keep], stop = stop[keep], event = event[keep])
  }))
}
datasets <- unique(postings$dataset)
rows_of <- lapply(setNames(datasets, datasets), function(ds)
  make_rows(postings[postings$dataset == ds, ], contacts[contacts$dataset == ds, ]))
for (ds in names(real)) {
  o <- real[[ds]]$original; o <- o[order(o$id, o$start), ]
  r <- rows_of[[ds]]
  stopifnot(nrow(o) == nrow(r), all(o$id == r$posting), all(o$start == r$start),
            all(o$stop == r$stop), all(o$event == r$event), all(o$x1 == r$x1),
            all(o$x2 == r$x2), all(o$stratum == r$stratum))
}
for (ds in datasets) {
  p <- postings[postings$dataset == ds, ]; ct <- contacts[contacts$dataset == ds, ]
  tab <- table(ct$time)
  cat(sprintf("%s: %d postings (x1 = 1: %d, x1 = 0: %d), %d contacts, %d rows; windows at 24: %d; postings without contacts: %d; contact at window end: %d; contact times shared by >1 posting: %d\n",
              ds, nrow(p), sum(p$x1 == 1), sum(p$x1 == 0), nrow(ct), nrow(rows_of[[ds]]),
              sum(p$window == 24), sum(!(p$posting %in% ct$posting)),
              sum(sapply(seq_len(nrow(p)), function(i) any(ct$time[ct$posting == p$posting[i]] == p$window[i]))),
              sum(tab > 1)))
}

# ---- fits ----------------------------------------------------------------------------------------
formulas <- list(
  "arm"        = Surv(start, stop, event) ~ x1 + cluster(posting),
  "arm+x2"     = Surv(start, stop, event) ~ x1 + x2 + cluster(posting),
  "arm+strata" = Surv(start, stop, event) ~ x1 + strata(stratum) + cluster(posting))
# The partial likelihood written out directly: for each stratum and each distinct contact time t,
# risk set R = rows with start < t <= stop, contacts D = rows with event = 1 and stop = t, d = |D|;
# Efron: sum over k = 0..d-1 of the terms with S_j - (k/d) S_j(D) (Breslow: k/d replaced by 0),
# S_0 = sum_R exp(x'b), S_1 = sum_R x exp(x'b), S_2 = sum_R x x' exp(x'b). Each sum is formed
# afresh over its risk set (no running sums).
prepare <- function(rows, strata) {
  ev <- which(rows$event == 1)
  key <- unique(data.frame(s = strata[ev], t = rows$stop[ev]))
  lapply(seq_len(nrow(key)), function(k) {
    ins <- strata == key$s[k]
    list(R = which(ins & rows$start < key$t[k] & rows$stop >= key$t[k]),
         D = which(ins & rows$event == 1 & rows$stop == key$t[k]))
  })
}
partial <- function(beta, X, prep, ties) {
  eta <- drop(X %*% beta); r <- exp(eta)
  np <- ncol(X); ll <- 0; U <- numeric(np); I <- matrix(0, np, np)
  for (e in prep) {
    XR <- X[e$R, , drop = FALSE]; XD <- X[e$D, , drop = FALSE]; rR <- r[e$R]; rD <- r[e$D]
    d <- length(e$D)
    S0 <- sum(rR); S1 <- colSums(XR * rR); S2 <- crossprod(XR, XR * rR)
    D0 <- sum(rD); D1 <- colSums(XD * rD); D2 <- crossprod(XD, XD * rD)
    ll <- ll + sum(eta[e$D]); U <- U + colSums(XD)
    for (k in seq_len(d) - 1) {
      f <- if (ties == "efron") k / d else 0
      a0 <- S0 - f * D0; a1 <- S1 - f * D1; a2 <- S2 - f * D2
      ll <- ll - log(a0); U <- U - a1 / a0; I <- I + a2 / a0 - tcrossprod(a1) / a0^2
    }
  }
  list(ll = ll, U = U, I = I)
}
# Newton–Raphson on the score U(b) = 0 from b0, until every |step| < 1e-13 * max(1, |b|).
score_root <- function(X, prep, ties, b0) {
  b <- b0
  for (i in 1:25) {
    q <- partial(b, X, prep, ties)
    step <- drop(solve(q$I, q$U)); b <- b + step
    if (all(abs(step) < 1e-13 * pmax(1, abs(b)))) return(b)
  }
  NULL
}
design <- function(rows, model) {
  X <- if (model == "arm+x2") cbind(x1 = rows$x1, x2 = rows$x2) else cbind(x1 = rows$x1)
  strata <- if (model == "arm+strata") rows$stratum else rep(1, nrow(rows))
  list(X = X, prep = prepare(rows, strata))
}
# coxph with warnings collected. problem: NULL, or the error, an NA coefficient, or a warning other
# than "Ran out of iterations and did not converge" (ran_out; see the header).
fit_model <- function(rows, model, ties, control = tight, init = NULL) {
  warn <- character(0)
  fit <- tryCatch(withCallingHandlers(
      if (is.null(init)) coxph(formulas[[model]], data = rows, ties = ties, control = control,
                               model = TRUE, x = TRUE)
      else coxph(formulas[[model]], data = rows, ties = ties, control = control, init = init,
                 model = TRUE, x = TRUE),
      warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") }),
    error = function(e) e)
  if (inherits(fit, "error")) return(list(fit = NULL, problem = conditionMessage(fit), ran_out = FALSE))
  if (any(is.na(coef(fit))))
    return(list(fit = NULL, problem = "coefficient NA (term constant within every stratum)", ran_out = FALSE))
  ran_out <- grepl("Ran out of iterations", warn)
  problem <- if (any(!ran_out)) paste(warn[!ran_out], collapse = "; ") else NULL
  list(fit = fit, problem = problem, ran_out = any(ran_out))
}
rel <- function(x, y) max(abs(x - y) / pmax(1, abs(y)))

out <- list(); loo_problems <- character(0)
max_control_diff <- 0; max_tight_root <- 0; max_tight_root_loo <- 0
n_ran_out <- 0; n_loo <- 0
loo_log <- data.frame()   # per leave-one-out refit: fit label, ran_out, |coxph - root|
for (ds in datasets) for (model in names(formulas)) for (ties in c("efron", "breslow")) {
  rows <- rows_of[[ds]]
  r0 <- fit_model(rows, model, ties)                       # tight control, from b = 0
  if (!is.null(r0$problem)) stop(sprintf("%s %s %s: %s", ds, model, ties, r0$problem))
  n_ran_out <- n_ran_out + r0$ran_out
  des <- design(rows, model)
  b <- score_root(des$X, des$prep, ties, coef(r0$fit))
  if (is.null(b)) stop(sprintf("%s %s %s: no root of the score", ds, model, ties))
  tight_root <- max(abs(coef(r0$fit) - b)); max_tight_root <- max(max_tight_root, tight_root)
  stopifnot(tight_root < 1e-7)
  r <- fit_model(rows, model, ties, control = coxph.control(iter.max = 0), init = b)
  if (!is.null(r$problem) || r$ran_out) stop(sprintf("%s %s %s at the root: %s", ds, model, ties, r$problem))
  fit <- r$fit
  stopifnot(all(abs(coef(fit) - b) <= 1e-14 * pmax(1, abs(b))))   # coxph rescales x internally
  q <- partial(b, des$X, des$prep, ties)
  stopifnot(rel(fit$naive.var, solve(q$I)) < 1e-10, abs(fit$loglik[2] - q$ll) < 1e-12 * abs(q$ll))
  q0 <- partial(0 * b, des$X, des$prep, ties)
  stopifnot(abs(r0$fit$score - sum(q0$U * solve(q0$I, q0$U))) < 1e-10 * max(1, r0$fit$score))
  D <- residuals(fit, type = "dfbeta", collapse = rows$posting)
  stopifnot(all(abs(t(D) %*% D - fit$var) <= 1e-12 * pmax(1, abs(fit$var))))
  dflt <- fit_model(rows, model, ties, control = coxph.control())
  if (!is.null(dflt$problem) || dflt$ran_out) stop(sprintf("%s %s %s default control: %s", ds, model, ties, dflt$problem))
  diff <- max(abs(coef(dflt$fit) - coef(r0$fit)))
  max_control_diff <- max(max_control_diff, diff)
  stopifnot(diff < 1e-6)
  ids <- unique(rows$posting); G <- length(ids)
  loo <- matrix(NA_real_, G, length(b))
  for (g in seq_len(G)) {
    rows_g <- rows[rows$posting != ids[g], ]
    rg <- fit_model(rows_g, model, ties)
    n_loo <- n_loo + 1
    bg <- if (is.null(rg$problem)) { dg <- design(rows_g, model); score_root(dg$X, dg$prep, ties, coef(rg$fit)) }
    if (!is.null(rg$problem) || is.null(bg)) {
      loo_problems <- c(loo_problems, sprintf("%s %s %s without posting %s: %s", ds, model, ties, ids[g],
                                              if (is.null(rg$problem)) "no root of the score" else rg$problem))
      next
    }
    max_tight_root_loo <- max(max_tight_root_loo, max(abs(coef(rg$fit) - bg)))
    loo_log <- rbind(loo_log, data.frame(fit = paste(ds, model, ties), ran_out = rg$ran_out,
                                         diff = max(abs(coef(rg$fit) - bg))))
    loo[g, ] <- bg
  }
  jk <- sqrt((G - 1) / G * colSums(sweep(loo, 2, b)^2))   # NA if any refit failed
  se <- sqrt(diag(fit$naive.var)); rse <- sqrt(diag(fit$var))
  z <- b / rse
  out[[length(out) + 1]] <- data.frame(dataset = ds, model = model, ties = ties, term = names(b),
    coef = unname(b), se = se, robust_se = rse, z = unname(z), p = unname(2 * pnorm(-abs(z))),
    lower = unname(exp(b - qnorm(0.975) * rse)), upper = unname(exp(b + qnorm(0.975) * rse)),
    loglik = fit$loglik[2], score_test = unname(r0$fit$score), jackknife_se = unname(jk))
  cat(sprintf("%-8s %-10s %-7s coef %s robust se %s jackknife se %s (coxph iter %d%s; |coxph - root| %.2g; |default - tight| %.2g)\n",
              ds, model, ties, paste(formatC(b, digits = 6, format = "g"), collapse = " "),
              paste(formatC(rse, digits = 6, format = "g"), collapse = " "),
              paste(formatC(jk, digits = 6, format = "g"), collapse = " "), r0$fit$iter,
              if (r0$ran_out) ", ran out" else "", tight_root, diff))
}
if (length(loo_problems)) {
  cat(loo_problems, sep = "\n")
  stop("leave-one-out refits with problems (listed above); say so in the header before writing NA")
}
res <- do.call(rbind, out); rownames(res) <- NULL
write_csv(fmt(res), "proportional_rates_reference.csv")
cat(sprintf("max |default-control - tight-control| coxph coefficient difference: %.3g\n", max_control_diff))
cat(sprintf("max |tight-control coxph - score root| coefficient difference: %.3g full data, %.3g leave-one-out\n",
            max_tight_root, max_tight_root_loo))
ro <- loo_log[loo_log$ran_out, ]
cat(sprintf("tight-control coxph fits ending with \"Ran out of iterations\": %d of %d full-data fits, %d of %d leave-one-out refits (in %d (dataset, model, ties) fits: %s)\n",
            n_ran_out, length(out), nrow(ro), n_loo, length(unique(ro$fit)), paste(unique(ro$fit), collapse = "; ")))
if (nrow(ro)) cat(sprintf("  |coxph - root| of those: %.2g to %.2g; of the other leave-one-out refits: at most %.2g\n",
                          min(ro$diff), max(ro$diff), max(loo_log$diff[!loo_log$ran_out])))
cat(sprintf("R %s, survival %s\n", getRversion(), packageVersion("survival")))
