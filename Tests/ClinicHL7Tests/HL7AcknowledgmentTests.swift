import Foundation
import Testing
@testable import ClinicHL7

@Suite struct HL7AcknowledgmentTests {
    let now = Date(timeIntervalSince1970: 1_773_585_010)  // 2026-03-15T14:30:10Z

    func incoming() throws -> HL7Message {
        try HL7Message.parse(SampleMessages.pcd01)
    }

    @Test func acceptSwapsSenderAndReceiverAndEchoesTheControlID() throws {
        // given
        let message = try incoming()
        // when
        let ack = HL7Acknowledgment.accept().message(replyingTo: message, controlID: "ACK-1", at: now)
        // then
        #expect(ack.segments.map(\.name) == ["MSH", "MSA"])
        #expect(ack["MSH", 3] == message["MSH", 5])
        #expect(ack["MSH", 4] == message["MSH", 6])
        #expect(ack["MSH", 5] == message["MSH", 3])
        #expect(ack["MSH", 6] == message["MSH", 4])
        #expect(ack.receivingApplication == HL7HierarchicDesignator(namespaceID: "BEDSIDE_GW", universalID: "0123456789ABCDEF", universalIDType: "EUI-64"))
        #expect(ack["MSH", 7]?.text == "20260315143010+0000")
        #expect(ack.messageType == HL7MessageType(code: "ACK", trigger: "R01", structure: "ACK"))
        #expect(ack.controlID == "ACK-1")
        #expect(ack.processingID == "P")
        #expect(ack.version == "2.6")
        #expect(ack["MSA", 1]?.text == "AA")
        #expect(ack["MSA", 2]?.text == "MSG00042")
        #expect(ack["MSA", 3] == nil)
    }

    @Test func encodesAsAParseableMessage() throws {
        // given
        let ack = HL7Acknowledgment.accept(text: "Stored").message(replyingTo: try incoming(), controlID: "ACK-1", at: now)
        // when
        let text = ack.encoded()
        // then
        #expect(text == "MSH|^~\\&|DEEPRELIEF|RELIEF_CLINIC|BEDSIDE_GW^0123456789ABCDEF^EUI-64|RELIEF_CLINIC|20260315143010+0000||ACK^R01^ACK|ACK-1|P|2.6\rMSA|AA|MSG00042|Stored\r")
        #expect(try HL7Message.parse(text) == ack)
    }

    @Test func copiesTheProcessingIDAndVersion() throws {
        // given
        let message = try HL7Message.parse("MSH|^~\\&|A|B|C|D|20260315||ORU^R01|X1|T|2.3.1\r")
        // when
        let ack = HL7Acknowledgment.accept().message(replyingTo: message, controlID: "Y", at: now)
        // then
        #expect(ack.processingID == "T")
        #expect(ack.version == "2.3.1")
    }

    @Test func applicationErrorCarriesAnERRSegment() throws {
        // given
        let location = HL7Location(segment: "OBX", segmentIndex: 6, sequence: 2, field: 5)
        let acknowledgment = HL7Acknowledgment.error(.applicationInternalError, at: location, message: "Storage unavailable")
        // when
        let ack = acknowledgment.message(replyingTo: try incoming(), controlID: "ACK-2", at: now)
        // then
        #expect(ack.segments.map(\.name) == ["MSH", "MSA", "ERR"])
        #expect(ack["MSA", 1]?.text == "AE")
        #expect(ack["MSA", 2]?.text == "MSG00042")
        #expect(ack["MSA", 3]?.text == "Application internal error")
        let err = try #require(ack.segment(named: "ERR"))
        #expect(err[1]?.isEmpty == true)  // ERR-1 is only filled for v2.3/2.4 receivers
        #expect(err[2] == HL7Field(components: ["OBX", "2", "5"]))
        #expect(err[3] == HL7Field(components: ["207", "Application internal error", "HL70357"]))
        #expect(err.value(4) == "E")
        #expect(err.value(8) == "Storage unavailable")
    }

    @Test(arguments: [
        (HL7ErrorCode.unsupportedMessageType, "200"),
        (.unsupportedVersionID, "203"),
        (.requiredFieldMissing, "101"),
        (.dataTypeError, "102"),
        (.applicationInternalError, "207"),
    ])
    func rejectCarriesItsTable0357Code(code: HL7ErrorCode, number: String) throws {
        // when
        let ack = HL7Acknowledgment.reject(code).message(replyingTo: try incoming(), controlID: "ACK-3", at: now)
        // then
        #expect(ack["MSA", 1]?.text == "AR")
        #expect(ack["ERR", 3]?.value(component: 1) == number)
        #expect(ack["ERR", 3]?.value(component: 3) == "HL70357")
        #expect(ack["ERR", 4]?.text == "E")
    }

    @Test func olderVersionsAlsoGetERR1() throws {
        // given
        let message = try HL7Message.parse("MSH|^~\\&|A|B|C|D|20260315||ORU^R01|X1|P|2.4\r")
        let location = HL7Location(segment: "MSH", segmentIndex: 1, field: 12)
        // when
        let ack = HL7Acknowledgment.reject(.unsupportedVersionID, at: location).message(replyingTo: message, controlID: "Y", at: now)
        // then
        let err = try #require(ack.segment(named: "ERR"))
        #expect(err[1]?.value(component: 1) == "MSH")
        #expect(err[1]?.value(component: 3) == "12")
        #expect(err[1]?.value(component: 4, subcomponent: 1) == "203")
        #expect(err[3]?.value(component: 1) == "203")
    }

    @Test func minimalRejectForUnreadableInputIsStillAValidACK() throws {
        // given
        let error = try #require(throws: HL7ParseError.self) { try HL7Message.parse("garbage without a header") }
        // when
        let ack = HL7Acknowledgment(for: error).message(
            replyingToUnreadableInputWith: "ACK-4", at: now,
            sendingApplication: HL7HierarchicDesignator(namespaceID: "DEEPRELIEF")
        )
        let reread = try HL7Message.parse(ack.encoded())
        // then
        #expect(reread.messageType?.code == "ACK")
        #expect(reread.controlID == "ACK-4")
        #expect(reread.version == "2.5.1")
        #expect(reread.sendingApplication?.namespaceID == "DEEPRELIEF")
        #expect(reread["MSA", 1]?.text == "AR")
        #expect(reread["MSA", 2]?.isEmpty == true)
        #expect(reread["ERR", 3]?.value(component: 1) == "100")
    }

    @Test func replyToUnreadableMessageStillAddressesItsSenderWhenMSHIsReadable() throws {
        // given
        let payload = "MSH|^~\\&|GW|WARD|DEEPRELIEF|CLINIC|20260315||ORU^R01|C77|P|2.5\rPID|||1\rbad segment|x\r"
        let error = try #require(throws: HL7ParseError.self) { try HL7Message.parse(payload) }
        // when
        let ack = HL7Acknowledgment.reply(toUnreadable: payload, error: error, controlID: "ACK-5", at: now)
        // then
        #expect(ack["MSA", 1]?.text == "AE")
        #expect(ack["MSA", 2]?.text == "C77")
        #expect(ack.receivingApplication?.namespaceID == "GW")
        #expect(ack["ERR", 2]?.text == "")  // the bad segment has no readable name
        #expect(ack["ERR", 3]?.value(component: 1) == "100")
        #expect(ack["ERR", 8]?.text == "Message could not be read")
    }

    @Test func replyToAPayloadWithoutHeaderIsTheMinimalReject() throws {
        // given
        let payload = "PID|||1\r"
        let error = try #require(throws: HL7ParseError.self) { try HL7Message.parse(payload) }
        // when
        let ack = HL7Acknowledgment.reply(toUnreadable: payload, error: error, controlID: "ACK-6", at: now)
        // then
        #expect(ack["MSA", 1]?.text == "AR")
        #expect(ack["MSA", 2]?.isEmpty == true)
        #expect(ack.messageType?.code == "ACK")
    }

    @Test func replyKeepsTheSendersDelimiters() throws {
        // given
        let message = try HL7Message.parse("MSH#*!@%#GW#WARD#ME#HERE#20260315##ORU*R01#Z9#P#2.5\r")
        // when
        let text = HL7Acknowledgment.accept().message(replyingTo: message, controlID: "A", at: now).encoded()
        // then
        #expect(text.hasPrefix("MSH#*!@%#ME#HERE#GW#WARD#"))
        #expect(text.contains("ACK*R01*ACK#A#P#2.5\rMSA#AA#Z9\r"))
    }
}
