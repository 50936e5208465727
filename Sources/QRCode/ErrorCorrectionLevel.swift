/// How much of a QR code may be damaged and still read (ISO/IEC 18004:2015 §5.3.8, Table 9 caption).
public enum ErrorCorrectionLevel: Sendable, Hashable, CaseIterable {
    /// Level L: recovers about 7 % of the codewords.
    case low
    /// Level M: recovers about 15 % of the codewords; the default.
    case medium
    /// Level Q: recovers about 25 % of the codewords.
    case quartile
    /// Level H: recovers about 30 % of the codewords.
    case high

    /// The level's letter as the standard names it: L, M, Q or H.
    public var letter: String {
        switch self {
        case .low: "L"
        case .medium: "M"
        case .quartile: "Q"
        case .high: "H"
        }
    }

    /// The level named by its letter (L, M, Q or H, either case), or nil.
    public init?(letter: String) {
        switch letter.uppercased() {
        case "L": self = .low
        case "M": self = .medium
        case "Q": self = .quartile
        case "H": self = .high
        default: return nil
        }
    }

    /// The two error-correction bits of the format information (ISO/IEC 18004:2015 §7.9.1, Table 12): L 01, M 00, Q 11, H 10.
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }

    /// Row index into the tables of ``QRTables`` (L, M, Q, H).
    var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }
}
