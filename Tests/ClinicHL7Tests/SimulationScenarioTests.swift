import ClinicCore
import Foundation
import Testing
@testable import ClinicHL7

@Suite struct SimulationScenarioParsingTests {
    @Test func readsNameChairAndStart() throws {
        // when
        let scenario = try MonitorSimulation.parseScenario("hypertensiveCrisis@1:20")
        // then
        #expect(scenario == SimulationScenario(.hypertensiveCrisis, chair: 1, at: 20))
        #expect(scenario.duration == 120)
        #expect(scenario.description == "hypertensiveCrisis@1:20+120")
    }

    @Test func readsADurationAndIgnoresCaseAndDashes() throws {
        // when
        let scenario = try SimulationScenario.parse("Monitor-Silence@4:90.5+60")
        // then
        #expect(scenario.kind == .monitorSilence)
        #expect(scenario.chair == 4 && scenario.start == 90.5 && scenario.duration == 60)
        #expect(try SimulationScenario.parse(scenario.description) == scenario)
    }

    @Test func everyKindHasItsDefaultDuration() throws {
        // then
        #expect(try SimulationScenario.parse("desaturation@2:0").duration == 30)
        #expect(try SimulationScenario.parse("bradycardia@2:0").duration == 30)
        #expect(try SimulationScenario.parse("monitorSilence@2:0").duration == 45)
        #expect(try SimulationScenario.parse("artefact@2:0").duration == 3)
    }

    @Test func rejectsMalformedText() {
        // then
        #expect(throws: SimulationScenario.ParseError.malformed("crisis")) { try SimulationScenario.parse("crisis") }
        #expect(throws: SimulationScenario.ParseError.unknownName("fainting")) { try SimulationScenario.parse("fainting@1:5") }
        #expect(throws: SimulationScenario.ParseError.invalidChair("0")) { try SimulationScenario.parse("artefact@0:5") }
        #expect(throws: SimulationScenario.ParseError.invalidStart("-3")) { try SimulationScenario.parse("artefact@1:-3") }
        // an artefact must stay under the 10 s confirmation, a desaturation must outlast it (clinical-reference §3)
        #expect(throws: SimulationScenario.ParseError.invalidDuration("12")) { try SimulationScenario.parse("artefact@1:5+12") }
        #expect(throws: SimulationScenario.ParseError.invalidDuration("8")) { try SimulationScenario.parse("desaturation@1:5+8") }
    }

    @Test func configurationRejectsAScenarioOnAChairThatDoesNotExist() throws {
        // given
        let configuration = MonitorSimulation.Configuration(chairs: 6, scenarios: [try .parse("bradycardia@7:10")])
        // then
        #expect(throws: MonitorSimulation.ConfigurationError.self) { try configuration.validate() }
    }

    @Test func readsTargets() throws {
        // then
        #expect(try MonitorSimulation.parseTarget("localhost:2575") == ("localhost", 2575))
        #expect(try MonitorSimulation.parseTarget("[::1]:6661") == ("::1", 6661))
        #expect(try MonitorSimulation.parseTarget(":2575") == ("127.0.0.1", 2575))
        #expect(throws: MonitorSimulation.ConfigurationError.invalidTarget("localhost")) { try MonitorSimulation.parseTarget("localhost") }
        #expect(throws: MonitorSimulation.ConfigurationError.invalidTarget("h:70000")) { try MonitorSimulation.parseTarget("h:70000") }
        let configuration = try MonitorSimulation.Configuration(chairs: 2, target: "10.0.0.5:2600")
        #expect(configuration.host == "10.0.0.5" && configuration.port == 2600)
    }
}

@Suite struct SimulationScenarioModelTests {
    typealias F = SimulationFixture

    @Test func hypertensiveCrisisPutsA190Over125ReadingOnTheScheduledChairAtTheScheduledTime() throws {
        // given the demo room: six chairs, `hypertensiveCrisis@2:20`, numerics every 2 s
        let configuration = MonitorSimulation.Configuration(chairs: 6, scenarios: [try .parse("hypertensiveCrisis@2:20")], seed: 1)
        var monitors = (1...6).map { MonitorSimulation.monitor(chair: $0, configuration: configuration, startedAt: F.t0, runTag: "RUN") }
        // when
        var crisisReadings: [(chair: Int, systolic: Double, diastolic: Double, at: Date, sentAt: Double)] = []
        for t in stride(from: 0.0, to: 60, by: 2) {
            for index in monitors.indices {
                let generated = try F.next(&monitors[index], at: t)
                let result = try ORUResult(HL7Message.parse(generated.message.encoded()), receivedAt: F.t0)
                let systolic = try #require(result.observations.first { $0.parameter == .systolic })
                let diastolic = try #require(result.observations.first { $0.parameter == .diastolic })
                if systolic.value > 180 || diastolic.value > 120 {
                    crisisReadings.append((index + 1, systolic.value, diastolic.value, systolic.observedAt, t))
                }
            }
        }
        // then only chair 2, from its message at 20 s, reads exactly 190/125 taken at 20 s
        let first = try #require(crisisReadings.first)
        #expect(crisisReadings.allSatisfy { $0.chair == 2 })
        #expect(first.sentAt == 20)
        #expect(first.systolic == 190 && first.diastolic == 125)
        #expect(first.at == F.t0.addingTimeInterval(20))
    }

    @Test func hypertensiveCrisisRaisesAHighPriorityAlarmInTheAlarmEngine() throws {
        // given chair 1 with a crisis at 20 s, fed into the session alarm monitor as the server would
        var monitor = F.monitor(scenarios: [try .parse("hypertensiveCrisis@1:20")])
        var alarms = SessionAlarmMonitor(sessionID: InfusionSession.ID(UUID()), hasMonitor: true, state: .infusing, startedAt: F.t0)
        // when
        var events: [AlarmEvent] = []
        for t in stride(from: 0.0, to: 40, by: 2) {
            let message = try F.next(&monitor, at: t).message
            let result = try ORUResult(HL7Message.parse(message.encoded()), receivedAt: F.t0.addingTimeInterval(t))
            events += alarms.observe(result.observations, receivedAt: F.t0.addingTimeInterval(t))
        }
        // then: one reading past systolic > 180 / diastolic > 120 alarms at once, high priority (clinical-reference §3)
        let raised = events.filter { $0.kind == .raised }
        #expect(!raised.isEmpty)
        #expect(raised.allSatisfy { $0.priority == .high && ($0.parameter == .systolic || $0.parameter == .diastolic) })
        #expect(raised.first?.at == F.t0.addingTimeInterval(20))
    }

    @Test func crisisReadingsStayHighForTheScenarioThenTheCycleReturnsToTheModel() throws {
        // given a 30 s cuff cycle and a 60 s crisis from 20 s
        var monitor = F.monitor(cuffInterval: 30, scenarios: [SimulationScenario(.hypertensiveCrisis, chair: 1, at: 20, duration: 60)])
        // when
        let cuffs = F.samples(&monitor, seconds: 130, step: 1).compactMap(\.cuff)
        let readings = Dictionary(cuffs.map { ($0.elapsed, $0) }, uniquingKeysWith: { a, _ in a })
        // then 20 s forced; 30, 60 s in the crisis; 90 and 120 s back to normal
        #expect(readings[20].map { [$0.systolic, $0.diastolic] } == [190, 125])
        #expect(try #require(readings[30]).systolic >= 190 && (try #require(readings[60])).diastolic >= 125)
        #expect(try #require(readings[90]).systolic < 160)
        #expect(try #require(readings[120]).systolic < 160)
    }

    @Test func desaturationKeepsSpO2Below90ForMoreThanTenSeconds() throws {
        // given
        var monitor = F.monitor(scenarios: [SimulationScenario(.desaturation, chair: 1, at: 60)])
        // when sampled every 2 s
        let samples = F.samples(&monitor, seconds: 180, step: 2)
        // then below 90 % well past the 10 s confirmation (clinical-reference §3), only during the scenario
        let below = F.runs(samples) { $0.oxygenSaturation < 90 }
        #expect(below.count == 1)
        let run = try #require(below.first)
        #expect(run.1 - run.0 > 10)
        #expect(run.0 >= 60 && run.1 < 90)
        #expect(samples.filter { $0.oxygenSaturation < 90 }.allSatisfy { $0.oxygenSaturation >= 83 })
    }

    @Test func desaturationConfirmsAHighAlarmAndAnArtefactDoesNot() throws {
        // given one chair desaturating and another with an artefact, fed into the alarm engine
        func events(_ scenario: SimulationScenario) throws -> [AlarmEvent] {
            var monitor = F.monitor(chair: scenario.chair, scenarios: [scenario])
            var alarms = SessionAlarmMonitor(sessionID: InfusionSession.ID(UUID()), hasMonitor: true, state: .infusing, startedAt: F.t0)
            var events: [AlarmEvent] = []
            for t in stride(from: 0.0, to: 120, by: 2) {
                let result = try ORUResult(HL7Message.parse(try F.next(&monitor, at: t).message.encoded()), receivedAt: F.t0)
                events += alarms.observe(result.observations, receivedAt: F.t0.addingTimeInterval(t))
            }
            return events.filter { $0.kind == .raised || $0.kind == .priorityChanged }
        }
        // when
        let desaturation = try events(SimulationScenario(.desaturation, chair: 1, at: 30))
        let artefact = try events(SimulationScenario(.artefact, chair: 2, at: 30))
        // then
        #expect(desaturation.contains { $0.parameter == .oxygenSaturation && $0.priority == .high })
        #expect(artefact.isEmpty)
    }

    @Test func bradycardiaKeepsHeartRateBelow45ForMoreThanTenSeconds() {
        // given
        var monitor = F.monitor(scenarios: [SimulationScenario(.bradycardia, chair: 1, at: 30, duration: 20)])
        // when
        let samples = F.samples(&monitor, seconds: 90, step: 1)
        // then
        #expect(F.longestRun(samples) { $0.heartRate < 45 } > 10)
        #expect(F.longestRun(samples) { $0.pulseRate < 45 } > 10)
        #expect(samples.filter { $0.elapsed < 30 || $0.elapsed >= 50 }.allSatisfy { $0.heartRate >= 50 })
    }

    @Test func monitorSilenceSendsNothingFor45Seconds() {
        // given
        var monitor = F.monitor(scenarios: [SimulationScenario(.monitorSilence, chair: 1, at: 10)])
        // when
        let sent = stride(from: 0.0, to: 80, by: 1).filter { monitor.next(at: $0) != nil }
        // then nothing from 10 to 54 s, messages before and after
        #expect(!sent.contains { $0 >= 10 && $0 < 55 })
        #expect(sent.contains(9) && sent.contains(55))
    }

    @Test func artefactScenarioIsAShortSpikeOnly() {
        // given
        var monitor = F.monitor(scenarios: [SimulationScenario(.artefact, chair: 1, at: 20)])
        // when
        let samples = F.samples(&monitor, seconds: 60, step: 0.5)
        // then SpO₂ 80 and HR 150 for 3 s, nothing else abnormal
        let abnormal = F.runs(samples) { $0.oxygenSaturation < 90 || $0.heartRate > 130 }
        #expect(abnormal.count == 1)
        #expect(abnormal.allSatisfy { $0.0 == 20 && $0.1 - $0.0 < 10 })
        #expect(samples.filter { $0.artefact == .scripted }.allSatisfy { $0.oxygenSaturation == 80 && $0.heartRate == 150 })
    }

    @Test func scenariosOfOtherChairsAreIgnored() {
        // given chair 1's monitor and a scenario for chair 2
        var monitor = F.monitor(chair: 1, scenarios: [SimulationScenario(.monitorSilence, chair: 2, at: 0)])
        // then
        #expect(monitor.scenarios.isEmpty)
        #expect(monitor.next(at: 0) != nil)
    }
}
