extension ResponseModel {
    /// The models of config v1: their config names and parameter keys, the one list the loader,
    /// the resolved config and `fit` read.
    public enum Kind: String, Sendable, CaseIterable {
        case poisson
        case exponentialDecay = "exponential-decay"
        case powerLaw = "power-law"
        case piecewise
        case hawkes

        /// The model's parameter keys, in the order the resolved config writes them.
        public var parameters: [String] {
            switch self {
            case .poisson: ["rate"]
            case .exponentialDecay: ["initial", "half_life", "baseline"]
            case .powerLaw: ["initial", "scale", "exponent", "baseline"]
            case .piecewise: ["steps"]
            case .hawkes: ["background", "branching", "decay"]
            }
        }
    }

    /// Which model this is.
    public var kind: Kind {
        switch self {
        case .poisson: .poisson
        case .exponentialDecay: .exponentialDecay
        case .powerLaw: .powerLaw
        case .piecewise: .piecewise
        case .hawkes: .hawkes
        }
    }
}
