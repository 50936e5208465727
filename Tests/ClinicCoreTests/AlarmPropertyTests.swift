import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

@Suite("Alarm engine properties (clinical-reference §3)")
struct AlarmPropertyTests {
    typealias F = AlarmFixture

    /// SpO₂ samples: a value 80–100 % and a gap of 1–6 s before each.
    static let series = zip(Gen.int(in: 80...100), Gen.int(in: 1...6)).array(of: 1...80)

    @Test("clinical-reference §3 (10 s, artefact suppression) — no alarm fires before the condition has held for 10 s with no normal sample")
    func noAlarmBeforeTenSeconds() async {
        await propertyCheck(count: 300, input: Self.series) { samples in
            // given
            var monitor = F.monitor(hasMonitor: false)
            var t = 0.0
            var timeline: [(t: Double, value: Int)] = []
            // when
            for (value, gap) in samples {
                t += Double(gap)
                timeline.append((t, value))
                let events = monitor.observe([VitalObservation(.oxygenSaturation, Double(value), at: F.at(t))], receivedAt: F.at(t))
                // then: every raise or rise at t is backed by samples past the limit over [t − 10 s, t]
                for event in events where event.kind == .raised || event.kind == .priorityChanged {
                    let limit = event.priority == .high ? 90 : 92
                    let lastNormal = timeline.last { $0.value >= limit }?.t ?? -.infinity
                    let firstPast = timeline.first { $0.t > lastNormal }?.t ?? t
                    #expect(firstPast <= t - 10, "raised at \(t) s with the run starting at \(firstPast) s")
                    #expect(Double(value) < Double(limit))
                }
            }
        }
    }

    @Test("clinical-reference §3 — a continuous series that stays inside every limit never raises anything")
    func insideLimitsNeverAlarms() async {
        await propertyCheck(count: 300, input: zip(Gen.int(in: 92...100), Gen.int(in: 50...110), Gen.int(in: 10...30), Gen.int(in: 1...25))
            .array(of: 1...60)) { samples in
            var monitor = F.monitor(hasMonitor: false)
            var t = 0.0
            var events: [AlarmEvent] = []
            for (spo2, hr, rr, gap) in samples {
                t += Double(gap)
                events += monitor.observe([VitalObservation(.oxygenSaturation, Double(spo2), at: F.at(t)),
                                           VitalObservation(.heartRate, Double(hr), at: F.at(t)),
                                           VitalObservation(.respiratoryRate, Double(rr), at: F.at(t))], receivedAt: F.at(t))
            }
            #expect(events.isEmpty)
            #expect(monitor.history.isEmpty)
        }
    }
}
