import ClinicHL7
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A tiny MLLP receiver on 127.0.0.1 (an ephemeral port) for client tests: `MLLPFrameDecoder` in, and a reply chosen
/// per message by `behaviour` (called with the 1-based number of the message across all connections).
final class TestMLLPServer: Sendable {
    /// What to do with one message.
    enum Reply: Sendable {
        /// Answer AA.
        case accept
        /// Answer AE (207).
        case error
        /// Answer AR (203).
        case reject
        /// Answer nothing.
        case ignore
        /// Close the connection without answering.
        case close
        /// Keep the message; once `count` are kept on the connection, answer AA to all of them, last first.
        case holdUntil(count: Int)
    }

    /// What the server saw.
    struct Log: Sendable {
        /// MSH-10 of every message, in order of arrival.
        var controlIDs: [String] = []
        /// The most messages unanswered at once on one connection.
        var maximumOutstanding = 0
        /// Connections accepted.
        var connections = 0
    }

    let port: Int
    private let channel: any Channel
    private let box: LogBox

    private init(port: Int, channel: any Channel, box: LogBox) {
        self.port = port
        self.channel = channel
        self.box = box
    }

    /// Starts a server.
    static func start(_ behaviour: @escaping @Sendable (Int, HL7Message) -> Reply = { _, _ in .accept }) async throws -> TestMLLPServer {
        let log = LogBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    log.state.withLock { $0.connections += 1 }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(MLLPFrameDecoder()),
                        MessageToByteHandler(MLLPFrameEncoder()),
                        ReplyHandler(behaviour: behaviour, log: log),
                    ])
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestMLLPServer(port: channel.localAddress?.port ?? 0, channel: channel, box: log)
    }

    /// What the server saw so far.
    var log: Log { box.state.withLock { $0 } }

    /// Stops listening (open connections stay).
    func stop() async {
        try? await channel.close()
    }
}

final class LogBox: Sendable {
    let state = Mutex(TestMLLPServer.Log())
}

private final class ReplyHandler: ChannelInboundHandler {
    typealias InboundIn = MLLPFrameEvent
    typealias OutboundOut = ByteBuffer

    let behaviour: @Sendable (Int, HL7Message) -> TestMLLPServer.Reply
    let log: LogBox
    var outstanding = 0
    var held: [HL7Message] = []
    var acks = 0

    init(behaviour: @escaping @Sendable (Int, HL7Message) -> TestMLLPServer.Reply, log: LogBox) {
        self.behaviour = behaviour
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .frame(let payload) = unwrapInboundIn(data), let message = try? HL7Message.parse(payload) else { return }
        outstanding += 1
        let outstanding = self.outstanding
        let number = log.state.withLock { log in
            log.controlIDs.append(message.controlID ?? "")
            log.maximumOutstanding = max(log.maximumOutstanding, outstanding)
            return log.controlIDs.count
        }
        switch behaviour(number, message) {
        case .accept: answer(.accept(), to: message, context: context)
        case .error: answer(.error(.applicationInternalError, message: "Storage failed"), to: message, context: context)
        case .reject: answer(.reject(.unsupportedVersionID), to: message, context: context)
        case .ignore: break
        case .close: context.close(promise: nil)
        case .holdUntil(let count):
            held.append(message)
            if held.count >= count {
                for kept in held.reversed() { answer(.accept(), to: kept, context: context) }
                held = []
            }
        }
    }

    private func answer(_ acknowledgment: HL7Acknowledgment, to message: HL7Message, context: ChannelHandlerContext) {
        acks += 1
        outstanding -= 1
        let reply = acknowledgment.message(replyingTo: message, controlID: "ACK\(acks)", at: Date())
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply.encoded())), promise: nil)
    }
}
