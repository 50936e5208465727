extension HL7Message {
    /// Reads a message from text (HL7 v2.5.1 §2.5–2.7).
    ///
    /// Segments end at CR, LF or CRLF; blank lines are skipped. The separators come from MSH-1 and
    /// MSH-2; every value is split on them first and unescaped afterwards.
    public static func parse(_ text: String) throws(HL7ParseError) -> HL7Message {
        try HL7ByteParser.parse(text, headerOnly: false)
    }

    /// Reads a message from bytes: UTF-8 when valid, otherwise ISO-8859-1.
    public static func parse(bytes: some Collection<UInt8>) throws(HL7ParseError) -> HL7Message {
        try HL7ByteParser.parse(bytes: bytes, headerOnly: false)
    }

    /// Reads only the first segment (MSH), so that a reply can still be addressed when a later
    /// segment is unreadable.
    public static func parseHeader(_ text: String) throws(HL7ParseError) -> HL7Message {
        try HL7ByteParser.parse(text, headerOnly: true)
    }

    /// Three upper-case ASCII letters or digits (HL7 v2.5.1 §2.5.2).
    static func isSegmentName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { $0.count == 3 && $0.allSatisfy(HL7ByteParser.isNameByte) }
    }
}

/// The parser behind `HL7Message.parse`: one pass over UTF-8 bytes.
///
/// Separators are ASCII (a set with any other character is invalid), and CR / LF / separator bytes
/// never occur inside a multi-byte UTF-8 sequence, so splitting bytes gives the same pieces as
/// splitting Unicode scalars. Strings are made only for leaf values (and segment names), straight
/// from the bytes; only values holding the escape character go through `HL7Delimiters.unescape`.
enum HL7ByteParser {
    private static let carriageReturn: UInt8 = 0x0D
    private static let lineFeed: UInt8 = 0x0A

    static func parse(_ text: String, headerOnly: Bool) throws(HL7ParseError) -> HL7Message {
        var text = text
        // A String is valid UTF-8 by construction.
        let result = text.withUTF8 { utf8 in
            Result { () throws(HL7ParseError) -> HL7Message in try parse(utf8: utf8, headerOnly: headerOnly) }
        }
        return try result.get()
    }

    static func parse(bytes: some Collection<UInt8>, headerOnly: Bool) throws(HL7ParseError) -> HL7Message {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer -> Result<HL7Message, HL7ParseError>? in
            guard isValidUTF8(buffer) else { return nil }
            return Result { () throws(HL7ParseError) -> HL7Message in try parse(utf8: buffer, headerOnly: headerOnly) }
        }
        switch contiguous {
        case .some(.some(let result)):
            return try result.get()
        case .some(.none):
            // Not UTF-8: ISO-8859-1, every byte its own code point (the text is then read as UTF-8).
            return try parse(HL7Delimiters.decodeBytes(bytes), headerOnly: headerOnly)
        case .none:
            return try parse(bytes: Array(bytes), headerOnly: headerOnly)
        }
    }

    /// Reads valid UTF-8.
    static func parse(utf8 buffer: UnsafeBufferPointer<UInt8>, headerOnly: Bool) throws(HL7ParseError) -> HL7Message {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { throw .empty }
        var lines = LineReader(base: base, position: 0, end: buffer.count)
        if buffer.count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
            lines.position = 3  // U+FEFF, a byte order mark
        }
        guard let first = lines.next() else { throw .empty }
        let (delimiters, headerFields) = try readHeader(base, first)
        var segments: [HL7Segment] = []
        segments.append(HL7Segment("MSH", fields: headerFields.fields))
        guard !headerOnly else { return HL7Message(delimiters: delimiters, synchronisedSegments: segments) }

        let reader = headerFields.reader
        var segmentIndex = 1
        while let line = lines.next() {
            segmentIndex += 1
            segments.append(try reader.readSegment(base, line, segmentIndex: segmentIndex))
        }
        return HL7Message(delimiters: delimiters, synchronisedSegments: segments)
    }

    /// MSH: the delimiters from MSH-1 / MSH-2, then the fields.
    private static func readHeader(
        _ base: UnsafePointer<UInt8>,
        _ line: Range<Int>
    ) throws(HL7ParseError) -> (HL7Delimiters, (fields: [HL7Field], reader: SegmentReader)) {
        let location = HL7Location(segment: "MSH", segmentIndex: 1)
        let (lo, hi) = (line.lowerBound, line.upperBound)
        guard hi - lo >= 3, base[lo] == UInt8(ascii: "M"), base[lo + 1] == UInt8(ascii: "S"), base[lo + 2] == UInt8(ascii: "H") else {
            // The first three characters are a segment name only when they are three ASCII bytes.
            let name = hi - lo >= 3 && (lo..<(lo + 3)).allSatisfy { isNameByte(base[$0]) }
                ? string(base, lo, lo + 3) : nil
            throw .missingHeader(HL7Location(segment: name, segmentIndex: 1))
        }
        guard hi - lo >= 8 else {
            // Fewer than eight bytes are fewer than eight characters.
            throw .invalidDelimiters(location.at(field: 2), reason: "MSH-1 and MSH-2 need five characters")
        }
        let fieldSeparator = base[lo + 3]
        var encodingEnd = lo + 4
        while encodingEnd < hi, base[encodingEnd] != fieldSeparator { encodingEnd += 1 }
        guard fieldSeparator < 0x80, ((lo + 4)..<encodingEnd).allSatisfy({ base[$0] < 0x80 }) else {
            // A non-ASCII separator is never valid; find which check the characters fail.
            throw nonASCIIHeaderError(string(base, lo, hi), location)
        }
        // MSH, MSH-1 and MSH-2 are ASCII here; count the characters of the rest up to eight.
        var characters = encodingEnd - lo
        var index = encodingEnd
        while characters < 8, index < hi {
            if base[index] & 0xC0 != 0x80 { characters += 1 }
            index += 1
        }
        guard characters >= 8 else {
            throw .invalidDelimiters(location.at(field: 2), reason: "MSH-1 and MSH-2 need five characters")
        }
        let encodingCount = encodingEnd - (lo + 4)
        guard encodingCount == 4 || encodingCount == 5 else {
            throw .invalidDelimiters(location.at(field: 2), reason: "MSH-2 must hold 4 or 5 encoding characters")
        }
        let e = lo + 4
        let delimiters = HL7Delimiters(
            field: Unicode.Scalar(fieldSeparator),
            component: Unicode.Scalar(base[e]),
            repetition: Unicode.Scalar(base[e + 1]),
            escape: Unicode.Scalar(base[e + 2]),
            subcomponent: Unicode.Scalar(base[e + 3]),
            truncation: encodingCount == 5 ? Unicode.Scalar(base[e + 4]) : nil
        )
        guard delimiters == .standard || delimiters.isValid else {
            throw .invalidDelimiters(location.at(field: 2), reason: "separators must be distinct printable punctuation")
        }
        let reader = SegmentReader(delimiters)
        var fields: [HL7Field] = []
        fields.reserveCapacity(2 + (encodingEnd == hi ? 0 : reader.count(fieldSeparator, base, encodingEnd + 1, hi)))
        fields.append(reader.separatorField)
        fields.append(reader.encodingField)
        if encodingEnd != hi {
            reader.appendFields(base, encodingEnd + 1, hi, to: &fields)
        }
        return (delimiters, (fields, reader))
    }

    /// The error for an MSH whose MSH-1 or MSH-2 holds a non-ASCII character, checked as characters.
    private static func nonASCIIHeaderError(_ line: String, _ location: HL7Location) -> HL7ParseError {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count >= 8 else {
            return .invalidDelimiters(location.at(field: 2), reason: "MSH-1 and MSH-2 need five characters")
        }
        let encodingEnd = scalars[4...].firstIndex(of: scalars[3]) ?? scalars.endIndex
        guard encodingEnd - 4 == 4 || encodingEnd - 4 == 5 else {
            return .invalidDelimiters(location.at(field: 2), reason: "MSH-2 must hold 4 or 5 encoding characters")
        }
        // `HL7Delimiters.isValid` accepts ASCII separators only.
        return .invalidDelimiters(location.at(field: 2), reason: "separators must be distinct printable punctuation")
    }

    /// An upper-case ASCII letter or a digit.
    static func isNameByte(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
    }

    /// The bytes `lo..<hi` as text (valid UTF-8).
    @inline(__always)
    static func string(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + lo, count: hi - lo), as: UTF8.self)
    }

    /// Whether the bytes are well-formed UTF-8 (Unicode 15 table 3-7), as `String(validating:as:)` decides.
    static func isValidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let count = buffer.count
        var index = 0
        while index < count {
            while index + 8 <= count,
                  UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard index + length <= count, (low...high).contains(base[index + 1]) else { return false }
            var next = index + 2
            while next < index + length {
                guard base[next] & 0xC0 == 0x80 else { return false }
                next += 1
            }
            index += length
        }
        return true
    }
}

/// The non-blank lines of a message, ended by CR or LF.
private struct LineReader {
    let base: UnsafePointer<UInt8>
    var position: Int
    let end: Int

    mutating func next() -> Range<Int>? {
        while position < end {
            let byte = base[position]
            if byte == 0x0D || byte == 0x0A {
                position += 1
                continue
            }
            let start = position
            var blank = true
            while position < end {
                let byte = base[position]
                if byte == 0x0D || byte == 0x0A { break }
                if byte != 0x20 && byte != 0x09 { blank = false }
                position += 1
            }
            if !blank { return start..<position }
        }
        return nil
    }
}

/// Empty parts, shared (copy-on-write) by every empty value a parse produces.
private enum EmptyParts {
    static let component = HL7Component()
    static let repetition = HL7Repetition()
    static let field = HL7Field()
    static let standardSeparatorField = HL7Field(String(HL7Delimiters.standard.field))
    static let standardEncodingField = HL7Field(HL7Delimiters.standard.encodingCharacters)
}

/// Splits segments into fields, repetitions, components and subcomponents. A part with one piece holds it
/// inline; an array (two or more pieces) is allocated at its final size (the separators are counted first)
/// and filled by moving values in; a field that is one plain value is read from one scan.
private struct SegmentReader {
    let delimiters: HL7Delimiters
    let field: UInt8
    let component: UInt8
    let repetition: UInt8
    let escape: UInt8
    let subcomponent: UInt8
    /// Bit n of `low` (n < 64) / `high` (64 ≤ n < 128) is set when byte n is a separator or the escape.
    let low: UInt64
    let high: UInt64
    /// MSH-1 and MSH-2 as fields.
    let separatorField: HL7Field
    let encodingField: HL7Field

    init(_ delimiters: HL7Delimiters) {
        self.delimiters = delimiters
        // `HL7ByteParser` only builds a reader for a valid, hence ASCII, delimiter set.
        field = UInt8(delimiters.field.value)
        component = UInt8(delimiters.component.value)
        repetition = UInt8(delimiters.repetition.value)
        escape = UInt8(delimiters.escape.value)
        subcomponent = UInt8(delimiters.subcomponent.value)
        var low: UInt64 = 0
        var high: UInt64 = 0
        for byte in [field, component, repetition, escape, subcomponent] {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        self.low = low
        self.high = high
        if delimiters == .standard {
            separatorField = EmptyParts.standardSeparatorField
            encodingField = EmptyParts.standardEncodingField
        } else {
            separatorField = HL7Field(String(delimiters.field))
            encodingField = HL7Field(delimiters.encodingCharacters)
        }
    }

    /// One segment after the first.
    func readSegment(_ base: UnsafePointer<UInt8>, _ line: Range<Int>, segmentIndex: Int) throws(HL7ParseError) -> HL7Segment {
        let (lo, hi) = (line.lowerBound, line.upperBound)
        var nameEnd = lo
        while nameEnd < hi, base[nameEnd] != field { nameEnd += 1 }
        guard nameEnd - lo == 3, HL7ByteParser.isNameByte(base[lo]), HL7ByteParser.isNameByte(base[lo + 1]),
              HL7ByteParser.isNameByte(base[lo + 2])
        else {
            throw .invalidSegmentName(HL7Location(segment: nil, segmentIndex: segmentIndex))
        }
        let name = HL7ByteParser.string(base, lo, nameEnd)
        guard nameEnd != hi else { return HL7Segment(name, fields: []) }
        var start = nameEnd + 1
        var fields: [HL7Field] = []
        if base[lo] == UInt8(ascii: "M"), base[lo + 1] == UInt8(ascii: "S"), base[lo + 2] == UInt8(ascii: "H") {
            // A later MSH (in a batch) keeps MSH-1 / MSH-2 literal, like the first one.
            var encodingEnd = start
            while encodingEnd < hi, base[encodingEnd] != field { encodingEnd += 1 }
            let encoding = HL7Field(HL7ByteParser.string(base, start, encodingEnd))
            guard encodingEnd != hi else { return HL7Segment(name, fields: [separatorField, encoding]) }
            start = encodingEnd + 1
            fields.reserveCapacity(2 + count(field, base, start, hi))
            fields.append(separatorField)
            fields.append(encoding)
        } else {
            fields.reserveCapacity(count(field, base, start, hi))
        }
        appendFields(base, start, hi, to: &fields)
        return HL7Segment(name, fields: fields)
    }

    /// The number of pieces `separator` cuts `lo..<hi` into.
    @inline(__always)
    func count(_ separator: UInt8, _ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        var count = 1
        for index in lo..<hi where base[index] == separator { count += 1 }
        return count
    }

    @inline(__always)
    private func isSpecial(_ byte: UInt8) -> Bool {
        byte < 64 ? (low >> UInt64(byte)) & 1 != 0 : byte < 128 && (high >> UInt64(byte & 63)) & 1 != 0
    }

    /// Reads the fields in `lo..<hi` (the text after a field separator) into `fields`.
    func appendFields(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int, to fields: inout [HL7Field]) {
        var start = lo
        var index = lo
        var plain = true  // no separator but the field separator, no escape
        while index < hi {
            let byte = base[index]
            if isSpecial(byte) {
                if byte == field {
                    fields.append(readField(base, start, index, plain: plain))
                    start = index + 1
                    plain = true
                } else {
                    plain = false
                }
            }
            index += 1
        }
        fields.append(readField(base, start, hi, plain: plain))
    }

    @inline(__always)
    private func readField(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int, plain: Bool) -> HL7Field {
        if lo == hi { return EmptyParts.field }
        if plain {
            return HL7Field(only: HL7Repetition(only: HL7Component(HL7ByteParser.string(base, lo, hi))))
        }
        let count = count(repetition, base, lo, hi)
        if count == 1 {
            let only = readRepetition(base, lo, hi)
            return only.isShared ? EmptyParts.field : HL7Field(only: only.value)
        }
        var repetitions: [HL7Repetition] = []
        repetitions.reserveCapacity(count)
        var start = lo
        for index in lo..<hi where base[index] == repetition {
            repetitions.append(readRepetition(base, start, index).value)
            start = index + 1
        }
        repetitions.append(readRepetition(base, start, hi).value)
        return HL7Field(repetitions: repetitions)
    }

    /// A repetition, and whether it is the shared empty one.
    private func readRepetition(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> (value: HL7Repetition, isShared: Bool) {
        if lo == hi { return (EmptyParts.repetition, true) }
        let count = count(component, base, lo, hi)
        if count == 1 {
            let only = readComponent(base, lo, hi)
            return only.isShared ? (EmptyParts.repetition, true) : (HL7Repetition(only: only.value), false)
        }
        var components: [HL7Component] = []
        components.reserveCapacity(count)
        var start = lo
        for index in lo..<hi where base[index] == component {
            components.append(readComponent(base, start, index).value)
            start = index + 1
        }
        components.append(readComponent(base, start, hi).value)
        return (HL7Repetition(components: components), false)
    }

    /// A component, and whether it is the shared empty one.
    private func readComponent(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> (value: HL7Component, isShared: Bool) {
        if lo == hi { return (EmptyParts.component, true) }
        let count = count(subcomponent, base, lo, hi)
        if count == 1 {
            return (HL7Component(leaf(base, lo, hi)), false)
        }
        var subcomponents: [String] = []
        subcomponents.reserveCapacity(count)
        var start = lo
        for index in lo..<hi where base[index] == subcomponent {
            subcomponents.append(leaf(base, start, index))
            start = index + 1
        }
        subcomponents.append(leaf(base, start, hi))
        return (HL7Component(subcomponents: subcomponents), false)
    }

    /// One subcomponent's text, unescaped when it holds the escape character.
    @inline(__always)
    private func leaf(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> String {
        if lo == hi { return "" }
        let text = HL7ByteParser.string(base, lo, hi)
        for index in lo..<hi where base[index] == escape {
            return delimiters.unescape(text.unicodeScalars)
        }
        return text
    }
}

extension HL7Message {
    /// Writes the message with its own delimiters, each segment ended by `terminator` (CR by default).
    public func encoded(terminator: String = "\r") -> String {
        var output = ""
        for (index, segment) in segments.enumerated() {
            output += encode(segment, isFirst: index == 0)
            output += terminator
        }
        return output
    }

    /// The message as UTF-8 bytes, ready to frame.
    public func encodedBytes() -> [UInt8] {
        Array(encoded().utf8)
    }

    private func encode(_ segment: HL7Segment, isFirst: Bool) -> String {
        let separator = String(delimiters.field)
        var text = segment.name
        var fields = segment.fields[...]
        if segment.name == "MSH", isFirst || !segment.fields.isEmpty {
            // MSH-1 and MSH-2 are the delimiters themselves: the message's own for its header, the
            // literal text for a later MSH.
            text += separator + (isFirst ? delimiters.encodingCharacters : segment[2]?.text ?? "")
            fields = fields.dropFirst(2)
        }
        for field in fields {
            text += separator + encode(field)
        }
        return text
    }

    private func encode(_ field: HL7Field) -> String {
        field.repetitions.map { repetition in
            repetition.components.map { component in
                component.subcomponents.map(delimiters.escape).joined(separator: String(delimiters.subcomponent))
            }.joined(separator: String(delimiters.component))
        }.joined(separator: String(delimiters.repetition))
    }
}
