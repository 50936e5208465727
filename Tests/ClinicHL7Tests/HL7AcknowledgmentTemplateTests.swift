import Foundation
import Testing
@testable import ClinicHL7

/// The pre-encoded replies of the ingest hot path against `HL7Acknowledgment.message(replyingTo:…)` + `encodedBytes()`,
/// byte for byte, over headers with escapes, other delimiters, truncation characters, old and new versions, missing
/// fields, and control ids that need escaping.
@Suite struct HL7AcknowledgmentTemplateTests {
    let times = [Date(timeIntervalSince1970: 1_773_585_010), Date(timeIntervalSince1970: 1_773_585_010.999), Date(timeIntervalSince1970: 0),
                 Date(timeIntervalSince1970: -86_401.5)]
    let acknowledgments: [HL7Acknowledgment] = [
        .accept(),
        .accept(text: "Duplicate of a message already stored"),
        .accept(text: "Stored in quarantine | for staff ^ review \\ & ~"),
        .error(.applicationInternalError, message: "The message could not be stored; send it again"),
        .reject(.unsupportedVersionID, at: HL7Location(segment: "MSH", segmentIndex: 1).at(field: 12), message: "HL7 versions 2.3 to 2.8 are accepted"),
    ]
    let headers = [
        "MSH|^~\\&|MONITOR-1|DEEPRELIEF-SIM|DEEPRELIEF|CLINIC|20261125101500+0000||ORU^R01^ORU_R01|RUN-1-2|P|2.6|||NE|AL||UNICODE UTF-8|||",
        "MSH|^~\\&|APP^1.2.3^ISO|FA\\F\\C|R\\S\\APP|RF\\T\\AC~X|20260315||ORU^R01|X1|T|2.3.1",
        "MSH|^~\\&#|A|B|C|D|20260315||ORU^R01|X#1|P|2.7",
        "MSH|^~\\&#|A#|B|C|D|20260315||ORU^R01|X#1|P|2.5",
        "MSH$+*!-$MON+1$FAC-2$RCV$RF$20260315$$ORU+R01$C-1$P$2.5.1",
        "MSH|^~\\&|||||||ORU^R01|ONLY-ID|||",
        "MSH|^~\\&|A|B|C|D|20260315||^R01|Z|P|2.4",
        "MSH|^~\\&|A|B|C|D|20260315||ORU|Z|P",
        "MSH|^~\\&|ÄPP|Fäc|C|D|20260315||ORU^R01|é-1|P|2.8",
        "MSH|^~\\&|A|B",
    ]
    let controlIDs = ["DR1", "DR123456789012", "", "A|B", "x^y~z\\w&v", "line\nbreak", "tab\tx\u{7F}", "#", "é", "+-"]

    @Test func repliesAreByteForByteTheEncodedMessage() throws {
        var checked = 0
        for header in headers {
            let incoming = try HL7Message.parse(header + "\r")
            let template = try #require(HL7AcknowledgmentTemplate(replyingTo: incoming, acknowledgments: acknowledgments))
            #expect(template.key == HL7AcknowledgmentTemplate.Key(incoming))
            for time in times {
                for controlID in controlIDs {
                    for (index, ack) in acknowledgments.enumerated() {
                        let expected = ack.message(replyingTo: incoming, controlID: controlID, at: time).encodedBytes()
                        let actual = template.encodedBytes(index, timestamp: template.timestamp(time), controlID: controlID,
                                                           echoing: incoming.controlID ?? "")
                        #expect(actual == expected, "\(header.debugDescription) \(controlID.debugDescription) #\(index)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == headers.count * times.count * controlIDs.count * acknowledgments.count)
    }

    @Test func theEchoedControlIDIsEscapedAsTheMessageWouldBe() throws {
        // given messages of one header whose MSH-10 holds escaped separators
        for raw in ["A\\F\\B", "x\\S\\y\\R\\z\\E\\w\\T\\v", "p\\.br\\q", "\\X41\\", "plain"] {
            let incoming = try HL7Message.parse("MSH|^~\\&|A|B|C|D|20260315||ORU^R01|\(raw)|P|2.6\r")
            let template = try #require(HL7AcknowledgmentTemplate(replyingTo: incoming, acknowledgments: acknowledgments))
            for (index, ack) in acknowledgments.enumerated() {
                // then the reply echoes it exactly as the encoder does
                let expected = ack.message(replyingTo: incoming, controlID: "DR9", at: times[0]).encodedBytes()
                #expect(template.encodedBytes(index, timestamp: template.timestamp(times[0]), controlID: "DR9", echoing: incoming.controlID ?? "") == expected)
            }
        }
    }

    @Test func oneTemplateServesEveryMessageOfTheSameHeader() throws {
        // given two messages that differ only in MSH-7 and MSH-10
        let first = try HL7Message.parse("MSH|^~\\&|MON-1|FAC|DR|CL|20260315101500||ORU^R01|M-1|P|2.6\r")
        let second = try HL7Message.parse("MSH|^~\\&|MON-1|FAC|DR|CL|20260315101502||ORU^R01|M-2|P|2.6\r")
        let other = try HL7Message.parse("MSH|^~\\&|MON-2|FAC|DR|CL|20260315101502||ORU^R01|M-2|P|2.6\r")
        let template = try #require(HL7AcknowledgmentTemplate(replyingTo: first, acknowledgments: acknowledgments))
        // then they share a key (a different sender does not), and the first's template answers the second exactly
        #expect(HL7AcknowledgmentTemplate.Key(second) == template.key)
        #expect(HL7AcknowledgmentTemplate.Key(other) != template.key)
        for (index, ack) in acknowledgments.enumerated() {
            #expect(template.encodedBytes(index, timestamp: template.timestamp(times[0]), controlID: "DR7", echoing: "M-2")
                == ack.message(replyingTo: second, controlID: "DR7", at: times[0]).encodedBytes())
            // and its header stands in for the message when a reply must be built the slow way
            #expect(ack.message(replyingTo: template.incomingHeader(controlID: "M-2"), controlID: "DR7", at: times[0])
                == ack.message(replyingTo: second, controlID: "DR7", at: times[0]))
        }
    }
}
