import DecoyModel
import Foundation

/// Contactor samplers of the populations, per replicate, built on first use and shared by threads.
///
/// With `heterogeneity` k, contactor j of a population has propensity wⱼ ~ Gamma(k, 1), drawn in
/// order j = 0, 1, … from the population's stream for the replicate
/// (``RandomStream/population(seed:replicate:name:)``); a contact picks contactor j with
/// probability wⱼ / Σw through an ``AliasTable``. Without it, every contactor is equally likely.
final class PopulationTables: @unchecked Sendable {
    private let seed: UInt64
    private let lock = NSLock()
    private var cache: [String: (replicate: Int, table: AliasTable)] = [:]

    init(seed: UInt64) { self.seed = seed }

    /// The alias table of a heterogeneous population in a replicate.
    func table(for population: PopulationSpec, replicate: Int) -> AliasTable? {
        guard let shape = population.heterogeneity else { return nil }
        let key = "\(population.name)#\(replicate)"
        lock.lock()
        if let hit = cache[key] {
            lock.unlock()
            return hit.table
        }
        lock.unlock()
        var rng = RandomStream.population(seed: seed, replicate: replicate, name: population.name)
        let weights = (0..<population.size).map { _ in rng.nextGamma(shape: shape) }
        let table = AliasTable(weights: weights.contains { $0 > 0 } ? weights : Array(repeating: 1, count: weights.count))
        lock.lock()
        // Keep only recent replicates: postings are simulated in replicate order.
        cache = cache.filter { $0.value.replicate >= replicate - 1 }
        cache[key] = (replicate, table)
        lock.unlock()
        return table
    }

    /// The propensities behind a replicate's table, for checks and reports.
    func propensities(for population: PopulationSpec, replicate: Int) -> [Double]? {
        guard let shape = population.heterogeneity else { return nil }
        var rng = RandomStream.population(seed: seed, replicate: replicate, name: population.name)
        return (0..<population.size).map { _ in rng.nextGamma(shape: shape) }
    }
}
