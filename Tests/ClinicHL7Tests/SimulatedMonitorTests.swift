import ClinicCore
import Foundation
import Testing
@testable import ClinicHL7

/// Fixed inputs for the simulator tests.
enum SimulationFixture {
    /// 2026-03-15T14:30:00Z, elapsed time 0 of every simulated monitor here.
    static let t0 = Date(timeIntervalSince1970: 1_773_585_000)

    /// A monitor for `chair` with a fixed seed, no random artefacts unless asked, control ids `T-<n>`.
    static func monitor(chair: Int = 1, seed: UInt64 = 42, cuffInterval: TimeInterval = 300, artefactsPerHour: Double = 0,
                        infusionElapsedAtStart: TimeInterval = 0, coding: SimulatedMonitor.ObservationCoding = .mdc,
                        patient: SimulatedPatient? = nil, patientIdentifier: PatientIdentifier? = nil,
                        repeatsCuffReading: Bool = true, scenarios: [SimulationScenario] = []) -> SimulatedMonitor {
        SimulatedMonitor(chair: chair, seed: seed, startedAt: t0,
                         settings: .init(cuffInterval: cuffInterval, coding: coding, patientIdentifier: patientIdentifier,
                                         infusionElapsedAtStart: infusionElapsedAtStart, artefactsPerHour: artefactsPerHour,
                                         controlIDPrefix: "T-", repeatsCuffReading: repeatsCuffReading),
                         scenarios: scenarios, patient: patient)
    }

    struct Silent: Error {}

    /// The next message, or an error while the monitor is silent.
    static func next(_ monitor: inout SimulatedMonitor, at elapsed: Double) throws -> SimulatedMessage {
        guard let generated = monitor.next(at: elapsed) else { throw Silent() }
        return generated
    }

    /// The latest cuff reading at `elapsed`, or an error when there is none.
    static func cuff(_ monitor: inout SimulatedMonitor, at elapsed: Double) throws -> CuffReading {
        guard let cuff = monitor.sample(at: elapsed)?.cuff else { throw Silent() }
        return cuff
    }

    /// Samples every `step` seconds over `0 ..< seconds` (nil entries dropped: silence).
    static func samples(_ monitor: inout SimulatedMonitor, seconds: Double, step: Double = 1) -> [MonitorSample] {
        stride(from: 0, to: seconds, by: step).compactMap { monitor.sample(at: $0) }
    }

    /// The longest run of consecutive samples meeting `condition`, in seconds from its first to its last sample.
    static func longestRun(_ samples: [MonitorSample], where condition: (MonitorSample) -> Bool) -> Double {
        var longest = 0.0
        var runStart: Double?
        var previous: Double?
        for sample in samples {
            if condition(sample) {
                if runStart == nil { runStart = sample.elapsed }
                previous = sample.elapsed
                longest = max(longest, (previous ?? 0) - (runStart ?? 0))
            } else {
                runStart = nil
            }
        }
        return longest
    }

    /// Every maximal run of samples meeting `condition`, as (first, last) elapsed times.
    static func runs(_ samples: [MonitorSample], where condition: (MonitorSample) -> Bool) -> [(Double, Double)] {
        var runs: [(Double, Double)] = []
        var current: (Double, Double)?
        for sample in samples {
            if condition(sample) {
                current = (current?.0 ?? sample.elapsed, sample.elapsed)
            } else if let run = current {
                runs.append(run)
                current = nil
            }
        }
        if let current { runs.append(current) }
        return runs
    }
}

@Suite struct SimulatedMonitorMessageTests {
    typealias F = SimulationFixture

    @Test func numericsMessageParsesIntoEightMappedVitalsWithMDCCodes() throws {
        // given a patient with a capnograph
        var monitor = F.monitor(patient: SimulatedPatient(endTidalCO2: 37))
        // when
        let generated = try F.next(&monitor, at: 0)
        let message = try HL7Message.parse(generated.message.encoded())
        let result = try ORUResult(message, receivedAt: F.t0.addingTimeInterval(1))
        // then: HR, pulse, SpO₂, RR, EtCO₂ and the cuff's systolic / diastolic / mean — 8 OBX, all mapped
        #expect(message.segments(named: "OBX").count == 8)
        #expect(result.observations.map(\.parameter) == [
            .heartRate, .pulseRate, .oxygenSaturation, .respiratoryRate, .endTidalCO2, .systolic, .diastolic, .meanPressure,
        ])
        #expect(result.unmapped.isEmpty)
        #expect(result.skipped.isEmpty)
        let values = Dictionary(uniqueKeysWithValues: result.observations.map { ($0.parameter, $0.value) })
        let sample = generated.sample
        #expect(values[.heartRate] == Double(sample.heartRate))
        #expect(values[.oxygenSaturation] == Double(sample.oxygenSaturation))
        #expect(values[.endTidalCO2] == Double(try #require(sample.endTidalCO2)))
        #expect(values[.systolic] == Double(try #require(sample.cuff).systolic))
        #expect(values[.meanPressure] == Double(try #require(sample.cuff).mean))
    }

    @Test func chairWithoutCapnographSendsSevenOBX() throws {
        // given
        var monitor = F.monitor(patient: SimulatedPatient(endTidalCO2: nil))
        // when
        let message = try F.next(&monitor, at: 0).message
        // then
        #expect(message.segments(named: "OBX").count == 7)
        #expect(message.segments(named: "OBX").allSatisfy { $0.value(3) != "151708" })
    }

    @Test func everyGeneratedMessageHasSixToEightOBXInBothCodings() throws {
        // given twelve chairs of a seeded room, MDC and LOINC
        for coding in SimulatedMonitor.ObservationCoding.allCases {
            for chair in 1...12 {
                var monitor = F.monitor(chair: chair, seed: 7, coding: coding)
                // when
                for t in stride(from: 0.0, to: 20, by: 2) {
                    let message = try F.next(&monitor, at: t).message
                    let result = try ORUResult(HL7Message.parse(message.encoded()), receivedAt: F.t0)
                    // then
                    let count = message.segments(named: "OBX").count
                    #expect((6...8).contains(count), "chair \(chair) \(coding): \(count) OBX")
                    #expect(result.observations.count == count)
                    #expect(result.skipped.isEmpty && result.unmapped.isEmpty)
                }
            }
        }
    }

    @Test func headerFollowsThePCD01Layout() throws {
        // given
        var monitor = F.monitor(chair: 3)
        // when
        _ = monitor.next(at: 0)
        let message = try HL7Message.parse(try F.next(&monitor, at: 2).message.encoded())
        let header = message.header()
        // then
        #expect(header.sendingApplication?.namespaceID == "MONITOR-3")
        #expect(header.sendingFacility?.namespaceID == "DEEPRELIEF-SIM")
        #expect(header.receivingApplication?.namespaceID == "DEEPRELIEF")
        #expect(header.receivingFacility?.namespaceID == "CLINIC")
        #expect(header.timestamp == F.t0.addingTimeInterval(2))
        #expect(header.messageType == HL7MessageType(code: "ORU", trigger: "R01", structure: "ORU_R01"))
        #expect(header.controlID == "T-2")
        #expect(header.processingID == "P")
        #expect(header.version == "2.6")
        #expect(message.segment(named: "PID") == nil)  // the server maps by chair
        #expect(message.segment(named: "OBR")?.value(7) == HL7Timestamp.format(F.t0.addingTimeInterval(2)))
    }

    @Test func patientIdentifierGoesToPID3WhenSet() throws {
        // given
        var monitor = F.monitor(patientIdentifier: PatientIdentifier(id: "MRN-7", assigningAuthority: "RELIEF", typeCode: "MR"))
        // when
        let message = try HL7Message.parse(try F.next(&monitor, at: 0).message.encoded())
        let result = try ORUResult(message, receivedAt: F.t0)
        // then
        #expect(result.patient == PatientIdentifier(id: "MRN-7", assigningAuthority: "RELIEF", typeCode: "MR"))
    }

    @Test func cuffValuesCarryTheirOwnOBX14AndContinuousValuesTheSampleTime() throws {
        // given a 60 s cuff cycle
        var monitor = F.monitor(cuffInterval: 60)
        // when: sampled at 0, 30, 61 s
        _ = monitor.next(at: 0)
        let at30 = try ORUResult(HL7Message.parse(try F.next(&monitor, at: 30).message.encoded()), receivedAt: F.t0)
        let at61 = try ORUResult(HL7Message.parse(try F.next(&monitor, at: 61).message.encoded()), receivedAt: F.t0)
        // then the reading of 0 s is repeated at 30 s; the one of 60 s appears at 61 s
        func time(_ result: ORUResult, _ parameter: VitalParameter) -> Date? {
            result.observations.first { $0.parameter == parameter }?.observedAt
        }
        #expect(time(at30, .systolic) == F.t0)
        #expect(time(at30, .heartRate) == F.t0.addingTimeInterval(30))
        #expect(time(at61, .systolic) == F.t0.addingTimeInterval(60))
        #expect(time(at61, .meanPressure) == F.t0.addingTimeInterval(60))
        #expect(time(at61, .oxygenSaturation) == F.t0.addingTimeInterval(61))
    }

    @Test func withoutRepeatingTheCuffOnlyTheFirstMessageAfterAReadingCarriesIt() throws {
        // given
        var monitor = F.monitor(cuffInterval: 60, repeatsCuffReading: false)
        // when
        let counts = try [0.0, 2, 4, 60, 62].map { try F.next(&monitor, at: $0).message.segments(named: "OBX").count }
        // then
        let continuous = counts[1]
        #expect(counts == [continuous + 3, continuous, continuous, continuous + 3, continuous])
    }

    @Test func loincCodingUsesLOINCCodesAndUCUMUnitsAndLeavesOutPulseRate() throws {
        // given
        var monitor = F.monitor(coding: .loinc, patient: SimulatedPatient(endTidalCO2: 37))
        // when
        let message = try HL7Message.parse(try F.next(&monitor, at: 0).message.encoded())
        let result = try ORUResult(message, receivedAt: F.t0)
        // then
        #expect(message.segments(named: "OBX").map { $0.value(3) } == ["8867-4", "59408-5", "9279-1", "19889-5", "8480-6", "8462-4", "8478-0"])
        #expect(message.segments(named: "OBX").allSatisfy { $0.value(3, component: 3) == "LN" })
        #expect(result.observations.count == 7)
    }

    @Test func fastTextEncodingEqualsTheEncodedMessage() {
        // given both codings, with and without a capnograph and a PID that needs escaping
        let identifier = PatientIdentifier(id: "A|B^C", assigningAuthority: "R&D", typeCode: nil)
        for coding in SimulatedMonitor.ObservationCoding.allCases {
            for (chair, patientIdentifier) in [(1, nil), (2, identifier)] {
                var monitor = F.monitor(chair: chair, seed: 8, artefactsPerHour: 60, coding: coding, patientIdentifier: patientIdentifier)
                // when / then
                for t in stride(from: 0.0, to: 400, by: 7) {
                    guard let generated = monitor.next(at: t) else { continue }
                    #expect(generated.encoded == generated.message.encoded())
                }
            }
        }
    }

    @Test func controlIDsAreUniqueAndCount() throws {
        // given
        var monitor = F.monitor()
        // when
        let ids = (0..<50).compactMap { monitor.next(at: Double($0))?.controlID }
        // then
        #expect(ids.count == 50)
        #expect(Set(ids).count == 50)
        #expect(ids.first == "T-1" && ids.last == "T-50")
    }
}

@Suite struct SimulatedMonitorModelTests {
    typealias F = SimulationFixture

    @Test func ketamineRiseBuildsOverTheFirstFifteenToTwentyMinutes() {
        // given the rise shape (clinical-reference §2: mean +16/+11 mmHg)
        // then: none before the infusion, two thirds at 6 min, ≥ 95 % by 18 min
        #expect(SimulatedPatient.riseFraction(infusionElapsed: 0) == 0)
        #expect(abs(SimulatedPatient.riseFraction(infusionElapsed: 360) - 0.632) < 0.001)
        #expect(SimulatedPatient.riseFraction(infusionElapsed: 1080) >= 0.95)
        #expect(SimulatedPatient.riseFraction(infusionElapsed: 1200) < 1)
    }

    @Test func cuffPressureRisesByAboutSixteenOverElevenDuringTheInfusion() throws {
        // given the reference patient (120/78, +16/+11) with a cuff every minute, over many seeds
        var systolicRises: [Double] = []
        var diastolicRises: [Double] = []
        for seed in UInt64(1)...40 {
            var monitor = F.monitor(seed: seed, cuffInterval: 60, patient: SimulatedPatient())
            // when: the first reading and those from 25 to 30 min
            let first = try F.cuff(&monitor, at: 0)
            var late: [CuffReading] = []
            for minute in 25...30 { late.append(try F.cuff(&monitor, at: Double(minute) * 60)) }
            systolicRises.append(late.map { Double($0.systolic) }.reduce(0, +) / Double(late.count) - Double(first.systolic))
            diastolicRises.append(late.map { Double($0.diastolic) }.reduce(0, +) / Double(late.count) - Double(first.diastolic))
        }
        // then the mean rise is close to the Yale means
        let systolic = systolicRises.reduce(0, +) / Double(systolicRises.count)
        let diastolic = diastolicRises.reduce(0, +) / Double(diastolicRises.count)
        #expect(abs(systolic - 16) < 2, "mean systolic rise \(systolic)")
        #expect(abs(diastolic - 11) < 2, "mean diastolic rise \(diastolic)")
    }

    @Test func generatedPatientsStartInTheRestingRanges() {
        // given many seeded chairs
        for chair in 1...100 {
            let patient = SimulatedPatient.generated(seed: 3, chair: chair)
            // then
            #expect((70...85).contains(patient.heartRate))
            #expect((96...99).contains(patient.oxygenSaturation))
            #expect((12...18).contains(patient.respiratoryRate))
            #expect((112...130).contains(patient.systolic) && (72...82).contains(patient.diastolic))
            #expect((10...22).contains(patient.systolicRise) && (7...13).contains(patient.diastolicRise))
        }
    }

    @Test func randomArtefactsLastUnderTenSecondsAndNothingElsePassesAnAlarmLimit() {
        // given a chair with an artefact every 2 min on average, sampled at 2 Hz for an hour
        var monitor = F.monitor(seed: 11, artefactsPerHour: 30)
        // when
        let samples = F.samples(&monitor, seconds: 3600, step: 0.5)
        // then artefacts happen, each shorter than the 10 s a continuous alarm needs (clinical-reference §3)
        let artefacts = F.runs(samples) { $0.artefact != nil }
        #expect(artefacts.count >= 15)
        #expect(artefacts.allSatisfy { $0.1 - $0.0 < 10 })
        #expect(samples.contains { $0.artefact == .saturationDip && $0.oxygenSaturation <= 84 })
        #expect(samples.contains { $0.artefact == .heartRateSpike && $0.heartRate >= 140 })
        // and outside artefacts no value passes a §3 medium limit
        for sample in samples where sample.artefact == nil {
            #expect(sample.oxygenSaturation >= 92 && (50...110).contains(sample.heartRate) && sample.respiratoryRate >= 10,
                    "at \(sample.elapsed): \(sample)")
            if let cuff = sample.cuff { #expect(cuff.systolic < 160 && cuff.diastolic < 100) }
        }
    }

    @Test func sameSeedGivesTheSameMessages() {
        // given two monitors with the same seed, and one with another
        var a = F.monitor(seed: 99, artefactsPerHour: 20)
        var b = F.monitor(seed: 99, artefactsPerHour: 20)
        var c = F.monitor(seed: 100, artefactsPerHour: 20)
        // when
        let times = stride(from: 0.0, to: 600, by: 2)
        let first = times.compactMap { a.next(at: $0)?.message.encoded() }
        let second = times.compactMap { b.next(at: $0)?.message.encoded() }
        let other = times.compactMap { c.next(at: $0)?.message.encoded() }
        // then
        #expect(first == second)
        #expect(first != other)
    }

    @Test func artefactsDoNotDependOnTheSamplingRate() {
        // given the same seed sampled at 1 Hz and at 4 Hz
        var slow = F.monitor(seed: 5, artefactsPerHour: 30)
        var fast = F.monitor(seed: 5, artefactsPerHour: 30)
        // when
        let slowArtefacts = F.samples(&slow, seconds: 1800, step: 1).filter { $0.artefact != nil }.map(\.elapsed)
        let fastArtefacts = Set(F.samples(&fast, seconds: 1800, step: 0.25).filter { $0.artefact != nil }.map(\.elapsed))
        // then every artefact the slow one saw, the fast one saw at the same time
        #expect(!slowArtefacts.isEmpty)
        #expect(slowArtefacts.allSatisfy { fastArtefacts.contains($0) })
    }
}
