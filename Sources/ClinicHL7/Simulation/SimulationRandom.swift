import Foundation

/// A small, fast, seedable pseudo-random generator (xoshiro256**, Blackman & Vigna 2018, seeded through
/// SplitMix64), so a simulation with the same seed produces the same messages on every platform.
public struct SimulationRandom: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator for `seed`; `stream` picks an independent sequence for the same seed (a chair, a purpose).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var state = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform value in `0 ..< 1`.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform value in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// A standard normal value (Box–Muller).
    public mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// An exponentially distributed waiting time with this mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * Foundation.log(max(1 - unit(), 0x1.0p-53))
    }
}

/// Slow noise around zero: an Ornstein–Uhlenbeck process sampled exactly at any step, so its spread does not
/// depend on the sampling rate (`stationaryDeviation` is its standard deviation, `correlationTime` how fast it wanders).
struct DriftingNoise: Sendable, Hashable {
    let stationaryDeviation: Double
    let correlationTime: Double
    private(set) var value: Double = 0

    init(stationaryDeviation: Double, correlationTime: Double) {
        self.stationaryDeviation = stationaryDeviation
        self.correlationTime = correlationTime
    }

    /// Moves the process on by `step` seconds and returns its new value, capped at ±3 standard deviations.
    mutating func advance(by step: Double, using random: inout SimulationRandom) -> Double {
        guard step > 0 else { return value }
        let decay = Foundation.exp(-step / correlationTime)
        value = value * decay + stationaryDeviation * (1 - decay * decay).squareRoot() * random.gaussian()
        let cap = 3 * stationaryDeviation
        value = min(max(value, -cap), cap)
        return value
    }
}
