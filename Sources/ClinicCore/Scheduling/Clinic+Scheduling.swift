import Foundation
import Tagged

/// The clinic's scheduling set-up: opening hours, rooms and chairs, the scheduling policy.
public struct ClinicSetup: Sendable, Hashable, Codable {
    public var hours: ClinicHours
    public var rooms: [Room]
    public var policy: SchedulingPolicy

    /// A starting set-up for a new clinic (local policy, change it on the set-up page): weekdays 08:00–18:00, one room
    /// with four chairs, the scheduling policy's defaults.
    public static func starting(timeZone: TimeZone) -> ClinicSetup {
        ClinicSetup(hours: .same(OpeningHours(opens: 8 * 60, closes: 18 * 60), on: [.monday, .tuesday, .wednesday, .thursday, .friday], timeZone: timeZone),
                    rooms: [Room(id: Room.ID(UUID(uuidString: "C0FFEE00-0000-4000-8000-000000000001")!), name: "Infusion room",
                                 chairs: (1...4).map { Chair(id: Chair.ID(UUID(uuidString: String(format: "C0FFEE00-0000-4000-8000-1000000000%02d", $0))!), name: "Chair \($0)") })],
                    policy: .standard)
    }

    public var chairs: [Chair] { rooms.flatMap(\.chairs) }
}

/// An appointment as the day board and the series page show it.
public struct ScheduledAppointment: Sendable, Hashable {
    public var appointment: Appointment
    public var patient: PatientSummary?
    public var planID: TreatmentPlan.ID?
    /// The session running this appointment, once the patient is checked in.
    public var sessionID: InfusionSession.ID?
    public init(appointment: Appointment, patient: PatientSummary?, planID: TreatmentPlan.ID?, sessionID: InfusionSession.ID? = nil) {
        self.appointment = appointment
        self.patient = patient
        self.planID = planID
        self.sessionID = sessionID
    }
}

/// Index columns for appointments: patient, plan (ref), calendar day, chair time, status.
extension Appointment {
    func index(planID: TreatmentPlan.ID?, hours: ClinicHours) -> DocumentIndex {
        DocumentIndex(patientID: patient.rawValue.uuidString, refID: planID?.rawValue.uuidString, day: hours.date(of: start).description,
                      start: start, end: end, status: status.rawValue)
    }
}

/// A stored appointment with the plan it belongs to.
public struct AppointmentRecord: Sendable, Hashable, Codable {
    public var appointment: Appointment
    public var planID: TreatmentPlan.ID?
    /// The session that runs this appointment, once the patient is checked in.
    public var sessionID: InfusionSession.ID?
}

extension Clinic {
    // MARK: - Set-up

    /// The scheduling set-up (the starting one until someone saves theirs).
    public func clinicSetup(by actor: Actor) async throws -> ClinicSetup {
        try await require(actor, AccessRequest(.read, .clinicSetup))
        return try await store.read { try await self.loadSetup($0) }
    }

    func loadSetup(_ tx: any ClinicRecords) async throws -> ClinicSetup {
        try await tx.get(ClinicSetup.self, from: .clinicSettings, id: "scheduling") ?? .starting(timeZone: settings.timeZone)
    }

    /// Refuses (and audits) an actor who may not change the scheduling set-up.
    public func requireSetupChange(by actor: Actor) async throws {
        try await require(actor, AccessRequest(.update, .clinicSetup, id: "scheduling"))
    }

    /// Saves hours, rooms and chairs, and the policy (each validated).
    public func saveClinicSetup(_ setup: ClinicSetup, by actor: Actor) async throws -> ClinicSetup {
        let request = AccessRequest(.update, .clinicSetup, id: "scheduling")
        try await require(actor, request)
        let checked = ClinicSetup(hours: try setup.hours.validated(), rooms: setup.rooms, policy: try setup.policy.validated())
        var errors = FieldErrors()
        if checked.chairs.isEmpty { errors.add("chairs", "the clinic needs at least one chair") }
        if Set(checked.chairs.map(\.id)).count != checked.chairs.count { errors.add("chairs", "each chair needs its own id") }
        for (i, chair) in checked.chairs.enumerated() where chair.name.trimmingCharacters(in: .whitespaces).isEmpty || chair.name.count > 60 {
            errors.add("chairs[\(i)].name", "must be 1 to 60 characters")
        }
        try errors.throwIfAny()
        try await store.write { tx in
            try await tx.put(checked, in: .clinicSettings, id: "scheduling", index: DocumentIndex())
            try await self.audit(tx, actor, request)
        }
        return checked
    }

    /// Puts a nurse on shift.
    public func addShift(nurse: User.ID, date: CalendarDate, start: Int, end: Int, by actor: Actor) async throws -> StaffShift {
        let request = AccessRequest(.update, .clinicSetup, id: "shifts")
        try await require(actor, request)
        let shift = try StaffShift(id: StaffShift.ID(ids.next()), nurse: nurse, date: date, start: start, end: end).validated()
        try await store.write { tx in
            guard let user = try await tx.user(nurse), user.role == .nurse, !user.isDisabled else {
                throw ClinicError.invalid("nurse", "must be an active nurse's account")
            }
            try await tx.put(shift, in: .staffShifts, id: shift.id.rawValue.uuidString, index: DocumentIndex(refID: nurse.rawValue.uuidString, day: date.description))
            try await self.audit(tx, actor, request, detail: "add:\(date)")
        }
        return shift
    }

    /// The nurses on shift on the given days.
    public func shifts(on days: ClosedRange<CalendarDate>, by actor: Actor) async throws -> [StaffShift] {
        try await require(actor, AccessRequest(.read, .clinicSetup))
        return try await store.read { try await $0.all(StaffShift.self, from: .staffShifts, DocumentQuery(days: days.lowerBound.description...days.upperBound.description)) }
    }

    // MARK: - Series

    /// Proposes chair slots for a plan's whole series: spacing, chairs, nurse cover and hours respected.
    public func proposeSeries(for planID: TreatmentPlan.ID, earliest: Date, preferredMinute: Int?, by actor: Actor) async throws -> SeriesProposal {
        try await require(actor, AccessRequest(.create, .scheduling))
        let (plan, proto, setup, existing, shifts) = try await seriesContext(planID, from: earliest)
        let adjusted = plan.adjusted(proto)
        return try SeriesPlanner.propose(
            patient: plan.patientID, count: plan.plannedInfusions, infusionMinutes: adjusted.durationMinutes,
            recoveryMinutes: setup.policy.defaultRecoveryMinutes, minimumSpacingHours: proto.minimumSpacingHours ?? 0,
            earliestStart: earliest, preferredTimeOfDay: preferredMinute, weekdaysOnly: proto.seriesPattern == .consecutiveWeekdays,
            existing: existing.map(\.appointment), chairs: setup.chairs, shifts: shifts, hours: setup.hours, policy: setup.policy)
    }

    func seriesContext(_ planID: TreatmentPlan.ID, from earliest: Date) async throws
        -> (TreatmentPlan, InfusionProtocol, ClinicSetup, [AppointmentRecord], [StaffShift]) {
        let horizon = earliest.addingTimeInterval(400 * 86_400)
        let loaded: (TreatmentPlan?, ClinicSetup, [AppointmentRecord], [StaffShift]) = try await store.read { tx in
            let plan = try await tx.get(TreatmentPlan.self, from: .treatmentPlans, id: planID.rawValue.uuidString)
            let setup = try await self.loadSetup(tx)
            let existing = try await tx.all(AppointmentRecord.self, from: .appointments, DocumentQuery(overlapping: earliest.addingTimeInterval(-7 * 86_400)..<horizon))
            let from = setup.hours.date(of: earliest).adding(days: -1).description
            let to = setup.hours.date(of: horizon).description
            let shifts = try await tx.all(StaffShift.self, from: .staffShifts, DocumentQuery(days: from...to))
            return (plan, setup, existing, shifts)
        }
        guard let plan = loaded.0 else { throw ClinicError.notFound("plan \(planID.rawValue)") }
        guard plan.status == .active else { throw ClinicError.conflict("The plan's orders are not signed yet: a physician signs them before the series is booked") }
        let proto = try await protocolVersion(plan.protocolID, version: plan.protocolVersion)
        return (plan, proto, loaded.1, loaded.2, loaded.3)
    }

    /// Books a whole series in one step: every slot is checked again against everything booked (and the slots before
    /// it) inside one transaction; any conflict refuses the whole series with its reason.
    public func bookSeries(for planID: TreatmentPlan.ID, slots: [ProposedSlot], by actor: Actor) async throws -> [Appointment] {
        let request = AccessRequest(.create, .scheduling, id: planID.rawValue.uuidString)
        try await require(actor, request)
        guard !slots.isEmpty else { throw ClinicError.invalid("slots", "choose at least one slot") }
        let earliest = slots.map(\.start).min()!
        let (plan, proto, setup, _, _) = try await seriesContext(planID, from: earliest)
        let now = clock.now
        let seriesID = AppointmentSeriesID(ids.next())
        let appointmentIDs = slots.map { _ in Appointment.ID(ids.next()) }
        return try await store.write { tx in
            let horizon = slots.map(\.start).max()!.addingTimeInterval(2 * 86_400)
            var existing = try await tx.all(AppointmentRecord.self, from: .appointments, DocumentQuery(overlapping: earliest.addingTimeInterval(-7 * 86_400)..<horizon)).map(\.appointment)
            let shifts = try await tx.all(StaffShift.self, from: .staffShifts,
                                          DocumentQuery(days: setup.hours.date(of: earliest).adding(days: -1).description...setup.hours.date(of: horizon).description))
            var booked: [Appointment] = []
            for (i, slot) in slots.sorted(by: { $0.start < $1.start }).enumerated() {
                var s = slot
                s.index = i + 1
                let appointment = s.appointment(id: appointmentIDs[i], patient: plan.patientID, series: seriesID, count: slots.count,
                                                minimumSpacingHours: proto.minimumSpacingHours ?? 0, at: now, by: actor.userID)
                let conflicts = SchedulingRules.check(proposed: appointment, existing: existing, shifts: shifts, hours: setup.hours,
                                                      policy: setup.policy, chairs: setup.chairs)
                if !conflicts.isEmpty {
                    throw ClinicError.conflict("Infusion \(i + 1) (\(setup.hours.describe(appointment.start))): " + conflicts.map(\.reason).joined(separator: " "))
                }
                existing.append(appointment)
                booked.append(appointment)
                try await tx.put(AppointmentRecord(appointment: appointment, planID: plan.id), in: .appointments, id: appointment.id.rawValue.uuidString,
                                 index: appointment.index(planID: plan.id, hours: setup.hours))
            }
            try await self.audit(tx, actor, AccessRequest(.create, .scheduling, patient: plan.patientID, id: planID.rawValue.uuidString),
                                 detail: "series:\(booked.count)")
            return booked
        }
    }

    // MARK: - One appointment

    /// What front desk can do to one appointment.
    public enum AppointmentChange: Sendable, Hashable {
        case reschedule(to: Date, chair: Chair.ID, reason: String)
        case cancel(reason: String)
        case noShow
    }

    /// Reschedules (checked against every rule again), cancels or marks a no-show; the history keeps the old times.
    public func changeAppointment(_ id: Appointment.ID, _ change: AppointmentChange, by actor: Actor) async throws -> Appointment {
        try await require(actor, AccessRequest(.update, .scheduling, id: id.rawValue.uuidString))
        let now = clock.now
        return try await store.write { tx in
            guard var record = try await tx.get(AppointmentRecord.self, from: .appointments, id: id.rawValue.uuidString) else {
                throw ClinicError.notFound("appointment \(id.rawValue)")
            }
            let setup = try await self.loadSetup(tx)
            switch change {
            case .reschedule(let start, let chair, let reason):
                var moved = record.appointment
                try moved.reschedule(to: start, chair: chair, at: now, by: actor.userID, reason: reason)
                let window = start.addingTimeInterval(-7 * 86_400)..<start.addingTimeInterval(7 * 86_400)
                let existing = try await tx.all(AppointmentRecord.self, from: .appointments, DocumentQuery(overlapping: window)).map(\.appointment)
                let day = setup.hours.date(of: start)
                let shifts = try await tx.all(StaffShift.self, from: .staffShifts, DocumentQuery(days: day.adding(days: -1).description...day.adding(days: 1).description))
                try SchedulingRules.require(proposed: moved, existing: existing, shifts: shifts, hours: setup.hours, policy: setup.policy, chairs: setup.chairs)
                record.appointment = moved
            case .cancel(let reason):
                try record.appointment.cancel(at: now, by: actor.userID, reason: reason)
            case .noShow:
                try record.appointment.markNoShow(at: now, by: actor.userID)
            }
            try await tx.put(record, in: .appointments, id: id.rawValue.uuidString, index: record.appointment.index(planID: record.planID, hours: setup.hours))
            try await self.audit(tx, actor, AccessRequest(.update, .scheduling, patient: record.appointment.patient, id: id.rawValue.uuidString),
                                 detail: "\(change)".split(separator: "(").first.map(String.init) ?? "")
            return record.appointment
        }
    }

    // MARK: - Views

    /// The day board (chairs × time) with each appointment's patient; the list of names read is audited.
    public func dayBoard(_ date: CalendarDate, by actor: Actor) async throws -> (board: DayBoard, appointments: [ScheduledAppointment], setup: ClinicSetup) {
        let request = AccessRequest(.list, .scheduling, id: date.description)
        try await require(actor, request)
        let (setup, records, shifts, patients): (ClinicSetup, [AppointmentRecord], [StaffShift], [Patient.ID: PatientSummary]) = try await store.read { tx in
            let setup = try await self.loadSetup(tx)
            let records = try await tx.all(AppointmentRecord.self, from: .appointments, DocumentQuery(day: date.description))
            let shifts = try await tx.all(StaffShift.self, from: .staffShifts, DocumentQuery(day: date.description))
            var patients: [Patient.ID: PatientSummary] = [:]
            for id in Set(records.map(\.appointment.patient)) {
                if let p = try await tx.patient(id) { patients[id] = PatientSummary(p) }
            }
            return (setup, records, shifts, patients)
        }
        try await recordRead(actor, request, detail: "appointments:\(records.count)")
        let board = DayBoard.build(date: date, chairs: setup.chairs, appointments: records.map(\.appointment), shifts: shifts, hours: setup.hours, policy: setup.policy)
        return (board, records.map { ScheduledAppointment(appointment: $0.appointment, patient: patients[$0.appointment.patient], planID: $0.planID, sessionID: $0.sessionID) }, setup)
    }

    /// The week view from the Monday of `date`'s week.
    public func weekView(_ date: CalendarDate, by actor: Actor) async throws -> (week: WeekView, setup: ClinicSetup) {
        let request = AccessRequest(.list, .scheduling, id: "week:\(date.mondayOfWeek)")
        try await require(actor, request)
        let monday = date.mondayOfWeek
        let (setup, records, shifts): (ClinicSetup, [AppointmentRecord], [StaffShift]) = try await store.read { tx in
            let range = monday.description...monday.adding(days: 6).description
            return (try await self.loadSetup(tx), try await tx.all(AppointmentRecord.self, from: .appointments, DocumentQuery(days: range)),
                    try await tx.all(StaffShift.self, from: .staffShifts, DocumentQuery(days: range)))
        }
        try await recordRead(actor, request, detail: "appointments:\(records.count)")
        return (WeekView.build(startingOn: monday, chairs: setup.chairs, appointments: records.map(\.appointment), shifts: shifts, hours: setup.hours), setup)
    }

    /// A patient's appointments, in time order.
    public func appointments(of patientID: Patient.ID, by actor: Actor) async throws -> [AppointmentRecord] {
        let request = AccessRequest(.list, .scheduling, patient: patientID)
        try await require(actor, request)
        let records = try await store.read { try await $0.all(AppointmentRecord.self, from: .appointments, DocumentQuery(patientID: patientID.rawValue.uuidString)) }
        try await recordRead(actor, request)
        return records
    }
}

extension Clinic {
    /// Active nurses, for shift rosters (names only).
    public func nurses(by actor: Actor) async throws -> [User] {
        try await require(actor, AccessRequest(.read, .clinicSetup))
        return try await store.read { try await $0.users() }.filter { $0.role == .nurse && !$0.isDisabled }
    }
}

/// What scheduling needs to know of a plan — no clinical detail beyond the protocol's name and the series size.
public struct PlanBookingSummary: Sendable, Hashable {
    public var planID: TreatmentPlan.ID
    public var patientID: Patient.ID
    public var protocolName: String
    public var plannedInfusions: Int
    public var booked: Int
}

extension Clinic {
    /// Signed plans of a patient with how many of their infusions are booked (front desk books from this).
    public func plansToBook(of patientID: Patient.ID, by actor: Actor) async throws -> [PlanBookingSummary] {
        let request = AccessRequest(.read, .scheduling, patient: patientID)
        try await require(actor, request)
        let (plans, records) = try await store.read { tx in
            (try await tx.all(TreatmentPlan.self, from: .treatmentPlans, DocumentQuery(patientID: patientID.rawValue.uuidString, status: TreatmentPlan.Status.active.rawValue)),
             try await tx.all(AppointmentRecord.self, from: .appointments, DocumentQuery(patientID: patientID.rawValue.uuidString)))
        }
        try await recordRead(actor, request, detail: "plans-to-book")
        return plans.map { plan in
            PlanBookingSummary(planID: plan.id, patientID: plan.patientID, protocolName: plan.protocolName, plannedInfusions: plan.plannedInfusions,
                               booked: records.filter { $0.planID == plan.id && $0.appointment.holdsChair }.count)
        }
    }

    /// One plan's booking summary.
    public func planToBook(_ planID: TreatmentPlan.ID, by actor: Actor) async throws -> PlanBookingSummary {
        try await require(actor, AccessRequest(.read, .scheduling, id: planID.rawValue.uuidString))
        guard let plan = try await store.read({ try await $0.get(TreatmentPlan.self, from: .treatmentPlans, id: planID.rawValue.uuidString) }) else {
            throw ClinicError.notFound("plan \(planID.rawValue)")
        }
        return try await plansToBook(of: plan.patientID, by: actor).first { $0.planID == planID }
            ?? PlanBookingSummary(planID: planID, patientID: plan.patientID, protocolName: plan.protocolName, plannedInfusions: plan.plannedInfusions, booked: 0)
    }
}
