import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct DayBoardPage {
        struct Cell {
            let text: String
            let cls: String
            let href: String
        }
        struct Row {
            let label: String
            let cells: [Cell]
            let occupancy: String
        }
        struct Item {
            let time: String
            let chair: String
            let patient: String
            let series: String
            let status: String
            let id: String
            let patientID: String
            let canChange: Bool
            let sessionHref: String
            let canCheckIn: Bool
            let date: String
            let startTime: String
            let chairs: [FormField.Option]
        }
        let chrome: PageChrome
        let date: String
        let weekday: String
        let previous: String
        let next: String
        let chairs: [String]
        let rows: [Row]
        let items: [Item]
        let empty: Bool
        let closed: Bool
        let ratio: String
    }

    func queryDate(_ request: Request) -> CalendarDate {
        request.uri.queryParameters["date"].flatMap { CalendarDate(String($0)) } ?? clinic.today
    }

    func dayBoardPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let date = queryDate(request)
        let (board, appointments, setup) = try await clinic.dayBoard(date, by: actor)
        let byID = Dictionary(uniqueKeysWithValues: appointments.map { ($0.appointment.id, $0) })
        let canChange = clinic.access.allows(actor, AccessRequest(.update, .scheduling))
        let canCheckIn = clinic.access.allows(actor, AccessRequest(.create, .infusionSession))
        let rows = board.rows.map { row in
            DayBoardPage.Row(label: row.label, cells: row.cells.map { cell in
                switch cell {
                case .free: return .init(text: "", cls: "free", href: "")
                case .closed: return .init(text: "", cls: "closed", href: "")
                case .appointment(let a):
                    let who = byID[a.appointment]?.patient.map { "\($0.familyName), \($0.givenName)" } ?? "patient"
                    return .init(text: a.isFirstSlot ? who : "", cls: a.phase.rawValue, href: "/patients/\(a.patient.rawValue.uuidString)")
                }
            }, occupancy: row.occupiedChairs > 0 ? "\(row.occupiedChairs) chair(s) · \(row.nursesOnShift) nurse(s)" : "")
        }
        let items = appointments.sorted { $0.appointment.start < $1.appointment.start }.map { s in
            DayBoardPage.Item(time: "\(ClinicHours.clockText(setup.hours.minuteOfDay(of: s.appointment.start)))–\(ClinicHours.clockText(setup.hours.minuteOfDay(of: s.appointment.end)))",
                              chair: setup.chairs.first { $0.id == s.appointment.chair }?.name ?? "?",
                              patient: s.patient.map { "\($0.familyName), \($0.givenName) (\($0.mrn.value))" } ?? "patient",
                              series: s.appointment.series.map { "\($0.index)/\($0.count)" } ?? "",
                              status: s.appointment.status.label, id: s.appointment.id.rawValue.uuidString,
                              patientID: s.appointment.patient.rawValue.uuidString,
                              canChange: canChange && s.appointment.status == .booked && s.sessionID == nil,
                              sessionHref: s.sessionID.map { "/sessions/\($0.rawValue.uuidString)" } ?? "",
                              canCheckIn: canCheckIn && s.appointment.status == .booked && s.sessionID == nil,
                              date: setup.hours.date(of: s.appointment.start).description,
                              startTime: ClinicHours.clockText(setup.hours.minuteOfDay(of: s.appointment.start)),
                              chairs: setup.chairs.map { FormField.Option(value: $0.id.rawValue.uuidString, label: $0.name, selected: $0.id == s.appointment.chair) })
        }
        let model = DayBoardPage(
            chrome: chrome("Day board", context, active: "schedule"), date: date.description, weekday: date.weekday.shortName,
            previous: "/schedule?date=\(date.adding(days: -1))", next: "/schedule?date=\(date.adding(days: 1))",
            chairs: board.chairs.map(\.name), rows: rows, items: items, empty: items.isEmpty, closed: board.opening == nil,
            ratio: "One nurse per \(setup.policy.occupiedChairsPerNurse) occupied chairs (infusing or recovering), clinical-reference §3; recovery \(setup.policy.defaultRecoveryMinutes) min after each infusion (clinic policy).")
        return pages.render("day-board", model)
    }

    struct WeekPage {
        struct Day {
            let label: String
            let href: String
            let count: Int
            let nurses: Int
            let closed: Bool
            let entries: [String]
        }
        let chrome: PageChrome
        let title: String
        let previous: String
        let next: String
        let days: [Day]
    }

    func weekPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let date = queryDate(request)
        let (week, setup) = try await clinic.weekView(date, by: try context.actor())
        let chairNames = Dictionary(setup.chairs.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let days = week.days.map { d in
            WeekPage.Day(label: "\(d.weekday.shortName) \(d.date)", href: "/schedule?date=\(d.date)", count: d.appointmentCount, nurses: d.nurseCount,
                         closed: d.opening == nil,
                         entries: d.chairs.flatMap { c in c.appointments.map { "\(ClinicHours.clockText($0.startMinute)) \(chairNames[c.chair] ?? "")\($0.seriesLabel.map { " · \($0)" } ?? "")" } }.sorted())
        }
        return pages.render("week", WeekPage(chrome: chrome("Week", context, active: "schedule"), title: "Week of \(week.startDate)",
                                             previous: "/schedule/week?date=\(week.startDate.adding(days: -7))",
                                             next: "/schedule/week?date=\(week.startDate.adding(days: 7))", days: days))
    }

    func changeAppointmentPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("appointment") }
        let actor = try context.actor()
        let change: Clinic.AppointmentChange
        switch w["action"] {
        case "noShow": change = .noShow
        case "reschedule":
            let setup = try await clinic.clinicSetup(by: actor)
            guard let date = CalendarDate(w["date"]), let minute = ClinicAPI.minute(w["time"]) else {
                throw ClinicError.invalid("date", "give the new date and time")
            }
            guard let chair = UUID(uuidString: w["chair"]) else { throw ClinicError.invalid("chair", "choose a chair") }
            change = .reschedule(to: setup.hours.instant(on: date, minute: minute), chair: Chair.ID(chair), reason: w["reason"])
        default: change = .cancel(reason: w["reason"].isEmpty ? "Cancelled at the front desk" : w["reason"])
        }
        let a: Appointment
        do {
            a = try await clinic.changeAppointment(Appointment.ID(uuid), change, by: actor)
        } catch let e as ClinicError {
            return pages.errorPage(ProblemDetails(e), context: context)
        }
        return .redirect(to: "/schedule?date=\(clinic.today == CalendarDate(a.start, in: clinic.settings.timeZone) ? clinic.today : CalendarDate(a.start, in: clinic.settings.timeZone))")
    }

    // MARK: - Booking a series

    struct BookPage {
        struct Slot {
            let index: Int
            let text: String
            let chairID: String
            let start: String
            let infusion: Int
            let recovery: Int
        }
        let chrome: PageChrome
        let planID: String
        let patientID: String
        let summary: String
        let earliest: String
        let preferred: String
        let slots: [Slot]
        let hasSlots: Bool
        let reason: String
        let error: String
        let coverageWarnings: [String]
        let hasCoverageWarnings: Bool
    }

    func bookPage(_ request: Request, _ context: ClinicRequestContext, error: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("plan") }
        let planID = TreatmentPlan.ID(uuid)
        let q = request.uri.queryParameters
        let earliestDate = q["from"].flatMap { CalendarDate(String($0)) } ?? clinic.today.adding(days: 1)
        let preferredText = q["time"].map(String.init) ?? "09:00"
        let setup = try await clinic.clinicSetup(by: actor)
        let proposal = try await clinic.proposeSeries(for: planID, earliest: setup.hours.instant(on: earliestDate, minute: 0),
                                                      preferredMinute: ClinicAPI.minute(preferredText), by: actor)
        let plan = try await clinic.planToBook(planID, by: actor)
        let warnings = try await clinic.coverageWarnings(for: plan.patientID, planning: proposal.slots.map { CalendarDate($0.start, in: clinic.settings.timeZone) },
                                                         by: actor).map(\.message)
        let iso = ISO8601DateFormatter()
        let model = BookPage(
            chrome: chrome("Book the series", context, active: "schedule"), planID: text, patientID: plan.patientID.rawValue.uuidString,
            summary: "\(plan.protocolName): \(plan.plannedInfusions) infusion(s), \(plan.booked) booked", earliest: earliestDate.description, preferred: preferredText,
            slots: proposal.slots.map { s in
                BookPage.Slot(index: s.index, text: "\(setup.hours.describe(s.start)) · \(setup.chairs.first { $0.id == s.chair }?.name ?? "") · \(s.infusionMinutes) min + \(s.recoveryMinutes) min recovery",
                              chairID: s.chair.rawValue.uuidString, start: iso.string(from: s.start), infusion: s.infusionMinutes, recovery: s.recoveryMinutes)
            },
            hasSlots: !proposal.slots.isEmpty, reason: proposal.reason ?? "", error: error, coverageWarnings: warnings, hasCoverageWarnings: !warnings.isEmpty)
        return pages.render("book", model, status: status)
    }

    func bookSeriesPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("plan") }
        let actor = try context.actor()
        let setup = try await clinic.clinicSetup(by: actor)
        let iso = ISO8601DateFormatter()
        let slots = w.rows("slots").compactMap { r -> ProposedSlot? in
            guard let chair = r["chair"].flatMap(UUID.init(uuidString:)), let start = r["start"].flatMap(iso.date(from:)),
                  let infusion = r["infusion"].flatMap(Int.init), let recovery = r["recovery"].flatMap(Int.init) else { return nil }
            return ProposedSlot(index: Int(r["index"] ?? "") ?? 0, chair: Chair.ID(chair), start: start, date: setup.hours.date(of: start),
                                startMinute: setup.hours.minuteOfDay(of: start), infusionMinutes: infusion, recoveryMinutes: recovery)
        }
        do {
            let booked = try await clinic.bookSeries(for: TreatmentPlan.ID(uuid), slots: slots, by: actor)
            return .redirect(to: "/schedule?date=\(setup.hours.date(of: booked.first!.start))")
        } catch ClinicError.conflict(let why) {
            return try await bookPage(request, context, error: why, status: .conflict)
        }
    }

    // MARK: - Set-up and shifts

    struct SetupPage {
        struct ShiftRow {
            let date: String
            let nurse: String
            let time: String
        }
        let chrome: PageChrome
        let hours: String
        let chairs: String
        let policy: String
        let canEdit: Bool
        let shiftFields: [FormField]
        let shifts: [ShiftRow]
        let setupFields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    func setupPage(_ context: ClinicRequestContext, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let setup = try await clinic.clinicSetup(by: actor)
        let today = clinic.today
        let shifts = try await clinic.shifts(on: today...today.adding(days: 13), by: actor)
        let nurses = try await clinic.nurses(by: actor)
        let names = Dictionary(uniqueKeysWithValues: nurses.map { ($0.id, $0.displayName) })
        let weekdays = Weekday.allCases.filter { setup.hours.week[$0] != nil }
        let anyHours = weekdays.first.flatMap { setup.hours.week[$0] }
        let model = SetupPage(
            chrome: chrome("Clinic set-up", context, active: "schedule"),
            hours: weekdays.map { "\($0.shortName) \(ClinicHours.clockText(setup.hours.week[$0]!.opens))–\(ClinicHours.clockText(setup.hours.week[$0]!.closes))" }.joined(separator: ", "),
            chairs: setup.rooms.map { "\($0.name): \($0.chairs.map(\.name).joined(separator: ", "))" }.joined(separator: "; "),
            policy: "One nurse per \(setup.policy.occupiedChairsPerNurse) occupied chairs (clinical-reference §3); \(setup.policy.defaultRecoveryMinutes) min recovery, \(setup.policy.slotMinutes)-min slots (clinic policy)",
            canEdit: clinic.access.allows(actor, AccessRequest(.update, .clinicSetup)),
            shiftFields: [
                FormField("nurse", "Nurse", errors: errors, options: nurses.map { ($0.id.rawValue.uuidString, $0.displayName) }),
                FormField("date", "Date", value: today.description, type: "date", errors: errors),
                FormField("start", "From", value: "08:00", type: "time", errors: errors),
                FormField("end", "To", value: "17:00", type: "time", errors: errors),
            ],
            shifts: shifts.sorted { ($0.date, $0.start) < ($1.date, $1.start) }.map {
                .init(date: $0.date.description, nurse: names[$0.nurse] ?? "nurse", time: "\(ClinicHours.clockText($0.start))–\(ClinicHours.clockText($0.end))")
            },
            setupFields: [
                FormField("opens", "Opens (weekdays)", value: anyHours.map { ClinicHours.clockText($0.opens) } ?? "08:00", type: "time", errors: errors),
                FormField("closes", "Closes (weekdays)", value: anyHours.map { ClinicHours.clockText($0.closes) } ?? "18:00", type: "time", errors: errors),
                FormField("chairs", "Chairs (names, comma-separated)", value: setup.chairs.map(\.name).joined(separator: ", "), errors: errors),
                FormField("ratio", "Occupied chairs per nurse", value: String(setup.policy.occupiedChairsPerNurse), type: "number", errors: errors),
                FormField("recovery", "Recovery minutes after each infusion", value: String(setup.policy.defaultRecoveryMinutes), type: "number", errors: errors),
            ],
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty)
        return pages.render("setup", model, status: status)
    }

    func saveSetupPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        var setup = try await clinic.clinicSetup(by: actor)
        do {
            var errors = FieldErrors()
            let opens = ClinicAPI.minute(w["opens"]), closes = ClinicAPI.minute(w["closes"])
            if opens == nil { errors.add("opens", "must be HH:MM") }
            if closes == nil { errors.add("closes", "must be HH:MM") }
            let names = w["chairs"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if names.isEmpty { errors.add("chairs", "name at least one chair") }
            let ratio = Int(w["ratio"]), recovery = Int(w["recovery"])
            if ratio == nil { errors.add("ratio", "must be a whole number") }
            if recovery == nil { errors.add("recovery", "must be a whole number of minutes") }
            try errors.throwIfAny()
            setup.hours = .same(OpeningHours(opens: opens!, closes: closes!), on: [.monday, .tuesday, .wednesday, .thursday, .friday], timeZone: clinic.settings.timeZone)
            let existing = Dictionary(setup.chairs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let room = setup.rooms.first ?? Room(id: Room.ID(UUID()), name: "Infusion room", chairs: [])
            setup.rooms = [Room(id: room.id, name: room.name, chairs: names.map { existing[$0] ?? Chair(id: Chair.ID(UUID()), name: $0) })]
            setup.policy.occupiedChairsPerNurse = ratio!
            setup.policy.defaultRecoveryMinutes = recovery!
            _ = try await clinic.saveClinicSetup(setup, by: actor)
            return .redirect(to: "/schedule/setup")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await setupPage(context, errors: errors, status: .unprocessableContent)
        }
    }

    func addShiftPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            var errors = FieldErrors()
            let nurse = UUID(uuidString: w["nurse"]), date = CalendarDate(w["date"]), start = ClinicAPI.minute(w["start"]), end = ClinicAPI.minute(w["end"])
            if nurse == nil { errors.add("nurse", "choose a nurse") }
            if date == nil { errors.add("date", "must be a date") }
            if start == nil { errors.add("start", "must be HH:MM") }
            if end == nil { errors.add("end", "must be HH:MM") }
            try errors.throwIfAny()
            _ = try await clinic.addShift(nurse: User.ID(nurse!), date: date!, start: start!, end: end!, by: try context.actor())
            return .redirect(to: "/schedule/setup")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await setupPage(context, errors: errors, status: .unprocessableContent)
        }
    }
}
