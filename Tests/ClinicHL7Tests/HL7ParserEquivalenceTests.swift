import Foundation
import NIOCore
import Testing
@testable import ClinicHL7

/// The byte-based parser against the scalar-based one it replaced (`HL7ReferenceParser`), on generated
/// messages: the same `HL7Message` or the same `HL7ParseError` for text, bytes, ByteBuffer and header-only reads.
@Suite struct HL7ParserEquivalenceTests {
    @Test func generatedMessagesParseAsBefore() {
        var random = SplitMix64(seed: 0x5EED_0001)
        var failures = 0
        var parsed = 0
        for _ in 0..<600 {
            let text = GeneratedMessage.text(using: &random)
            if (try? HL7ReferenceParser.parse(text)) != nil { parsed += 1 }
            if !expectSameResults(text) { failures += 1 }
            if failures > 5 { break }
        }
        #expect(failures == 0)
        // The generator must mostly produce readable messages, not only errors.
        #expect(parsed > 300)
    }

    @Test func simulatedMonitorMessagesParseAsBefore() throws {
        for coding in SimulatedMonitor.ObservationCoding.allCases {
            let settings = SimulatedMonitor.Settings(
                coding: coding,
                patientIdentifier: PatientIdentifier(id: "MRN-7|^~\\&", assigningAuthority: "CLINIC", typeCode: "MR"),
                sendingFacility: "Zürich & Co^1"
            )
            var monitor = SimulatedMonitor(chair: 2, seed: 9, startedAt: Date(timeIntervalSince1970: 1_760_000_000), settings: settings)
            for step in 0..<100 {
                guard let message = monitor.next(at: Double(step) * 7) else { continue }
                let text = SimulatedMonitor.encodedMessage(for: message.sample, controlID: message.controlID, settings: settings)
                #expect(expectSameResults(text))
                #expect(try HL7Message.parse(text) == message.message)
            }
        }
    }

    @Test func invalidUTF8FallsBackToLatin1AsBefore() {
        var random = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<200 {
            var bytes = Array(GeneratedMessage.text(using: &random).utf8)
            // Bytes that are not UTF-8 here: a lone continuation byte, a lone lead byte, an overlong form.
            let invalid: [[UInt8]] = [[0x80], [0xE9], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]]
            let insertAt = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
            bytes.insert(contentsOf: invalid[Int(random.next() % UInt64(invalid.count))], at: insertAt)
            let expected = result { () throws(HL7ParseError) in try HL7ReferenceParser.parse(bytes: bytes) }
            #expect(result { () throws(HL7ParseError) in try HL7Message.parse(bytes: bytes) } == expected)
            #expect(result { () throws(HL7ParseError) in try HL7Message.parse(ByteBuffer(bytes: bytes)) } == expected)
        }
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var random = SplitMix64(seed: 0x5EED_0003)
        let pieces: [[UInt8]] = [
            Array("abc|^~".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8), Array("\u{10FFFF}".utf8),
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x80, 0x80],
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xFE], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], Array("0123456789ABCDEF".utf8),
        ]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(random.next() % 6) {
                bytes += pieces[Int(random.next() % UInt64(pieces.count))]
            }
            let valid = bytes.withUnsafeBufferPointer { HL7ByteParser.isValidUTF8($0) }
            #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    @Test func headerErrorsAsBefore() {
        let headers = [
            "", "\r\n", " \t\r", "\u{FEFF}", "\u{FEFF}MSH|^~\\&|A", "MS", "MSH", "MSH|", "MSH|^~\\", "MSH|^~\\&",
            "MSH|^~\\&#", "MSH|^~\\&#|", "MSH|^~\\|x", "MSH|^~\\&#!|x", "MSH|^^\\&|x", "MSH|^~\\A|x", "MSH ^~\\&|x",
            "MSHé^~\\&|x", "MSH|é~\\&|x", "MSH|^~\\é", "MSH|^~\\&é|x", "MSH|^~é", "MSH|^é|abcdef", "MSHé^~\\&é|",
            "MSHX^~\\&X", "PID|1", "pid|1", "P€D|1", "ÉÉÉ|", "123|x\rMSH|^~\\&", "MSH|^~\\&\rPI|1", "MSH|^~\\&\r|x",
            "MSH|^~\\&\rPIDX|1", "MSH|^~\\&\rPID", "MSH|^~\\&\rPID|", "MSH|^~\\&\rMSH", "MSH|^~\\&\rMSH|",
            "MSH|^~\\&\rMSH|ab", "MSH|^~\\&\rMSH|ab|c^d", "MSH|^~\\&\r\n\r\n  \r\tPID|1\n", "MSH\t^~\\&\tx",
        ]
        for text in headers {
            #expect(expectSameResults(text), "\(text.debugDescription)")
        }
    }

    /// Compares every entry point with the reference; true when all agree.
    @discardableResult
    private func expectSameResults(_ text: String) -> Bool {
        let expected = result { () throws(HL7ParseError) in try HL7ReferenceParser.parse(text) }
        let bytes = Array(text.utf8)
        let actual = [
            result { () throws(HL7ParseError) in try HL7Message.parse(text) },
            result { () throws(HL7ParseError) in try HL7Message.parse(bytes: bytes) },
            result { () throws(HL7ParseError) in try HL7Message.parse(bytes: bytes[...]) },
            result { () throws(HL7ParseError) in try HL7Message.parse(ByteBuffer(bytes: bytes)) },
            // Not contiguous: goes through a copy.
            result { () throws(HL7ParseError) in try HL7Message.parse(bytes: bytes.lazy.map { $0 }) },
        ]
        let header = result { () throws(HL7ParseError) in try HL7Message.parseHeader(text) }
        let expectedHeader = result { () throws(HL7ParseError) in try HL7ReferenceParser.parseHeader(text) }
        var same = true
        for (entry, value) in actual.enumerated() where value != expected {
            Issue.record("entry point \(entry) differs for \(text.debugDescription):\n\(value)\nexpected\n\(expected)")
            same = false
        }
        if header != expectedHeader {
            Issue.record("parseHeader differs for \(text.debugDescription):\n\(header)\nexpected\n\(expectedHeader)")
            same = false
        }
        return same
    }

    private func result(_ body: () throws(HL7ParseError) -> HL7Message) -> Result<HL7Message, HL7ParseError> {
        Result(catching: body)
    }
}

/// Random HL7-ish text: mostly well-formed messages with odd values, sometimes broken ones.
enum GeneratedMessage {
    static let delimiterSets: [HL7Delimiters] = [
        .standard, .standard, .standard,
        HL7Delimiters(field: "|", component: "^", repetition: "~", escape: "\\", subcomponent: "&", truncation: "#"),
        HL7Delimiters(field: "#", component: "*", repetition: "!", escape: "@", subcomponent: "%"),
        HL7Delimiters(field: ";", component: ":", repetition: "?", escape: "$", subcomponent: "/", truncation: "+"),
    ]

    static func text(using random: inout SplitMix64) -> String {
        let delimiters = delimiterSets[random.below(delimiterSets.count)]
        let specials = delimiters.all.map { String($0) }
        let atoms = [
            "A", "OBX", "123", "7.5", "mm[Hg]", "MDC_ECG_HEART_RATE", " ", "\t", "é", "Zürich", "日本", "😀", "\"\"",
            "\\F\\", "\\X41\\", "\\Xc3a9\\", "\\XE9\\", "\\.br\\", "\\H\\", "\\P\\", "\\E\\", "\\Zxx\\", "\\X4\\", "\\", "a\\b",
        ] + specials + specials
        let separator = String(delimiters.field)
        func value() -> String {
            var text = ""
            for _ in 0..<random.below(5) {
                var atom = atoms[random.below(atoms.count)]
                // Escapes in the generator's atoms use `\`; rewrite them for this message's escape character.
                atom = atom.replacingOccurrences(of: "\\", with: String(delimiters.escape))
                text += atom
            }
            return text
        }
        var lines: [String] = []
        var header = "MSH" + separator + delimiters.encodingCharacters
        for _ in 0..<random.below(14) { header += separator + value() }
        lines.append(header)
        let names = ["PID", "OBR", "OBX", "OBX", "OBX", "NTE", "ZX1", "MSH", "EVN", "PV1"]
        for _ in 0..<random.below(10) {
            var line = names[random.below(names.count)]
            switch random.below(20) {
            case 0: line = ["pid", "OB", "OBXX", "P€D", "", "1", "Ob1"][random.below(7)]
            case 1: lines.append(["", " ", "\t \t"][random.below(3)])
            default: break
            }
            for _ in 0..<random.below(20) { line += separator + value() }
            if random.below(8) == 0 { line += separator }
            lines.append(line)
        }
        let terminators = ["\r", "\r", "\r", "\n", "\r\n", "\r\r", "\n\n"]
        var text = random.below(15) == 0 ? "\u{FEFF}" : ""
        for line in lines { text += line + terminators[random.below(terminators.count)] }
        if random.below(6) == 0 { text = String(text.dropLast()) }
        if random.below(30) == 0 { text = String(text.dropFirst(random.below(6))) }
        return text
    }
}

/// A small seeded generator, so failures repeat.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
