import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

/// Property: every slot the planner proposes passes `SchedulingRules.check` against the existing bookings
/// plus the earlier proposed slots (clinical-reference §3 nurse ratio, §4 spacing, §10 chair time).
@Suite struct SchedulingPropertyTests {
    typealias F = SchedulingFixture

    /// Random existing bookings over two weeks: day offset, start on the quarter hour, chair, patient, infusion length.
    static let bookings = zip(Gen.int(in: 0...13), Gen.int(in: 32...68), Gen.int(in: 1...4), Gen.int(in: 1...6),
                              Gen.int(in: 0...2), Gen<AppointmentStatus>.case)
        .array(of: 0...25)
        .map { items in
            items.enumerated().map { n, item in
                let (day, quarter, chair, patient, length, status) = item
                return Appointment(id: F.appointmentID(n + 1), patient: F.patient(patient), chair: F.chairID(chair),
                                   start: F.hours.instant(on: F.monday.adding(days: day), minute: quarter * 15),
                                   infusionMinutes: [40, 60, 120][length], recoveryMinutes: 60, status: status)
            }
        }

    /// Random nurse rosters: 0–2 nurses per day, shifts that may end early.
    static let rosters = zip(Gen.int(in: 0...2), Gen.int(in: 8...18)).array(of: 40...40)
        .map { days in
            days.enumerated().flatMap { offset, day in
                let (nurses, end) = day
                return (0..<nurses).map { n in
                    F.shift(n + 1, on: F.monday.adding(days: offset), from: 8 * 60, to: n == 0 ? 18 * 60 : max(9, end) * 60)
                }
            }
        }

    /// Protocol shapes from clinical-reference §4: standard induction (40 min, 6, 48 h), CRPS (240 min, 10, 24 h), trial (120 min, 1).
    static let protocols = Gen.int(in: 0...2).map { [(40, 6, 48), (240, 10, 24), (120, 1, 0)][$0] }

    @Test func everyProposedSlotPassesTheRulesAgainstBookingsAndEarlierSlots() async throws {
        await propertyCheck(count: 60, input: Self.bookings, Self.rosters, Self.protocols, Gen.int(in: 32...68), Gen.bool,
                            Gen.int(in: 3...30)) { existing, shifts, shape, preferredQuarter, weekdaysOnly, horizon in
            let (infusion, count, spacing) = shape
            let policy = SchedulingPolicy(planningHorizonDays: horizon)   // short horizons leave some series partial
            let chairs = Array(F.chairs.prefix(4))
            // when
            guard let proposal = try? SeriesPlanner.propose(
                patient: F.patient(3), count: count, infusionMinutes: infusion, recoveryMinutes: 60, minimumSpacingHours: spacing,
                earliestStart: F.at(F.monday, "08:00"), preferredTimeOfDay: preferredQuarter * 15, weekdaysOnly: weekdaysOnly,
                existing: existing, chairs: chairs, shifts: shifts, hours: F.hours, policy: policy) else {
                Issue.record("the planner threw for valid input")
                return
            }
            // then
            #expect(proposal.slots.count + proposal.unplaced.count == count)
            #expect(proposal.slots.map(\.index) == Array(1...max(1, proposal.slots.count)).prefix(proposal.slots.count).map { $0 })
            #expect(proposal.isComplete == (proposal.reason == nil))
            var booked = existing
            for slot in proposal.slots {
                let appointment = slot.appointment(id: F.appointmentID(5000 + slot.index), patient: F.patient(3), series: F.series,
                                                   count: count, minimumSpacingHours: spacing, at: F.t0, by: F.scheduler)
                let conflicts = SchedulingRules.check(proposed: appointment, existing: booked, shifts: shifts, hours: F.hours,
                                                      policy: policy, chairs: chairs)
                #expect(conflicts.isEmpty, "slot \(slot.index): \(conflicts.map(\.reason))")
                #expect(!weekdaysOnly || !slot.date.weekday.isWeekend)
                booked.append(appointment)
            }
        }
    }
}
