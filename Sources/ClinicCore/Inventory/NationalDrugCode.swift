import Foundation

/// A National Drug Code as billed: the 11-digit 5-4-2 form (HIPAA), read from any of the labelled 10-digit forms
/// (4-4-2, 5-3-2, 5-4-1) by padding the short segment with a leading zero, or from 11 digits.
public struct NationalDrugCode: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The 11 digits.
    public let digits: String

    /// Reads "0409-2051-05", "12345-678-90", "12345-6789-1" or "12345678901"; nil for anything else.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        switch parts.map(\.count) {
        case [11]: digits = parts[0]
        case [5, 4, 2]: digits = parts.joined()
        case [4, 4, 2]: digits = "0" + parts.joined()
        case [5, 3, 2]: digits = parts[0] + "0" + parts[1] + parts[2]
        case [5, 4, 1]: digits = parts[0] + parts[1] + "0" + parts[2]
        default: return nil
        }
    }

    /// "00409-2051-05".
    public var description: String {
        let d = Array(digits)
        return String(d[0..<5]) + "-" + String(d[5..<9]) + "-" + String(d[9..<11])
    }

    public static func < (a: Self, b: Self) -> Bool { a.digits < b.digits }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = NationalDrugCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an NDC"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(digits)
    }
}

/// One stock of a controlled substance: the vials of one NDC and lot, which are interchangeable while sealed.
public struct StockKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var ndc: NationalDrugCode
    public var lot: String

    public init(ndc: NationalDrugCode, lot: String) {
        self.ndc = ndc
        self.lot = lot
    }

    /// The key stored beside documents ("00409205105|L123").
    public var id: String { "\(ndc.digits)|\(lot)" }
    /// "NDC 00409-2051-05, lot L123".
    public var description: String { "NDC \(ndc), lot \(lot)" }
    public static func < (a: Self, b: Self) -> Bool { (a.ndc, a.lot) < (b.ndc, b.lot) }
}
