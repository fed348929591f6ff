extension Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS.ffffff±HH:MM` in the instant's own offset (`Z` when it is 0), always
    /// with six decimals: the same instant as ``utcText``, read on the local clock.
    public var offsetText: String { Timestamp.format(microseconds: microseconds, offset: utcOffsetSeconds, fraction: true) }

    /// Appends ``offsetText`` of many instants in one fixed offset as bytes: the bulk form for
    /// exports, as ``UTCWriter`` is for UTC.
    ///
    /// The offset is fixed (that of a config's `start`), not a time zone: a run that spans a
    /// daylight-saving change keeps one offset throughout.
    public struct OffsetWriter: Sendable {
        private var utc = UTCWriter()
        private let shift: Int64
        private let suffix: [UInt8]

        /// - Parameter utcOffsetSeconds: the offset from UTC, in seconds (`+01:00` → 3600); whole
        ///   minutes, as ISO-8601 writes them.
        public init(utcOffsetSeconds: Int) {
            shift = Int64(utcOffsetSeconds) * 1_000_000
            // `±HH:MM`, the last six characters of any instant written in this offset.
            suffix = utcOffsetSeconds == 0 ? [] : Array(Timestamp.format(microseconds: 0, offset: utcOffsetSeconds, fraction: false).utf8.suffix(6))
        }

        /// Appends `YYYY-MM-DDTHH:MM:SS.ffffff±HH:MM` for `microseconds` since the epoch.
        public mutating func append(microseconds: Int64, to out: inout [UInt8]) {
            utc.append(microseconds: microseconds + shift, to: &out)
            if shift != 0 {
                out.removeLast()
                out.append(contentsOf: suffix)
            }
        }
    }
}
