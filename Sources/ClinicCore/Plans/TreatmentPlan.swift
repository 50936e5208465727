import Foundation
import Tagged

public enum TreatmentPlanTag {}
public enum StandingOrderTag {}

/// A physician's plan for one patient: the condition treated, the protocol (with patient-specific adjustments), the
/// goal, the planned series and boosters, and the signed order set.
public struct TreatmentPlan: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<TreatmentPlanTag, UUID>

    public var id: ID
    public var patientID: Patient.ID
    /// The chronic-pain condition treated, from the chart's diagnoses (ICD-10-CM).
    public var condition: Diagnosis
    /// The protocol and the exact version the plan was written against.
    public var protocolID: InfusionProtocol.ID
    public var protocolVersion: Int
    public var protocolName: String
    public var adjustments: PlanAdjustments
    /// What the patient and physician aim for, e.g. "≥ 30 % less pain, fewer opioids".
    public var goal: String
    /// Infusions in the induction series.
    public var plannedInfusions: Int
    /// Days between maintenance boosters after the series (nil: no boosters planned).
    public var boosterIntervalDays: Int?
    public var orders: OrderSet
    public var status: Status
    /// The screening that made the patient eligible when the plan was written.
    public var screeningID: Screening.ID
    public var createdAt: Date
    public var createdBy: User.ID

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Written, orders not yet signed: nothing can be booked.
        case draft
        /// Orders signed: the series can be booked and run.
        case active
        case completed
        case stopped
    }

    public init(id: ID, patientID: Patient.ID, condition: Diagnosis, protocolID: InfusionProtocol.ID, protocolVersion: Int, protocolName: String,
                adjustments: PlanAdjustments, goal: String, plannedInfusions: Int, boosterIntervalDays: Int?, orders: OrderSet,
                status: Status, screeningID: Screening.ID, createdAt: Date, createdBy: User.ID) {
        self.id = id
        self.patientID = patientID
        self.condition = condition
        self.protocolID = protocolID
        self.protocolVersion = protocolVersion
        self.protocolName = protocolName
        self.adjustments = adjustments
        self.goal = goal
        self.plannedInfusions = plannedInfusions
        self.boosterIntervalDays = boosterIntervalDays
        self.orders = orders
        self.status = status
        self.screeningID = screeningID
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Booster due dates after the series: every `boosterIntervalDays` from the last induction infusion, `count` of them.
    public func boosterDueDates(lastInfusion: CalendarDate, count: Int = 4) -> [CalendarDate] {
        guard let days = boosterIntervalDays, days > 0 else { return [] }
        return (1...max(count, 1)).map { lastInfusion.adding(days: $0 * days) }
    }
}

/// Patient-specific changes to the protocol's defaults, all still checked against the protocol's limits.
public struct PlanAdjustments: Sendable, Hashable, Codable {
    /// A different ordered dose rate, in µg/kg/h (nil: the protocol's).
    public var doseRateMicrogramsPerKgPerHour: Int64?
    /// A different infusion duration in minutes (nil: the protocol's).
    public var durationMinutes: Int?
    public var notes: String

    public init(doseRateMicrogramsPerKgPerHour: Int64? = nil, durationMinutes: Int? = nil, notes: String = "") {
        self.doseRateMicrogramsPerKgPerHour = doseRateMicrogramsPerKgPerHour
        self.durationMinutes = durationMinutes
        self.notes = notes
    }
}

/// The signed order set: the infusion order plus standing orders for as-needed medicines.
public struct OrderSet: Sendable, Hashable, Codable {
    public var infusionOrder: String
    public var standingOrders: [StandingOrder]
    public var signedBy: User.ID?
    public var signedAt: Date?

    public init(infusionOrder: String, standingOrders: [StandingOrder], signedBy: User.ID? = nil, signedAt: Date? = nil) {
        self.infusionOrder = infusionOrder
        self.standingOrders = standingOrders
        self.signedBy = signedBy
        self.signedAt = signedAt
    }

    public var isSigned: Bool { signedAt != nil }
}

/// An as-needed medicine a nurse may give within the ordered dose range; anything else needs a new order.
public struct StandingOrder: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<StandingOrderTag, UUID>

    public enum Purpose: String, Sendable, Hashable, Codable, CaseIterable {
        case antiemetic, emergenceAnxiety, bloodPressure, other
        public var title: String {
            switch self {
            case .antiemetic: "Nausea (antiemetic)"
            case .emergenceAnxiety: "Emergence anxiety"
            case .bloodPressure: "Raised blood pressure"
            case .other: "Other"
            }
        }
    }

    public var id: ID
    public var purpose: Purpose
    public var medicine: String
    public var route: String
    /// The dose range per administration, exact (the physician writes it; no default dose is assumed).
    public var minimumDose: DrugAmount
    public var maximumDose: DrugAmount
    /// The most administrations in one session.
    public var maximumDosesPerSession: Int
    /// The least time between two administrations, in minutes.
    public var minimumMinutesBetweenDoses: Int

    public init(id: ID, purpose: Purpose, medicine: String, route: String, minimumDose: DrugAmount, maximumDose: DrugAmount,
                maximumDosesPerSession: Int, minimumMinutesBetweenDoses: Int) {
        self.id = id
        self.purpose = purpose
        self.medicine = medicine
        self.route = route
        self.minimumDose = minimumDose
        self.maximumDose = maximumDose
        self.maximumDosesPerSession = maximumDosesPerSession
        self.minimumMinutesBetweenDoses = minimumMinutesBetweenDoses
    }

    /// "Ondansetron 4–8 mg IV, up to 2 doses, ≥ 30 min apart" (whatever the physician ordered).
    public var summary: String {
        let range = minimumDose == maximumDose ? "\(minimumDose)" : "\(Format.shortest(minimumDose.milligrams))–\(maximumDose)"
        return "\(medicine) \(range) \(route), up to \(maximumDosesPerSession) dose(s), ≥ \(minimumMinutesBetweenDoses) min apart"
    }

    /// Whether a nurse may give `dose` at `time`, given the doses of this order already given in the session.
    public func permits(dose: DrugAmount, at time: Date, previous: [Date]) throws {
        var errors = FieldErrors()
        if dose < minimumDose || dose > maximumDose {
            errors.add("dose", "\(dose) is outside the ordered range \(Format.shortest(minimumDose.milligrams))–\(maximumDose) for \(medicine): a different dose needs a new order")
        }
        if previous.count >= maximumDosesPerSession {
            errors.add("dose", "\(medicine) was already given \(previous.count) time(s); the order allows \(maximumDosesPerSession) per session")
        }
        if let last = previous.max(), time.timeIntervalSince(last) < Double(minimumMinutesBetweenDoses) * 60 {
            errors.add("time", "the last dose of \(medicine) was less than \(minimumMinutesBetweenDoses) minutes ago")
        }
        try errors.throwIfAny()
    }
}

/// A physician's plan as typed into the page or the API, validated in one place.
public struct TreatmentPlanForm: Sendable, Hashable, Codable {
    public var conditionCode: String
    public var protocolID: String
    public var doseRateMgPerKgPerHour: String
    public var durationMinutes: String
    public var goal: String
    public var plannedInfusions: String
    public var boosterIntervalDays: String
    public var notes: String
    public var standingOrders: [StandingOrderEntry]

    public struct StandingOrderEntry: Sendable, Hashable, Codable {
        public var purpose: String
        public var medicine: String
        public var route: String
        public var minimumDoseMg: String
        public var maximumDoseMg: String
        public var maximumDoses: String
        public var minimumMinutesBetween: String
        public init(purpose: String, medicine: String, route: String, minimumDoseMg: String, maximumDoseMg: String, maximumDoses: String,
                    minimumMinutesBetween: String) {
            self.purpose = purpose
            self.medicine = medicine
            self.route = route
            self.minimumDoseMg = minimumDoseMg
            self.maximumDoseMg = maximumDoseMg
            self.maximumDoses = maximumDoses
            self.minimumMinutesBetween = minimumMinutesBetween
        }
    }

    public init(conditionCode: String = "", protocolID: String = "", doseRateMgPerKgPerHour: String = "", durationMinutes: String = "",
                goal: String = "", plannedInfusions: String = "", boosterIntervalDays: String = "", notes: String = "",
                standingOrders: [StandingOrderEntry] = []) {
        self.conditionCode = conditionCode
        self.protocolID = protocolID
        self.doseRateMgPerKgPerHour = doseRateMgPerKgPerHour
        self.durationMinutes = durationMinutes
        self.goal = goal
        self.plannedInfusions = plannedInfusions
        self.boosterIntervalDays = boosterIntervalDays
        self.notes = notes
        self.standingOrders = standingOrders
    }

    /// Parses the standing orders, naming each bad field.
    public func validatedStandingOrders(ids: () -> UUID) throws -> [StandingOrder] {
        var errors = FieldErrors()
        var out: [StandingOrder] = []
        for (i, e) in standingOrders.enumerated() {
            let f = "standingOrders[\(i)]"
            let medicine = e.medicine.trimmingCharacters(in: .whitespaces)
            if medicine.isEmpty { errors.add("\(f).medicine", "is required") }
            let purpose = StandingOrder.Purpose(rawValue: e.purpose) ?? {
                errors.add("\(f).purpose", "must be antiemetic, emergenceAnxiety, bloodPressure or other")
                return .other
            }()
            func mg(_ text: String, _ field: String) -> DrugAmount? {
                guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0, v < 10_000 else {
                    errors.add("\(f).\(field)", "must be a positive number of mg")
                    return nil
                }
                return DrugAmount(milligrams: v)
            }
            let lo = mg(e.minimumDoseMg, "minimumDoseMg")
            let hi = mg(e.maximumDoseMg, "maximumDoseMg")
            if let lo, let hi, lo > hi { errors.add("\(f).maximumDoseMg", "must not be below the minimum dose") }
            let count = Int(e.maximumDoses.trimmingCharacters(in: .whitespaces))
            if count == nil || !(1...20).contains(count!) { errors.add("\(f).maximumDoses", "must be a whole number from 1 to 20") }
            let gap = Int(e.minimumMinutesBetween.trimmingCharacters(in: .whitespaces))
            if gap == nil || !(0...1440).contains(gap!) { errors.add("\(f).minimumMinutesBetween", "must be a whole number of minutes from 0 to 1440") }
            let route = e.route.trimmingCharacters(in: .whitespaces)
            if route.isEmpty { errors.add("\(f).route", "is required") }
            if let lo, let hi, let count, let gap, !medicine.isEmpty, !route.isEmpty {
                out.append(StandingOrder(id: StandingOrder.ID(ids()), purpose: purpose, medicine: medicine, route: route, minimumDose: lo,
                                         maximumDose: hi, maximumDosesPerSession: count, minimumMinutesBetweenDoses: gap))
            }
        }
        try errors.throwIfAny()
        return out
    }
}
