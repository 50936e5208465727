import NIOCore

/// What the MLLP decoder found in the byte stream. Everything but `.frame` is a report the connection
/// survives; none carries payload bytes except `.frame` and the header of `.oversize`.
public enum MLLPFrameEvent: Sendable, Hashable {
    /// A complete payload (without `0x0B` and `0x1C 0x0D`).
    case frame(ByteBuffer)
    /// Bytes outside any frame were dropped: reported when the next start block arrives, at EOF, and
    /// whenever the count reaches the maximum frame size (so a stream of junk is still seen).
    case junkSkipped(byteCount: Int)
    /// A frame larger than the maximum was dropped up to its end block. `header` holds its first
    /// segment (up to 4 KiB, at most the maximum size), enough to address an AR to the sender.
    case oversize(byteCount: Int, header: ByteBuffer)
    /// A partial frame was dropped because a new start block arrived before its end block.
    case abandoned(byteCount: Int)
    /// The stream ended inside a frame; the partial payload was dropped.
    case truncated(byteCount: Int)
}

/// Splits an MLLP byte stream into frames (HL7 v2.5.1 Appendix C.4; DESIGN §6). One per connection.
///
/// Junk before `0x0B` is skipped and counted; a `0x1C` not followed by `0x0D` is payload; a new
/// `0x0B` inside a frame drops the partial frame and starts again; a payload over `maximumFrameSize`
/// is discarded up to its end block without buffering it. The events it emits do not depend on how
/// the stream was split into reads.
public struct MLLPFrameDecoder: ByteToMessageDecoder, Sendable {
    /// The type of the decoded messages.
    public typealias InboundOut = MLLPFrameEvent

    /// The largest payload, in bytes, delivered as a frame.
    public let maximumFrameSize: Int

    private enum State: Sendable {
        /// Outside a frame.
        case seekingStart
        /// The reader index is at the start block; `scanned` payload bytes after it hold no end or start block.
        case inFrame(scanned: Int)
        /// Dropping an oversize frame; its bytes are consumed as they come. `pendingEnd`: the last byte
        /// consumed was `0x1C`, so a `0x0D` next ends the frame.
        case discarding(byteCount: Int, header: ByteBuffer, pendingEnd: Bool)
    }

    private var state = State.seekingStart
    private var pendingJunk = 0

    /// The longest oversize-frame header kept.
    static let headerLimit = 4096

    /// Creates a decoder; `maximumFrameSize` is clamped to at least 1 byte.
    public init(maximumFrameSize: Int = MLLP.defaultMaximumFrameSize) {
        self.maximumFrameSize = max(1, maximumFrameSize)
    }

    /// Decodes one event from the buffer, when there is one.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let event = next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(event))
        return .continue
    }

    /// Decodes what is left at EOF and reports a partial frame or pending junk.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let event = next(from: &buffer) {
            context.fireChannelRead(wrapInboundOut(event))
        }
        for event in finish(&buffer) {
            context.fireChannelRead(wrapInboundOut(event))
        }
        return .needMoreData
    }

    /// The next event the buffered bytes give, consuming what it covers; nil when more bytes are needed.
    public mutating func next(from buffer: inout ByteBuffer) -> MLLPFrameEvent? {
        while buffer.readableBytes > 0 {
            switch state {
            case .seekingStart:
                let view = buffer.readableBytesView
                let start = view.firstIndex(of: MLLP.startBlock)
                let junk = (start ?? view.endIndex) - view.startIndex
                let taken = min(junk, maximumFrameSize - pendingJunk)
                buffer.moveReaderIndex(forwardBy: taken)
                pendingJunk += taken
                if pendingJunk == maximumFrameSize {
                    pendingJunk = 0
                    return .junkSkipped(byteCount: maximumFrameSize)
                }
                guard start != nil else { return nil }
                state = .inFrame(scanned: 0)
                if pendingJunk > 0 {
                    defer { pendingJunk = 0 }
                    return .junkSkipped(byteCount: pendingJunk)
                }

            case .inFrame(let scanned):
                if let event = scanFrame(&buffer, scanned: scanned) { return event }
                if case .inFrame = state { return nil }

            case .discarding(let byteCount, let header, let pendingEnd):
                if let event = discard(&buffer, byteCount: byteCount, header: header, pendingEnd: pendingEnd) { return event }
                if case .discarding = state { return nil }
            }
        }
        return nil
    }

    /// The reports due at EOF (a partial frame, pending junk); leaves the buffer empty and the decoder reset.
    public mutating func finish(_ buffer: inout ByteBuffer) -> [MLLPFrameEvent] {
        var events: [MLLPFrameEvent] = []
        while let event = next(from: &buffer) { events.append(event) }
        switch state {
        case .seekingStart:
            break
        case .inFrame:
            events.append(.truncated(byteCount: max(0, buffer.readableBytes - 1)))
        case .discarding(let byteCount, _, let pendingEnd):
            events.append(.truncated(byteCount: byteCount + (pendingEnd ? 1 : 0)))
        }
        if pendingJunk > 0 {
            events.append(.junkSkipped(byteCount: pendingJunk))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        state = .seekingStart
        pendingJunk = 0
        return events
    }

    /// Looks for the end of the frame whose start block is at the reader index.
    private mutating func scanFrame(_ buffer: inout ByteBuffer, scanned: Int) -> MLLPFrameEvent? {
        let view = buffer.readableBytesView
        let payloadStart = view.startIndex + 1
        var index = payloadStart + scanned
        while index < view.endIndex {
            switch view[index] {
            case MLLP.endBlock:
                let next = index + 1
                guard next < view.endIndex else {
                    state = .inFrame(scanned: index - payloadStart)
                    return nil
                }
                if view[next] == MLLP.carriageReturn {
                    let length = index - payloadStart
                    buffer.moveReaderIndex(forwardBy: 1)
                    let payload = buffer.readSlice(length: length) ?? ByteBuffer()
                    buffer.moveReaderIndex(forwardBy: 2)
                    state = .seekingStart
                    return .frame(payload)
                }
            case MLLP.startBlock:
                let length = index - payloadStart
                buffer.moveReaderIndex(forwardBy: index - view.startIndex)
                state = .inFrame(scanned: 0)
                return .abandoned(byteCount: length)
            default:
                break
            }
            // The byte at `index` is payload (a 0x1C not followed by 0x0D included).
            let length = index - payloadStart + 1
            if length > maximumFrameSize {
                let header = Self.header(of: view[payloadStart..<(index + 1)], limit: min(Self.headerLimit, maximumFrameSize))
                buffer.moveReaderIndex(forwardBy: index + 1 - view.startIndex)
                state = .discarding(byteCount: length, header: header, pendingEnd: false)
                return nil
            }
            index += 1
        }
        state = .inFrame(scanned: index - payloadStart)
        return nil
    }

    /// Drops the bytes of an oversize frame, up to and including its end block.
    private mutating func discard(_ buffer: inout ByteBuffer, byteCount: Int, header: ByteBuffer, pendingEnd: Bool) -> MLLPFrameEvent? {
        var count = byteCount
        let view = buffer.readableBytesView
        var index = view.startIndex
        if pendingEnd {
            if view[index] == MLLP.carriageReturn {
                buffer.moveReaderIndex(forwardBy: 1)
                state = .seekingStart
                return .oversize(byteCount: count, header: header)
            }
            count += 1  // the 0x1C was payload
        }
        while index < view.endIndex {
            switch view[index] {
            case MLLP.endBlock:
                let next = index + 1
                if next == view.endIndex {
                    buffer.moveReaderIndex(forwardBy: next - view.startIndex)
                    state = .discarding(byteCount: count + (index - view.startIndex), header: header, pendingEnd: true)
                    return nil
                }
                if view[next] == MLLP.carriageReturn {
                    buffer.moveReaderIndex(forwardBy: next + 1 - view.startIndex)
                    state = .seekingStart
                    return .oversize(byteCount: count + (index - view.startIndex), header: header)
                }
            case MLLP.startBlock:
                buffer.moveReaderIndex(forwardBy: index - view.startIndex)
                state = .inFrame(scanned: 0)
                return .abandoned(byteCount: count + (index - view.startIndex))
            default:
                break
            }
            index += 1
        }
        buffer.moveReaderIndex(forwardBy: view.endIndex - view.startIndex)
        state = .discarding(byteCount: count + (view.endIndex - view.startIndex), header: header, pendingEnd: false)
        return nil
    }

    /// The first segment of a payload (up to the first CR or LF), at most `limit` bytes, copied.
    private static func header(of payload: ByteBufferView.SubSequence, limit: Int) -> ByteBuffer {
        let end = payload.firstIndex { $0 == 0x0D || $0 == 0x0A } ?? payload.endIndex
        let stop = min(end, payload.startIndex + limit)
        return ByteBuffer(bytes: payload[payload.startIndex..<stop])
    }
}

/// Wraps each outbound payload in an MLLP frame.
public struct MLLPFrameEncoder: MessageToByteEncoder, Sendable {
    /// The type of the messages written.
    public typealias OutboundIn = ByteBuffer

    /// Creates an encoder.
    public init() {}

    /// Writes `0x0B`, the payload, `0x1C 0x0D`.
    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.reserveCapacity(minimumWritableBytes: data.readableBytes + 3)
        out.writeInteger(MLLP.startBlock)
        out.writeImmutableBuffer(data)
        out.writeInteger(MLLP.endBlock)
        out.writeInteger(MLLP.carriageReturn)
    }
}
