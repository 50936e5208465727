import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct PlanFormPage {
        struct OrderRow {
            let fields: [FormField]
        }
        let chrome: PageChrome
        let patientID: String
        let patientName: String
        let fields: [FormField]
        let orderRows: [OrderRow]
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let eligibility: String
    }

    static let purposeOptions = StandingOrder.Purpose.allCases.map { ($0.rawValue, $0.title) }

    func planFormPage(_ context: ClinicRequestContext, form: WebForm? = nil, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        guard clinic.access.allows(actor, AccessRequest(.create, .treatmentPlan, patient: id)) else {
            try await clinic.chart(id, by: actor)
            throw ClinicError.forbidden("\(actor.role.title) may not write treatment plans")
        }
        let chart = try await clinic.chart(id, by: actor, withHistory: false)
        let protocols = try await clinic.protocols(by: actor)
        let f = form ?? WebForm(values: [:])
        let e = errors
        let diagnoses = chart.patient.clinical.diagnoses
        let defaultPurposes = ["antiemetic", "emergenceAnxiety", "bloodPressure"]
        let rows = (0..<3).map { i in
            PlanFormPage.OrderRow(fields: [
                FormField("standingOrders[\(i)].purpose", "For", value: form == nil ? defaultPurposes[i] : f["standingOrders[\(i)].purpose"], errors: e, options: Self.purposeOptions),
                FormField("standingOrders[\(i)].medicine", "Medicine", value: f["standingOrders[\(i)].medicine"], errors: e),
                FormField("standingOrders[\(i)].route", "Route", value: f["standingOrders[\(i)].route"], errors: e, hint: "e.g. IV"),
                FormField("standingOrders[\(i)].minimumDoseMg", "Dose from (mg)", value: f["standingOrders[\(i)].minimumDoseMg"], errors: e),
                FormField("standingOrders[\(i)].maximumDoseMg", "to (mg)", value: f["standingOrders[\(i)].maximumDoseMg"], errors: e),
                FormField("standingOrders[\(i)].maximumDoses", "Doses per session", value: f["standingOrders[\(i)].maximumDoses"], errors: e),
                FormField("standingOrders[\(i)].minimumMinutesBetween", "Minutes apart", value: f["standingOrders[\(i)].minimumMinutesBetween"], errors: e),
            ])
        }
        let model = PlanFormPage(
            chrome: chrome("New treatment plan", context, active: "patients"), patientID: id.rawValue.uuidString,
            patientName: chart.patient.demographics.sortName,
            fields: [
                FormField("conditionCode", "Condition treated", value: f["conditionCode"].isEmpty ? (diagnoses.first(where: \.isPrimary) ?? diagnoses.first)?.code.value ?? "" : f["conditionCode"],
                          errors: e, options: diagnoses.map { ($0.code.value, "\($0.code.value) \($0.description)") }),
                FormField("protocolID", "Protocol", value: f["protocolID"].isEmpty ? InfusionProtocol.StandardID.standardInduction.uuidString : f["protocolID"], errors: e,
                          options: protocols.map { ($0.id.rawValue.uuidString, "\($0.name) (v\($0.version)): \($0.dosing.summary), \($0.inductionInfusions) infusion(s)") }),
                FormField("plannedInfusions", "Infusions in the series", value: f["plannedInfusions"], errors: e, hint: "blank: the protocol's"),
                FormField("boosterIntervalDays", "Boosters every (days)", value: f["boosterIntervalDays"], errors: e, hint: "blank: the protocol's"),
                FormField("doseRateMgPerKgPerHour", "Patient-specific rate (mg/kg/h)", value: f["doseRateMgPerKgPerHour"], errors: e, hint: "blank: the protocol's dose; checked against its limits"),
                FormField("durationMinutes", "Duration (minutes)", value: f["durationMinutes"], errors: e, hint: "blank: the protocol's"),
                FormField("goal", "Goal", value: f["goal"], errors: e, required: true, textarea: true),
                FormField("notes", "Notes", value: f["notes"], errors: e, textarea: true),
            ],
            orderRows: rows, errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
            eligibility: chart.screeningStatus?.label(in: clinic.settings.timeZone) ?? "Not screened")
        return pages.render("plan-form", model, status: status)
    }

    func createPlan(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let form = TreatmentPlanForm(
            conditionCode: w["conditionCode"], protocolID: w["protocolID"], doseRateMgPerKgPerHour: w["doseRateMgPerKgPerHour"],
            durationMinutes: w["durationMinutes"], goal: w["goal"], plannedInfusions: w["plannedInfusions"], boosterIntervalDays: w["boosterIntervalDays"],
            notes: w["notes"],
            standingOrders: w.rows("standingOrders").filter { !($0["medicine"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }.map {
                .init(purpose: $0["purpose"] ?? "other", medicine: $0["medicine"] ?? "", route: $0["route"] ?? "", minimumDoseMg: $0["minimumDoseMg"] ?? "",
                      maximumDoseMg: $0["maximumDoseMg"] ?? "", maximumDoses: $0["maximumDoses"] ?? "", minimumMinutesBetween: $0["minimumMinutesBetween"] ?? "")
            })
        do {
            let plan = try await clinic.createPlan(for: try patientID(context), form, by: try context.actor())
            return .redirect(to: "/plans/\(plan.id.rawValue.uuidString)")
        } catch let e as ClinicError {
            if case .conflict(let why) = e { return try await planFormPage(context, form: w, errors: ["form": why], status: .conflict) }
            guard let errors = Self.errorMap(e) else { throw e }
            return try await planFormPage(context, form: w, errors: errors, status: .unprocessableContent)
        }
    }

    struct PlanPage {
        let chrome: PageChrome
        let id: String
        let patientID: String
        let condition: String
        let protocolName: String
        let goal: String
        let series: String
        let boosters: String
        let status: String
        let statusClass: String
        let infusionOrder: String
        let standingOrders: [String]
        let signed: String
        let canSign: Bool
        let canBook: Bool
        let notes: String
        let boosterDates: String
        let coverageWarnings: [String]
        let hasCoverageWarnings: Bool
    }

    func planPage(_ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("plan") }
        let plan = try await clinic.plan(TreatmentPlan.ID(uuid), by: actor)
        let names = try await clinic.staffNames(for: [plan.createdBy] + (plan.orders.signedBy.map { [$0] } ?? []))
        // Booster due dates from the last booked induction infusion (clinic policy interval).
        var boosterDates = "after the series is booked"
        if clinic.access.allows(actor, AccessRequest(.list, .scheduling, patient: plan.patientID)) {
            let records = try await clinic.appointments(of: plan.patientID, by: actor).filter { $0.planID == plan.id && $0.appointment.holdsChair }
            if let last = records.map(\.appointment.start).max() {
                let dates = plan.boosterDueDates(lastInfusion: CalendarDate(last, in: clinic.settings.timeZone), count: 3)
                boosterDates = dates.isEmpty ? "none planned" : dates.map(\.description).joined(separator: ", ")
            }
        }
        let tz = clinic.settings.timeZone
        // Where the physician plans: what coverage says about the series still to book (issue 6).
        var warnings: [String] = []
        if [.draft, .active].contains(plan.status), clinic.access.allows(actor, AccessRequest(.read, .scheduling, patient: plan.patientID)) {
            let unbooked = Array(repeating: clinic.today, count: max(0, plan.plannedInfusions - (try await clinic.planToBook(plan.id, by: actor).booked)))
            warnings = try await clinic.coverageWarnings(for: plan.patientID, planning: unbooked, by: actor).map(\.message)
        }
        let model = PlanPage(
            chrome: chrome("Treatment plan", context, active: "patients"), id: text, patientID: plan.patientID.rawValue.uuidString,
            condition: "\(plan.condition.code.value) \(plan.condition.description)", protocolName: "\(plan.protocolName) (version \(plan.protocolVersion))",
            goal: plan.goal, series: "\(plan.plannedInfusions) infusion(s)",
            boosters: plan.boosterIntervalDays.map { "every \($0) days after the series (clinic policy)" } ?? "none planned",
            status: plan.status.rawValue, statusClass: plan.status == .active ? "badge ok" : "badge warn",
            infusionOrder: plan.orders.infusionOrder, standingOrders: plan.orders.standingOrders.map { "\($0.purpose.title): \($0.summary)" },
            signed: plan.orders.signedAt.map { "Signed by \(names[plan.orders.signedBy!] ?? "a physician") on \(Self.time($0, tz))" } ?? "Not signed yet: nothing can be booked or given.",
            canSign: plan.status == .draft && clinic.access.allows(actor, AccessRequest(.decide, .treatmentPlan, patient: plan.patientID)),
            canBook: plan.status == .active && clinic.access.allows(actor, AccessRequest(.create, .scheduling)),
            notes: plan.adjustments.notes, boosterDates: boosterDates, coverageWarnings: warnings, hasCoverageWarnings: !warnings.isEmpty)
        return pages.render("plan", model)
    }

    func signPlan(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        _ = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("plan") }
        _ = try await clinic.signOrders(TreatmentPlan.ID(uuid), by: try context.actor())
        return .redirect(to: "/plans/\(text)")
    }
}
