/// Round-trip times in buckets of at most 1/64 (1.6 %) relative width, exact below 128 µs, in the manner of
/// HdrHistogram (Tene) with 7 significant bits: a fixed, small memory whatever the number of samples, and mergeable.
/// Percentiles report the highest value of their bucket, capped at the exact maximum.
public struct LatencyHistogram: Sendable, Hashable {
    private var counts: [Int] = []
    /// How many samples were recorded.
    public private(set) var count = 0
    /// The sum of all samples, microseconds.
    public private(set) var totalMicroseconds: Double = 0
    /// The smallest sample, microseconds (0 when empty).
    public private(set) var minimumMicroseconds: UInt64 = 0
    /// The largest sample, microseconds (0 when empty).
    public private(set) var maximumMicroseconds: UInt64 = 0

    /// An empty histogram.
    public init() {}

    /// Records one round trip.
    public mutating func record(nanoseconds: Int64) {
        record(microseconds: UInt64(max(0, nanoseconds)) / 1000)
    }

    /// Records one round trip.
    public mutating func record(microseconds value: UInt64) {
        let index = Self.index(value)
        if index >= counts.count { counts += Array(repeating: 0, count: index + 1 - counts.count) }
        counts[index] += 1
        minimumMicroseconds = count == 0 ? value : min(minimumMicroseconds, value)
        maximumMicroseconds = max(maximumMicroseconds, value)
        count += 1
        totalMicroseconds += Double(value)
    }

    /// Adds another histogram's samples.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        if other.counts.count > counts.count { counts += Array(repeating: 0, count: other.counts.count - counts.count) }
        for (index, value) in other.counts.enumerated() { counts[index] += value }
        minimumMicroseconds = count == 0 ? other.minimumMicroseconds : min(minimumMicroseconds, other.minimumMicroseconds)
        maximumMicroseconds = max(maximumMicroseconds, other.maximumMicroseconds)
        count += other.count
        totalMicroseconds += other.totalMicroseconds
    }

    /// The value below or at which `percent` % of the samples lie, microseconds (0 when empty).
    public func percentile(_ percent: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = max(1, Int((min(max(percent, 0), 100) / 100 * Double(count)).rounded(.up)))
        var seen = 0
        for (index, value) in counts.enumerated() where value > 0 {
            seen += value
            if seen >= rank { return min(Self.highestValue(index), maximumMicroseconds) }
        }
        return maximumMicroseconds
    }

    /// The mean, microseconds (0 when empty).
    public var meanMicroseconds: Double {
        count == 0 ? 0 : totalMicroseconds / Double(count)
    }

    /// Values below 128 have their own bucket; above, 64 buckets per power of two.
    static func index(_ value: UInt64) -> Int {
        guard value >= 128 else { return Int(value) }
        let shift = 63 - value.leadingZeroBitCount - 6
        let mantissa = Int(value >> UInt64(shift))  // 64 ..< 128
        return 128 + (shift - 1) * 64 + (mantissa - 64)
    }

    /// The highest value that falls in bucket `index`.
    static func highestValue(_ index: Int) -> UInt64 {
        guard index >= 128 else { return UInt64(index) }
        let shift = (index - 128) / 64 + 1
        let mantissa = UInt64((index - 128) % 64 + 64)
        return ((mantissa + 1) << UInt64(shift)) - 1
    }
}
