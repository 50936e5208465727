import Foundation
import NIOCore
import Testing
@testable import ClinicHL7

/// Messages for client tests: a generated numerics message with MSH-10 `C<n>`.
private func message(_ n: Int) -> HL7Message {
    var monitor = SimulationFixture.monitor()
    var message = monitor.next(at: 0)!.message
    message.segments[0][10] = HL7Field("C\(n)")
    return message
}

@Suite(.timeLimit(.minutes(1))) struct MLLPClientTests {
    private func client(_ server: TestMLLPServer, window: Int = 1, timeout: Duration = .seconds(5),
                        reconnect: MLLPClient.ReconnectPolicy? = nil) -> MLLPClient {
        MLLPClient(configuration: .init(host: "127.0.0.1", port: server.port, window: window, acknowledgmentTimeout: timeout,
                                        reconnect: reconnect))
    }

    @Test func sendsAndMatchesTheAAWithItsRoundTrip() async throws {
        // given
        let server = try await TestMLLPServer.start()
        let client = client(server)
        // when
        let delivery = try await client.send(message(1))
        await client.close()
        // then
        #expect(delivery.controlID == "C1")
        #expect(delivery.outcome == .accepted)
        #expect(delivery.acknowledgmentCode == .accept)
        #expect((delivery.roundTrip ?? .zero) > .zero)
        let statistics = client.statistics
        #expect(statistics.sent == 1 && statistics.accepted == 1)
        #expect(statistics.roundTrips.count == 1)
        #expect(server.log.controlIDs == ["C1"])
        await server.stop()
    }

    @Test func pipelinesUpToTheWindowAndMatchesACKsOutOfOrder() async throws {
        // given a server that answers only when it holds four messages, last first
        let server = try await TestMLLPServer.start { _, _ in .holdUntil(count: 4) }
        let client = client(server, window: 4)
        // when twelve messages are submitted one after another
        var pending: [MLLPPendingDelivery] = []
        for n in 1...12 { pending.append(try await client.submit(message(n))) }
        var deliveries: [MLLPDelivery] = []
        for item in pending { deliveries.append(await item.delivery()) }
        await client.close()
        // then all are accepted, each ACK matched to its own message, never more than four outstanding
        #expect(deliveries.map(\.controlID) == (1...12).map { "C\($0)" })
        #expect(deliveries.allSatisfy { $0.outcome == .accepted })
        #expect(server.log.maximumOutstanding == 4)
        #expect(client.statistics.accepted == 12)
        #expect(client.statistics.unmatchedAcknowledgments == 0)
        await server.stop()
    }

    @Test func aWindowOfOneSendsStrictlyOneAtATime() async throws {
        // given
        let server = try await TestMLLPServer.start()
        let client = client(server, window: 1)
        // when ten concurrent senders share the client
        let outcomes = try await withThrowingTaskGroup(of: MLLPDelivery.Outcome.self) { group in
            for n in 1...10 { group.addTask { try await client.send(message(n)).outcome } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await client.close()
        // then
        #expect(outcomes.count == 10 && outcomes.allSatisfy { $0 == .accepted })
        #expect(server.log.maximumOutstanding == 1)
        await server.stop()
    }

    @Test func countsAEAndARWithTheirLatency() async throws {
        // given a server answering AE to every third message and AR to the fifth
        let server = try await TestMLLPServer.start { n, _ in n == 5 ? .reject : (n % 3 == 0 ? .error : .accept) }
        let client = client(server, window: 3)
        // when
        var pending: [MLLPPendingDelivery] = []
        for n in 1...9 { pending.append(try await client.submit(message(n))) }
        var outcomes: [MLLPDelivery.Outcome] = []
        for item in pending { outcomes.append(await item.delivery().outcome) }
        await client.close()
        // then
        #expect(outcomes == [.accepted, .accepted, .error, .accepted, .rejected, .error, .accepted, .accepted, .error])
        let statistics = client.statistics
        #expect(statistics.accepted == 5 && statistics.errors == 3 && statistics.rejected == 1)
        #expect(statistics.roundTrips.count == 9)
        #expect(statistics.roundTrips.maximumMicroseconds >= statistics.roundTrips.percentile(50))
        await server.stop()
    }

    @Test func anUnansweredMessageTimesOutAndFreesItsSlot() async throws {
        // given a server that ignores the second message; the timeout is long enough that an answered message never
        // reaches it on a loaded CI machine (300 ms once timed out the first, answered message there)
        let server = try await TestMLLPServer.start { n, _ in n == 2 ? .ignore : .accept }
        let client = client(server, window: 1, timeout: .seconds(3))
        // when
        let first = try await client.send(message(1))
        let second = try await client.send(message(2))
        let third = try await client.send(message(3))
        await client.close()
        // then
        #expect([first.outcome, second.outcome, third.outcome] == [.accepted, .timedOut, .accepted])
        #expect(second.roundTrip == nil)
        #expect(client.statistics.timedOut == 1)
        await server.stop()
    }

    @Test func aServerClosingMidStreamLosesWhatIsInFlightAndWithoutReconnectFurtherSendsFail() async throws {
        // given a server that closes the connection on the third message
        let server = try await TestMLLPServer.start { n, _ in n == 3 ? .close : .accept }
        let client = client(server, window: 1)
        // when
        let first = try await client.send(message(1))
        let second = try await client.send(message(2))
        let third = try await client.send(message(3))
        // then
        #expect([first.outcome, second.outcome, third.outcome] == [.accepted, .accepted, .connectionLost])
        await #expect(throws: MLLPClientError.connectionClosed) { try await client.send(message(4)) }
        #expect(client.statistics.connectionLost == 1)
        await client.close()
        await server.stop()
    }

    @Test func withAReconnectPolicyTheNextSendConnectsAgain() async throws {
        // given a server that closes the connection on the second message
        let server = try await TestMLLPServer.start { n, _ in n == 2 ? .close : .accept }
        let client = client(server, window: 1, reconnect: .init(maximumAttempts: 3, delay: .milliseconds(50)))
        // when
        let first = try await client.send(message(1))
        let second = try await client.send(message(2))
        // the close may still be on its way: wait until the client sees it
        for _ in 0..<100 where await client.isConnected { try await Task.sleep(for: .milliseconds(10)) }
        let third = try await client.send(message(3))
        await client.close()
        // then
        #expect([first.outcome, second.outcome, third.outcome] == [.accepted, .connectionLost, .accepted])
        #expect(client.statistics.reconnects == 1)
        #expect(server.log.connections == 2)
        await server.stop()
    }

    @Test func closeWaitsForOutstandingACKs() async throws {
        // given
        let server = try await TestMLLPServer.start()
        let client = client(server, window: 16)
        // when sixteen are written and the client closes at once
        var pending: [MLLPPendingDelivery] = []
        for n in 1...16 { pending.append(try await client.submit(message(n))) }
        await client.close()
        // then every ACK arrived before the connection closed
        var outcomes: [MLLPDelivery.Outcome] = []
        for item in pending { outcomes.append(await item.delivery().outcome) }
        #expect(outcomes.allSatisfy { $0 == .accepted })
        await #expect(throws: MLLPClientError.closed) { try await client.send(message(17)) }
        await server.stop()
    }

    @Test func refusesADuplicateControlIDInFlight() async throws {
        // given a server that never answers
        let server = try await TestMLLPServer.start { _, _ in .ignore }
        let client = client(server, window: 4, timeout: .seconds(3))  // long enough that the first is still in flight on a loaded machine
        // when
        _ = try await client.submit(message(1))
        // then
        await #expect(throws: MLLPClientError.duplicateControlID("C1")) { try await client.submit(message(1)) }
        await client.close()
        await server.stop()
    }

    @Test func aReceiverThatIsNotThereFailsTheConnect() async throws {
        // given a port nothing listens on
        let server = try await TestMLLPServer.start()
        let port = server.port
        await server.stop()
        let client = MLLPClient(configuration: .init(host: "127.0.0.1", port: port, connectTimeout: .seconds(1)))
        // then
        await #expect(throws: (any Error).self) { try await client.connect() }
        #expect(client.statistics.failedConnections == 1)
        await client.close()
    }
}

@Suite struct LatencyHistogramTests {
    @Test func percentilesAreExactBelow128MicrosecondsAndWithinTwoPercentAbove() {
        // given 1…100 µs and 1…100 ms
        var small = LatencyHistogram()
        for v in UInt64(1)...100 { small.record(microseconds: v) }
        var large = LatencyHistogram()
        for v in UInt64(1)...100 { large.record(microseconds: v * 1000) }
        // then
        #expect(small.percentile(50) == 50 && small.percentile(99) == 99 && small.percentile(100) == 100)
        #expect(small.minimumMicroseconds == 1 && small.maximumMicroseconds == 100)
        for (p, exact) in [(50.0, 50_000.0), (90, 90_000), (99, 99_000)] {
            let value = Double(large.percentile(p))
            #expect(value >= exact && value <= exact * 1.02, "p\(p) = \(value)")
        }
        #expect(large.percentile(100) == 100_000)
    }

    @Test func mergesCounts() {
        // given
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for v in UInt64(1)...50 { a.record(microseconds: v) }
        for v in UInt64(51)...100 { b.record(microseconds: v) }
        // when
        a.merge(b)
        // then
        #expect(a.count == 100 && a.percentile(50) == 50 && a.maximumMicroseconds == 100 && a.minimumMicroseconds == 1)
        #expect(a.meanMicroseconds == 50.5)
    }
}
