/// The data modes this encoder writes (ISO/IEC 18004:2015 §7.3, Table 2).
enum EncodingMode: Sendable, Hashable, CaseIterable {
    /// Digits 0–9, three to 10 bits (§7.4.3).
    case numeric
    /// 0–9, A–Z, space and `$ % * + - . / :`, two to 11 bits (§7.4.4).
    case alphanumeric
    /// Any bytes; text is written as UTF-8, one byte to 8 bits (§7.4.5).
    case byte

    /// The 4-bit mode indicator (Table 2): numeric 0001, alphanumeric 0010, byte 0100.
    var indicator: Int {
        switch self {
        case .numeric: 0b0001
        case .alphanumeric: 0b0010
        case .byte: 0b0100
        }
    }

    /// Bits of the character count indicator (§7.4.1, Table 3), for versions 1–9, 10–26 and 27–40.
    func characterCountBits(version: Int) -> Int {
        let band = version <= 9 ? 0 : version <= 26 ? 1 : 2
        switch self {
        case .numeric: return [10, 12, 14][band]
        case .alphanumeric: return [9, 11, 13][band]
        case .byte: return [8, 16, 16][band]
        }
    }

    /// The 45 characters of alphanumeric mode, each at the index that is its value (§7.4.4, Table 5).
    static let alphanumericCharacters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
}

/// A growing string of bits, most significant first (the order of ISO/IEC 18004:2015 §7.4).
struct BitBuffer: Sendable, Equatable {
    private(set) var bits: [Bool] = []

    /// Number of bits so far.
    var count: Int { bits.count }

    /// Appends the low `length` bits of `value`, most significant first.
    mutating func append(_ value: Int, bits length: Int) {
        precondition(length >= 0 && length <= 31 && value >> length == 0, "value does not fit in \(length) bits")
        for i in stride(from: length - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    /// The bits packed into bytes, most significant bit first; a last partial byte is padded with 0s.
    var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, bit) in bits.enumerated() where bit { result[i >> 3] |= 0x80 >> UInt8(i & 7) }
        return result
    }

    /// The bits as a string of 0s and 1s, for tests and diagnostics.
    var description: String { String(bits.map { $0 ? "1" : "0" }) }
}

/// One run of data in a single mode, before the mode indicator and count are put in front of it.
struct DataSegment: Sendable, Equatable {
    /// The mode of the run.
    var mode: EncodingMode
    /// Characters (numeric, alphanumeric) or bytes (byte mode) in the run: the character count indicator.
    var characterCount: Int
    /// The run's data bits (§7.4.3–§7.4.5).
    var data: BitBuffer
    /// An ECI designator written before the run (§7.4.2): 26 (UTF-8) for byte-mode text beyond ASCII, since
    /// without one a reader takes bytes as ISO/IEC 8859-1 (the default interpretation, §7.3.1).
    var eci: Int? = nil

    /// The ECI assignment number of UTF-8.
    static let utf8ECI = 26

    /// Every single-mode segment that can carry the text: byte mode (UTF-8) always, alphanumeric and numeric
    /// when every character is in their sets (§7.3). The encoder keeps whichever is shortest at each version.
    static func candidates(for text: String) -> [DataSegment] {
        let utf8 = Array(text.utf8)
        var bytes = byte(utf8)
        if utf8.contains(where: { $0 >= 0x80 }) { bytes.eci = utf8ECI }
        return [numeric(utf8), alphanumeric(utf8), bytes].compactMap { $0 }
    }

    /// Digits in groups of three to 10 bits, a last pair to 7 bits or single digit to 4 (§7.4.3); nil if not all digits.
    static func numeric(_ utf8: [UInt8]) -> DataSegment? {
        guard utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var buffer = BitBuffer()
        var i = 0
        while i < utf8.count {
            let n = min(3, utf8.count - i)
            let value = utf8[i..<(i + n)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
            buffer.append(value, bits: 3 * n + 1)
            i += n
        }
        return DataSegment(mode: .numeric, characterCount: utf8.count, data: buffer)
    }

    /// Pairs as 45·first + second in 11 bits, a last single character in 6 (§7.4.4); nil outside Table 5's set.
    static func alphanumeric(_ utf8: [UInt8]) -> DataSegment? {
        var values: [Int] = []
        values.reserveCapacity(utf8.count)
        for byte in utf8 {
            guard let v = EncodingMode.alphanumericCharacters.firstIndex(of: byte) else { return nil }
            values.append(v)
        }
        var buffer = BitBuffer()
        var i = 0
        while i + 1 < values.count {
            buffer.append(values[i] * 45 + values[i + 1], bits: 11)
            i += 2
        }
        if i < values.count { buffer.append(values[i], bits: 6) }
        return DataSegment(mode: .alphanumeric, characterCount: values.count, data: buffer)
    }

    /// Each byte as 8 bits (§7.4.5).
    static func byte(_ bytes: [UInt8]) -> DataSegment {
        var buffer = BitBuffer()
        for b in bytes { buffer.append(Int(b), bits: 8) }
        return DataSegment(mode: .byte, characterCount: bytes.count, data: buffer)
    }

    /// ECI header (mode 0111 and an 8-bit designator for numbers below 128), mode indicator, character count and
    /// data together at a version, or nil if the count does not fit its field.
    func bitLength(version: Int) -> Int? {
        guard characterCount < 1 << mode.characterCountBits(version: version) else { return nil }
        return uncheckedBitLength(version: version)
    }

    /// The same length whether or not the count fits its field (to say how long over-long data is).
    func uncheckedBitLength(version: Int) -> Int {
        (eci == nil ? 0 : 12) + 4 + mode.characterCountBits(version: version) + data.count
    }
}

extension QRCode {
    /// The data codewords for a segment at a version and level: ECI header if any, mode indicator, count, data, the terminator
    /// (up to four 0 bits, §7.4.10), 0s to the byte boundary, then the pad codewords 11101100 and 00010001 in
    /// turn (§7.4.11) — ISO/IEC 18004:2015.
    static func dataCodewords(_ segment: DataSegment, version: Int, level: ErrorCorrectionLevel) -> [UInt8] {
        let capacity = QRTables.dataCodewords(version: version, level: level) * 8
        var buffer = BitBuffer()
        if let eci = segment.eci {
            precondition(eci < 128, "only one-byte ECI designators are written")
            buffer.append(0b0111, bits: 4)   // ECI mode indicator (Table 2)
            buffer.append(eci, bits: 8)      // designator 0bbbbbbb (§7.4.2.1, Table 4)
        }
        buffer.append(segment.mode.indicator, bits: 4)
        buffer.append(segment.characterCount, bits: segment.mode.characterCountBits(version: version))
        buffer = BitBuffer(concatenating: buffer, segment.data)
        precondition(buffer.count <= capacity, "segment does not fit version \(version)-\(level.letter)")
        buffer.append(0, bits: min(4, capacity - buffer.count))
        buffer.append(0, bits: (8 - buffer.count % 8) % 8)
        var codewords = buffer.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data codewords into the level's blocks, adds each block's Reed–Solomon codewords and interleaves
    /// them: the first data codeword of every block, then the second, …, then the error-correction codewords the
    /// same way (ISO/IEC 18004:2015 §7.5.2, §7.6). Blocks of the second group are one data codeword longer.
    static func finalCodewords(data: [UInt8], version: Int, level: ErrorCorrectionLevel) -> [UInt8] {
        let blocks = QRTables.blockCount[level.tableIndex][version]
        let ecPerBlock = QRTables.ecCodewordsPerBlock[level.tableIndex][version]
        let total = QRTables.totalCodewords(version: version)
        precondition(data.count == total - blocks * ecPerBlock)
        let shortBlocks = blocks - total % blocks
        let shortDataLength = total / blocks - ecPerBlock
        let encoder = ReedSolomonEncoder(degree: ecPerBlock)

        var dataBlocks: [ArraySlice<UInt8>] = []
        var ecBlocks: [[UInt8]] = []
        var start = data.startIndex
        for b in 0..<blocks {
            let length = shortDataLength + (b < shortBlocks ? 0 : 1)
            let block = data[start..<(start + length)]
            dataBlocks.append(block)
            ecBlocks.append(encoder.errorCorrection(for: block))
            start += length
        }

        var result: [UInt8] = []
        result.reserveCapacity(total)
        for i in 0...shortDataLength {
            for block in dataBlocks where i < block.count { result.append(block[block.startIndex + i]) }
        }
        for i in 0..<ecPerBlock {
            for block in ecBlocks { result.append(block[i]) }
        }
        return result
    }
}

extension BitBuffer {
    /// Two buffers one after the other.
    init(concatenating first: BitBuffer, _ second: BitBuffer) {
        self.bits = first.bits + second.bits
    }
}
