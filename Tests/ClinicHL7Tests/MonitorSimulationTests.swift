import Foundation
import Testing
@testable import ClinicHL7

@Suite(.timeLimit(.minutes(1))) struct MonitorSimulationTests {
    @Test func monitorsModeSendsEachChairAtItsRateOverItsOwnConnection() async throws {
        // given two chairs at 10 Hz for 1 s, with a silence on chair 2 from 0.5 s
        let server = try await TestMLLPServer.start()
        let configuration = MonitorSimulation.Configuration(
            chairs: 2, rate: 10, duration: 1, host: "127.0.0.1", port: server.port,
            scenarios: [SimulationScenario(.monitorSilence, chair: 2, at: 0.5, duration: 5)], cuffInterval: 30, window: 4, seed: 9)
        // when
        let report = try await MonitorSimulation.run(configuration)
        await server.stop()
        // then chair 1 sent up to 10, chair 2 at most 5 (a slot the sender fell behind on is skipped, as a monitor
        // would not queue — on a loaded machine some are); all accepted; one connection each
        #expect(report.perChair.map(\.chair) == [1, 2])
        let generated = report.perChair.map(\.generated)
        #expect(generated[0] >= 1 && generated[0] <= 10)
        #expect(generated[1] >= 1 && generated[1] <= 5)
        #expect(report.sent == generated.reduce(0, +) && report.accepted == report.sent)
        #expect(report.errors == 0 && report.timedOut == 0 && report.unsent == 0)
        #expect(report.latency.count == report.sent && report.latency.p50 > 0 && report.latency.p99 >= report.latency.p50)
        #expect(report.latency.max >= report.latency.p99)
        #expect(server.log.connections == 2)
        let ids = server.log.controlIDs
        #expect(Set(ids).count == report.sent)
        #expect(ids.allSatisfy { $0.hasPrefix(report.runTag + "-") })
        #expect(report.scenarios == ["monitorSilence@2:0.5+5"])
    }

    @Test func loadModeSendsAsFastAsTheWindowAllowsOnEveryConnection() async throws {
        // given three connections for half a second, window 8, a server answering AE to every tenth message
        let server = try await TestMLLPServer.start { n, _ in n % 10 == 0 ? .error : .accept }
        let configuration = MonitorSimulation.Configuration(chairs: 3, duration: 0.5, host: "127.0.0.1", port: server.port,
                                                            window: 8, mode: .load(totalRate: nil))
        // when
        let report = try await MonitorSimulation.run(configuration)
        await server.stop()
        // then
        #expect(report.mode == "load")
        #expect(report.sent >= 3)
        #expect(report.accepted + report.errors == report.sent)
        #expect(report.errors == report.sent / 10)
        #expect(report.acceptedPerSecond > 0)
        #expect(report.perChair.allSatisfy { $0.sent > 0 })
        #expect(server.log.maximumOutstanding <= 8)
    }

    @Test func loadModeAtAFixedTotalRate() async throws {
        // given 4 connections sharing 40 messages per second for one second
        let server = try await TestMLLPServer.start()
        let configuration = MonitorSimulation.Configuration(chairs: 4, duration: 1, host: "127.0.0.1", port: server.port,
                                                            mode: .load(totalRate: 40))
        // when
        let report = try await MonitorSimulation.run(configuration)
        await server.stop()
        // then at most 10 per connection (fewer only if the machine fell behind), all accepted
        #expect(report.perChair.allSatisfy { $0.sent >= 1 && $0.sent <= 10 })
        #expect(report.accepted == report.sent)
    }

    @Test func anUnreachableReceiverShowsAsUnsent() async throws {
        // given a port nothing listens on, no reconnect
        let server = try await TestMLLPServer.start()
        let port = server.port
        await server.stop()
        var configuration = MonitorSimulation.Configuration(chairs: 1, rate: 10, duration: 0.3, host: "127.0.0.1", port: port)
        configuration.reconnect = false
        // when
        let report = try await MonitorSimulation.run(configuration)
        // then
        #expect(report.sent == 0)
        #expect(report.unsent == report.generated && report.generated > 0)
        #expect(report.failedConnections >= 1)
    }

    @Test func reportPrintsAsTextAndRoundTripsAsJSON() async throws {
        // given
        let server = try await TestMLLPServer.start()
        let configuration = MonitorSimulation.Configuration(chairs: 1, rate: 20, duration: 0.25, host: "127.0.0.1", port: server.port)
        let report = try await MonitorSimulation.run(configuration)
        await server.stop()
        // when
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(SimulationReport.self, from: report.json())
        // then
        #expect(decoded.accepted == report.accepted && decoded.latency == report.latency && decoded.perChair == report.perChair)
        #expect(report.text.contains("monitors: 1 chair(s) at 20 Hz"))
        #expect(report.text.contains("ACK latency"))
        #expect(report.text.contains("chair 1: sent \(report.sent)"))
    }

    @Test func runTagsDifferBetweenRunsAndMonitorsStaggerTheirInfusions() {
        // given
        let configuration = MonitorSimulation.Configuration(chairs: 3)
        let t0 = SimulationFixture.t0
        // when
        let tags = [MonitorSimulation.runTag(seed: 1, startedAt: t0), MonitorSimulation.runTag(seed: 1, startedAt: t0.addingTimeInterval(0.001)),
                    MonitorSimulation.runTag(seed: 1, startedAt: t0)]
        let offsets = (1...3).map { MonitorSimulation.monitor(chair: $0, configuration: configuration, startedAt: t0, runTag: "X")
            .settings.infusionElapsedAtStart }
        // then
        #expect(tags[0] != tags[1] && tags[0] == tags[2])
        #expect(tags.allSatisfy { $0.count <= 6 })
        #expect(offsets == [0, 420, 840])
    }
}
