import Foundation
import NIOCore
import Testing
@testable import ClinicHL7

/// SplitMix64: a fixed-seed generator so every run tries the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct HL7RobustnessTests {
    static let alphabet: [UInt8] = Array("|^~\\&#\r\nMSHOBXPID0123456789.+-XFE ".utf8) + [0x0B, 0x1C, 0xC3, 0xA9, 0xFF, 0x00]

    static func mutate(_ base: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = base
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let position = Int.random(in: 0...bytes.count, using: &rng)
            let byte = alphabet.randomElement(using: &rng) ?? 0x41
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where position < bytes.count: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            default: if position < bytes.count { bytes.remove(at: position) }
            }
        }
        return bytes
    }

    @Test func mutatedMessagesFailCleanlyOrRoundTrip() throws {
        // given
        var rng = SeededGenerator(state: 42)
        let bases = [Array(SampleMessages.pcd01.utf8), Array(SampleMessages.loincVitals.utf8)]
        var parsed = 0
        for round in 0..<600 {
            let bytes = Self.mutate(bases[round % 2], using: &rng)
            // when
            guard let message = try? HL7Message.parse(bytes: bytes) else { continue }
            parsed += 1
            // then — what parses re-encodes to an equal message, and nothing downstream traps
            #expect(try HL7Message.parse(message.encoded()) == message, "round \(round)")
            _ = try? ORUResult(message, receivedAt: SampleMessages.receivedAt)
            let ack = HL7Acknowledgment.accept().message(replyingTo: message, controlID: "A", at: SampleMessages.receivedAt)
            #expect(try HL7Message.parse(ack.encoded()) == ack, "round \(round)")
        }
        #expect(parsed > 100)
    }

    @Test func randomStreamsDeframeTheSameWhateverTheChunking() {
        // given
        var rng = SeededGenerator(state: 7)
        let alphabet: [UInt8] = [0x0B, 0x1C, 0x0D, 0x0A, 0x41, 0x42]
        for round in 0..<300 {
            let stream = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0x41 }
            var cuts = Set<Int>()
            for _ in 0..<Int.random(in: 0...8, using: &rng) { cuts.insert(Int.random(in: 0...stream.count, using: &rng)) }
            // when
            let whole = MLLP.deframe(stream, maximumFrameSize: 6)
            let chunked = Self.deframe(stream, cuts: cuts.sorted(), maximumFrameSize: 6)
            // then
            #expect(chunked == whole, "round \(round)")
            #expect(Self.accountedBytes(whole) <= stream.count, "round \(round)")
        }
    }

    /// Feeds the decoder chunk by chunk into one growing buffer, as `ByteToMessageHandler` does.
    static func deframe(_ stream: [UInt8], cuts: [Int], maximumFrameSize: Int) -> [MLLPFrameEvent] {
        var decoder = MLLPFrameDecoder(maximumFrameSize: maximumFrameSize)
        var buffer = ByteBuffer()
        var events: [MLLPFrameEvent] = []
        var start = 0
        for cut in cuts + [stream.count] where cut >= start {
            buffer.writeBytes(stream[start..<cut])
            start = cut
            while let event = decoder.next(from: &buffer) { events.append(event) }
        }
        events += decoder.finish(&buffer)
        return events
    }

    static func accountedBytes(_ events: [MLLPFrameEvent]) -> Int {
        events.reduce(0) { total, event in
            switch event {
            case .frame(let payload): total + payload.readableBytes
            case .junkSkipped(let count), .oversize(let count, _), .abandoned(let count), .truncated(let count): total + count
            }
        }
    }
}
