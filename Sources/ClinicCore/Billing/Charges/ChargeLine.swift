import Foundation

/// One line of a session's charges: a code with its units and amount. Lines are never rewritten: a correction adds
/// adjustment lines (negative or positive units and amounts) with the reason.
public struct ChargeLine: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Generated from the session's record when it ended.
        case original
        /// Added by an amendment that changed what was billed.
        case adjustment
    }

    public let id: UUID
    public var kind: Kind
    public var serviceDate: CalendarDate
    /// CPT or HCPCS code.
    public var code: String
    public var description: String
    /// Units (negative on an adjustment that takes units back).
    public var units: Int
    /// The fee for one unit, in cents (for the drug: per milligram, so `amountCents` = fee × mg).
    public var unitFeeCents: Int64
    public var amountCents: Int64
    /// The drug line's National Drug Code (11 digits), the quantity given in mL (exact thousandths) and milligrams given.
    public var ndc: NationalDrugCode?
    public var ndcMillilitres: Int64?
    public var drugMicrograms: Int64?
    /// The ICD-10-CM codes the line is for (a superbill prints them as pointers A, B, …).
    public var diagnosisCodes: [String]
    public var placeOfService: String
    public var renderingProvider: String
    public var renderingNPI: String?
    public var reason: String?
    public var createdAt: Date
    public var createdBy: User.ID

    public init(id: UUID, kind: Kind, serviceDate: CalendarDate, code: String, description: String, units: Int, unitFeeCents: Int64,
                amountCents: Int64, ndc: NationalDrugCode? = nil, ndcMillilitres: Int64? = nil, drugMicrograms: Int64? = nil,
                diagnosisCodes: [String], placeOfService: String, renderingProvider: String, renderingNPI: String?, reason: String? = nil,
                createdAt: Date, createdBy: User.ID) {
        self.id = id
        self.kind = kind
        self.serviceDate = serviceDate
        self.code = code
        self.description = description
        self.units = units
        self.unitFeeCents = unitFeeCents
        self.amountCents = amountCents
        self.ndc = ndc
        self.ndcMillilitres = ndcMillilitres
        self.drugMicrograms = drugMicrograms
        self.diagnosisCodes = diagnosisCodes
        self.placeOfService = placeOfService
        self.renderingProvider = renderingProvider
        self.renderingNPI = renderingNPI
        self.reason = reason
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// The billing facts of one finished session that charges are computed from.
public struct BillableFacts: Sendable, Hashable, Codable {
    /// Running time in whole seconds (pauses excluded or not, per the settings used).
    public var runningSeconds: Int64
    /// Paused time in whole seconds.
    public var pausedSeconds: Int64
    /// The drug given, exact.
    public var administered: DrugAmount
    /// The stock the drug was drawn from, and its strength (µg per mL), for the NDC quantity.
    public var stock: StockKey?
    public var microgramsPerMillilitre: Int64?

    public init(runningSeconds: Int64, pausedSeconds: Int64, administered: DrugAmount, stock: StockKey?, microgramsPerMillilitre: Int64?) {
        self.runningSeconds = runningSeconds
        self.pausedSeconds = pausedSeconds
        self.administered = administered
        self.stock = stock
        self.microgramsPerMillilitre = microgramsPerMillilitre
    }

    /// The running time billed, in seconds.
    public func billedSeconds(excludingPauses: Bool) -> Int64 { excludingPauses ? runningSeconds : runningSeconds + pausedSeconds }

    /// The mL given, in exact thousandths, rounded half up (the NDC quantity).
    public var administeredThousandthsOfMillilitre: Int64? {
        guard let strength = microgramsPerMillilitre, strength > 0 else { return nil }
        return (administered.micrograms * 1_000 * 2 + strength) / (strength * 2)
    }
}

/// A session's charges: every line ever generated for it, in order, with the facts each generation used.
public struct SessionCharges: Sendable, Hashable, Codable {
    /// What a generation or correction was computed from.
    public struct Capture: Sendable, Hashable, Codable {
        public var facts: BillableFacts
        public var at: Date
        public var by: User.ID
        /// "session ended" or the amendment's reason.
        public var reason: String
    }

    public let sessionID: InfusionSession.ID
    public let patientID: Patient.ID
    public var planID: TreatmentPlan.ID
    public var serviceDate: CalendarDate
    public var diagnoses: [Diagnosis]
    public var renderingProvider: String
    public var renderingProviderID: User.ID?
    public var protocolName: String
    public var lines: [ChargeLine]
    public var captures: [Capture]
    /// The prior authorisation the session's units were counted against, if any, with its number and what was counted.
    public var authorizationID: UUID?
    public var authorizationNumber: String?
    public var authorizationQuantity: String?

    public init(sessionID: InfusionSession.ID, patientID: Patient.ID, planID: TreatmentPlan.ID, serviceDate: CalendarDate, diagnoses: [Diagnosis],
                renderingProvider: String, renderingProviderID: User.ID?, protocolName: String) {
        self.sessionID = sessionID
        self.patientID = patientID
        self.planID = planID
        self.serviceDate = serviceDate
        self.diagnoses = diagnoses
        self.renderingProvider = renderingProvider
        self.renderingProviderID = renderingProviderID
        self.protocolName = protocolName
        self.lines = []
        self.captures = []
        self.authorizationID = nil
        self.authorizationNumber = nil
        self.authorizationQuantity = nil
    }

    /// The sum of every line (originals and adjustments), in cents.
    public var totalCents: Int64 { lines.reduce(0) { $0 + $1.amountCents } }

    /// Net units per code across originals and adjustments, in first-appearance order.
    public var netUnits: [(code: String, units: Int)] {
        var order: [String] = []
        var units: [String: Int] = [:]
        for l in lines {
            if units[l.code] == nil { order.append(l.code) }
            units[l.code, default: 0] += l.units
        }
        return order.map { ($0, units[$0]!) }
    }

    /// The latest facts charges were computed from.
    public var currentFacts: BillableFacts? { captures.last?.facts }
}
