import Foundation
import Testing
import ClinicCore

/// The schedule's settings: defaults from clinical-reference §7 and local policy, validation, storage.
@Suite("Measurement schedule policy (clinical-reference §7; local policy)")
struct MeasurementSchedulePolicyTests {
    @Test("clinical-reference §7 — the defaults: days 1, 7, 14, 30, 60, 90; mood every 14 days at most; pain, sleep, PGIC at follow-ups; 3 days of grace")
    func standardDefaults() throws {
        // given
        let policy = MeasurementSchedulePolicy.standard
        // when / then
        #expect(policy.followUpDays == [1, 7, 14, 30, 60, 90])
        #expect(policy.moodMinimumIntervalDays == 14)
        #expect(MeasurementSchedulePolicy.referenceMoodMinimumIntervalDays == 14)
        #expect(policy.moodMinimumIntervalDays == Instrument.phq9.recall.days)
        #expect(policy.followUpInstruments == [.painNRS, .sleep, .pgic])
        #expect(policy.overdueAfterDays == 3)
        #expect(policy.baselineInstruments == [.painNRS, .sleep])
        #expect(policy.infusionInstruments == [.painNRS])
        #expect(policy.moodInstruments == [.phq9, .gad7])
        #expect(try policy.validated() == policy)
    }

    @Test("planned instruments per timepoint, each listed once even when a setting repeats a mood instrument")
    func plannedInstruments() {
        // given
        let policy = MeasurementSchedulePolicy(followUpInstruments: [.painNRS, .phq9])
        // when / then
        #expect(policy.plannedInstruments(at: .afterSeries(day: 7)) == [.painNRS, .phq9, .gad7])
        #expect(policy.plannedInstruments(at: .baseline) == [.painNRS, .sleep, .phq9, .gad7])
        #expect(policy.plannedInstruments(at: .postInfusion(2)) == [.painNRS])
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var name: String
        var policy: MeasurementSchedulePolicy
        var fields: [String]
        var testDescription: String { name }
    }

    @Test("settings outside their bounds are refused, each field named", arguments: [
        InvalidCase(name: "day 0", policy: .init(followUpDays: [0, 7]), fields: ["followUpDays"]),
        InvalidCase(name: "negative day", policy: .init(followUpDays: [-1]), fields: ["followUpDays"]),
        InvalidCase(name: "repeated day", policy: .init(followUpDays: [7, 7]), fields: ["followUpDays"]),
        InvalidCase(name: "mood every 13 days (clinical-reference §7: no more often than every 14)", policy: .init(moodMinimumIntervalDays: 13),
                    fields: ["moodMinimumIntervalDays"]),
        InvalidCase(name: "negative grace", policy: .init(overdueAfterDays: -1), fields: ["overdueAfterDays"]),
        InvalidCase(name: "repeated instrument", policy: .init(followUpInstruments: [.pgic, .pgic]), fields: ["followUpInstruments"]),
        InvalidCase(name: "empty baseline", policy: .init(baselineInstruments: [], moodInstruments: []), fields: ["baselineInstruments"]),
        InvalidCase(name: "several at once", policy: .init(followUpDays: [0], moodMinimumIntervalDays: 7, overdueAfterDays: 91),
                    fields: ["followUpDays", "moodMinimumIntervalDays", "overdueAfterDays"]),
    ])
    func invalid(_ c: InvalidCase) {
        // when
        var fields: [String] = []
        do {
            _ = try c.policy.validated()
        } catch ClinicError.invalid(let errors) {
            fields = errors.map(\.field)
            #expect(errors.allSatisfy { !$0.reason.isEmpty })
        } catch {
            Issue.record("unexpected error \(error)")
        }
        // then
        #expect(fields == c.fields)
    }

    @Test("clinical-reference §7 — the mood interval may be lengthened")
    func lengthenedIntervalIsValid() throws {
        // given
        let policy = MeasurementSchedulePolicy(moodMinimumIntervalDays: 28, overdueAfterDays: 0)
        // when / then
        #expect(try policy.validated() == policy)
    }

    @Test("settings survive JSON; settings stored before a field existed take its default")
    func codable() throws {
        // given
        let policy = MeasurementSchedulePolicy(followUpDays: [2, 10], moodMinimumIntervalDays: 21, followUpInstruments: [.bpi],
                                               overdueAfterDays: 5, infusionInstruments: [.painNRS, .sleep])
        let older = #"{"followUpDays":[1,7],"moodMinimumIntervalDays":14,"followUpInstruments":["pain-nrs"],"overdueAfterDays":2}"#
        // when
        let decoded = try JSONDecoder().decode(MeasurementSchedulePolicy.self, from: JSONEncoder().encode(policy))
        let fromOlder = try JSONDecoder().decode(MeasurementSchedulePolicy.self, from: Data(older.utf8))
        // then
        #expect(decoded == policy)
        #expect(fromOlder.followUpDays == [1, 7])
        #expect(fromOlder.followUpInstruments == [.painNRS])
        #expect(fromOlder.overdueAfterDays == 2)
        #expect(fromOlder.moodInstruments == [.phq9, .gad7])
        #expect(fromOlder.baselineInstruments == [.painNRS, .sleep])
    }
}
