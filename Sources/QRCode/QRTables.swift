/// Numbers from ISO/IEC 18004:2015 that depend on the version alone or on the version and level.
enum QRTables {
    /// Error-correction codewords in each block, by level (L, M, Q, H) then version 1…40 (index 0 unused).
    /// ISO/IEC 18004:2015 §7.5.1, Table 9 (the "c − k" of every block of that version and level).
    static let ecCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Error-correction blocks (both groups together), by level (L, M, Q, H) then version 1…40 (index 0 unused).
    /// ISO/IEC 18004:2015 §7.5.1, Table 9.
    static let blockCount: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// The symbol's side in modules: 21 for version 1, four more for each version (ISO/IEC 18004:2015 §5.3.1).
    static func size(version: Int) -> Int { 17 + 4 * version }

    /// Row and column coordinates of the alignment-pattern centres (ISO/IEC 18004:2015 Annex E, Table E.1):
    /// 6, then `version / 7 + 1` more evenly spaced (an even step) ending at `size − 7`; none for version 1.
    static func alignmentPatternCenters(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let last = size(version: version) - 7
        // The even spacing that spreads the patterns from 6 to `last`; the gap next to 6 takes up any slack.
        // The tests compare every version with Table E.1.
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        return [6] + (0..<(count - 1)).reversed().map { last - $0 * step }
    }

    /// All codewords (data and error correction) of a version: the modules left after the function patterns
    /// and format/version information, divided by 8 (ISO/IEC 18004:2015 §7.1, Table 1).
    static func totalCodewords(version: Int) -> Int { dataModuleCounts[version] / 8 }

    /// Remainder bits after the last codeword (ISO/IEC 18004:2015 §7.7.3, Table 1): 0, 3, 4 or 7.
    static func remainderBits(version: Int) -> Int { dataModuleCounts[version] % 8 }

    /// Modules that carry codewords or remainder bits, by version (index 0 unused), counted on each version's
    /// function-pattern template rather than copied from Table 1, so the layout and the counts cannot disagree.
    static let dataModuleCounts: [Int] = [0] + (1...40).map { version in
        QRMatrix.template(version: version).isFunction.lazy.filter { !$0 }.count
    }

    /// Data codewords of a version at a level: all codewords less the error-correction ones (Table 9, column "k" summed).
    static func dataCodewords(version: Int, level: ErrorCorrectionLevel) -> Int {
        totalCodewords(version: version)
            - ecCodewordsPerBlock[level.tableIndex][version] * blockCount[level.tableIndex][version]
    }
}
