public import DecoyAnalysis
public import DecoySimulation

extension ArmTest {
    /// What the test needs of each simulated posting; `removal`: whether the arm's windows can
    /// end early (then a test of contacts over time needs their times, else counts determine it).
    public func needs(removal: Bool) -> PostingNeeds {
        switch self {
        case .rateRatio, .exactPoisson: .count
        case .logrank: .firstContact
        case .proportionalRates, .randomization, .mcfDifference: removal ? .times : .count
        }
    }
}

extension ArmSample {
    /// Simulated postings as a test reads them: the parts their sampler drew for `needs`.
    public init(name: String, _ postings: ArraySlice<SampledPosting>, needs: PostingNeeds) {
        self.init(
            name: name, windows: postings.map(\.window), counts: postings.map(\.count),
            firstContacts: needs.contains(.firstContact) || needs.contains(.times) ? postings.map(\.firstContact) : nil,
            times: needs.contains(.times) ? postings.map(\.times) : nil)
    }
}
