import Foundation
import NIOCore

/// Acknowledgments to one sender's messages, encoded once: the bytes `HL7Acknowledgment.message(replyingTo:controlID:at:timeZone:)`
/// then `encodedBytes()` give, with only MSH-7 (time), MSH-10 (the ACK's control id) and MSA-2 (the incoming MSH-10)
/// written per reply. A monitor's messages differ in those fields only, so the ingest listener builds one template per
/// connection and header (see `Key`) instead of a message tree per ACK.
public struct HL7AcknowledgmentTemplate: Sendable {
    /// Everything an ACK takes from the message it answers, except MSH-10: equal keys give equal templates.
    public struct Key: Sendable, Hashable {
        var delimiters: HL7Delimiters
        /// MSH-3…MSH-6 as received.
        var sendingApplication: HL7Field?
        var sendingFacility: HL7Field?
        var receivingApplication: HL7Field?
        var receivingFacility: HL7Field?
        /// MSH-9.2 (nil when MSH-9 has no message code).
        var trigger: String?
        /// MSH-11.1 and MSH-12.1.
        var processingID: String?
        var version: String?

        /// The key of a parsed message.
        public init(_ incoming: HL7Message) {
            let msh = incoming.segment(named: "MSH")
            delimiters = incoming.delimiters
            sendingApplication = msh?[3]
            sendingFacility = msh?[4]
            receivingApplication = msh?[5]
            receivingFacility = msh?[6]
            trigger = incoming.messageType?.trigger
            processingID = incoming.processingID
            version = incoming.version
        }
    }

    /// The header this template answers.
    public let key: Key
    /// The replies it holds, in the order `write` takes their index.
    public let acknowledgments: [HL7Acknowledgment]
    /// The zone MSH-7 is written in.
    public let timeZone: TimeZone
    /// `MSH|^~\&|…|MSH-6|` — up to MSH-7.
    private let head: [UInt8]
    /// `|MSH-8|MSH-9|` — between MSH-7 and MSH-10.
    private let middle: [UInt8]
    /// Per acknowledgment: from the end of MSH-10 to MSA-2, and from the end of MSA-2 to the end.
    private let tails: [(beforeEcho: [UInt8], afterEcho: [UInt8])]
    /// The reply's delimiters (the incoming ones, without a truncation character before v2.7), which values are escaped with.
    private let replyDelimiters: HL7Delimiters
    /// Bit n set: byte n (< 128) is one of `replyDelimiters` — a value holding one is escaped.
    private let special: (low: UInt64, high: UInt64)
    /// The header of the incoming message (for replies the template does not hold, such as AE after a failed store).
    private let header: HL7Segment

    /// Encodes `acknowledgments` as replies to `incoming`; nil when its field separator is not ASCII (never for a
    /// parsed message).
    public init?(replyingTo incoming: HL7Message, acknowledgments: [HL7Acknowledgment], timeZone: TimeZone = .gmt) {
        guard incoming.delimiters.field.isASCII, let msh = incoming.segment(named: "MSH"), !acknowledgments.isEmpty else { return nil }
        let separator = UInt8(incoming.delimiters.field.value)
        var replyDelimiters = incoming.delimiters
        var head: [UInt8] = []
        var middle: [UInt8] = []
        var tails: [(beforeEcho: [UInt8], afterEcho: [UInt8])] = []
        for (index, acknowledgment) in acknowledgments.enumerated() {
            // The reply with MSH-7, MSH-10 and MSA-2 empty, cut where they go.
            var reply = acknowledgment.message(replyingTo: incoming, controlID: "", at: Date(timeIntervalSince1970: 0), timeZone: timeZone)
            guard reply.segments.count >= 2, reply.segments[1].name == "MSA" else { return nil }
            reply.segments[0][7] = HL7Field()
            reply.segments[1][2] = HL7Field()
            if index == 0 {
                replyDelimiters = reply.delimiters
            } else if reply.delimiters != replyDelimiters {
                return nil
            }
            let bytes = reply.encodedBytes()
            guard let segmentEnd = bytes.firstIndex(of: 0x0D) else { return nil }
            let separators = bytes[..<segmentEnd].indices.filter { bytes[$0] == separator }
            // MSH|^~\&|3|4|5|6|7|8|9|10|…: MSH-7 starts after the 6th separator, MSH-10 after the 9th; both empty here.
            guard separators.count >= 10, separators[6] == separators[5] + 1, separators[9] == separators[8] + 1 else { return nil }
            let msaStart = segmentEnd + 1
            let msaSeparators = bytes[msaStart...].indices.filter { bytes[$0] == separator }
            guard msaSeparators.count >= 2 else { return nil }
            let echoAt = msaSeparators[1] + 1  // MSA-2 is empty: the next byte ends it
            let thisHead = Array(bytes[...separators[5]])
            let thisMiddle = Array(bytes[separators[6]...separators[8]])
            if index == 0 {
                head = thisHead
                middle = thisMiddle
            } else if thisHead != head || thisMiddle != middle {
                return nil
            }
            tails.append((Array(bytes[separators[9]..<echoAt]), Array(bytes[echoAt...])))
        }
        self.key = Key(incoming)
        self.acknowledgments = acknowledgments
        self.timeZone = timeZone
        self.head = head
        self.middle = middle
        self.tails = tails
        var low: UInt64 = 0
        var high: UInt64 = 0
        for scalar in replyDelimiters.all {
            // A non-ASCII separator (never in a parsed message) would need a check by scalar: no template then.
            guard scalar.isASCII else { return nil }
            let byte = UInt8(scalar.value)
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        self.replyDelimiters = replyDelimiters
        self.special = (low, high)
        self.header = msh
    }

    /// The incoming header with `controlID` as MSH-10: enough for `HL7Acknowledgment.message(replyingTo:…)`.
    public func incomingHeader(controlID: String) -> HL7Message {
        var msh = header
        msh[10] = HL7Field(controlID)
        return HL7Message(delimiters: key.delimiters, synchronisedSegments: [msh])
    }

    /// The MSH-7 text of a reply at `time` (in `timeZone`).
    public func timestamp(_ time: Date) -> String {
        HL7Timestamp.format(time, timeZone: timeZone)
    }

    /// Appends reply `index` (of `acknowledgments`) to `buffer`: MSH-7 `timestamp` (see `timestamp(_:)`), MSH-10
    /// `controlID`, MSA-2 `incomingControlID`.
    public func write(_ index: Int, timestamp: String, controlID: String, echoing incomingControlID: String, into buffer: inout ByteBuffer) {
        let tail = tails[index]
        buffer.reserveCapacity(minimumWritableBytes: head.count + middle.count + tail.beforeEcho.count + tail.afterEcho.count
                                                     + timestamp.utf8.count + controlID.utf8.count + incomingControlID.utf8.count)
        buffer.writeBytes(head)
        writeValue(timestamp, into: &buffer)
        buffer.writeBytes(middle)
        writeValue(controlID, into: &buffer)
        buffer.writeBytes(tail.beforeEcho)
        writeValue(incomingControlID, into: &buffer)
        buffer.writeBytes(tail.afterEcho)
    }

    /// Reply `index` as bytes (see `write`).
    public func encodedBytes(_ index: Int, timestamp: String, controlID: String, echoing incomingControlID: String) -> [UInt8] {
        var buffer = ByteBuffer()
        write(index, timestamp: timestamp, controlID: controlID, echoing: incomingControlID, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// A field of one plain value, escaped as `HL7Message.encoded()` escapes it (`HL7Delimiters.escape`); values
    /// with nothing to escape — time stamps, control ids — are copied as they are.
    private func writeValue(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        let plain = text.withUTF8 { bytes in
            bytes.allSatisfy { byte in
                byte >= 0x80 || (byte >= 0x20 && byte != 0x7F
                    && (byte < 64 ? (special.low >> UInt64(byte)) & 1 == 0 : (special.high >> UInt64(byte - 64)) & 1 == 0))
            }
        }
        if plain {
            buffer.writeString(text)
        } else {
            buffer.writeString(replyDelimiters.escape(text))
        }
    }
}
