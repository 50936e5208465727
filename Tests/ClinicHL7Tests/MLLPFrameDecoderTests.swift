import NIOCore
import NIOEmbedded
import Testing
@testable import ClinicHL7

/// Feeds chunks through a real `ByteToMessageHandler` in an `EmbeddedChannel` and collects the events,
/// including those fired at EOF.
func decodeThroughChannel(_ chunks: [[UInt8]], maximumFrameSize: Int = MLLP.defaultMaximumFrameSize, closeAtEnd: Bool = true) throws -> [MLLPFrameEvent] {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(MLLPFrameDecoder(maximumFrameSize: maximumFrameSize)))
    var events: [MLLPFrameEvent] = []
    for chunk in chunks {
        try channel.writeInbound(ByteBuffer(bytes: chunk))
        while let event = try channel.readInbound(as: MLLPFrameEvent.self) { events.append(event) }
    }
    if closeAtEnd {
        try channel.close().wait()
        while let event = try channel.readInbound(as: MLLPFrameEvent.self) { events.append(event) }
        _ = try channel.finish(acceptAlreadyClosed: true)
    } else {
        _ = try channel.finish()
    }
    return events
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func frame(_ text: String) -> MLLPFrameEvent { .frame(ByteBuffer(string: text)) }

@Suite struct MLLPFrameDecoderTests {
    let message = "MSH|^~\\&|GW|||||||1|P|2.6\rOBX|1|NM|8867-4^HR^LN||72|/min\r"

    @Test func decodesOneFrame() throws {
        // given
        let stream = MLLP.frame(bytes(message))
        // when
        let events = try decodeThroughChannel([stream])
        // then
        #expect(events == [frame(message)])
    }

    @Test func skipsAndCountsJunkBeforeTheStartBlock() throws {
        // given
        let stream = bytes("\r\nhello") + MLLP.frame(bytes("A")) + [0x0A] + MLLP.frame(bytes("B"))
        // when
        let events = try decodeThroughChannel([stream])
        // then
        #expect(events == [.junkSkipped(byteCount: 7), frame("A"), .junkSkipped(byteCount: 1), frame("B")])
    }

    @Test func reassemblesAFrameFedByteByByte() throws {
        // given
        let stream = bytes("xx") + MLLP.frame(bytes(message)) + MLLP.frame(bytes("second"))
        // when
        let events = try decodeThroughChannel(stream.map { [$0] })
        // then
        #expect(events == [.junkSkipped(byteCount: 2), frame(message), frame("second")])
    }

    @Test func decodesSeveralFramesFromOneRead() throws {
        // given
        let stream = MLLP.frame(bytes("one")) + MLLP.frame(bytes("two")) + MLLP.frame(bytes("three"))
        // when
        let events = try decodeThroughChannel([stream])
        // then
        #expect(events == [frame("one"), frame("two"), frame("three")])
    }

    @Test func anEndBlockWithoutCarriageReturnIsPayload() throws {
        // given — 0x1C followed by 'x', then a 0x1C at a read boundary followed by 0x1C 0x0D
        let stream: [UInt8] = [0x0B, 0x41, 0x1C, 0x78, 0x1C, 0x1C, 0x0D]
        // when
        let whole = try decodeThroughChannel([stream])
        let split = try decodeThroughChannel([Array(stream[0..<5]), Array(stream[5...])])
        // then
        #expect(whole == [.frame(ByteBuffer(bytes: [0x41, 0x1C, 0x78, 0x1C]))])
        #expect(split == whole)
    }

    @Test func aNewStartBlockAbandonsThePartialFrame() throws {
        // given
        let stream = bytes("\u{0B}partial") + MLLP.frame(bytes("whole"))
        // when
        let events = try decodeThroughChannel([stream])
        // then
        #expect(events == [.abandoned(byteCount: 7), frame("whole")])
    }

    @Test func reportsAPartialFrameAtEOF() throws {
        // given
        let stream = MLLP.frame(bytes("ok")) + bytes("\u{0B}cut off\u{1C}")
        // when
        let events = try decodeThroughChannel([stream])
        // then
        #expect(events == [frame("ok"), .truncated(byteCount: 8)])
    }

    @Test func reportsJunkPendingAtEOF() throws {
        #expect(try decodeThroughChannel([bytes("noise")]) == [.junkSkipped(byteCount: 5)])
    }

    @Test func nothingIsReportedForACleanClose() throws {
        #expect(try decodeThroughChannel([MLLP.frame(bytes("a"))]) == [frame("a")])
        #expect(try decodeThroughChannel([]) == [])
    }

    @Test func dropsAnOversizeFrameToItsEndAndKeepsTheConnection() throws {
        // given — a 10-byte limit; the oversize frame's first segment is kept as its header
        let big = "MSH|^~\\&|GW\rOBX|1|NM|lots of data"
        let stream = MLLP.frame(bytes(big)) + MLLP.frame(bytes("small"))
        // when
        let events = try decodeThroughChannel([stream], maximumFrameSize: 10)
        // then
        #expect(events == [.oversize(byteCount: big.utf8.count, header: ByteBuffer(string: "MSH|^~\\&|G")), frame("small")])
    }

    @Test func theHeaderOfAnOversizeFrameIsItsFirstSegment() throws {
        // given
        let big = "MSH|^~\\&|GW|||||||C1|P|2.6\r" + String(repeating: "OBX|1|NM|x||1\r", count: 20)
        // when
        let events = try decodeThroughChannel([MLLP.frame(bytes(big))], maximumFrameSize: 100)
        // then
        guard case .oversize(let count, let header) = events.first else {
            Issue.record("expected .oversize, got \(events)")
            return
        }
        #expect(count == big.utf8.count)
        #expect(try HL7Message.parse(header).controlID == "C1")
    }

    @Test func aFrameOfExactlyTheMaximumSizeIsDelivered() throws {
        #expect(try decodeThroughChannel([MLLP.frame(bytes("0123456789"))], maximumFrameSize: 10) == [frame("0123456789")])
        #expect(try decodeThroughChannel([MLLP.frame(bytes("01234567890"))], maximumFrameSize: 10)
            == [.oversize(byteCount: 11, header: ByteBuffer(string: "0123456789"))])
    }

    @Test func anOversizeFrameCutByANewStartIsAbandoned() throws {
        // given
        let stream = bytes("\u{0B}0123456789ABCDEF") + MLLP.frame(bytes("next"))
        // when
        let events = try decodeThroughChannel([stream], maximumFrameSize: 10)
        // then
        #expect(events == [.abandoned(byteCount: 16), frame("next")])
    }

    @Test func anOversizeFrameWithoutEndIsTruncatedAtEOF() throws {
        #expect(try decodeThroughChannel([bytes("\u{0B}0123456789ABCDEF\u{1C}")], maximumFrameSize: 10) == [.truncated(byteCount: 17)])
    }

    @Test func longJunkIsReportedInChunksOfTheMaximumSize() throws {
        // given
        let junk = [UInt8](repeating: 0x41, count: 25)
        // when
        let events = try decodeThroughChannel([junk + MLLP.frame(bytes("a"))], maximumFrameSize: 10)
        // then
        #expect(events == [.junkSkipped(byteCount: 10), .junkSkipped(byteCount: 10), .junkSkipped(byteCount: 5), frame("a")])
    }

    /// The decoder's events must not depend on how the stream is cut into reads (what NIO's
    /// `ByteToMessageDecoderVerifier` checks); tried here with every two-way split and byte by byte.
    @Test(arguments: [
        MLLPStreams.mixed, MLLPStreams.oversize, MLLPStreams.endBlocks, MLLPStreams.truncatedOversize,
    ])
    func eventsDoNotDependOnHowReadsAreSplit(stream: [UInt8]) throws {
        // given
        let reference = try decodeThroughChannel([stream], maximumFrameSize: 8)
        // when / then
        for cut in 0...stream.count {
            let split = try decodeThroughChannel([Array(stream[..<cut]), Array(stream[cut...])], maximumFrameSize: 8)
            #expect(split == reference, "split at \(cut)")
        }
        #expect(try decodeThroughChannel(stream.map { [$0] }, maximumFrameSize: 8) == reference)
        #expect(MLLP.deframe(stream, maximumFrameSize: 8) == reference)
    }

    @Test func theChannelStaysUsableAfterEveryReport() throws {
        // given — junk, an oversize frame, an abandoned one, then a good one, without closing
        let stream = bytes("junk") + MLLP.frame(bytes("0123456789abcdef")) + bytes("\u{0B}half") + MLLP.frame(bytes("good"))
        // when
        let events = try decodeThroughChannel([stream], maximumFrameSize: 8, closeAtEnd: false)
        // then
        #expect(events.last == frame("good"))
        #expect(events.count == 4)
    }
}

enum MLLPStreams {
    static let mixed = bytes("??") + MLLP.frame(bytes("abc")) + [0x0A] + MLLP.frame(bytes("de\u{1C}f")) + bytes("\u{0B}gh") + MLLP.frame(bytes("ij"))
    static let oversize = MLLP.frame(bytes("0123456789\r12")) + MLLP.frame(bytes("ok")) + bytes("zzzzzzzzzzzzzzzzzz")
    static let endBlocks: [UInt8] = [0x0B, 0x1C, 0x1C, 0x41, 0x1C, 0x0B, 0x1C, 0x0D, 0x1C, 0x0D, 0x0B, 0x41]
    static let truncatedOversize = bytes("\u{0B}0123456789abc\u{1C}\u{1C}")
}

@Suite struct MLLPFrameEncoderTests {
    @Test func wrapsPayloadsInAChannel() throws {
        // given
        let channel = EmbeddedChannel(handler: MessageToByteHandler(MLLPFrameEncoder()))
        // when
        try channel.writeOutbound(ByteBuffer(string: "MSH|^~\\&\r"))
        // then
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(written.readableBytesView) == [0x0B] + bytes("MSH|^~\\&\r") + [0x1C, 0x0D])
        _ = try channel.finish()
    }

    @Test func staticFramingMatchesTheEncoder() throws {
        // given
        var out = ByteBuffer()
        // when
        try MLLPFrameEncoder().encode(data: ByteBuffer(string: "abc"), out: &out)
        // then
        #expect(Array(out.readableBytesView) == MLLP.frame(bytes("abc")))
        #expect(MLLP.frame(bytes("abc")) == [0x0B, 0x61, 0x62, 0x63, 0x1C, 0x0D])
    }

    @Test func aFramedMessageDecodesBackToTheSameMessage() throws {
        // given
        let message = try HL7Message.parse(SampleMessages.pcd01)
        // when
        let events = MLLP.deframe(MLLP.frame(message))
        // then
        guard case .frame(let payload) = events.first else {
            Issue.record("expected a frame, got \(events)")
            return
        }
        #expect(events.count == 1)
        #expect(try HL7Message.parse(payload) == message)
    }
}
