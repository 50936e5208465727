import Testing
@testable import QRCode

@Suite("Function patterns and symbol layout (ISO/IEC 18004:2015 §5.3, §7.7.2, Annex E)")
struct FunctionPatternTests {
    /// Annex E, Table E.1: row/column coordinates of alignment-pattern centres, versions 2–40.
    static let alignmentTable: [[Int]] = [
        [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
        [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86],
        [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110],
        [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
        [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134],
        [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    @Test("Annex E, Table E.1: alignment-pattern centres for every version (none for version 1)")
    func alignmentPositions() {
        #expect(QRTables.alignmentPatternCenters(version: 1) == [])
        for (i, expected) in Self.alignmentTable.enumerated() {
            #expect(QRTables.alignmentPatternCenters(version: i + 2) == expected, "version \(i + 2)")
        }
    }

    @Test("§7.1 Table 1: total codewords and remainder bits per version", arguments: [
        (1, 26, 0), (2, 44, 7), (6, 172, 7), (7, 196, 0), (13, 532, 0), (14, 581, 3), (20, 1085, 3), (21, 1156, 4),
        (27, 1828, 4), (28, 1921, 3), (34, 2761, 3), (35, 2876, 0), (40, 3706, 0),
    ])
    func codewordCapacity(version: Int, codewords: Int, remainder: Int) {
        #expect(QRTables.totalCodewords(version: version) == codewords)
        #expect(QRTables.remainderBits(version: version) == remainder)
    }

    @Test("§7.5.1 Table 9: data codewords for 1-L/M/Q/H, 5-Q and 40-L/M/Q/H")
    func dataCodewordCounts() {
        #expect(ErrorCorrectionLevel.allCases.map { QRTables.dataCodewords(version: 1, level: $0) } == [19, 16, 13, 9])
        #expect(QRTables.dataCodewords(version: 5, level: .quartile) == 62)
        #expect(ErrorCorrectionLevel.allCases.map { QRTables.dataCodewords(version: 40, level: $0) } == [2956, 2334, 1666, 1276])
    }

    /// The 7×7 finder with its centre 3×3, drawn row by row (§5.3.2, Figure 10).
    static let finder = ["1111111", "1000001", "1011101", "1011101", "1011101", "1000001", "1111111"]

    static func expectFinder(_ q: QRCode, left: Int, top: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for dy in 0..<7 {
            let row = String((0..<7).map { q.isDark(x: left + $0, y: top + dy) ? Character("1") : "0" })
            #expect(row == finder[dy], "finder at (\(left), \(top)) row \(dy)", sourceLocation: sourceLocation)
        }
    }

    @Test("§5.3.2–§5.3.4: finders in three corners with light separators, timing in row and column 6, the dark module",
          arguments: [1, 2, 7, 15, 40])
    func finderSeparatorTiming(version: Int) throws {
        // given
        let q = try CapacityTests.symbol(version: version, level: .medium)
        let n = q.size
        #expect(n == 17 + 4 * version)
        // then: finders at top-left, top-right, bottom-left, none at bottom-right
        Self.expectFinder(q, left: 0, top: 0)
        Self.expectFinder(q, left: n - 7, top: 0)
        Self.expectFinder(q, left: 0, top: n - 7)
        // separators: the light line between each finder and the encoding region
        for i in 0..<8 {
            #expect(!q.isDark(x: 7, y: i) && !q.isDark(x: i, y: 7))              // top-left
            #expect(!q.isDark(x: n - 8, y: i) && !q.isDark(x: n - 1 - i, y: 7))  // top-right
            #expect(!q.isDark(x: 7, y: n - 1 - i) && !q.isDark(x: i, y: n - 8))  // bottom-left
        }
        // timing: alternating, dark at even coordinates, between the separators
        for i in 8...(n - 9) {
            #expect(q.isDark(x: i, y: 6) == (i % 2 == 0), "row 6, column \(i)")
            #expect(q.isDark(x: 6, y: i) == (i % 2 == 0), "column 6, row \(i)")
        }
        // §7.9.1: the dark module beside the bottom-left separator, at (8, 4V + 9)
        #expect(q.isDark(x: 8, y: 4 * version + 9))
        // outside the symbol reads as light
        #expect(!q.isDark(x: -1, y: 0) && !q.isDark(x: n, y: n))
    }

    @Test("§5.3.5: each alignment pattern (dark centre, light ring, dark ring) sits at Table E.1's centres, except where a finder is",
          arguments: [2, 7, 22, 40])
    func alignmentPatternsDrawn(version: Int) throws {
        let q = try CapacityTests.symbol(version: version, level: .high)
        let centers = Self.alignmentTable[version - 2]
        let last = centers.last!
        for cy in centers {
            for cx in centers where !((cx == 6 && cy == 6) || (cx == 6 && cy == last) || (cx == last && cy == 6)) {
                for dy in -2...2 {
                    for dx in -2...2 {
                        #expect(q.isDark(x: cx + dx, y: cy + dy) == (max(abs(dx), abs(dy)) != 1),
                                "v\(version) pattern (\(cx), \(cy)) at offset (\(dx), \(dy))")
                    }
                }
            }
        }
    }

    @Test("§7.7.3: the first data bits go upward from the bottom-right corner, two modules wide, right module first")
    func placementOrder() {
        // given: version 1's template and one codeword 10110001 followed by 0s
        var m = QRMatrix.template(version: 1)
        m.placeCodewords([0b1011_0001] + Array(repeating: 0, count: 25))
        // then: bits 7…0 fill (20,20) (19,20) (20,19) (19,19) (20,18) (19,18) (20,17) (19,17)
        let cells = [(20, 20), (19, 20), (20, 19), (19, 19), (20, 18), (19, 18), (20, 17), (19, 17)]
        #expect(cells.map { m[$0.0, $0.1] } == [true, false, true, true, false, false, false, true])
    }
}
