/// How contacts at one instant enter the partial likelihood of the proportional-rates model.
///
/// With no tied times the two give the same numbers. R: `coxph(…, ties = "efron")` (its default)
/// and `ties = "breslow"`.
public enum Ties: String, Sendable, CaseIterable, Equatable {
    /// Efron (1977): d tied contacts at one instant are d successive additions to the hazard, the
    /// k-th with the tied postings' weight scaled by (d − k)/d. R's default.
    case efron
    /// Breslow (1974): every tied contact sees the whole risk set.
    case breslow
}
