import ClinicCore
import ClinicHL7
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The MLLP listener for bedside monitors (DESIGN §6): refuses connections from unregistered addresses, decodes frames
/// (junk skipped and counted, oversize frames answered and dropped), parses each ORU^R01, files it through
/// `VitalsBatcher` and answers AA only after the commit; AR for an unsupported type or version, AE for a message it
/// cannot process or could not store. A bad frame never closes the connection. Message bodies are never logged.
public final class MLLPListener: Service, Sendable {
    let host: String
    let port: Int
    let clinic: Clinic
    let metrics: ClinicMetrics
    let logger: Logger
    let batcher: VitalsBatcher
    let maximumFrameSize: Int
    /// MLLP over TLS with client certificates (every monitor presents one signed by the configured CA), when set.
    let tls: NIOSSLContext?
    private let channel = Mutex<(any Channel)?>(nil)
    private let acknowledgments = Atomic<Int>(0)

    public init(host: String, port: Int, clinic: Clinic, metrics: ClinicMetrics, logger: Logger, maximumFrameSize: Int = MLLP.defaultMaximumFrameSize,
                tls: MLLPTLSFiles? = nil) throws {
        self.tls = try tls.map { files in
            try NIOSSLContext(configuration: .makeServerConfigurationWithMTLS(
                certificateChain: try NIOSSLCertificate.fromPEMFile(files.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: files.privateKey, format: .pem)),
                trustRoots: .file(files.clientCA)))
        }
        self.host = host
        self.port = port
        self.clinic = clinic
        self.metrics = metrics
        self.logger = logger
        self.maximumFrameSize = maximumFrameSize
        self.batcher = VitalsBatcher(clinic: clinic) { count, took in metrics.vitalsBatch(count: count, took: took) }
    }

    /// Binds and returns the port (useful with port 0 in tests).
    @discardableResult
    public func start() async throws -> Int {
        try await clinic.loadMonitoring()
        let maxFrame = maximumFrameSize
        let bound = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] child in
                let address = child.remoteAddress?.ipAddress ?? ""
                guard clinic.monitoring.isRegistered(address: address) else {
                    metrics.mllpConnectionRefused()
                    logger.notice("MLLP connection refused: address not registered", metadata: ["client": "\(address)"])
                    return child.close()
                }
                let tls = self.tls
                return child.eventLoop.makeCompletedFuture {
                    if let tls { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try child.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(MLLPFrameDecoder(maximumFrameSize: maxFrame)),
                        MessageToByteHandler(MLLPFrameEncoder()),
                        MLLPIngestHandler(listener: self, address: address),
                    ])
                }
            }
            .bind(host: host, port: port).get()
        channel.withLock { $0 = bound }
        let actual = bound.localAddress?.port ?? port
        logger.info("MLLP listener on \(host):\(actual)\(tls == nil ? "" : " (TLS, client certificates required)")")
        return actual
    }

    /// Stops accepting connections.
    public func stop() async {
        let c = channel.withLock { c in defer { c = nil }; return c }
        try? await c?.close()
    }

    public func run() async throws {
        if channel.withLock({ $0 == nil }) { try await start() }
        let closed = channel.withLock { $0?.closeFuture }
        try await withGracefulShutdownHandler {
            try await closed?.get()
        } onGracefulShutdown: {
            let c = self.channel.withLock { $0 }
            c?.close(promise: nil)
        }
    }

    // MARK: - One frame

    func nextControlID() -> String { "DR" + String(acknowledgments.add(1, ordering: .relaxed).newValue) }

    /// The AA replies a filed message can get, in the order of `HL7AcknowledgmentTemplate.write`'s index.
    static let acceptances: [HL7Acknowledgment] = [
        .accept(),
        .accept(text: "Duplicate of a message already stored"),
        .accept(text: "Stored in quarantine for staff review"),
    ]

    /// MSH-7 of replies sent within the same second (the text depends on the second only).
    private let replyTime = Mutex<(second: Double, text: String)>((-.infinity, ""))

    func replyTimestamp(_ time: Date) -> String {
        let second = time.timeIntervalSince1970.rounded(.down)
        if let hit = replyTime.withLock({ $0.second == second ? $0.text : nil }) { return hit }
        let text = HL7Timestamp.format(time, timeZone: .gmt)
        replyTime.withLock { $0 = (second, text) }
        return text
    }

    /// Parses and files one frame of `connection` (on its event loop); the framed ACK's payload is written to the
    /// connection's channel once it is decided, and flushed with the others of its batch.
    func handle(frame: ByteBuffer, connection: MLLPIngestHandler, channel: any Channel) {
        let receivedAt = clinic.clock.now
        let text = String(buffer: frame)
        let message: HL7Message
        do {
            message = try HL7Message.parse(text)
        } catch {
            metrics.mllpMessage(outcome: "unparseable")
            channel.writeAndFlush(ByteBuffer(bytes: HL7Acknowledgment.reply(toUnreadable: text, error: error, controlID: nextControlID(), at: receivedAt).encodedBytes()),
                                  promise: nil)
            return
        }
        let result: ORUResult
        do {
            result = try ORUResult(message, receivedAt: receivedAt)
        } catch {
            metrics.mllpMessage(outcome: error.acknowledgment.code == .reject ? "rejected" : "error")
            channel.writeAndFlush(ByteBuffer(bytes: error.acknowledgment.message(replyingTo: message, controlID: nextControlID(), at: receivedAt).encodedBytes()),
                                  promise: nil)
            return
        }
        // The replies to this sender's header, encoded once per connection (a monitor's headers differ only in
        // MSH-7 and MSH-10). The message tree itself is not kept: it is freed here, on the event loop.
        let key = HL7AcknowledgmentTemplate.Key(message)
        if connection.template?.key != key {
            connection.template = HL7AcknowledgmentTemplate(replyingTo: message, acknowledgments: Self.acceptances)
        }
        let controlID = result.header.controlID ?? ""
        let replies: Replies = connection.template.map { .template($0) } ?? .message(message)
        let incoming = IncomingVitalMessage(
            sourceAddress: connection.address, sendingApplication: result.header.sendingApplication?.namespaceID ?? "",
            sendingFacility: result.header.sendingFacility?.namespaceID ?? "", controlID: controlID,
            patientIdentifier: result.patient?.id, observations: result.observations, raw: text, receivedAt: receivedAt)
        let metrics = self.metrics
        let address = connection.address
        batcher.submit(incoming, delivery: .init(loop: channel.eventLoop, channel: channel)) { [self] outcome in
            let index: Int
            switch outcome {
            case .success(.filed):
                metrics.mllpMessage(outcome: "filed")
                index = 0
            case .success(.duplicate):
                metrics.mllpMessage(outcome: "duplicate")
                index = 1
            case .success(.quarantined):
                metrics.mllpMessage(outcome: "quarantined")
                index = 2
            case .failure:
                // Not stored: no AA, so the sender resends (DESIGN §6).
                metrics.mllpMessage(outcome: "storage-failed")
                logger.error("MLLP batch not stored", metadata: ["client": "\(address)"])
                let ack = HL7Acknowledgment.error(.applicationInternalError, message: "The message could not be stored; send it again")
                channel.write(ByteBuffer(bytes: ack.message(replyingTo: replies.header(controlID: controlID), controlID: nextControlID(),
                                                            at: clinic.clock.now).encodedBytes()), promise: nil)
                return
            }
            let now = clinic.clock.now
            switch replies {
            case .template(let template):
                var buffer = channel.allocator.buffer(capacity: 256)
                template.write(index, timestamp: replyTimestamp(now), controlID: nextControlID(), echoing: controlID, into: &buffer)
                channel.write(buffer, promise: nil)
            case .message(let message):
                channel.write(ByteBuffer(bytes: Self.acceptances[index].message(replyingTo: message, controlID: nextControlID(), at: now).encodedBytes()),
                              promise: nil)
            }
        }
    }

    /// How a filed message is answered: from its connection's template, or (when none could be made) from the message.
    enum Replies: Sendable {
        case template(HL7AcknowledgmentTemplate)
        case message(HL7Message)

        func header(controlID: String) -> HL7Message {
            switch self {
            case .template(let t): t.incomingHeader(controlID: controlID)
            case .message(let m): m
            }
        }
    }

    /// An oversize frame: rejected (AR) to the sender its first segment names, and dropped.
    func handleOversize(header: ByteBuffer, byteCount: Int, reply: @escaping @Sendable (ByteBuffer) -> Void) {
        metrics.mllpMessage(outcome: "oversize")
        let now = clinic.clock.now
        let ack = HL7Acknowledgment.reject(.applicationInternalError, message: "The message is larger than \(maximumFrameSize) bytes")
        let text = String(buffer: header)
        let payload: HL7Message
        if let head = try? HL7Message.parseHeader(text) {
            payload = ack.message(replyingTo: head, controlID: nextControlID(), at: now)
        } else {
            payload = ack.message(replyingToUnreadableInputWith: nextControlID(), at: now)
        }
        reply(ByteBuffer(bytes: payload.encodedBytes()))
    }
}

/// The PEM files of MLLP over TLS: the server's certificate chain and key, and the CA that signs monitors' client
/// certificates (a monitor without one cannot connect).
public struct MLLPTLSFiles: Sendable, Hashable {
    public var certificate: String
    public var privateKey: String
    public var clientCA: String
    public init(certificate: String, privateKey: String, clientCA: String) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.clientCA = clientCA
    }
}

/// One connection's handler: frame events in, ACK payloads out (framed by `MLLPFrameEncoder`). Used on its channel's
/// event loop only.
final class MLLPIngestHandler: ChannelInboundHandler {
    typealias InboundIn = MLLPFrameEvent
    typealias OutboundOut = ByteBuffer
    let listener: MLLPListener
    let address: String
    /// The replies to the header this connection sent last.
    var template: HL7AcknowledgmentTemplate?

    init(listener: MLLPListener, address: String) {
        self.listener = listener
        self.address = address
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let channel = context.channel
        switch unwrapInboundIn(data) {
        case .frame(let frame):
            listener.handle(frame: frame, connection: self, channel: channel)
        case .oversize(let byteCount, let header):
            listener.handleOversize(header: header, byteCount: byteCount) { channel.writeAndFlush($0, promise: nil) }
        case .junkSkipped(let n):
            listener.metrics.mllpJunk(bytes: n)
        case .abandoned, .truncated:
            listener.metrics.mllpMessage(outcome: "incomplete-frame")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        listener.logger.notice("MLLP connection error; closing", metadata: ["client": "\(address)", "error": "\(type(of: error))"])
        context.close(promise: nil)
    }
}
