# Maximum-likelihood reference fits for `decoy fit`, computed with R's optim.
# Made with:  Rscript make_fit_reference.R   (R 4.2.2; run in this folder)
# Input:  fit_data.csv (one row per posting: window in hours, contact times separated by ';';
#         made once by a seeded Python inversion sampler of 0.4/h + 25/h · 2^(−t/3h)).
# log L = Σ log λ(tⱼ) − Σ Λ(Cᵢ); maximised on log-parameters by Nelder–Mead then BFGS
# (reltol 1e-15); standard errors from optimHess on the natural scale.
d <- read.csv("fit_data.csv", colClasses = "character")
windows <- as.numeric(d$window_hours)
times <- unlist(lapply(d$event_hours, function(s) if (s == "") numeric(0) else as.numeric(strsplit(s, ";")[[1]])))
models <- list(
  "exponential-decay" = list(names = c("initial", "half_life", "baseline"),
    lambda = function(t, p) p[3] + p[1] * 2^(-t / p[2]),
    Lambda = function(t, p) { k <- log(2) / p[2]; p[3] * t + p[1] / k * (1 - exp(-k * t)) },
    start = c(20, 2, 0.5)),
  "power-law" = list(names = c("initial", "scale", "exponent", "baseline"),
    lambda = function(t, p) p[4] + p[1] * (1 + t / p[2])^(-p[3]),
    Lambda = function(t, p) p[4] * t + p[1] * p[2] * ((1 + t / p[2])^(1 - p[3]) - 1) / (1 - p[3]),
    start = c(20, 1, 2, 0.5))
)
out <- data.frame()
loglik <- function(m, p) sum(log(m$lambda(times, p))) - sum(m$Lambda(windows, p))
for (name in names(models)) {
  m <- models[[name]]
  f <- function(q) -loglik(m, exp(q))
  fit <- optim(log(m$start), f, method = "Nelder-Mead", control = list(reltol = 1e-15, maxit = 20000))
  fit <- optim(fit$par, f, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
  p <- exp(fit$par)
  h <- optimHess(p, function(p) -loglik(m, p))
  se <- sqrt(diag(solve(h)))
  ll <- loglik(m, p)
  out <- rbind(out, data.frame(model = name, parameter = m$names, estimate = p, standard_error = se,
                               log_likelihood = ll, aic = 2 * length(p) - 2 * ll))
}
n <- length(times); T <- sum(windows)
out <- rbind(data.frame(model = "poisson", parameter = "rate", estimate = n / T, standard_error = sqrt(n) / T,
                        log_likelihood = n * log(n / T) - n, aic = 2 - 2 * (n * log(n / T) - n)), out)
num <- sapply(out, is.numeric)
out[num] <- lapply(out[num], function(x) trimws(formatC(x, digits = 17, format = "g")))
write.csv(out, "fit_reference.csv", row.names = FALSE, quote = FALSE)
print(out)
