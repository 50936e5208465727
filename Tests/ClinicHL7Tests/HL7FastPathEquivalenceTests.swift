import Foundation
import Testing
@testable import ClinicHL7

/// The allocation-free readers of the ORU hot path against what they replaced: `HL7Timestamp` and
/// `HL7Version` against their previous code (`ReferenceTimestamp`, `ReferenceVersion`), the code
/// normalisation against `trimmingSpaces.uppercased()`, and `header()` against the single accessors.
@Suite struct HL7FastPathEquivalenceTests {
    @Test func timestampsReadAsBefore() throws {
        var random = SplitMix64(seed: 0x5EED_0101)
        let pieces = ["2026", "1999", "0000", "2024", "02", "29", "30", "12", "13", "00", "23", "24", "59", "60", "7",
                      ".", ".5", ".123456", "+0000", "-0500", "+0530", "+2400", "-0060", "+05", "Z", " ", "é", "٣", "0"]
        let zones = try [TimeZone.gmt, #require(TimeZone(identifier: "Europe/Berlin")), #require(TimeZone(identifier: "America/New_York"))]
        var valid = 0
        for round in 0..<3000 {
            var text = ""
            if round % 2 == 0 {
                // Mostly well-formed: a prefix of a full timestamp, with or without an offset.
                let full = ["2026", ["01", "02", "03", "10", "12", "13"][random.below(6)], ["01", "15", "28", "29", "30", "31"][random.below(6)],
                            ["00", "02", "03", "23"][random.below(4)], ["00", "30", "59", "60"][random.below(4)], ["00", "45", "59"][random.below(3)]]
                text = full.prefix(1 + random.below(6)).joined()
                if random.below(3) == 0 { text += [".5", ".25", ".", ".1234"][random.below(4)] }
                if random.below(2) == 0 { text += ["+0000", "-0500", "+0130", "+2400", "-05"][random.below(5)] }
            } else {
                for _ in 0..<random.below(7) { text += pieces[random.below(pieces.count)] }
            }
            let zone = zones[random.below(zones.count)]
            let actual = HL7Timestamp(text, defaultTimeZone: zone)
            let expected = ReferenceTimestamp(text, defaultTimeZone: zone)
            #expect(actual?.date == expected?.date && actual?.precision == expected?.precision
                && actual?.utcOffset == expected?.utcOffset, "\(text.debugDescription) in \(zone.identifier)")
            if expected != nil { valid += 1 }
        }
        #expect(valid > 500)
    }

    @Test func versionsReadAsBefore() {
        let texts = ["2.5", "2.5.1", "2.8.2", "2.3.1", "2", "2.", ".5", "2..5", "2.5.", "2.5.1.0", "02.05", "2.+5", "+2.5",
                     "-2.5", "2.-0", "2.5 ", " 2.5", "2,5", "٢.٥", "2.é", "", "2.999999999999999999", "2.9999999999999999999",
                     "123456789012345678.1", "1234567890123456789.1", "2.5.99999999999999999999", "v2.5", "2.5\r\n"]
        for text in texts {
            #expect(HL7Version(text) == ReferenceVersion(text)?.version, "\(text.debugDescription)")
        }
    }

    @Test func codesAreNormalisedAsBefore() {
        let texts = ["NM", "nm", " NM ", "\tSn", "", " ", "CWE", "F", "f", "x", "Ä", "ä", "ß", "N M", "ST\t", "R", "é", "~", "\u{7F}"]
        for text in texts {
            #expect(ObservationItem.trimmedUppercased(text) == text.trimmingSpaces.uppercased(), "\(text.debugDescription)")
            #expect(ObservationItem.trimmed(text) == text.trimmingSpaces, "\(text.debugDescription)")
        }
        for status in ["X", "W", "D", "N", "F", "R", "", "XX", "x"] {
            #expect(ObservationItem.isUnusable(status) == ObservationItem.unusableStatuses.contains(status))
        }
    }

    @Test func spacesAreTrimmedAndSystemsRecognisedAsTheGeneralRulesDo() {
        let texts = ["", " ", "\t", "a", " a", "a ", "\ta\t", "  mm[Hg] ", "MDC", "mdc", " MDC", "LN", "ln", "L N", "é ", " é", "a b", "\u{A0}x"]
        for text in texts {
            #expect(text.trimmingSpaces == text.trimmingCharacters(in: CharacterSet(charactersIn: " \t")), "\(text.debugDescription)")
        }
        // The names sent as-is take a short cut; every spelling still lands where upper-casing and filtering puts it.
        let systems: [(String, ObservationCodingSystem)] = [
            ("MDC", .mdc), ("mdc", .mdc), ("IEEE 11073-10101", .mdc), ("LN", .loinc), ("ln", .loinc), ("L.N", .loinc),
            ("http://loinc.org", .loinc), ("SCT", .other), ("", .other), ("MDCX", .other),
        ]
        for (name, expected) in systems {
            #expect(ObservationCodingSystem(name) == expected, "\(name)")
        }
        #expect(ObservationCodingSystem("", text: "MDC_PULS_OXIM_SAT_O2") == .mdc)
    }

    @Test func headerMatchesItsAccessors() throws {
        let texts = [
            "MSH|^~\\&|APP^1.2^ISO|FAC|RAPP|RFAC|20260315143005-0500||ORU^R01^ORU_R01|42|P|2.5.1",
            "MSH|^~\\&|||||not a time||^R01|||",
            "MSH|^~\\&",
            "MSH|^~\\&|A|B|C|D|2026||ADT^A01|7|T|2.3\rPID|1",
        ]
        for text in texts {
            let message = try HL7Message.parse(text)
            let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
            #expect(message.header(defaultTimeZone: zone) == HL7MessageHeader(
                sendingApplication: message.sendingApplication,
                sendingFacility: message.sendingFacility,
                receivingApplication: message.receivingApplication,
                receivingFacility: message.receivingFacility,
                timestamp: message.timestamp(defaultTimeZone: zone),
                messageType: message.messageType,
                controlID: message.controlID,
                processingID: message.processingID,
                version: message.version
            ))
        }
        // No MSH at all (a message built by hand).
        let bare = HL7Message(segments: [HL7Segment("PID", fields: [HL7Field("1")])])
        #expect(bare.header() == HL7MessageHeader())
    }
}
