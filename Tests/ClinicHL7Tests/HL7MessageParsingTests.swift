import Foundation
import Testing
@testable import ClinicHL7

@Suite struct HL7MessageParsingTests {
    @Test func readsTheStructureOfAMessage() throws {
        // given
        let text = "MSH|^~\\&|APP|FAC|||20260315||ORU^R01|1|P|2.5\rPID|||A~B^x^y&z||\r"
        // when
        let message = try HL7Message.parse(text)
        // then
        #expect(message.segments.map(\.name) == ["MSH", "PID"])
        let pid3 = try #require(message["PID", 3])
        #expect(pid3.repetitions.count == 2)
        #expect(pid3.value(repetition: 1) == "A")
        #expect(pid3.value(component: 1, repetition: 2) == "B")
        #expect(pid3.value(component: 2, repetition: 2) == "x")
        #expect(pid3.value(component: 3, subcomponent: 1, repetition: 2) == "y")
        #expect(pid3.value(component: 3, subcomponent: 2, repetition: 2) == "z")
        #expect(pid3.value(component: 4, repetition: 2) == nil)
    }

    @Test func partsAreEqualHoweverTheyWereBuiltOrChanged() throws {
        // A part of one piece is held inline, of two or more in an array: the two must never tell equal values apart.
        var built = HL7Field()
        built.repetitions = [HL7Repetition(components: [HL7Component(subcomponents: ["x"])])]
        #expect(built == HL7Field("x"))
        #expect(built.hashValue == HL7Field("x").hashValue)
        #expect(built.repetitions.count == 1 && built.repetitions[0].components == [HL7Component("x")])
        // growing a part to two pieces and shrinking it back
        var field = HL7Field("A")
        field.repetitions.append(HL7Repetition(components: [HL7Component("B"), HL7Component(subcomponents: ["y", "z"])]))
        #expect(field == (try HL7Message.parse("MSH|^~\\&\rPID|||A~B^y&z")["PID", 3]))
        #expect(field.value(component: 2, subcomponent: 2, repetition: 2) == "z")
        field.repetitions.removeLast()
        field.repetitions[0].components[0].subcomponents = ["A"]
        #expect(field == HL7Field("A"))
        #expect(Set([field, HL7Field("A"), HL7Field(components: ["A"])]).count == 1)
        // an emptied part is one empty piece, as a parsed `||` is
        field.repetitions = []
        #expect(field == (try HL7Message.parse("MSH|^~\\&\rPID|||")["PID", 3]))
        #expect(field.isEmpty && field.repetitionCount == 1)
        #expect(HL7Component(subcomponents: []) == HL7Component())
        #expect(HL7Field("\"\"").isExplicitNull && !HL7Field(components: ["\"\"", "x"]).isExplicitNull)
    }

    @Test func numbersMSHFieldsFromTheFieldSeparator() throws {
        // given
        let text = "MSH|^~\\&|SENDER|SITE|RECEIVER|DEST|20260315143005||ORU^R01^ORU_R01|MSG1|T|2.6"
        // when
        let message = try HL7Message.parse(text)
        // then
        #expect(message["MSH", 1]?.text == "|")
        #expect(message["MSH", 2]?.text == "^~\\&")
        #expect(message["MSH", 3]?.text == "SENDER")
        #expect(message["MSH", 9]?.value(component: 2) == "R01")
        #expect(message.sendingApplication?.namespaceID == "SENDER")
        #expect(message.sendingFacility?.namespaceID == "SITE")
        #expect(message.receivingApplication?.namespaceID == "RECEIVER")
        #expect(message.receivingFacility?.namespaceID == "DEST")
        #expect(message.messageType == HL7MessageType(code: "ORU", trigger: "R01", structure: "ORU_R01"))
        #expect(message.controlID == "MSG1")
        #expect(message.processingID == "T")
        #expect(message.version == "2.6")
        #expect(message.timestamp() == Date(timeIntervalSince1970: 1_773_585_005))
    }

    @Test func readsHierarchicDesignatorComponents() throws {
        // given
        let message = try HL7Message.parse("MSH|^~\\&|GW^0123456789ABCDEF^EUI-64|||||||1|P|2.6")
        // when
        let sender = try #require(message.sendingApplication)
        // then
        #expect(sender == HL7HierarchicDesignator(namespaceID: "GW", universalID: "0123456789ABCDEF", universalIDType: "EUI-64"))
        #expect(message.sendingFacility == nil)
    }

    @Test func readsCustomSeparators() throws {
        // given — field #, component *, repetition !, escape @, subcomponent %
        let text = "MSH#*!@%#APP#FAC#####ORU*R01#7#P#2.5\rPID###A*B%C!D*E@F@#\r"
        // when
        let message = try HL7Message.parse(text)
        // then
        #expect(message.delimiters == HL7Delimiters(field: "#", component: "*", repetition: "!", escape: "@", subcomponent: "%"))
        #expect(message.messageType?.trigger == "R01")
        let pid3 = try #require(message["PID", 3])
        #expect(pid3.value(component: 2, subcomponent: 2) == "C")
        #expect(pid3.value(component: 2, repetition: 2) == "E#")
    }

    @Test func readsTheTruncationCharacterOfVersion27() throws {
        // given
        let text = "MSH|^~\\&#|APP|||||||1|P|2.7\rNTE|||cut\\P\\here#\r"
        // when
        let message = try HL7Message.parse(text)
        // then
        #expect(message.delimiters.truncation == "#")
        #expect(message["NTE", 3]?.text == "cut#here#")
    }

    @Test(arguments: ["\r", "\n", "\r\n"])
    func acceptsEverySegmentTerminator(terminator: String) throws {
        // given
        let text = ["MSH|^~\\&|APP|||||||1|P|2.5", "PID|||42", "OBX|1|NM|x||5"].joined(separator: terminator) + terminator
        // when
        let message = try HL7Message.parse(text)
        // then
        #expect(message.segments.map(\.name) == ["MSH", "PID", "OBX"])
        #expect(message["OBX", 5]?.text == "5")
    }

    @Test func tellsEmptyFieldsFromAbsentOnesAndExplicitNull() throws {
        // given
        let message = try HL7Message.parse("MSH|^~\\&|APP|||||||1|P|2.5\rPID|1||\"\"||")
        // when
        let pid = try #require(message.segment(named: "PID"))
        // then
        #expect(pid.fields.count == 5)
        #expect(pid[2]?.isEmpty == true)          // sent empty
        #expect(pid[3]?.isExplicitNull == true)   // sent as "" — delete the value
        #expect(pid[3]?.isEmpty == false)
        #expect(pid[5]?.isEmpty == true)
        #expect(pid[6] == nil)                    // not sent at all
        #expect(pid.value(6) == nil)
        #expect(pid.value(2) == "")
    }

    @Test func skipsBlankLinesAndAByteOrderMark() throws {
        // given
        let text = "\u{FEFF}MSH|^~\\&|APP|||||||1|P|2.5\r\n\r\nPID|||42\r\n   \r\n"
        // when
        let message = try HL7Message.parse(text)
        // then
        #expect(message.segments.map(\.name) == ["MSH", "PID"])
    }

    @Test func readsBytesAsUTF8OrElseLatin1() throws {
        // given
        let utf8 = Array("MSH|^~\\&|APP|||||||1|P|2.5\rPID|||Zoë\r".utf8)
        var latin1 = Array("MSH|^~\\&|APP|||||||1|P|2.5\rPID|||Zo".utf8)
        latin1 += [0xEB, 0x0D]
        // when
        let fromUTF8 = try HL7Message.parse(bytes: utf8)
        let fromLatin1 = try HL7Message.parse(bytes: latin1)
        // then
        #expect(fromUTF8["PID", 3]?.text == "Zoë")
        #expect(fromLatin1["PID", 3]?.text == "Zoë")
    }

    @Test func refusesAnEmptyPayload() {
        #expect(throws: HL7ParseError.empty) { try HL7Message.parse("\r\n\r") }
    }

    @Test func refusesAMessageNotStartingWithMSH() {
        #expect(throws: HL7ParseError.missingHeader(HL7Location(segment: "PID", segmentIndex: 1))) {
            try HL7Message.parse("PID|||42\rMSH|^~\\&|APP")
        }
    }

    @Test(arguments: ["MSH|^~", "MSH|^~\\&&|A", "MSH|^^\\&|A", "MSH|^~\\A|A", "MSH|^~\\&^^|A", "MSH ^~\\&"])
    func refusesUnusableDelimiters(text: String) {
        #expect(throws: HL7ParseError.self) { try HL7Message.parse(text) }
    }

    @Test func reportsTheDelimiterProblemAtMSH2() {
        #expect(throws: HL7ParseError.invalidDelimiters(HL7Location(segment: "MSH", segmentIndex: 1, field: 2), reason: "separators must be distinct printable punctuation")) {
            try HL7Message.parse("MSH|^^\\&|APP")
        }
    }

    @Test func reportsABadSegmentNameByPositionOnly() throws {
        // given
        let text = "MSH|^~\\&|APP|||||||1|P|2.5\rPID|||42\rsecret patient text|x\r"
        // when
        let error = try #require(throws: HL7ParseError.self) { try HL7Message.parse(text) }
        // then
        #expect(error == .invalidSegmentName(HL7Location(segment: nil, segmentIndex: 3)))
        #expect(!error.description.contains("secret"))
        #expect(error.errorCode == .segmentSequenceError)
    }

    @Test func parsesOnlyTheHeaderWhenAsked() throws {
        // given — the third segment would fail a full parse
        let text = "MSH|^~\\&|APP|||||||CTRL9|P|2.5\rPID|||42\rbad|x\r"
        // when
        let header = try HL7Message.parseHeader(text)
        // then
        #expect(header.segments.count == 1)
        #expect(header.controlID == "CTRL9")
    }

    @Test func collectsHeaderFactsInOneValue() throws {
        // given
        let message = try HL7Message.parse(SampleMessages.pcd01)
        // when
        let header = message.header()
        // then
        #expect(header.controlID == "MSG00042")
        #expect(header.version == "2.6")
        #expect(header.processingID == "P")
        #expect(header.timestamp == SampleMessages.pcdMessageTime)
        #expect(header.messageType?.description == "ORU^R01^ORU_R01")
        #expect(header.sendingApplication?.universalIDType == "EUI-64")
    }
}

@Suite struct HL7MessageEncodingTests {
    @Test(arguments: [
        SampleMessages.pcd01,
        SampleMessages.loincVitals,
        "MSH#*!@%#APP#FAC#####ORU*R01#7#P#2.5\rPID###A*B%C!D*E@F@#\r",
        "MSH|^~\\&#|APP|||||||1|P|2.7\rNTE|||cut\\P\\here\r",
        "MSH|^~\\&|A|||||||1|P|2.5\rMSH|^~\\&|B^x|||||||2|P|2.5\rMSH\rMSH|^~\\&\rMSH|raw\r",
        "MSH|^~\\&|APP|||||||1|P|2.5\rNTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\X0D\\\rPID|\rPV1\r",
    ])
    func reencodesToTheSameText(text: String) throws {
        // given
        let message = try HL7Message.parse(text)
        // when
        let encoded = message.encoded()
        // then
        #expect(encoded == text)
        #expect(try HL7Message.parse(encoded) == message)
    }

    @Test func escapesEveryDelimiterInValues() throws {
        // given
        var note = HL7Segment("NTE")
        note[3] = HL7Field("a|b^c&d~e\\f\ng\rh\u{7}")
        let message = HL7Message(segments: [HL7Segment("MSH", fields: []), note])
        // when
        let encoded = message.encoded()
        // then
        #expect(encoded == "MSH|^~\\&\rNTE|||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\X0D\\h\\X07\\\r")
        #expect(try HL7Message.parse(encoded)["NTE", 3]?.text == "a|b^c&d~e\\f\ng\rh\u{7}")
    }

    @Test func roundTripsValuesUnderCustomSeparators() throws {
        // given — values that hold the standard separators and the custom ones
        var note = HL7Segment("NTE")
        note[3] = HL7Field(components: ["x|y^z", "#*!@%"])
        let custom = HL7Delimiters(field: "#", component: "*", repetition: "!", escape: "@", subcomponent: "%")
        let message = HL7Message(delimiters: custom, segments: [HL7Segment("MSH"), note])
        // when
        let encoded = message.encoded()
        let back = try HL7Message.parse(encoded)
        // then
        #expect(encoded.hasPrefix("MSH#*!@%\rNTE###x|y^z*@F@@S@@R@@E@@T@"))
        #expect(back == message)
        #expect(back["NTE", 3]?.value(component: 2) == "#*!@%")
    }

    @Test func writesTheMessageDelimitersIntoMSH() throws {
        // given
        var message = try HL7Message.parse("MSH|^~\\&|APP|||||||1|P|2.5\rNTE|||a^b\r")
        // when
        message.delimiters = HL7Delimiters(field: "#", component: "*", repetition: "!", escape: "@", subcomponent: "%")
        // then
        #expect(message.encoded() == "MSH#*!@%#APP#######1#P#2.5\rNTE###a*b\r")
        #expect(message["MSH", 1]?.text == "#")
        #expect(message["MSH", 2]?.text == "*!@%")
    }

    @Test func aLaterMSHKeepsItsOwnFieldNumbering() throws {
        // given — a batch-style second header
        let message = try HL7Message.parse("MSH|^~\\&|A|||||||1|P|2.5\rMSH|^~\\&|B^x|||||||2|P|2.5\r")
        // when
        let second = message.segments[1]
        // then
        #expect(second[2]?.text == "^~\\&")
        #expect(second[3]?.value(component: 2) == "x")
        #expect(second.value(10) == "2")
    }

    @Test func settingAFieldBeyondTheEndPadsWithEmptyFields() {
        // given
        var segment = HL7Segment("OBX")
        // when
        segment[5] = HL7Field("98")
        // then
        #expect(segment.fields.count == 5)
        #expect(segment[4]?.isEmpty == true)
        #expect(HL7Message(segments: [HL7Segment("MSH"), segment]).encoded() == "MSH|^~\\&\rOBX|||||98\r")
    }
}

@Suite struct HL7EscapingTests {
    let delimiters = HL7Delimiters.standard

    @Test(arguments: [
        ("\\F\\", "|"), ("\\S\\", "^"), ("\\T\\", "&"), ("\\R\\", "~"), ("\\E\\", "\\"),
        ("\\.br\\", "\n"), ("\\X41\\", "A"), ("\\X4142\\", "AB"), ("\\Xc3a9\\", "é"), ("\\XC3\\\\XA9\\", "é"),
        ("\\XE9\\", "é"),  // not UTF-8 on its own: read as ISO-8859-1
        ("a\\F\\b", "a|b"),
    ])
    func resolvesKnownEscapes(escaped: String, plain: String) {
        #expect(delimiters.unescape(escaped.unicodeScalars) == plain)
    }

    @Test(arguments: [
        "\\H\\bold\\N\\", "\\Z1234\\", "\\.sp\\", "\\X4\\", "\\XZZ\\", "\\X\\", "\\\\", "open\\F", "\\P\\",
    ])
    func keepsUnknownOrBrokenEscapesLiterally(text: String) {
        #expect(delimiters.unescape(text.unicodeScalars) == text)
    }

    @Test func splitsBeforeUnescaping() throws {
        // given — an escaped separator must not split the field
        let message = try HL7Message.parse("MSH|^~\\&|APP\rNTE|||one\\S\\two^three\r")
        // when
        let field = try #require(message["NTE", 3])
        // then
        #expect(field.value(component: 1) == "one^two")
        #expect(field.value(component: 2) == "three")
    }

    @Test func escapesUnderCustomSeparators() {
        // given
        let custom = HL7Delimiters(field: "#", component: "*", repetition: "!", escape: "@", subcomponent: "%")
        // when / then
        #expect(custom.escape("#*!@%|^") == "@F@@S@@R@@E@@T@|^")
        #expect(custom.unescape("@F@@S@@R@@E@@T@|^".unicodeScalars) == "#*!@%|^")
    }

    @Test func validatesDelimiterSets() {
        #expect(HL7Delimiters.standard.isValid)
        #expect(!HL7Delimiters(field: "|", component: "|", repetition: "~", escape: "\\", subcomponent: "&").isValid)
        #expect(!HL7Delimiters(field: "|", component: "A", repetition: "~", escape: "\\", subcomponent: "&").isValid)
        #expect(!HL7Delimiters(field: "|", component: "^", repetition: "~", escape: "\\", subcomponent: "&", truncation: "~").isValid)
    }
}
