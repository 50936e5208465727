import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The clinic's follow-up due list (issue 5) reads each patient's owed measurements from the summary row refreshed in
/// every change it depends on; it must always say what the patient's own outcomes page says.
@Suite struct DueListTests {
    static func expected(_ world: TestWorld, within days: Int) async throws -> Set<String> {
        let physician = world.actor(.physician)
        let plans = try await world.clinic.store.read { try await $0.all(TreatmentPlan.self, from: .treatmentPlans, DocumentQuery(limit: 1_000_000)) }
        var out: Set<String> = []
        for patient in Set(plans.filter { $0.status != .draft }.map(\.patientID)) {
            for d in try await world.clinic.patientOutcomes(patient, by: physician).due where d.dueOn <= world.clinic.today.adding(days: days) {
                out.insert("\(patient.rawValue) \(d.timepoint.key) \(d.dueOn) \(d.status.rawValue) \(d.instruments.map(\.rawValue))")
            }
        }
        return out
    }

    static func listed(_ world: TestWorld, within days: Int) async throws -> Set<String> {
        Set(try await world.clinic.dueFollowUps(withinDays: days, by: world.actor(.physician)).map { r in
            "\(r.patient.id.rawValue) \(r.due.timepoint.key) \(r.due.dueOn) \(r.due.status.rawValue) \(r.due.instruments.map(\.rawValue))"
        })
    }

    @Test func theDueListAgreesWithEachPatientsOutcomesTodayAndWeeksLaterAndWithSummariesWrittenBeforeTheScheduleInputs() async throws {
        try await TestWorld.with { world, _ in
            // a demo clinic with replayed courses (series, follow-ups, some through links) and patients with fresh plans
            try await DemoClinic.fill(world.clinic, patients: 40, histories: 6, print: { _ in })
            let today = try await Self.listed(world, within: 7)
            #expect(!today.isEmpty)
            #expect(today == (try await Self.expected(world, within: 7)))
            // time passes with no change recorded: upcoming items become due and overdue from the same summary rows
            world.clock.advance(by: 45 * 86_400)
            #expect(try await Self.listed(world, within: 7) == (try await Self.expected(world, within: 7)))
            // summaries written before the schedule inputs existed: the list works from the records for those patients
            try await world.clinic.store.write { tx in
                for var s in try await tx.all(OutcomeSummary.self, from: .outcomeSummaries, DocumentQuery(limit: 1_000_000)).prefix(3) {
                    s.dueInputs = nil
                    try await tx.put(s, in: .outcomeSummaries, id: s.patientID.rawValue.uuidString,
                                     index: DocumentIndex(patientID: s.patientID.rawValue.uuidString, refID: s.protocolID.rawValue.uuidString, day: s.firstInfusion?.description))
                }
            }
            #expect(try await Self.listed(world, within: 30) == (try await Self.expected(world, within: 30)))
            // and the start-up backfill gives those three their inputs back, once
            #expect(try await world.clinic.backfillOutcomeSummaries() == 3)
            #expect(try await world.clinic.backfillOutcomeSummaries() == 0)
            #expect(try await Self.listed(world, within: 30) == (try await Self.expected(world, within: 30)))
        }
    }
}
