/// The square of modules being built, with which of them belong to function patterns (never masked).
/// Coordinates: `x` is the column and `y` the row, both from the top-left corner.
struct QRMatrix: Sendable, Equatable {
    /// Modules per side.
    let size: Int
    /// Dark (true) or light, row by row.
    var modules: [Bool]
    /// Whether each module is a function pattern or format/version information, row by row.
    var isFunction: [Bool]

    init(size: Int) {
        self.size = size
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    subscript(x: Int, y: Int) -> Bool {
        get { modules[y * size + x] }
        set { modules[y * size + x] = newValue }
    }

    /// Sets a module and marks it as part of a function pattern.
    mutating func setFunction(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    // MARK: Function patterns (ISO/IEC 18004:2015 §5.3, §7.7.2)

    /// A version's function patterns: finders with separators, timing, alignment patterns, the dark module,
    /// version information (7 and up) and the format-information areas, reserved with level M, mask 0 until the
    /// mask is chosen.
    static func template(version: Int) -> QRMatrix {
        var m = QRMatrix(size: QRTables.size(version: version))
        m.drawTimingPatterns()
        m.drawFinderPattern(centerX: 3, centerY: 3)
        m.drawFinderPattern(centerX: m.size - 4, centerY: 3)
        m.drawFinderPattern(centerX: 3, centerY: m.size - 4)
        m.drawAlignmentPatterns(version: version)
        m.drawFormatInformation(level: .medium, mask: 0)
        m.drawVersionInformation(version: version)
        return m
    }

    /// Row 6 and column 6 alternate dark and light, dark on even indices (§5.3.4); the finders cover their ends.
    mutating func drawTimingPatterns() {
        for i in 0..<size {
            setFunction(x: 6, y: i, dark: i % 2 == 0)
            setFunction(x: i, y: 6, dark: i % 2 == 0)
        }
    }

    /// A 7×7 finder (dark ring, light ring, dark 3×3 centre) and its one-module light separator, clipped to the
    /// symbol (§5.3.2, §5.3.3).
    mutating func drawFinderPattern(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx, y = centerY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))   // 0–1 centre, 2 light ring, 3 dark ring, 4 separator
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// 5×5 alignment patterns (dark ring, light ring, dark centre) at every pair of Table E.1 coordinates except
    /// the three that would overlap a finder (§5.3.5, Annex E).
    mutating func drawAlignmentPatterns(version: Int) {
        let centers = QRTables.alignmentPatternCenters(version: version)
        guard let first = centers.first, let last = centers.last else { return }
        for cy in centers {
            for cx in centers {
                if (cx == first && cy == first) || (cx == first && cy == last) || (cx == last && cy == first) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(x: cx + dx, y: cy + dy, dark: max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
    }

    // MARK: Format and version information (§7.9, §7.10, Annexes C and D)

    /// The 15 format bits: level and mask (5 bits), their BCH(15,5) check bits from the generator
    /// x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1 (0x537), all XORed with 101010000010010 (0x5412) (§7.9.1, Annex C).
    static func formatInformation(level: ErrorCorrectionLevel, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var remainder = data << 10
        for bit in stride(from: 14, through: 10, by: -1) where remainder & (1 << bit) != 0 {
            remainder ^= 0x537 << (bit - 10)
        }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version bits: the version (6 bits) and its BCH(18,6) check bits from the generator
    /// x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1 (0x1F25) (§7.10, Annex D).
    static func versionInformation(version: Int) -> Int {
        var remainder = version << 12
        for bit in stride(from: 17, through: 12, by: -1) where remainder & (1 << bit) != 0 {
            remainder ^= 0x1F25 << (bit - 12)
        }
        return version << 12 | remainder
    }

    /// Both copies of the format information, bit 14 (most significant) first along each path, and the dark
    /// module at (8, 4·version + 9) (§7.9.1, Figure 25).
    mutating func drawFormatInformation(level: ErrorCorrectionLevel, mask: Int) {
        let bits = Self.formatInformation(level: level, mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        // Around the top-left finder: bits 0–7 up column 8 (skipping the timing row), 8–14 leftwards along row 8
        // (skipping the timing column).
        for i in 0...5 { setFunction(x: 8, y: i, dark: bit(i)) }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for i in 9..<15 { setFunction(x: 14 - i, y: 8, dark: bit(i)) }
        // Second copy: bits 0–7 along row 8 from the right edge, bits 8–14 down column 8 to the bottom edge.
        for i in 0..<8 { setFunction(x: size - 1 - i, y: 8, dark: bit(i)) }
        for i in 8..<15 { setFunction(x: 8, y: size - 15 + i, dark: bit(i)) }
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Both 6×3 copies of the version information for versions 7 and up: above the bottom-left finder and left of
    /// the top-right one, bit 0 nearest the corner (§7.10, Figure 27).
    mutating func drawVersionInformation(version: Int) {
        guard version >= 7 else { return }
        let bits = Self.versionInformation(version: version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            setFunction(x: a, y: b, dark: dark)   // top right: 6 rows × 3 columns
            setFunction(x: b, y: a, dark: dark)   // bottom left: 3 rows × 6 columns
        }
    }

    // MARK: Codeword placement (§7.7.3)

    /// Places the codewords' bits, most significant first, in two-module-wide columns from the bottom-right corner,
    /// upwards then downwards in turn, skipping function modules and the vertical timing column; modules left over
    /// are the remainder bits, 0 (§7.7.3, Figure 13).
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = ((right + 1) & 2) == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for x in [right, right - 1] where !isFunction[y * size + x] {
                    if index < totalBits {
                        self[x, y] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1 == 1
                        index += 1
                    }
                }
            }
            right -= 2
        }
        precondition(index == totalBits, "codewords do not fill the symbol")
    }

    // MARK: Masking (§7.8)

    /// Whether mask pattern `mask` inverts the module in row `i`, column `j` (§7.8.2, Table 10).
    static func maskInverts(_ mask: Int, i: Int, j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        case 7: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        default: preconditionFailure("mask pattern \(mask) is not 0–7")
        }
    }

    /// XORs the mask pattern onto every module outside the function patterns; applying it twice undoes it.
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, i: y, j: x) {
                modules[y * size + x].toggle()
            }
        }
    }

    // MARK: Penalty (§7.8.3, Table 11)

    /// Penalty weights N1–N4 (§7.8.3.1, Table 11).
    static let penaltyN1 = 3, penaltyN2 = 3, penaltyN3 = 40, penaltyN4 = 10

    /// The four penalty scores of the whole symbol (§7.8.3.1): runs, 2×2 blocks, finder-like patterns, balance.
    func penalty() -> (runs: Int, blocks: Int, finderLike: Int, balance: Int) {
        var runs = 0, finderLike = 0
        var line = [Bool](repeating: false, count: size)
        for k in 0..<size {
            for i in 0..<size { line[i] = modules[k * size + i] }   // row k
            runs += Self.runPenalty(line)
            finderLike += Self.finderLikePenalty(line)
            for i in 0..<size { line[i] = modules[i * size + k] }   // column k
            runs += Self.runPenalty(line)
            finderLike += Self.finderLikePenalty(line)
        }
        var blocks = 0
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = self[x, y]
                if self[x + 1, y] == c && self[x, y + 1] == c && self[x + 1, y + 1] == c { blocks += Self.penaltyN2 }
            }
        }
        let dark = modules.lazy.filter { $0 }.count
        let total = size * size
        // k: how many whole 5 % steps the dark share lies away from 50 % (43 % or 57 % give k = 1).
        let k = abs(dark * 20 - total * 10) / total
        return (runs, blocks, finderLike, k * Self.penaltyN4)
    }

    /// The penalty total that picks the mask: the lowest wins (§7.8.3).
    func totalPenalty() -> Int {
        let p = penalty()
        return p.runs + p.blocks + p.finderLike + p.balance
    }

    /// N1 + (length − 5) for every run of five or more modules of one colour in a line (feature 1).
    static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var runLength = 0
        var previous: Bool?
        for module in line {
            if module == previous {
                runLength += 1
            } else {
                if runLength >= 5 { score += penaltyN1 + runLength - 5 }
                runLength = 1
                previous = module
            }
        }
        if runLength >= 5 { score += penaltyN1 + runLength - 5 }
        return score
    }

    /// N3 for every dark–light–dark–dark–dark–light–dark run (1:1:3:1:1) with four light modules before or after
    /// it in the line (feature 3). Beyond the symbol's edge counts as light: the quiet zone.
    static func finderLikePenalty(_ line: [Bool]) -> Int {
        let n = line.count
        guard n >= 7 else { return 0 }
        var score = 0
        for s in 0...(n - 7) {
            guard line[s], !line[s + 1], line[s + 2], line[s + 3], line[s + 4], !line[s + 5], line[s + 6] else { continue }
            var lightBefore = true, lightAfter = true
            for k in 1...4 {
                if s - k >= 0 && line[s - k] { lightBefore = false }
                if s + 6 + k < n && line[s + 6 + k] { lightAfter = false }
            }
            if lightBefore { score += penaltyN3 }
            if lightAfter { score += penaltyN3 }
        }
        return score
    }
}
