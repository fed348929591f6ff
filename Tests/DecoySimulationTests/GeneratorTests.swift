import Testing
@testable import DecoySimulation

/// The generator and stream derivation against values computed independently from the published
/// algorithms (Fixtures/make_stream_reference.py, with hashlib for SHA-256).
@Suite struct GeneratorTests {
    @Test func splitMix64MatchesPublishedReferenceVector() {
        var rng = SplitMix64(seed: 1234567)
        #expect([rng.next(), rng.next(), rng.next()] == [6457827717110365317, 3203168211198807973, 9817491932198370423])
    }

    @Test func xoshiroMatchesReferenceImplementation() {
        var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect((0..<5).map { _ in rng.next() } == [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360])
    }

    @Test(arguments: [
        (UInt64(20161104), 1, "adult", 0, [8959981304632397272, 6393889872877928684, 5089584803660426918] as [UInt64]),
        (UInt64(7), 3, "control", 12, [15654171601825136572, 5107061748619700804, 10050812196903384528]),
    ])
    func postingStreamFollowsDocumentedDerivation(seed: UInt64, replicate: Int, arm: String, index: Int, expected: [UInt64]) {
        var rng = RandomStream.posting(seed: seed, replicate: replicate, arm: arm, index: index)
        #expect((0..<3).map { _ in rng.next() } == expected)
    }

    @Test func populationStreamFollowsDocumentedDerivation() {
        var rng = RandomStream.population(seed: 7, replicate: 2, name: "paris")
        #expect((0..<3).map { _ in rng.next() } == [2854742106884202109, 6266698407770329576, 2500156989293907754])
    }

    @Test func unitDoublesLieInHalfOpenIntervalWithMeanOneHalf() {
        var rng = Xoshiro256StarStar(seed: 99)
        let n = 200_000
        var sum = 0.0
        for _ in 0..<n {
            let u = rng.nextUnit()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        // Var U = 1/12; 5σ bound on the mean.
        #expect(abs(sum / Double(n) - 0.5) < 5 * (1.0 / 12 / Double(n)).squareRoot())
    }

    @Test func exponentialVariatesHaveUnitMean() {
        var rng = Xoshiro256StarStar(seed: 5)
        let n = 200_000
        let mean = (0..<n).reduce(0.0) { sum, _ in sum + rng.nextExponential() } / Double(n)
        #expect(abs(mean - 1) < 5 / Double(n).squareRoot())
    }
}
