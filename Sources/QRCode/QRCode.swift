/// A QR code symbol (ISO/IEC 18004:2015, Model 2): versions 1–40, levels L/M/Q/H, numeric, alphanumeric or
/// byte (UTF-8) data, the mask with the lowest penalty.
public struct QRCode: Sendable, Hashable {
    /// The version, 1–40: the smallest that holds the data at the chosen level.
    public let version: Int
    /// The error-correction level the symbol was built with.
    public let errorCorrection: ErrorCorrectionLevel
    /// The data mask pattern, 0–7 (ISO/IEC 18004:2015 §7.8.2).
    public let mask: Int
    /// Modules per side, without the quiet zone: 17 + 4 × version.
    public let size: Int
    /// Dark modules, row by row.
    let modules: [Bool]
    /// How the data was written.
    let mode: EncodingMode

    /// Whether the module at column `x`, row `y` (from the top-left, 0-based) is dark; outside the symbol is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// Encodes text in the most compact single mode (numeric, alphanumeric, else UTF-8 bytes, marked with the
    /// UTF-8 ECI when not plain ASCII) in the smallest version that holds it at the level; throws ``QRCodeError/dataTooLong(bits:capacity:errorCorrection:)``
    /// past version 40.
    public static func encode(_ text: String, errorCorrection: ErrorCorrectionLevel = .medium) throws -> QRCode {
        try encode(DataSegment.candidates(for: text), errorCorrection: errorCorrection)
    }

    /// Encodes the shortest of the candidate segments in the smallest version that holds one.
    static func encode(_ candidates: [DataSegment], errorCorrection level: ErrorCorrectionLevel) throws -> QRCode {
        for version in 1...40 {
            let capacity = QRTables.dataCodewords(version: version, level: level) * 8
            let fitting = candidates.compactMap { s in s.bitLength(version: version).map { (s, $0) } }
            if let (segment, bits) = fitting.min(by: { $0.1 < $1.1 }), bits <= capacity {
                return build(segment, version: version, level: level)
            }
        }
        let shortest = candidates.map { $0.uncheckedBitLength(version: 40) }.min() ?? 0
        throw QRCodeError.dataTooLong(bits: shortest, capacity: QRTables.dataCodewords(version: 40, level: level) * 8,
                                      errorCorrection: level)
    }

    /// Lays out one segment at a known version: data codewords, Reed–Solomon blocks, placement, then the mask
    /// with the lowest penalty, the lower number on a tie, and its format information (ISO/IEC 18004:2015 §7.1).
    static func build(_ segment: DataSegment, version: Int, level: ErrorCorrectionLevel) -> QRCode {
        var matrix = unmaskedMatrix(segment, version: version, level: level)
        let penalties = (0..<8).map { penalty(of: matrix, level: level, mask: $0) }
        let mask = penalties.firstIndex(of: penalties.min()!)!
        matrix.applyMask(mask)
        matrix.drawFormatInformation(level: level, mask: mask)
        return QRCode(version: version, errorCorrection: level, mask: mask, size: matrix.size, modules: matrix.modules,
                      mode: segment.mode)
    }

    /// The function patterns and the placed codewords, before masking and format information.
    static func unmaskedMatrix(_ segment: DataSegment, version: Int, level: ErrorCorrectionLevel) -> QRMatrix {
        let data = dataCodewords(segment, version: version, level: level)
        var matrix = QRMatrix.template(version: version)
        matrix.placeCodewords(finalCodewords(data: data, version: version, level: level))
        return matrix
    }

    /// The penalty of the unmasked matrix with a mask and its format information applied (§7.8.3: evaluated on
    /// the whole symbol).
    static func penalty(of unmasked: QRMatrix, level: ErrorCorrectionLevel, mask: Int) -> Int {
        var m = unmasked
        m.applyMask(mask)
        m.drawFormatInformation(level: level, mask: mask)
        return m.totalPenalty()
    }
}

/// Why a text could not become a QR code.
public enum QRCodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data needs more bits than a version 40 symbol holds at the level.
    case dataTooLong(bits: Int, capacity: Int, errorCorrection: ErrorCorrectionLevel)

    /// A sentence for the operator.
    public var description: String {
        switch self {
        case let .dataTooLong(bits, capacity, level):
            "The text needs \(bits) data bits, but the largest QR code (version 40) holds \(capacity) at level "
                + "\(level.letter); shorten it or choose a lower error-correction level."
        }
    }
}
