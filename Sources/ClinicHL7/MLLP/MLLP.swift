import NIOCore

/// Minimal Lower Layer Protocol framing (HL7 v2.5.1 Appendix C.4): `0x0B payload 0x1C 0x0D`.
public enum MLLP {
    /// Start block, vertical tab.
    public static let startBlock: UInt8 = 0x0B
    /// End block, file separator.
    public static let endBlock: UInt8 = 0x1C
    /// Carriage return after the end block.
    public static let carriageReturn: UInt8 = 0x0D
    /// The default largest payload a decoder accepts: 1 MiB.
    public static let defaultMaximumFrameSize = 1 << 20

    /// Wraps a payload in a frame.
    public static func frame(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var framed: [UInt8] = [startBlock]
        framed.append(contentsOf: bytes)
        framed.append(contentsOf: [endBlock, carriageReturn])
        return framed
    }

    /// Wraps a message, as UTF-8, in a frame.
    public static func frame(_ message: HL7Message) -> [UInt8] {
        frame(message.encoded().utf8)
    }

    /// Splits a complete byte stream into frames and reports, as a channel's decoder would; the
    /// stream's end counts as EOF.
    public static func deframe(_ bytes: some Sequence<UInt8>, maximumFrameSize: Int = defaultMaximumFrameSize) -> [MLLPFrameEvent] {
        var decoder = MLLPFrameDecoder(maximumFrameSize: maximumFrameSize)
        var buffer = ByteBuffer(bytes: Array(bytes))
        var events: [MLLPFrameEvent] = []
        while let event = decoder.next(from: &buffer) { events.append(event) }
        events += decoder.finish(&buffer)
        return events
    }
}

extension HL7Message {
    /// Reads a message from a frame's payload: UTF-8 when valid, otherwise ISO-8859-1.
    public static func parse(_ payload: ByteBuffer) throws(HL7ParseError) -> HL7Message {
        try parse(bytes: payload.readableBytesView)
    }
}
