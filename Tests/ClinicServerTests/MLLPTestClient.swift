import ClinicHL7
import Foundation
import NIOCore
import NIOPosix

/// A bare MLLP client for tests: sends frames (or raw bytes) and reads the ACKs back, one at a time.
final class MLLPTestClient: @unchecked Sendable {
    let channel: any Channel
    /// Frame events as they arrive; one test task reads them at a time.
    private var iterator: AsyncStream<MLLPFrameEvent>.AsyncIterator

    /// Hands every decoded event to the stream; ends it when the connection closes.
    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = MLLPFrameEvent
        let continuation: AsyncStream<MLLPFrameEvent>.Continuation
        init(_ c: AsyncStream<MLLPFrameEvent>.Continuation) { continuation = c }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { continuation.yield(unwrapInboundIn(data)) }
        func channelInactive(context: ChannelHandlerContext) { continuation.finish() }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { continuation.finish(); context.close(promise: nil) }
    }

    init(channel: any Channel, stream: AsyncStream<MLLPFrameEvent>) {
        self.channel = channel
        self.iterator = stream.makeAsyncIterator()
    }

    static func connect(port: Int) async throws -> MLLPTestClient {
        let (stream, continuation) = AsyncStream<MLLPFrameEvent>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHandlers([ByteToMessageHandler(MLLPFrameDecoder()), MessageToByteHandler(MLLPFrameEncoder()),
                                                                Collector(continuation)])
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return MLLPTestClient(channel: channel, stream: stream)
    }

    /// Sends one message (framed) and returns the ACK that comes back.
    func send(_ text: String) async throws -> HL7Message {
        try await channel.writeAndFlush(ByteBuffer(string: text))
        return try await nextAcknowledgment()
    }

    /// Writes bytes as they are (no framing), e.g. junk or a hand-made frame.
    func sendRaw(_ bytes: [UInt8]) async throws {
        let buffer = ByteBuffer(bytes: bytes)
        let channel = self.channel
        try await channel.eventLoop.submit {
            let ctx = try channel.pipeline.syncOperations.context(handlerType: MessageToByteHandler<MLLPFrameEncoder>.self)
            ctx.writeAndFlush(NIOAny(buffer), promise: nil)
        }.get()
    }

    /// The next ACK; throws when the server closed the connection first.
    func nextAcknowledgment() async throws -> HL7Message {
        while let event = await iterator.next() {
            if case .frame(let frame) = event { return try HL7Message.parse(String(buffer: frame)) }
        }
        throw MLLPTestClientError.closed
    }

    /// Whether the server closes the connection (reads until the end).
    func isClosedByServer() async -> Bool {
        while await iterator.next() != nil {}
        return true
    }

    func close() async { try? await channel.close() }
}

enum MLLPTestClientError: Error { case closed }

/// An ORU^R01 as a monitor sends it: numerics and/or a cuff reading, MDC codes and units (IHE PCD-01 style).
func oruMessage(controlID: String, application: String = "MON-1", facility: String = "TESTCLINIC", patient: String? = nil,
                heartRate: Int? = 72, spo2: Int? = 98, cuff: (Int, Int)? = nil, at time: Date = Date(), type: String = "ORU^R01^ORU_R01") -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyyMMddHHmmss"
    let ts = f.string(from: time) + "+0000"
    var segments = [
        "MSH|^~\\&|\(application)|\(facility)|DEEPRELIEF|CLINIC|\(ts)||\(type)|\(controlID)|P|2.6",
        "PID|||\(patient ?? "")",
        "OBR|1|||182777000^monitoring of patient^SCT|||\(ts)",
    ]
    var n = 0
    func obx(_ code: String, _ value: Int, _ unit: String) {
        n += 1
        segments.append("OBX|\(n)|NM|\(code)||\(value)|\(unit)|||||R|||\(ts)")
    }
    if let heartRate { obx("147842^MDC_ECG_HEART_RATE^MDC", heartRate, "264864^MDC_DIM_BEAT_PER_MIN^MDC") }
    if let spo2 { obx("150456^MDC_PULS_OXIM_SAT_O2^MDC", spo2, "262688^MDC_DIM_PERCENT^MDC") }
    if let (s, d) = cuff {
        obx("150021^MDC_PRESS_BLD_NONINV_SYS^MDC", s, "266016^MDC_DIM_MMHG^MDC")
        obx("150022^MDC_PRESS_BLD_NONINV_DIA^MDC", d, "266016^MDC_DIM_MMHG^MDC")
    }
    return segments.joined(separator: "\r") + "\r"
}
