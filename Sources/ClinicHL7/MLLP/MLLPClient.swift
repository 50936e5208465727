import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// An MLLP sender (HL7 v2.5.1 Appendix C.4, original-mode acknowledgments) on SwiftNIO: one TCP connection, messages
/// pipelined up to a window of unacknowledged ones, each ACK matched to its message by MSA-2 = MSH-10.
///
/// - `submit(_:)` returns once the message is written (it waits while the window is full) and hands back a
///   `MLLPPendingDelivery`; `send(_:)` also waits for the ACK.
/// - Every message ends as one `MLLPDelivery`: AA, AE or AR with its round-trip time (write to ACK), timed out after
///   `acknowledgmentTimeout` (its window slot is freed; a later ACK counts as unmatched), or connection lost.
/// - A dropped connection fails what is in flight; with a `reconnect` policy the next submit connects again.
/// - `close()` waits for outstanding ACKs (or their time-outs) and closes the connection.
/// - `statistics` counts everything across connections.
public actor MLLPClient {
    /// Where to connect and how to send.
    public struct Configuration: Sendable, Hashable {
        /// The receiver's host name or address.
        public var host: String
        /// The receiver's TCP port.
        public var port: Int
        /// How many messages may await their ACK at once (1: strictly one at a time).
        public var window: Int
        /// How long to wait for an ACK before the message counts as timed out.
        public var acknowledgmentTimeout: Duration
        /// How long a connection attempt may take.
        public var connectTimeout: Duration
        /// Whether and how to connect again after the connection drops (nil: not at all).
        public var reconnect: ReconnectPolicy?
        /// The largest ACK accepted.
        public var maximumFrameSize: Int

        /// Creates a configuration.
        public init(host: String, port: Int, window: Int = 1, acknowledgmentTimeout: Duration = .seconds(10),
                    connectTimeout: Duration = .seconds(5), reconnect: ReconnectPolicy? = nil,
                    maximumFrameSize: Int = MLLP.defaultMaximumFrameSize) {
            self.host = host
            self.port = port
            self.window = max(1, window)
            self.acknowledgmentTimeout = acknowledgmentTimeout
            self.connectTimeout = connectTimeout
            self.reconnect = reconnect
            self.maximumFrameSize = maximumFrameSize
        }
    }

    /// How to connect again.
    public struct ReconnectPolicy: Sendable, Hashable {
        /// Attempts per (re)connection before giving up.
        public var maximumAttempts: Int
        /// The pause between attempts.
        public var delay: Duration

        /// Creates a policy.
        public init(maximumAttempts: Int = 5, delay: Duration = .milliseconds(500)) {
            self.maximumAttempts = max(1, maximumAttempts)
            self.delay = delay
        }
    }

    /// The settings in use.
    public nonisolated let configuration: Configuration
    private let group: any EventLoopGroup
    private let store = StatisticsStore()
    private var connection: Connection?
    private var connecting: Task<Connection, any Error>?
    private var hasConnected = false
    private var isClosed = false

    /// A client; nothing connects until `connect()` or the first `submit(_:)`.
    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// Counts and round-trip times so far, across connections.
    public nonisolated var statistics: Statistics {
        store.snapshot()
    }

    /// Whether a connection is open now.
    public var isConnected: Bool {
        connection?.channel.isActive ?? false
    }

    /// Connects unless connected (with the reconnect policy's attempts, if any).
    public func connect() async throws {
        _ = try await activeConnection()
    }

    /// Writes a message once the window has room and returns when it is written; the ACK arrives in the result.
    /// - Throws: `MLLPClientError` when the client is closed, the connection is gone (and not reconnected), the
    ///   message has no MSH-10, or its MSH-10 is already awaiting an ACK.
    public func submit(_ message: HL7Message) async throws -> MLLPPendingDelivery {
        guard let controlID = message.controlID else { throw MLLPClientError.missingControlID }
        return try await submit(payload: message.encoded(), controlID: controlID)
    }

    /// Writes an encoded message (its MSH-10 is `controlID`); see `submit(_:)`.
    public func submit(payload: String, controlID: String) async throws -> MLLPPendingDelivery {
        let connection = try await activeConnection()
        let eventLoop = connection.channel.eventLoop
        let written = eventLoop.makePromise(of: Void.self)
        let delivered = eventLoop.makePromise(of: MLLPDelivery.self)
        let handler = connection.handler
        let buffer = ByteBuffer(string: payload)
        eventLoop.execute {
            handler.value.submit(Outgoing(controlID: controlID, payload: buffer, written: written, delivered: delivered))
        }
        try await written.futureResult.get()
        return MLLPPendingDelivery(controlID: controlID, future: delivered.futureResult)
    }

    /// Writes a message and waits for its ACK (or time-out, or the connection's end).
    public func send(_ message: HL7Message) async throws -> MLLPDelivery {
        try await submit(message).delivery()
    }

    /// Waits for every outstanding ACK (or its time-out), then closes the connection. Later submits throw.
    public func close() async {
        isClosed = true
        if let connecting {
            self.connecting = nil
            connecting.cancel()
            _ = try? await connecting.value
        }
        guard let connection else { return }
        self.connection = nil
        let handler = connection.handler
        connection.channel.eventLoop.execute { handler.value.closeWhenIdle() }
        try? await connection.channel.closeFuture.get()
    }

    // MARK: - Connection

    private func activeConnection() async throws -> Connection {
        guard !isClosed else { throw MLLPClientError.closed }
        if let connection, connection.channel.isActive { return connection }
        if let connecting { return try await connecting.value }
        if hasConnected, configuration.reconnect == nil { throw MLLPClientError.connectionClosed }
        let task = Task { [configuration, group, store] in
            try await Self.open(configuration: configuration, group: group, store: store)
        }
        connecting = task
        defer { connecting = nil }
        let opened = try await task.value
        guard !isClosed else {
            opened.channel.close(promise: nil)
            throw MLLPClientError.closed
        }
        if hasConnected { store.update { $0.reconnects += 1 } }
        hasConnected = true
        connection = opened
        return opened
    }

    private static func open(configuration: Configuration, group: any EventLoopGroup, store: StatisticsStore) async throws -> Connection {
        let attempts = configuration.reconnect?.maximumAttempts ?? 1
        var lastError: any Error = MLLPClientError.connectionClosed
        for attempt in 1...attempts {
            try Task.checkCancellation()
            do {
                return try await connectOnce(configuration: configuration, group: group, store: store)
            } catch {
                lastError = error
                store.update { $0.failedConnections += 1 }
                if attempt < attempts, let delay = configuration.reconnect?.delay { try await Task.sleep(for: delay) }
            }
        }
        throw lastError
    }

    private static func connectOnce(configuration: Configuration, group: any EventLoopGroup, store: StatisticsStore) async throws -> Connection {
        let window = configuration.window
        let timeout = TimeAmount(configuration.acknowledgmentTimeout)
        let maximumFrameSize = configuration.maximumFrameSize
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(MLLPFrameDecoder(maximumFrameSize: maximumFrameSize)),
                        MessageToByteHandler(MLLPFrameEncoder()),
                        MLLPClientHandler(window: window, timeout: timeout, store: store),
                    ])
                }
            }
        let channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: MLLPClientHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return Connection(channel: channel, handler: handler)
    }

    private struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<MLLPClientHandler>
    }
}

/// How one message ended.
public struct MLLPDelivery: Sendable, Hashable {
    /// How it ended.
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// AA.
        case accepted
        /// AE.
        case error
        /// AR.
        case rejected
        /// No ACK within the time-out.
        case timedOut
        /// The connection ended before the ACK.
        case connectionLost
    }

    /// MSH-10 of the message.
    public var controlID: String
    /// How it ended.
    public var outcome: Outcome
    /// From write to ACK, when an ACK came.
    public var roundTrip: Duration?
    /// MSA-3, when the ACK had one.
    public var text: String?

    /// Creates a delivery.
    public init(controlID: String, outcome: Outcome, roundTrip: Duration? = nil, text: String? = nil) {
        self.controlID = controlID
        self.outcome = outcome
        self.roundTrip = roundTrip
        self.text = text
    }

    /// MSA-1 for an ACK, nil for a time-out or a lost connection.
    public var acknowledgmentCode: HL7AcknowledgmentCode? {
        switch outcome {
        case .accepted: .accept
        case .error: .error
        case .rejected: .reject
        case .timedOut, .connectionLost: nil
        }
    }
}

/// A written message whose ACK is still to come.
public struct MLLPPendingDelivery: Sendable {
    /// MSH-10 of the message.
    public let controlID: String
    let future: EventLoopFuture<MLLPDelivery>

    /// Waits for the ACK, the time-out or the connection's end.
    public func delivery() async -> MLLPDelivery {
        do {
            return try await future.get()
        } catch {
            return MLLPDelivery(controlID: controlID, outcome: .connectionLost)
        }
    }
}

/// Why `MLLPClient` could not send.
public enum MLLPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `close()` was called.
    case closed
    /// The connection ended (before the message was written) and no reconnect policy is set.
    case connectionClosed
    /// The message has no MSH-10 to match its ACK by.
    case missingControlID
    /// A message with the same MSH-10 is still awaiting its ACK.
    case duplicateControlID(String)

    /// A short reason.
    public var description: String {
        switch self {
        case .closed: "the MLLP client is closed"
        case .connectionClosed: "the MLLP connection is closed"
        case .missingControlID: "the message has no MSH-10"
        case .duplicateControlID(let id): "a message with MSH-10 '\(id)' is already awaiting its ACK"
        }
    }
}

extension MLLPClient {
    /// What the client has done so far.
    public struct Statistics: Sendable, Hashable {
        /// Messages written.
        public var sent = 0
        /// AA received.
        public var accepted = 0
        /// AE received.
        public var errors = 0
        /// AR received.
        public var rejected = 0
        /// No ACK within the time-out.
        public var timedOut = 0
        /// In flight when the connection ended.
        public var connectionLost = 0
        /// ACKs that matched no message awaiting one (late, unknown MSA-2, or unreadable).
        public var unmatchedAcknowledgments = 0
        /// Connections opened after the first.
        public var reconnects = 0
        /// Connection attempts that failed.
        public var failedConnections = 0
        /// Round-trip times of every ACK (AA, AE and AR).
        public var roundTrips = LatencyHistogram()

        /// Creates empty statistics.
        public init() {}

        /// Adds another client's counts.
        public mutating func merge(_ other: Statistics) {
            sent += other.sent
            accepted += other.accepted
            errors += other.errors
            rejected += other.rejected
            timedOut += other.timedOut
            connectionLost += other.connectionLost
            unmatchedAcknowledgments += other.unmatchedAcknowledgments
            reconnects += other.reconnects
            failedConnections += other.failedConnections
            roundTrips.merge(other.roundTrips)
        }

        mutating func record(_ delivery: MLLPDelivery) {
            switch delivery.outcome {
            case .accepted: accepted += 1
            case .error: errors += 1
            case .rejected: rejected += 1
            case .timedOut: timedOut += 1
            case .connectionLost: connectionLost += 1
            }
            if let roundTrip = delivery.roundTrip {
                let (seconds, attoseconds) = roundTrip.components
                roundTrips.record(nanoseconds: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            }
        }
    }
}

/// The statistics, shared by the client and its connections' handlers.
final class StatisticsStore: Sendable {
    private let state = Mutex(MLLPClient.Statistics())

    func update(_ body: (inout MLLPClient.Statistics) -> Void) {
        state.withLock { body(&$0) }
    }

    func snapshot() -> MLLPClient.Statistics {
        state.withLock { $0 }
    }
}

/// A message on its way to the handler.
struct Outgoing: Sendable {
    let controlID: String
    let payload: ByteBuffer
    let written: EventLoopPromise<Void>
    let delivered: EventLoopPromise<MLLPDelivery>
}

/// The client end of one MLLP connection; lives on its channel's event loop and is touched only there.
final class MLLPClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = MLLPFrameEvent
    typealias OutboundOut = ByteBuffer

    private struct InFlight {
        let sentAt: NIODeadline
        let delivered: EventLoopPromise<MLLPDelivery>
        let timeout: Scheduled<Void>?
    }

    private let window: Int
    private let timeout: TimeAmount
    private let store: StatisticsStore
    private var context: ChannelHandlerContext?
    private var inFlight: [String: InFlight] = [:]
    private var waiting = CircularBuffer<Outgoing>()
    private var isActive = true
    private var closeWhenDone = false

    init(window: Int, timeout: TimeAmount, store: StatisticsStore) {
        self.window = window
        self.timeout = timeout
        self.store = store
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Queues a message and writes it when the window has room.
    func submit(_ outgoing: Outgoing) {
        guard isActive, !closeWhenDone, context != nil else {
            outgoing.written.fail(MLLPClientError.connectionClosed)
            outgoing.delivered.fail(MLLPClientError.connectionClosed)
            return
        }
        guard inFlight[outgoing.controlID] == nil, !waiting.contains(where: { $0.controlID == outgoing.controlID }) else {
            outgoing.written.fail(MLLPClientError.duplicateControlID(outgoing.controlID))
            outgoing.delivered.fail(MLLPClientError.duplicateControlID(outgoing.controlID))
            return
        }
        waiting.append(outgoing)
        pump()
    }

    /// Closes the connection once nothing awaits an ACK or a window slot.
    func closeWhenIdle() {
        closeWhenDone = true
        closeIfIdle()
    }

    private func pump() {
        guard let context, isActive else { return }
        var wrote = false
        while inFlight.count < window, let next = waiting.popFirst() {
            let id = next.controlID
            let scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
                self.expire(id)
            }
            inFlight[id] = InFlight(sentAt: .now(), delivered: next.delivered, timeout: scheduled)
            context.write(wrapOutboundOut(next.payload), promise: nil)
            store.update { $0.sent += 1 }
            next.written.succeed(())
            wrote = true
        }
        if wrote { context.flush() }
    }

    private func expire(_ id: String) {
        guard let entry = inFlight.removeValue(forKey: id) else { return }
        finish(entry, MLLPDelivery(controlID: id, outcome: .timedOut))
        pump()
        closeIfIdle()
    }

    private func finish(_ entry: InFlight, _ delivery: MLLPDelivery) {
        entry.timeout?.cancel()
        store.update { $0.record(delivery) }
        entry.delivered.succeed(delivery)
    }

    private func closeIfIdle() {
        guard closeWhenDone, inFlight.isEmpty, waiting.isEmpty, let context, isActive else { return }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .frame(let payload) = unwrapInboundIn(data) else { return }
        let receivedAt = NIODeadline.now()
        guard let reply = try? HL7Message.parse(payload), let acknowledgment = reply.segment(named: "MSA"),
              let code = acknowledgment.value(1).flatMap(HL7AcknowledgmentCode.init(rawValue:)),
              let id = acknowledgment.value(2), let entry = inFlight.removeValue(forKey: id)
        else {
            store.update { $0.unmatchedAcknowledgments += 1 }
            return
        }
        let outcome: MLLPDelivery.Outcome = switch code {
        case .accept: .accepted
        case .error: .error
        case .reject: .rejected
        }
        let nanoseconds = (receivedAt - entry.sentAt).nanoseconds
        let text = acknowledgment.value(3).flatMap { $0.isEmpty ? nil : $0 }
        finish(entry, MLLPDelivery(controlID: id, outcome: outcome, roundTrip: .nanoseconds(nanoseconds), text: text))
        pump()
        closeIfIdle()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        let lost = inFlight
        inFlight = [:]
        for (id, entry) in lost { finish(entry, MLLPDelivery(controlID: id, outcome: .connectionLost)) }
        while let next = waiting.popFirst() {
            next.written.fail(MLLPClientError.connectionClosed)
            next.delivered.fail(MLLPClientError.connectionClosed)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
