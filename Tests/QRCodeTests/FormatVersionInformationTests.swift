import Testing
@testable import QRCode

@Suite("Format and version information (ISO/IEC 18004:2015 §7.9, §7.10, Annexes C and D)")
struct FormatVersionInformationTests {
    /// Annex C, Table C.1: the 15-bit format information after masking with 101010000010010, by level then mask 0–7.
    static let formatTable: [ErrorCorrectionLevel: [String]] = [
        .low: ["111011111000100", "111001011110011", "111110110101010", "111100010011101",
               "110011000101111", "110001100011000", "110110001000001", "110100101110110"],
        .medium: ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                  "100010111111001", "100000011001110", "100111110010111", "100101010100000"],
        .quartile: ["011010101011111", "011000001101000", "011111100110001", "011101000000110",
                    "010010010110100", "010000110000011", "010111011011010", "010101111101101"],
        .high: ["001011010001001", "001001110111110", "001110011100111", "001100111010000",
                "000011101100010", "000001001010101", "000110100001100", "000100000111011"],
    ]

    /// Annex D, Table D.1: the 18-bit version information for versions 7–40, in hexadecimal.
    static let versionTable: [Int] = [
        0x07C94, 0x085BC, 0x09A99, 0x0A4D3, 0x0BBF6, 0x0C762, 0x0D847, 0x0E60D, 0x0F928, 0x10B78, 0x1145D, 0x12A17,
        0x13532, 0x149A6, 0x15683, 0x168C9, 0x177EC, 0x18EC4, 0x191E1, 0x1AFAB, 0x1B08E, 0x1CC1A, 0x1D33F, 0x1ED75,
        0x1F250, 0x209D5, 0x216F0, 0x228BA, 0x2379F, 0x24B0B, 0x2542E, 0x26A64, 0x27541, 0x28C69,
    ]

    static func binary(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 2)
        return String(repeating: "0", count: width - digits.count) + digits
    }

    @Test("Annex C: all 32 (level, mask) format-information strings, BCH(15,5) with the 0x5412 mask")
    func formatInformationTable() {
        for level in ErrorCorrectionLevel.allCases {
            for mask in 0..<8 {
                #expect(Self.binary(QRMatrix.formatInformation(level: level, mask: mask), width: 15)
                        == Self.formatTable[level]![mask], "\(level.letter) mask \(mask)")
            }
        }
    }

    @Test("Annex D: version 7 is 000111110010010100, and every version 7–40 matches Table D.1 (BCH(18,6))")
    func versionInformationTable() {
        #expect(Self.binary(QRMatrix.versionInformation(version: 7), width: 18) == "000111110010010100")
        #expect(Self.binary(QRMatrix.versionInformation(version: 40), width: 18) == "101000110001101001")
        for (i, expected) in Self.versionTable.enumerated() {
            #expect(QRMatrix.versionInformation(version: i + 7) == expected, "version \(i + 7)")
        }
    }

    /// Reads both format-information copies from a symbol, most significant bit first (§7.9.1, Figure 25).
    static func readFormat(_ q: QRCode) -> (String, String) {
        let n = q.size
        var first = "", second = ""
        // bit 14 … 0 of copy 1: row 8 from the left (skipping the timing column), then up column 8
        for x in [0, 1, 2, 3, 4, 5, 7, 8] { first += q.isDark(x: x, y: 8) ? "1" : "0" }
        for y in [7, 5, 4, 3, 2, 1, 0] { first += q.isDark(x: 8, y: y) ? "1" : "0" }
        // bit 14 … 0 of copy 2: up column 8 from the bottom edge, then row 8 left to right near the right edge
        for y in stride(from: n - 1, through: n - 7, by: -1) { second += q.isDark(x: 8, y: y) ? "1" : "0" }
        for x in (n - 8)..<n { second += q.isDark(x: x, y: 8) ? "1" : "0" }
        return (first, second)
    }

    @Test("§7.9.1: both copies in the symbol read as Table C.1's string for its level and mask", arguments: [
        ("HELLO WORLD", ErrorCorrectionLevel.medium), ("0123456789", .low), ("https://example.org/f/x", .quartile),
        (String(repeating: "Ω", count: 300), .high),
    ])
    func formatInformationInSymbol(text: String, level: ErrorCorrectionLevel) throws {
        let q = try QRCode.encode(text, errorCorrection: level)
        let (first, second) = Self.readFormat(q)
        #expect(first == Self.formatTable[level]![q.mask])
        #expect(second == first)
    }

    @Test("§7.10: versions 7 and up carry both 6×3 version blocks; version 6 has none (those modules hold data)")
    func versionInformationInSymbol() throws {
        for version in [7, 12, 21, 40] {
            let q = try CapacityTests.symbol(version: version, level: .low)
            #expect(q.version == version)
            let expected = Self.versionTable[version - 7]
            for i in 0..<18 {
                let bit = (expected >> i) & 1 == 1
                let a = q.size - 11 + i % 3, b = i / 3
                #expect(q.isDark(x: a, y: b) == bit, "v\(version) top-right bit \(i)")
                #expect(q.isDark(x: b, y: a) == bit, "v\(version) bottom-left bit \(i)")
            }
        }
        let template6 = QRMatrix.template(version: 6)
        #expect(!template6.isFunction[0 * template6.size + template6.size - 11])
    }
}
