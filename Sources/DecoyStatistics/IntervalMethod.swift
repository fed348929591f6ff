/// Which variance and reference distribution the cluster-robust intervals use.
///
/// Counts of one posting are correlated (bursts, repeat contactors), so the variances treat
/// postings as clusters. With few postings the plain sandwich is biased down and normal quantiles
/// are too narrow; `corrected` fixes both, `classic` reproduces R's defaults byte for byte.
public enum IntervalMethod: String, Sendable, CaseIterable, Equatable {
    /// Small-sample corrected: `mcf`/`unique` variance × n/(n−1) and a t quantile with n − 1
    /// degrees of freedom (n the postings of the group); `rate` bins a CR1 cluster-robust interval
    /// on the log scale with n − 1 degrees of freedom, widened to contain Garwood's exact interval
    /// and replaced by it below three postings exposed (``BinnedRate``); the rate ratio the CR1 sandwich of each arm
    /// (× nₐ/(nₐ−1)) with n₁ + n₂ − 2 degrees of freedom.
    case corrected
    /// R's defaults: survival's robust (Lawless–Nadeau) variance with normal quantiles, Garwood's
    /// exact Poisson interval for rate bins, the HC0 sandwich for the rate ratio.
    case classic
}
