import DecoyModel
import DecoyStore
import Foundation

/// The points of one sweep found in its shard files (`decoy sweep … --shard K/N`), against the
/// grid the sweep recorded: which are finished, which unfinished, which missing.
public struct SweepShardSet: Sendable {
    /// One point of the grid, in grid order, and the run found for it.
    public struct Point: Sendable {
        /// Its place in the grid, from 1.
        public var index: Int
        public var label: String
        /// The finished run of the point if a file holds one, else its latest attempt, else `nil`.
        public var member: ShardSet.Member?
    }

    /// The sweep's id.
    public var sweep: String
    /// The grid as the sweep recorded it.
    public var grid: String
    public var points: [Point]

    /// Places in the grid with no run in any file.
    public var missing: [Int] { points.filter { $0.member == nil }.map(\.index) }
    /// Places whose run is not finished.
    public var unfinished: [Int] { points.filter { $0.member.map { $0.status != .complete } ?? false }.map(\.index) }
    public var complete: Bool { missing.isEmpty && unfinished.isEmpty }

    /// Reads the sweep points' runs of `files`; refuses files without one, points of more than one
    /// sweep, a sweep whose grid is not recorded, a point outside the grid and a point finished in
    /// two files. Files are named by their place in the list.
    public init(files: [String]) throws {
        var found: [(position: Int, file: String, run: RunRecord)] = []
        var grids: [String: (grid: String, position: Int)] = [:]
        var sweeps: [String: [Int]] = [:]
        var order: [String] = []
        for (offset, file) in files.enumerated() {
            let position = offset + 1
            let database = try ShardFile.open(file, position: position)
            let runs = try ShardFile.read(position: position) { try database.runs().filter { $0.sweep != nil && $0.shard == nil } }
            guard !runs.isEmpty else { throw MergeError.noSweepPoint(position: position) }
            for run in runs {
                let id = run.sweep!.sweep
                if sweeps[id] == nil { order.append(id) }
                if sweeps[id]?.last != position { sweeps[id, default: []].append(position) }
                found.append((position, file, run))
            }
            for id in Set(runs.map { $0.sweep!.sweep }) {
                guard let grid = try ShardFile.read(position: position, { try database.sweepGrid(id) }) else { continue }
                if let other = grids[id], other.grid != grid {
                    throw MergeError.sweepGridDiffers(positions: [other.position, position])
                }
                grids[id] = grids[id] ?? (grid, position)
            }
        }
        guard order.count == 1 else { throw MergeError.severalSweeps(order.map { sweeps[$0]! }) }
        let sweep = order[0]
        guard let grid = grids[sweep], let labels = SweepPlan.labels(ofGrid: grid.grid) else {
            throw MergeError.sweepGridUnknown
        }
        var members: [String: ShardSet.Member] = [:]
        for (position, file, run) in found {
            let member = ShardSet.Member(file: file, position: position, run: run)
            guard labels.contains(run.sweep!.point) else { throw MergeError.pointOutsideGrid(position: position, run: run.id) }
            if let other = members[run.sweep!.point] {
                if other.status == .complete && member.status == .complete {
                    throw MergeError.duplicatePoint(run: run.id, positions: [other.position, position])
                }
                if other.status == .complete { continue }
            }
            members[run.sweep!.point] = member
        }
        self.sweep = sweep
        self.grid = grid.grid
        points = labels.enumerated().map { Point(index: $0.offset + 1, label: $0.element, member: members[$0.element]) }
    }

    /// Missing and unfinished points, by their place in the grid.
    public var summary: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing points \(missing.map(String.init).joined(separator: ", ")) of \(points.count) (in grid order)") }
        let stopped = unfinished.map { i in "\(i) (\(points[i - 1].member!.status.rawValue) in file \(points[i - 1].member!.position))" }
        if !stopped.isEmpty { parts.append("points not finished \(stopped.joined(separator: ", "))") }
        if parts.isEmpty { return "all \(points.count) points finished" }
        return parts.joined(separator: "; ") + "; give the sweep's shard files that hold them, or run those shards again"
    }
}
