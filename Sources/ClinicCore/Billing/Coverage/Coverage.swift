import Foundation

/// An insurance payer and the plans it offers.
public struct Payer: Sendable, Hashable, Codable, Identifiable {
    public struct Plan: Sendable, Hashable, Codable {
        public var name: String
        /// commercial, Medicare, Medicaid, workers' compensation, other.
        public var type: String
        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    public let id: UUID
    public var name: String
    /// The payer's electronic id for claims (may be empty).
    public var electronicID: String
    public var phone: String
    public var plans: [Plan]
    public var createdAt: Date
    public var createdBy: User.ID

    public static let planTypes = ["commercial", "Medicare", "Medicaid", "workers' compensation", "other"]

    public init(id: UUID, name: String, electronicID: String, phone: String, plans: [Plan], createdAt: Date, createdBy: User.ID) {
        self.id = id
        self.name = name
        self.electronicID = electronicID
        self.phone = phone
        self.plans = plans
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// One of a patient's insurance coverages.
public struct Coverage: Sendable, Hashable, Codable, Identifiable {
    public enum Priority: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case primary = 1, secondary = 2, tertiary = 3
        public var title: String { ["", "primary", "secondary", "tertiary"][rawValue] }
        public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
    }

    public enum Relationship: String, Sendable, Hashable, Codable, CaseIterable {
        case `self`, spouse, child, other
        public var title: String { self == .`self` ? "self" : rawValue }
    }

    public let id: UUID
    public let patientID: Patient.ID
    public var payerID: UUID
    public var payerName: String
    public var planName: String
    public var memberID: String
    public var groupNumber: String
    public var subscriberName: String
    public var relationship: Relationship
    public var effectiveFrom: CalendarDate
    public var effectiveTo: CalendarDate?
    public var priority: Priority
    public var createdAt: Date
    public var createdBy: User.ID

    public init(id: UUID, patientID: Patient.ID, payerID: UUID, payerName: String, planName: String, memberID: String, groupNumber: String,
                subscriberName: String, relationship: Relationship, effectiveFrom: CalendarDate, effectiveTo: CalendarDate?, priority: Priority,
                createdAt: Date, createdBy: User.ID) {
        self.id = id
        self.patientID = patientID
        self.payerID = payerID
        self.payerName = payerName
        self.planName = planName
        self.memberID = memberID
        self.groupNumber = groupNumber
        self.subscriberName = subscriberName
        self.relationship = relationship
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.priority = priority
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Whether the coverage is in effect on a day (both ends inclusive).
    public func isEffective(on day: CalendarDate) -> Bool { effectiveFrom <= day && (effectiveTo.map { day <= $0 } ?? true) }
}

/// A recorded eligibility check: when, the result, who checked and how.
public struct EligibilityCheck: Sendable, Hashable, Codable, Identifiable {
    public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        case active, inactive, activeNeedsAuthorization, notCovered
        public var title: String {
            switch self {
            case .active: "active — covered"
            case .inactive: "inactive"
            case .activeNeedsAuthorization: "active — prior authorisation required"
            case .notCovered: "active — service not covered"
            }
        }
    }

    public let id: UUID
    public let coverageID: UUID
    public let patientID: Patient.ID
    public var checkedOn: CalendarDate
    public var result: Result
    /// Portal, phone (with the reference number) or electronic (270/271).
    public var method: String
    public var reference: String
    public var note: String
    public var checkedBy: User.ID
    public var at: Date

    public init(id: UUID, coverageID: UUID, patientID: Patient.ID, checkedOn: CalendarDate, result: Result, method: String, reference: String,
                note: String, checkedBy: User.ID, at: Date) {
        self.id = id
        self.coverageID = coverageID
        self.patientID = patientID
        self.checkedOn = checkedOn
        self.result = result
        self.method = method
        self.reference = reference
        self.note = note
        self.checkedBy = checkedBy
        self.at = at
    }
}

/// A payer's prior authorisation: the codes it covers, the approved quantity in the payer's unit and what billed
/// sessions have used, between two dates.
public struct PriorAuthorization: Sendable, Hashable, Codable, Identifiable {
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
        /// Each billed session counts one.
        case visits
        /// Each billed session counts the units of the covered codes on its charges.
        case units
        public var title: String { self == .visits ? "visits" : "CPT/HCPCS units" }
    }

    /// What one billed session used.
    public struct Usage: Sendable, Hashable, Codable {
        public var sessionID: InfusionSession.ID
        public var serviceDate: CalendarDate
        public var quantity: Int
    }

    public let id: UUID
    public let patientID: Patient.ID
    public var coverageID: UUID
    public var number: String
    public var codes: [String]
    public var unit: Unit
    public var approved: Int
    public var validFrom: CalendarDate
    public var validTo: CalendarDate
    public var usages: [Usage]
    public var createdAt: Date
    public var createdBy: User.ID

    public init(id: UUID, patientID: Patient.ID, coverageID: UUID, number: String, codes: [String], unit: Unit, approved: Int,
                validFrom: CalendarDate, validTo: CalendarDate, createdAt: Date, createdBy: User.ID) {
        self.id = id
        self.patientID = patientID
        self.coverageID = coverageID
        self.number = number
        self.codes = codes
        self.unit = unit
        self.approved = approved
        self.validFrom = validFrom
        self.validTo = validTo
        self.usages = []
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public var used: Int { usages.reduce(0) { $0 + $1.quantity } }
    public var remaining: Int { approved - used }
    public func isValid(on day: CalendarDate) -> Bool { validFrom <= day && day <= validTo }

    /// What a session with these net units per code uses of this authorisation (0 when it bills none of its codes).
    public func quantity(for netUnits: [(code: String, units: Int)]) -> Int {
        let covered = netUnits.filter { codes.contains($0.code) && $0.units > 0 }
        guard !covered.isEmpty else { return 0 }
        return unit == .visits ? 1 : covered.reduce(0) { $0 + $1.units }
    }

    /// Records (or replaces, after an amendment) what a session used.
    public mutating func record(session: InfusionSession.ID, on day: CalendarDate, quantity: Int) {
        usages.removeAll { $0.sessionID == session }
        if quantity > 0 { usages.append(Usage(sessionID: session, serviceDate: day, quantity: quantity)) }
    }
}

/// A warning shown where staff plan and book a patient's infusions.
public struct CoverageWarning: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case noCoverageOrSelfPay, authorizationExpiring, authorizationShort, eligibilityNotChecked
    }
    public var kind: Kind
    public var message: String
}

public enum CoverageRules {
    /// Days before an authorisation's end from which booking warns (the issue's 14 days).
    public static let expiryWarningDays = 14

    /// The warnings for booking `sessions` more infusions of a patient on or after `today`.
    ///
    /// No coverage in effect and no self-pay agreement (a good-faith estimate) on file; an authorisation that ends within
    /// 14 days, or has fewer visits/units left than the booked series needs (visits: one per session; units: the
    /// first-hour code once per session); coverage whose eligibility was never checked.
    public static func warnings(coverages: [Coverage], checks: [EligibilityCheck], authorizations: [PriorAuthorization], hasSelfPayAgreement: Bool,
                                sessions: Int, lastDay: CalendarDate?, today: CalendarDate, initialHourCode: String) -> [CoverageWarning] {
        var out: [CoverageWarning] = []
        let effective = coverages.filter { $0.isEffective(on: today) || $0.effectiveFrom > today }
        if effective.isEmpty && !hasSelfPayAgreement {
            out.append(CoverageWarning(kind: .noCoverageOrSelfPay, message: "No insurance coverage or self-pay agreement on file: add coverage, or issue a good-faith estimate for self-pay."))
        }
        for c in effective where !checks.contains(where: { $0.coverageID == c.id }) {
            out.append(CoverageWarning(kind: .eligibilityNotChecked, message: "Eligibility of \(c.payerName) (\(c.priority.title)) was never checked."))
        }
        for a in authorizations where a.validTo >= today {
            let left = a.validTo.daysSinceEpoch - today.daysSinceEpoch
            if left <= expiryWarningDays {
                out.append(CoverageWarning(kind: .authorizationExpiring, message: "Authorisation \(a.number) ends on \(a.validTo) (in \(left) day\(left == 1 ? "" : "s"))."))
            }
            if let lastDay, lastDay > a.validTo, sessions > 0 {
                out.append(CoverageWarning(kind: .authorizationExpiring, message: "Authorisation \(a.number) ends on \(a.validTo), before the last booked infusion on \(lastDay)."))
            }
            let needed = a.unit == .visits ? sessions : (a.codes.contains(initialHourCode) ? sessions : 0)
            if needed > a.remaining {
                out.append(CoverageWarning(kind: .authorizationShort,
                                           message: "Authorisation \(a.number) has \(max(a.remaining, 0)) \(a.unit.title) left; the booked series needs \(needed)."))
            }
        }
        return out
    }
}
