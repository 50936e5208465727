@testable import ClinicHL7

// The parser as it was before the byte-based one (commit a81d46b), kept verbatim apart from the
// enclosing type so that `HL7ParserEquivalenceTests` can compare the two.

enum HL7ReferenceParser {
    /// Reads a message from text (HL7 v2.5.1 §2.5–2.7).
    ///
    /// Segments end at CR, LF or CRLF; blank lines are skipped. The separators come from MSH-1 and
    /// MSH-2; every value is split on them first and unescaped afterwards.
    static func parse(_ text: String) throws(HL7ParseError) -> HL7Message {
        try parse(lines: segmentLines(text), headerOnly: false)
    }

    /// Reads a message from bytes: UTF-8 when valid, otherwise ISO-8859-1.
    static func parse(bytes: some Collection<UInt8>) throws(HL7ParseError) -> HL7Message {
        try parse(HL7Delimiters.decodeBytes(bytes))
    }

    /// Reads only the first segment (MSH), so that a reply can still be addressed when a later
    /// segment is unreadable.
    static func parseHeader(_ text: String) throws(HL7ParseError) -> HL7Message {
        try parse(lines: segmentLines(text), headerOnly: true)
    }

    private static func segmentLines(_ text: String) -> [ArraySlice<Unicode.Scalar>] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        return scalars.split(omittingEmptySubsequences: true) { $0 == "\r" || $0 == "\n" }
            .filter { line in !line.allSatisfy { $0 == " " || $0 == "\t" } }
    }

    private static func parse(lines: [ArraySlice<Unicode.Scalar>], headerOnly: Bool) throws(HL7ParseError) -> HL7Message {
        guard let first = lines.first else { throw .empty }
        let (delimiters, header) = try parseHeaderSegment(first)
        var segments = [header]
        guard !headerOnly else { return HL7Message(delimiters: delimiters, segments: segments) }
        var sequences = ["MSH": 1]
        for (offset, line) in lines.enumerated().dropFirst() {
            let nameEnd = line.firstIndex(of: delimiters.field) ?? line.endIndex
            let name = String(String.UnicodeScalarView(line[line.startIndex..<nameEnd]))
            guard isSegmentName(name) else {
                throw .invalidSegmentName(HL7Location(segment: nil, segmentIndex: offset + 1))
            }
            sequences[name, default: 0] += 1
            var fields: [HL7Field] = []
            if nameEnd != line.endIndex {
                var rest = line[line.index(after: nameEnd)...]
                if name == "MSH" {
                    // A later MSH (in a batch) keeps MSH-1 / MSH-2 literal, like the first one.
                    let encodingEnd = rest.firstIndex(of: delimiters.field)
                    let encoding = rest[..<(encodingEnd ?? rest.endIndex)]
                    fields = [HL7Field(String(delimiters.field)), HL7Field(String(String.UnicodeScalarView(encoding)))]
                    guard let encodingEnd else {
                        segments.append(HL7Segment(name, fields: fields))
                        continue
                    }
                    rest = rest[rest.index(after: encodingEnd)...]
                }
                fields += rest
                    .split(separator: delimiters.field, omittingEmptySubsequences: false)
                    .map { parseField($0, delimiters) }
            }
            segments.append(HL7Segment(name, fields: fields))
        }
        return HL7Message(delimiters: delimiters, segments: segments)
    }

    private static func parseHeaderSegment(_ line: ArraySlice<Unicode.Scalar>) throws(HL7ParseError) -> (HL7Delimiters, HL7Segment) {
        let location = HL7Location(segment: "MSH", segmentIndex: 1)
        let scalars = Array(line)
        guard scalars.count >= 3, String(String.UnicodeScalarView(scalars[0..<3])) == "MSH" else {
            let name = String(String.UnicodeScalarView(scalars.prefix(3)))
            throw .missingHeader(HL7Location(segment: isSegmentName(name) ? name : nil, segmentIndex: 1))
        }
        guard scalars.count >= 8 else {
            throw .invalidDelimiters(location.at(field: 2), reason: "MSH-1 and MSH-2 need five characters")
        }
        let fieldSeparator = scalars[3]
        let encodingEnd = scalars[4...].firstIndex(of: fieldSeparator) ?? scalars.endIndex
        let encoding = Array(scalars[4..<encodingEnd])
        guard encoding.count == 4 || encoding.count == 5 else {
            throw .invalidDelimiters(location.at(field: 2), reason: "MSH-2 must hold 4 or 5 encoding characters")
        }
        let delimiters = HL7Delimiters(
            field: fieldSeparator,
            component: encoding[0],
            repetition: encoding[1],
            escape: encoding[2],
            subcomponent: encoding[3],
            truncation: encoding.count == 5 ? encoding[4] : nil
        )
        guard delimiters.isValid else {
            throw .invalidDelimiters(location.at(field: 2), reason: "separators must be distinct printable punctuation")
        }
        var fields = [
            HL7Field(String(fieldSeparator)),
            HL7Field(String(String.UnicodeScalarView(encoding))),
        ]
        if encodingEnd != scalars.endIndex {
            fields += scalars[(encodingEnd + 1)...]
                .split(separator: fieldSeparator, omittingEmptySubsequences: false)
                .map { parseField($0, delimiters) }
        }
        return (delimiters, HL7Segment("MSH", fields: fields))
    }

    private static func parseField(_ text: ArraySlice<Unicode.Scalar>, _ delimiters: HL7Delimiters) -> HL7Field {
        HL7Field(repetitions: text.split(separator: delimiters.repetition, omittingEmptySubsequences: false).map { repetition in
            HL7Repetition(components: repetition.split(separator: delimiters.component, omittingEmptySubsequences: false).map { component in
                HL7Component(subcomponents: component.split(separator: delimiters.subcomponent, omittingEmptySubsequences: false).map {
                    delimiters.unescape($0)
                })
            })
        })
    }

    /// Three upper-case ASCII letters or digits (HL7 v2.5.1 §2.5.2).
    static func isSegmentName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        return scalars.count == 3 && scalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
