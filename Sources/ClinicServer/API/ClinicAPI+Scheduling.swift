import ClinicCore
import Foundation

extension ClinicAPI {
    static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    func getDaySchedule(_ input: Operations.GetDaySchedule.Input) async throws -> Operations.GetDaySchedule.Output {
        guard let date = CalendarDate(input.path.date) else { throw ClinicError.invalid("date", "must be a date as YYYY-MM-DD") }
        let (board, appointments, setup) = try await clinic.dayBoard(date, by: try actor())
        return .ok(.init(body: .json(.init(date: date.description, appointments: appointments.map { .init($0, setup: setup) },
                                           nursesOnShift: board.rows.map(\.nursesOnShift).max() ?? 0))))
    }

    func proposeSeries(_ input: Operations.ProposeSeries.Input) async throws -> Operations.ProposeSeries.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        var preferred: Int?
        if let t = b.preferredTime {
            guard let m = Self.minute(t) else { throw ClinicError.invalid("preferredTime", "must be HH:MM") }
            preferred = m
        }
        let a = try actor()
        let proposal = try await clinic.proposeSeries(for: try planID(input.path.planId), earliest: b.earliest, preferredMinute: preferred, by: a)
        let setup = try await clinic.clinicSetup(by: a)
        return .ok(.init(body: .json(.init(slots: proposal.slots.map { .init($0, setup: setup) }, unplaced: proposal.unplaced, reason: proposal.reason))))
    }

    func bookSeries(_ input: Operations.BookSeries.Input) async throws -> Operations.BookSeries.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let a = try actor()
        let setup = try await clinic.clinicSetup(by: a)
        var slots: [ProposedSlot] = []
        for (i, s) in b.slots.enumerated() {
            guard let chair = UUID(uuidString: s.chairId) else { throw ClinicError.invalid("slots[\(i)].chairId", "is not a chair") }
            slots.append(ProposedSlot(index: s.index, chair: Chair.ID(chair), start: s.start, date: setup.hours.date(of: s.start),
                                      startMinute: setup.hours.minuteOfDay(of: s.start), infusionMinutes: s.infusionMinutes, recoveryMinutes: s.recoveryMinutes))
        }
        let plan = try planID(input.path.planId)
        let booked = try await clinic.bookSeries(for: plan, slots: slots, by: a)
        return .created(.init(body: .json(booked.map { .init(ScheduledAppointment(appointment: $0, patient: nil, planID: plan), setup: setup) })))
    }

    func changeAppointment(_ input: Operations.ChangeAppointment.Input) async throws -> Operations.ChangeAppointment.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let uuid = UUID(uuidString: input.path.appointmentId) else { throw ClinicError.notFound("appointment \(input.path.appointmentId)") }
        let change: Clinic.AppointmentChange
        switch b.action {
        case .reschedule:
            guard let start = b.start else { throw ClinicError.invalid("start", "is required to reschedule") }
            guard let chair = b.chairId.flatMap(UUID.init(uuidString:)) else { throw ClinicError.invalid("chairId", "is required to reschedule") }
            change = .reschedule(to: start, chair: Chair.ID(chair), reason: b.reason ?? "")
        case .cancel: change = .cancel(reason: b.reason ?? "")
        case .noShow: change = .noShow
        }
        let a = try actor()
        let appointment = try await clinic.changeAppointment(Appointment.ID(uuid), change, by: a)
        return .ok(.init(body: .json(.init(ScheduledAppointment(appointment: appointment, patient: nil, planID: nil), setup: try await clinic.clinicSetup(by: a)))))
    }

    func addShift(_ input: Operations.AddShift.Input) async throws -> Operations.AddShift.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        var errors = FieldErrors()
        let nurse = UUID(uuidString: b.nurseId)
        if nurse == nil { errors.add("nurseId", "is not an account id") }
        let date = CalendarDate(b.date)
        if date == nil { errors.add("date", "must be a date as YYYY-MM-DD") }
        let start = Self.minute(b.start)
        if start == nil { errors.add("start", "must be HH:MM") }
        let end = Self.minute(b.end)
        if end == nil { errors.add("end", "must be HH:MM") }
        try errors.throwIfAny()
        _ = try await clinic.addShift(nurse: User.ID(nurse!), date: date!, start: start!, end: end!, by: try actor())
        return .created(.init(body: .json(b)))
    }
}

extension Components.Schemas.Appointment {
    init(_ s: ScheduledAppointment, setup: ClinicSetup) {
        let a = s.appointment
        self.init(id: a.id.rawValue.uuidString, patientId: a.patient.rawValue.uuidString,
                  patientName: s.patient.map { "\($0.familyName), \($0.givenName)" }, mrn: s.patient?.mrn.value,
                  chairId: a.chair.rawValue.uuidString, chairName: setup.chairs.first { $0.id == a.chair }?.name ?? "unknown chair",
                  start: a.start, infusionEnd: a.infusionEnd, end: a.end, status: .init(rawValue: a.status.rawValue) ?? .booked,
                  seriesIndex: a.series?.index, seriesCount: a.series?.count, planId: s.planID?.rawValue.uuidString)
    }
}

extension Components.Schemas.ProposedSlot {
    init(_ s: ProposedSlot, setup: ClinicSetup) {
        self.init(index: s.index, chairId: s.chair.rawValue.uuidString, chairName: setup.chairs.first { $0.id == s.chair }?.name,
                  start: s.start, infusionMinutes: s.infusionMinutes, recoveryMinutes: s.recoveryMinutes)
    }
}

extension ClinicAPI {
    func getClinicSetup(_ input: Operations.GetClinicSetup.Input) async throws -> Operations.GetClinicSetup.Output {
        .ok(.init(body: .json(.init(try await clinic.clinicSetup(by: try actor())))))
    }

    func saveClinicSetup(_ input: Operations.SaveClinicSetup.Input) async throws -> Operations.SaveClinicSetup.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let a = try actor()
        // Refuse roles that may not change the set-up before reading anything from the body.
        try await clinic.requireSetupChange(by: a)
        var setup = try await clinic.clinicSetup(by: a)
        var errors = FieldErrors()
        let opens = Self.minute(b.opens), closes = Self.minute(b.closes)
        if opens == nil { errors.add("opens", "must be HH:MM") }
        if closes == nil { errors.add("closes", "must be HH:MM") }
        let days = b.weekdays.compactMap { Weekday(rawValue: $0.rawValue) }
        if days.isEmpty { errors.add("weekdays", "name at least one opening day") }
        try errors.throwIfAny()
        setup.hours = .same(OpeningHours(opens: opens!, closes: closes!), on: days, timeZone: clinic.settings.timeZone)
        let room = setup.rooms.first ?? Room(id: Room.ID(UUID()), name: "Infusion room", chairs: [])
        setup.rooms = [Room(id: room.id, name: room.name, chairs: b.chairs.map {
            Chair(id: Chair.ID($0.id.flatMap(UUID.init(uuidString:)) ?? UUID()), name: $0.name, isActive: $0.active ?? true)
        })]
        setup.policy.occupiedChairsPerNurse = b.occupiedChairsPerNurse
        setup.policy.defaultRecoveryMinutes = b.recoveryMinutes
        return .ok(.init(body: .json(.init(try await clinic.saveClinicSetup(setup, by: a)))))
    }

    func getWeekSchedule(_ input: Operations.GetWeekSchedule.Input) async throws -> Operations.GetWeekSchedule.Output {
        guard let date = CalendarDate(input.path.date) else { throw ClinicError.invalid("date", "must be a date as YYYY-MM-DD") }
        let a = try actor()
        var days: [Components.Schemas.DaySchedule] = []
        for offset in 0..<7 {
            let day = date.mondayOfWeek.adding(days: offset)
            let (board, appointments, setup) = try await clinic.dayBoard(day, by: a)
            days.append(.init(date: day.description, appointments: appointments.map { .init($0, setup: setup) },
                              nursesOnShift: board.rows.map(\.nursesOnShift).max() ?? 0))
        }
        return .ok(.init(body: .json(days)))
    }
}

extension Components.Schemas.ClinicSetup {
    init(_ s: ClinicSetup) {
        let days = Weekday.allCases.filter { s.hours.week[$0] != nil }
        let hours = days.first.flatMap { s.hours.week[$0] }
        self.init(weekdays: days.compactMap { .init(rawValue: $0.rawValue) }, opens: ClinicHours.clockText(hours?.opens ?? 480),
                  closes: ClinicHours.clockText(hours?.closes ?? 1080),
                  chairs: s.chairs.map { .init(id: $0.id.rawValue.uuidString, name: $0.name, active: $0.isActive) },
                  occupiedChairsPerNurse: s.policy.occupiedChairsPerNurse, recoveryMinutes: s.policy.defaultRecoveryMinutes)
    }
}
