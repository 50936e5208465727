/// An HL7 v2 version id from MSH-12 (`2.3`, `2.5.1`, `2.8.2`, …), compared by major and minor number.
public struct HL7Version: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first number (2 for every v2 message).
    public var major: Int
    /// The second number.
    public var minor: Int
    /// The third number, 0 when absent.
    public var patch: Int

    /// Creates a version.
    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Reads `2.5` or `2.5.1`; nil for anything else.
    public init?(_ text: String) {
        if let fast = Self.plainNumbers(text) {
            self.init(fast.major, fast.minor, fast.patch)
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        let numbers = parts.compactMap { part in part.allSatisfy(\.isASCII) ? Int(part) : nil }
        guard numbers.count == parts.count, numbers.allSatisfy({ $0 >= 0 }) else { return nil }
        self.init(numbers[0], numbers[1], numbers.count == 3 ? numbers[2] : 0)
    }

    /// The common form read without allocating: two or three runs of 1–18 ASCII digits joined by
    /// dots. Nil for anything else, which `init?(_:)` then reads the general way.
    private static func plainNumbers(_ text: String) -> (major: Int, minor: Int, patch: Int)? {
        var text = text
        return text.withUTF8 { bytes -> (major: Int, minor: Int, patch: Int)? in
            var numbers = (0, 0, 0)
            var part = 0
            var value = 0
            var digits = 0
            for byte in bytes {
                if byte == UInt8(ascii: ".") {
                    guard digits > 0, part < 2 else { return nil }
                    if part == 0 { numbers.0 = value } else { numbers.1 = value }
                    part += 1
                    value = 0
                    digits = 0
                } else if byte >= 0x30, byte <= 0x39, digits < 18 {
                    value = value * 10 + Int(byte - 0x30)
                    digits += 1
                } else {
                    return nil
                }
            }
            guard digits > 0, part >= 1 else { return nil }
            if part == 1 { numbers.1 = value } else { numbers.2 = value }
            return numbers
        }
    }

    /// `2.5` or `2.5.1`.
    public var description: String {
        patch == 0 ? "\(major).\(minor)" : "\(major).\(minor).\(patch)"
    }

    /// Orders by major, minor, then patch.
    public static func < (lhs: HL7Version, rhs: HL7Version) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// Whether the major.minor pair lies in `range` (patch ignored): `2.8.2` is in `2.3...2.8`.
    public func isWithin(_ range: ClosedRange<HL7Version>) -> Bool {
        let minorOnly = HL7Version(major, minor)
        return minorOnly >= HL7Version(range.lowerBound.major, range.lowerBound.minor)
            && minorOnly <= HL7Version(range.upperBound.major, range.upperBound.minor)
    }
}
