import Testing
@testable import QRCode

@Suite("Data encoding: modes, bit streams, padding (ISO/IEC 18004:2015 §7.3–§7.4)")
struct DataEncodingTests {
    static func stream(_ segment: DataSegment, version: Int = 1) -> String {
        var b = BitBuffer()
        b.append(segment.mode.indicator, bits: 4)
        b.append(segment.characterCount, bits: segment.mode.characterCountBits(version: version))
        return b.description + segment.data.description
    }

    @Test("§7.4.3 example: \"01234567\" in numeric mode is 0001 0000001000 0000001100 0101011001 1000011")
    func numericExample() throws {
        let segment = try #require(DataSegment.numeric(Array("01234567".utf8)))
        #expect(Self.stream(segment) == "0001" + "0000001000" + "0000001100" + "0101011001" + "1000011")
    }

    @Test("§7.4.3 example: \"0123456789012345\" — a last single digit takes 4 bits")
    func numericSingleTrailingDigit() throws {
        let segment = try #require(DataSegment.numeric(Array("0123456789012345".utf8)))
        #expect(segment.data.description == "0000001100" + "0101011001" + "1010100110" + "1110000101" + "0011101010" + "0101")
    }

    @Test("§7.4.4 example: \"AC-42\" in alphanumeric mode is 0010 000000101 00111001110 11100111001 000010")
    func alphanumericExample() throws {
        let segment = try #require(DataSegment.alphanumeric(Array("AC-42".utf8)))
        #expect(Self.stream(segment) == "0010" + "000000101" + "00111001110" + "11100111001" + "000010")
    }

    @Test("§7.4.5: byte mode writes UTF-8 — \"é\" is 2 bytes C3 A9, \"€\" is 3")
    func byteModeIsUTF8() {
        #expect(DataSegment.byte(Array("é".utf8)).data.description == "11000011" + "10101001")
        #expect(DataSegment.byte(Array("€".utf8)).characterCount == 3)
    }

    @Test("§7.4.2: text beyond ASCII is marked UTF-8 — ECI 0111 00011010 (designator 26) before the byte segment; ASCII is not")
    func utf8ECIHeader() throws {
        // given / when
        let accented = try #require(DataSegment.candidates(for: "é").last)
        let ascii = try #require(DataSegment.candidates(for: "e").last)
        // then
        #expect(accented.eci == 26 && ascii.eci == nil)
        let codewords = QRCode.dataCodewords(accented, version: 1, level: .medium)
        let bits: String = codewords.map { (byte: UInt8) -> String in
            let digits = String(byte, radix: 2)
            return String(repeating: "0", count: 8 - digits.count) + digits
        }.joined()
        let expected = ["0111", "00011010", "0100", "00000010", "11000011", "10101001", "0000"].joined()
        #expect(bits.hasPrefix(expected))
        #expect(accented.bitLength(version: 1) == 12 + 4 + 8 + 16)
    }

    @Test("§7.4.1 Table 3: character count bits by version band")
    func characterCountBits() {
        let bands = [1, 9, 10, 26, 27, 40]
        #expect(bands.map { EncodingMode.numeric.characterCountBits(version: $0) } == [10, 10, 12, 12, 14, 14])
        #expect(bands.map { EncodingMode.alphanumeric.characterCountBits(version: $0) } == [9, 9, 11, 11, 13, 13])
        #expect(bands.map { EncodingMode.byte.characterCountBits(version: $0) } == [8, 8, 16, 16, 16, 16])
    }

    @Test("The most compact single mode wins: digits numeric, upper-case set alphanumeric, anything else UTF-8 bytes")
    func modeChoice() throws {
        #expect(try QRCode.encode("0123456789").mode == .numeric)
        #expect(try QRCode.encode("HTTP://EXAMPLE.ORG/F/42").mode == .alphanumeric)
        #expect(try QRCode.encode("http://127.0.0.1:8080/f/abc").mode == .byte)
        #expect(try QRCode.encode("Größe 5 mg").mode == .byte)
        #expect(try QRCode.encode("ABC\n").mode == .byte)   // a newline is not in Table 5
    }

    @Test("Annex I / Thonky: data codewords of \"01234567\" and \"HELLO WORLD\" at 1-M — terminator, 0s, then EC 11 EC 11…")
    func dataCodewordsWithPadding() throws {
        let numeric = try #require(DataSegment.numeric(Array("01234567".utf8)))
        #expect(QRCode.dataCodewords(numeric, version: 1, level: .medium)
                == [16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17])
        let hello = try #require(DataSegment.alphanumeric(Array("HELLO WORLD".utf8)))
        #expect(QRCode.dataCodewords(hello, version: 1, level: .medium)
                == [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17])
    }

    @Test("§7.4.10: the terminator is cut short when the data fills the symbol to within 4 bits")
    func shortTerminator() throws {
        // given: 17 bytes fill 1-L exactly (4 + 8 + 136 = 148 bits of 152), leaving room for the 4-bit terminator only
        let segment = DataSegment.byte(Array(repeating: 0xFF, count: 17))
        // when
        let codewords = QRCode.dataCodewords(segment, version: 1, level: .low)
        // then: 19 codewords, the last ending in the terminator, no pad codeword
        #expect(codewords.count == 19)
        #expect(codewords.last == 0xF0)
    }

    @Test("§7.6: blocks interleave — 5-Q has 2 blocks of 15 and 2 of 16 data codewords; codeword order follows Figure 15")
    func interleaving() {
        // given: data codewords numbered 0…61 so their positions show the order
        let data = (0..<62).map { UInt8($0) }
        // when
        let all = QRCode.finalCodewords(data: data, version: 5, level: .quartile)
        // then: first codewords of the 4 blocks, …, the 16th only from the two long blocks, then EC codewords
        #expect(all.count == 134)
        #expect(Array(all[0..<8]) == [0, 15, 30, 46, 1, 16, 31, 47])
        #expect(Array(all[56..<62]) == [14, 29, 44, 60, 45, 61])
        let blocks = [Array(data[0..<15]), Array(data[15..<30]), Array(data[30..<46]), Array(data[46..<62])]
        let ec = blocks.map { ReedSolomonEncoder(degree: 18).errorCorrection(for: $0) }
        #expect(Array(all[62..<66]) == [ec[0][0], ec[1][0], ec[2][0], ec[3][0]])
        #expect(Array(all[130..<134]) == [ec[0][17], ec[1][17], ec[2][17], ec[3][17]])
    }
}
