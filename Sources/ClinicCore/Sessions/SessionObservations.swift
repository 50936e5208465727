import Foundation

/// How often, and on which scales, a session is observed by hand (clinical-reference §3 [D], §7).
public struct MonitoringPolicy: Sendable, Hashable, Codable {
    /// Manual vitals every 15 min during infusion and in recovery (Goldberg 2005 [G]; clinical-reference §3 [D]).
    public var manualVitalsIntervalMinutes: Int
    /// MOAA/S runs 0–5 (clinical-reference §7).
    public var moaasRange: ClosedRange<Int>
    /// The CADSS short-form items, by number in the 23-item scale: 1, 2, 6, 7, 15, 22 (clinical-reference §7).
    public var cadssShortFormItems: [Int]
    /// The score range of one CADSS item; the reference does not give it, so 0–4 is a configurable, *unverified* default.
    public var cadssItemRange: ClosedRange<Int>

    /// Creates a policy.
    public init(manualVitalsIntervalMinutes: Int = 15, moaasRange: ClosedRange<Int> = 0...5,
                cadssShortFormItems: [Int] = [1, 2, 6, 7, 15, 22], cadssItemRange: ClosedRange<Int> = 0...4) {
        self.manualVitalsIntervalMinutes = manualVitalsIntervalMinutes
        self.moaasRange = moaasRange
        self.cadssShortFormItems = cadssShortFormItems
        self.cadssItemRange = cadssItemRange
    }

    /// The defaults above, with their sources.
    public static let standard = MonitoringPolicy()

    /// The manual-vitals interval as a time interval.
    public var manualVitalsInterval: TimeInterval { TimeInterval(manualVitalsIntervalMinutes) * 60 }
}

/// The condition of the IV access site (clinical-reference §10: patent, no infiltration).
public enum IVSiteCondition: String, Sendable, Hashable, Codable, CaseIterable {
    /// Flushes freely, no swelling, redness or pain.
    case patent
    /// Swelling or coolness around the site: fluid in the tissue.
    case infiltrated
    /// Redness, warmth or pain along the vein.
    case inflamed
    /// Does not flush.
    case occluded

    /// How the condition is named to staff.
    public var title: String {
        switch self {
        case .patent: "Patent, no infiltration"
        case .infiltrated: "Infiltrated"
        case .inflamed: "Inflamed"
        case .occluded: "Occluded"
        }
    }
}

/// A check of the IV site: where it is and its condition.
public struct IVSiteCheck: Sendable, Hashable, Codable {
    /// Where the cannula is, e.g. "Left forearm, 20 G".
    public var site: String
    /// What the check found.
    public var condition: IVSiteCondition
    /// Anything else worth noting.
    public var note: String

    /// Creates a check.
    public init(site: String, condition: IVSiteCondition, note: String = "") {
        self.site = site
        self.condition = condition
        self.note = note
    }

    /// Whether the site may be used: patent, no infiltration (clinical-reference §10).
    public var isUsable: Bool { condition == .patent }

    /// Trims the text and requires the site.
    public func validated(field prefix: String = "ivSite") throws -> IVSiteCheck {
        var check = self
        check.site = site.trimmingCharacters(in: .whitespacesAndNewlines)
        check.note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if check.site.isEmpty { throw ClinicError.invalid("\(prefix).site", "Required: where the IV cannula is.") }
        return check
    }
}

/// A sedation score on the Modified Observer's Assessment of Alertness/Sedation scale, 0–5 (clinical-reference §7).
public struct MOAASScore: Sendable, Hashable, Codable {
    /// The score, 0–5.
    public var score: Int

    /// Creates a score.
    public init(_ score: Int) { self.score = score }

    /// Checks the score is on the scale.
    public func validated(policy: MonitoringPolicy = .standard) throws -> MOAASScore {
        guard policy.moaasRange.contains(score) else {
            throw ClinicError.invalid("moaas", "Must be between \(policy.moaasRange.lowerBound) and \(policy.moaasRange.upperBound).")
        }
        return self
    }
}

/// The 6-item CADSS short form (items 1, 2, 6, 7, 15, 22 of the 23-item scale; clinical-reference §7).
public struct CADSSShortForm: Sendable, Hashable, Codable {
    /// Item number in the 23-item scale → its score.
    public var items: [Int: Int]

    /// Creates a form from item scores.
    public init(items: [Int: Int]) { self.items = items }

    /// The sum of the item scores.
    public var total: Int { items.values.reduce(0, +) }

    /// Requires exactly the short-form items, each within the configured item range.
    public func validated(policy: MonitoringPolicy = .standard) throws -> CADSSShortForm {
        var errors = FieldErrors()
        for item in policy.cadssShortFormItems {
            guard let score = items[item] else { errors.add("cadss.item\(item)", "Required."); continue }
            if !policy.cadssItemRange.contains(score) {
                errors.add("cadss.item\(item)", "Must be between \(policy.cadssItemRange.lowerBound) and \(policy.cadssItemRange.upperBound).")
            }
        }
        for item in items.keys.sorted() where !policy.cadssShortFormItems.contains(item) {
            errors.add("cadss.item\(item)", "Item \(item) is not part of the short form.")
        }
        try errors.throwIfAny()
        return self
    }
}

/// A transient effect seen during or after the infusion (clinical-reference §1 [P]: the expected ones to log).
public enum SideEffectKind: Sendable, Hashable, Codable {
    case dissociation, dizziness, nausea, vomiting, raisedBloodPressure, fastHeartRate, fatigue, headache, anxiety
    /// Hallucinations or an emergence reaction.
    case hallucinationsEmergence
    /// Anything else, described.
    case other(String)
}

/// How severe a side effect is.
public enum SideEffectSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case mild, moderate, severe
}

/// What the clinician did about a side effect.
public enum SideEffectAction: Sendable, Hashable, Codable {
    /// Observed only.
    case none
    /// The rate was reduced.
    case rateReduced
    /// The infusion was paused.
    case paused
    /// A medicine given, e.g. ondansetron "4 mg IV", optionally under a standing order.
    case medicineGiven(name: String, dose: String, standingOrderID: UUID?)
    /// Anything else, described.
    case other(String)
}

/// A side effect, its severity and what was done.
public struct SideEffect: Sendable, Hashable, Codable {
    /// When it began.
    public var observedAt: Date
    /// What it was.
    public var kind: SideEffectKind
    /// How severe.
    public var severity: SideEffectSeverity
    /// What was done about it.
    public var action: SideEffectAction
    /// Free-text detail.
    public var note: String

    /// Creates a side effect.
    public init(observedAt: Date, kind: SideEffectKind, severity: SideEffectSeverity, action: SideEffectAction, note: String = "") {
        self.observedAt = observedAt
        self.kind = kind
        self.severity = severity
        self.action = action
        self.note = note
    }

    /// Requires the descriptions of "other" kinds and actions and a medicine's name and dose.
    public func validated(notAfter now: Date) throws -> SideEffect {
        var errors = FieldErrors()
        if case .other(let text) = kind, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add("sideEffect.kind", "Describe the side effect.")
        }
        switch action {
        case .medicineGiven(let name, let dose, _):
            if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("sideEffect.medicine", "Required: the medicine given.") }
            if dose.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("sideEffect.dose", "Required: the dose given.") }
        case .other(let text) where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            errors.add("sideEffect.action", "Describe the action taken.")
        default: break
        }
        if observedAt > now { errors.add("sideEffect.observedAt", "A side effect cannot be observed after it is entered.") }
        try errors.throwIfAny()
        return self
    }
}

/// A pump deviation documented as it happened (clinical-reference §4: recorded with the pump's reading, flagged for review, never refused).
public struct PumpDeviation: Sendable, Hashable, Codable {
    /// When it happened.
    public var occurredAt: Date
    /// What happened, e.g. "Pump ran 4 min past its stop".
    public var whatHappened: String
    /// What the pump showed, e.g. "Volume infused 41.2 mL".
    public var pumpReading: String
    /// Set on every recorded deviation, for the physician's review.
    public var flaggedForReview: Bool

    /// Creates a deviation; it is always flagged for review.
    public init(occurredAt: Date, whatHappened: String, pumpReading: String) {
        self.occurredAt = occurredAt
        self.whatHappened = whatHappened
        self.pumpReading = pumpReading
        self.flaggedForReview = true
    }

    /// Requires a description; no limit applies (a deviation already happened).
    public func validated() throws -> PumpDeviation {
        var d = self
        d.whatHappened = whatHappened.trimmingCharacters(in: .whitespacesAndNewlines)
        d.pumpReading = pumpReading.trimmingCharacters(in: .whitespacesAndNewlines)
        d.flaggedForReview = true
        if d.whatHappened.isEmpty { throw ClinicError.invalid("deviation.whatHappened", "Required: what happened.") }
        return d
    }
}

/// How the drug was prepared (clinical-reference §4): opaque values checked only for presence and sign.
public struct PreparationRecord: Sendable, Hashable, Codable {
    /// The vial's lot number.
    public var vialLot: String
    /// The vial strength as labelled, e.g. "50 mg/mL".
    public var vialStrength: String
    /// The amount drawn from the vial.
    public var drawn: DrugAmount
    /// The final volume of the bag or syringe in mL (exact).
    public var finalVolumeMillilitres: Decimal
    /// The final concentration in µg/mL.
    public var concentrationMicrogramsPerMillilitre: Int64

    /// Creates a record.
    public init(vialLot: String, vialStrength: String, drawn: DrugAmount, finalVolumeMillilitres: Decimal,
                concentrationMicrogramsPerMillilitre: Int64) {
        self.vialLot = vialLot
        self.vialStrength = vialStrength
        self.drawn = drawn
        self.finalVolumeMillilitres = finalVolumeMillilitres
        self.concentrationMicrogramsPerMillilitre = concentrationMicrogramsPerMillilitre
    }

    /// Trims the text and requires every field, with positive amounts.
    public func validated() throws -> PreparationRecord {
        var r = self
        r.vialLot = vialLot.trimmingCharacters(in: .whitespacesAndNewlines)
        r.vialStrength = vialStrength.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if r.vialLot.isEmpty { errors.add("preparation.vialLot", "Required.") }
        if r.vialStrength.isEmpty { errors.add("preparation.vialStrength", "Required.") }
        if drawn.micrograms <= 0 { errors.add("preparation.drawn", "Must be more than 0 mg.") }
        if finalVolumeMillilitres <= 0 { errors.add("preparation.finalVolume", "Must be more than 0 mL.") }
        if concentrationMicrogramsPerMillilitre <= 0 { errors.add("preparation.concentration", "Must be more than 0 µg/mL.") }
        try errors.throwIfAny()
        return r
    }
}
