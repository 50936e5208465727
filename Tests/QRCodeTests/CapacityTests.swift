import Testing
@testable import QRCode

@Suite("Capacities and version choice (ISO/IEC 18004:2015 §7.4, Table 7)")
struct CapacityTests {
    /// A symbol of exactly this version: the most lower-case letters (byte mode) the version holds at the level.
    static func symbol(version: Int, level: ErrorCorrectionLevel) throws -> QRCode {
        let bits = QRTables.dataCodewords(version: version, level: level) * 8
        let count = (bits - 4 - EncodingMode.byte.characterCountBits(version: version)) / 8
        return try QRCode.encode(String(repeating: "q", count: count), errorCorrection: level)
    }

    /// Table 7 rows: version, level, then the capacity in numeric, alphanumeric and byte characters.
    static let table7: [(Int, ErrorCorrectionLevel, Int, Int, Int)] = [
        (1, .low, 41, 25, 17), (1, .medium, 34, 20, 14), (1, .quartile, 27, 16, 11), (1, .high, 17, 10, 7),
        (2, .low, 77, 47, 32), (2, .medium, 63, 38, 26), (2, .quartile, 48, 29, 20), (2, .high, 34, 20, 14),
        (10, .low, 652, 395, 271), (10, .medium, 513, 311, 213), (10, .quartile, 364, 221, 151), (10, .high, 288, 174, 119),
        (40, .low, 7089, 4296, 2953), (40, .medium, 5596, 3391, 2331), (40, .quartile, 3993, 2420, 1663),
        (40, .high, 3057, 1852, 1273),
    ]

    @Test("Table 7: the largest numeric, alphanumeric and byte strings fit the version; one character more moves up a version")
    func boundaries() throws {
        for (version, level, numeric, alphanumeric, bytes) in Self.table7 {
            for (text, mode) in [(String(repeating: "7", count: numeric), EncodingMode.numeric),
                                 (String(repeating: "K", count: alphanumeric), .alphanumeric),
                                 (String(repeating: "k", count: bytes), .byte)] {
                let fits = try QRCode.encode(text, errorCorrection: level)
                #expect(fits.version == version && fits.mode == mode, "\(mode) \(text.count) at \(version)-\(level.letter)")
                let label = "\(mode) \(text.count + 1) at \(level.letter)"
                if version < 40 {
                    let over = try QRCode.encode(text + String(text.last!), errorCorrection: level)
                    #expect(over.version == version + 1, Comment(rawValue: label))
                } else {
                    #expect(throws: QRCodeError.self, Comment(rawValue: label)) {
                        try QRCode.encode(text + String(text.last!), errorCorrection: level)
                    }
                }
            }
        }
    }

    @Test("Crossing the byte count band at version 9 → 10: the count field grows from 8 to 16 bits")
    func countFieldBand() throws {
        // 9-L holds 230 bytes; 231 needs version 10
        #expect(try QRCode.encode(String(repeating: "a", count: 230), errorCorrection: .low).version == 9)
        #expect(try QRCode.encode(String(repeating: "a", count: 231), errorCorrection: .low).version == 10)
    }

    @Test("Every version and level: the symbol built for its largest byte string has that version and level")
    func everyVersionAndLevel() throws {
        for level in ErrorCorrectionLevel.allCases {
            for version in 1...40 {
                let q = try Self.symbol(version: version, level: level)
                #expect(q.version == version && q.errorCorrection == level && q.size == 17 + 4 * version)
            }
        }
    }

    @Test("Too much data: a clear error naming the bits needed, version 40's capacity and the level")
    func tooLong() {
        let text = String(repeating: "é", count: 1500)   // 3,000 UTF-8 bytes after the 12-bit UTF-8 ECI header
        #expect(throws: QRCodeError.dataTooLong(bits: 12 + 4 + 16 + 24_000, capacity: 2334 * 8, errorCorrection: .medium)) {
            try QRCode.encode(text)
        }
        let message = QRCodeError.dataTooLong(bits: 24_020, capacity: 18_672, errorCorrection: .medium).description
        #expect(message.contains("24020") && message.contains("18672") && message.contains("version 40") && message.contains("M"))
    }

    @Test("The default level is M; an empty text is a valid version 1 symbol")
    func defaults() throws {
        #expect(try QRCode.encode("x").errorCorrection == .medium)
        #expect(try QRCode.encode("").version == 1)
    }
}
