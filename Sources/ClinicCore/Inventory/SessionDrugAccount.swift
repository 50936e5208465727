import Foundation

/// A witness who signed in on the same screen (never the person recording).
public struct WitnessConfirmation: Sendable, Hashable, Codable {
    public var userID: User.ID
    public var name: String
    public init(userID: User.ID, name: String) {
        self.userID = userID
        self.name = name
    }
}

/// The drug of one infusion session: what was drawn from which vials, what was given (from the session's record) and
/// what was wasted with a witness. Drawn = administered + wasted once the account is settled (clinical-reference §9).
public struct SessionDrugAccount: Sendable, Hashable, Codable {
    public struct Draw: Sendable, Hashable, Codable {
        public var vialID: ControlledSubstanceVial.ID
        public var stock: StockKey
        public var volume: FluidVolume
        public var amount: DrugAmount
        public var at: Date
        public var by: User.ID
    }

    public struct Waste: Sendable, Hashable, Codable {
        public var amount: DrugAmount
        public var reason: String
        public var witness: WitnessConfirmation
        public var at: Date
        public var by: User.ID
    }

    public let sessionID: InfusionSession.ID
    public let patientID: Patient.ID
    public var draws: [Draw]
    /// The delivered dose from the session's rate history, recorded when the infusion ends.
    public var administered: DrugAmount?
    public var administeredAt: Date?
    public var wastes: [Waste]

    public init(sessionID: InfusionSession.ID, patientID: Patient.ID) {
        self.sessionID = sessionID
        self.patientID = patientID
        self.draws = []
        self.administered = nil
        self.administeredAt = nil
        self.wastes = []
    }

    public var drawn: DrugAmount { draws.reduce(.zero) { $0 + $1.amount } }
    public var wasted: DrugAmount { wastes.reduce(.zero) { $0 + $1.amount } }
    /// Drawn − administered − wasted: what must still be wasted (negative when more was given than drawn).
    public var unaccounted: DrugAmount { drawn - (administered ?? .zero) - wasted }
    /// Settled: the infusion's dose is recorded and every microgram drawn is given or wasted.
    public var isSettled: Bool { administered != nil && unaccounted == .zero }

    /// What the register asks for next, in words.
    public var status: String {
        if draws.isEmpty { return "no drug drawn" }
        guard administered != nil else { return "infusion running: \(DoseText.milligrams(drawn.micrograms)) mg drawn" }
        if unaccounted.micrograms > 0 { return "waste \(DoseText.milligrams(unaccounted.micrograms)) mg with a witness" }
        if unaccounted.micrograms < 0 { return "more given than drawn by \(DoseText.milligrams(-unaccounted.micrograms)) mg: review the record" }
        return "settled"
    }

    /// Records the dose given (once, when the infusion ends).
    public mutating func recordAdministered(_ amount: DrugAmount, at instant: Date) {
        guard administered == nil else { return }
        administered = amount
        administeredAt = instant
    }

    /// Records witnessed waste: more than 0, never more than is still unaccounted for.
    public mutating func waste(_ amount: DrugAmount, reason: String, witness: WitnessConfirmation, at instant: Date, by actor: User.ID) throws {
        var errors = FieldErrors()
        if amount.micrograms <= 0 { errors.add("wastedMg", "Must be more than 0 mg") }
        let open = drawn - (administered ?? .zero) - wasted
        if amount.micrograms > 0, amount > open {
            errors.add("wastedMg", "Only \(DoseText.milligrams(max(open.micrograms, 0))) mg drawn for this session is not yet given or wasted")
        }
        if witness.userID == actor { errors.add("witness", "The witness must be a second clinician, not the person wasting") }
        let r = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if r.count > 500 { errors.add("reason", "Must be at most 500 characters") }
        try errors.throwIfAny()
        wastes.append(Waste(amount: amount, reason: r.isEmpty ? "remainder after the infusion" : r, witness: witness, at: instant, by: actor))
    }
}
