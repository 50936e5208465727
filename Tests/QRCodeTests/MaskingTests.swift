import Testing
@testable import QRCode

@Suite("Data masking and the penalty rules (ISO/IEC 18004:2015 §7.8)")
struct MaskingTests {
    /// The top-left corner of each mask pattern as Figure 21 draws it: rows i = 0…2, columns j = 0…5, 1 = inverted.
    static let maskCorners: [[String]] = [
        ["101010", "010101", "101010"],   // 000: (i + j) mod 2 = 0
        ["111111", "000000", "111111"],   // 001: i mod 2 = 0
        ["100100", "100100", "100100"],   // 010: j mod 3 = 0
        ["100100", "001001", "010010"],   // 011: (i + j) mod 3 = 0
        ["111000", "111000", "000111"],   // 100: (i div 2 + j div 3) mod 2 = 0
        ["111111", "100000", "100100"],   // 101: (i j) mod 2 + (i j) mod 3 = 0
        ["111111", "111000", "110110"],   // 110: ((i j) mod 2 + (i j) mod 3) mod 2 = 0
        ["101010", "000111", "100011"],   // 111: ((i + j) mod 2 + (i j) mod 3) mod 2 = 0
    ]

    @Test("§7.8.2 Table 10: the eight mask conditions, checked on each pattern's top-left corner")
    func maskConditions() {
        for mask in 0..<8 {
            for i in 0..<3 {
                let row = String((0..<6).map { QRMatrix.maskInverts(mask, i: i, j: $0) ? Character("1") : "0" })
                #expect(row == Self.maskCorners[mask][i], "mask \(mask) row \(i)")
            }
        }
    }

    @Test("§7.8.1: masking never touches function patterns, and applying a mask twice restores the symbol")
    func maskSparesFunctionPatterns() throws {
        let segment = DataSegment.byte(Array("http://127.0.0.1:8080/f/token".utf8))
        let unmasked = QRCode.unmaskedMatrix(segment, version: 7, level: .medium)
        for mask in 0..<8 {
            var m = unmasked
            m.applyMask(mask)
            for k in m.modules.indices where m.isFunction[k] { #expect(m.modules[k] == unmasked.modules[k]) }
            m.applyMask(mask)
            #expect(m == unmasked)
        }
    }

    @Test("§7.8.3 feature 1: a run of 5 + i same-colour modules scores N1 + i (N1 = 3)")
    func runPenalty() {
        #expect(QRMatrix.runPenalty(Array(repeating: true, count: 4)) == 0)
        #expect(QRMatrix.runPenalty(Array(repeating: true, count: 5)) == 3)
        #expect(QRMatrix.runPenalty(Array(repeating: false, count: 7)) == 5)
        #expect(QRMatrix.runPenalty(Array(repeating: true, count: 5) + Array(repeating: false, count: 6)) == 3 + 4)
        #expect(QRMatrix.runPenalty([true, false, true, false, true, false]) == 0)
    }

    @Test("§7.8.3 feature 3: 1:1:3:1:1 with 4 light modules on a side scores N3 = 40 per side")
    func finderLikePenalty() {
        let d = true, l = false
        let core = [d, l, d, d, d, l, d]
        #expect(QRMatrix.finderLikePenalty([l, d, d, l, l, l, l, l] + core + [d, d, l, d, l, l, d, d, d]) == 40)       // light before
        #expect(QRMatrix.finderLikePenalty([d, d, d, d, d] + core + [l, l, l, l, d]) == 40)                             // light after
        #expect(QRMatrix.finderLikePenalty([d, d, d, d, d] + core + [l, l, l, d, d]) == 0)                              // only 3 light
        #expect(QRMatrix.finderLikePenalty(core + [d]) == 40)   // before the edge counts as light: the quiet zone
    }

    @Test("§7.8.3 features 2 and 4: each 2×2 block of one colour scores N2 = 3; 10 per 5 % the dark share strays from 50 %")
    func blockAndBalancePenalty() {
        // given: an all-light 3×3 has four 2×2 blocks and 0 % dark (k = 10)
        let light = QRMatrix(size: 3)
        #expect(light.penalty().blocks == 4 * 3)
        #expect(light.penalty().balance == 100)
        // a checkerboard: no block, no run, exactly half dark
        var board = QRMatrix(size: 4)
        for y in 0..<4 { for x in 0..<4 { board[x, y] = (x + y) % 2 == 0 } }
        #expect(board.penalty().blocks == 0 && board.penalty().runs == 0 && board.penalty().balance == 0)
        // 6 of 16 dark (37.5 %): 12.5 % off 50 % → k = 2
        var six = QRMatrix(size: 4)
        for k in 0..<6 { six.modules[k] = true }
        #expect(six.penalty().balance == 20)
    }

    @Test("§7.8.3: the chosen mask has the lowest penalty of the eight (ties go to the lower number)",
          arguments: ["HELLO WORLD", "http://127.0.0.1:8080/f/Q2hyb25pYy1wYWluLWZvbGxvdy11cC10b2tlbjE", "31415926535897932384",
                      String(repeating: "DEEPRELIEF ", count: 40)])
    func lowestPenaltyWins(text: String) throws {
        let q = try QRCode.encode(text)
        let segment = DataSegment.candidates(for: text).min { $0.bitLength(version: q.version)! < $1.bitLength(version: q.version)! }!
        let unmasked = QRCode.unmaskedMatrix(segment, version: q.version, level: q.errorCorrection)
        let penalties = (0..<8).map { QRCode.penalty(of: unmasked, level: q.errorCorrection, mask: $0) }
        #expect(penalties[q.mask] == penalties.min())
        #expect(penalties.firstIndex(of: penalties.min()!) == q.mask)
    }
}
