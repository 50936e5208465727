import Foundation

/// A checked change of one layer's alarm limits, ready to store and audit: who, when, why, and the layer's overrides
/// before and after (clinical-reference §3 [D]: thresholds change "a physician only, with a reason, audited;
/// high-priority thresholds may be made stricter for a patient, never looser").
///
/// Every limit, at every priority and on every layer, may be made stricter but never looser than the layer beneath
/// it (the clinic's settings over the defaults of clinical-reference §3, a protocol over the clinic, a patient over
/// the protocol): the reference forbids loosening high-priority limits, and the issue asks for "stricter, never
/// looser" throughout. A layer may relax its own earlier tightening back towards the layer beneath, never past it.
public struct ThresholdChange: Sendable, Hashable, Codable {
    /// One limit in force that differs: before and after (nil = no limit).
    public struct LimitEdit: Sendable, Hashable, Codable {
        public var key: ThresholdKey
        public var before: AlarmLimit?
        public var after: AlarmLimit?
    }

    /// Which layer changes.
    public var layer: ThresholdLayer
    /// The physician who made the change.
    public var changedBy: User.ID
    public var changedAt: Date
    /// Why, in the physician's words.
    public var reason: String
    /// The layer's overrides before the change.
    public var before: ThresholdOverrides
    /// The layer's overrides after the change: what is stored.
    public var after: ThresholdOverrides
    /// The limits in force (over the layer beneath) that differ, for the audit trail and the screen.
    public var limitEdits: [LimitEdit]
    /// The advisory's rise above baseline in % before and after, when it changes.
    public var advisoryRiseBefore: Double?
    public var advisoryRiseAfter: Double?

    /// Checks a change of `layer` from `current` to `proposed` overrides, over `beneath` (the limits in force under the
    /// layer: `.clinicalReferenceDefaults` for the clinic, the clinic's for a protocol, the protocol's for a patient).
    ///
    /// Throws `ClinicError.forbidden` unless `actor` is a physician, then `ClinicError.invalid` naming each bad field
    /// (`reason`, `thresholds.high.heartRate.upper`, `thresholds.advisory.riseAboveBaselinePercent`, `thresholds`).
    public init(layer: ThresholdLayer, from current: ThresholdOverrides, to proposed: ThresholdOverrides, over beneath: AlarmThresholds,
                by actor: Actor, at: Date, reason: String) throws {
        guard actor.role == .physician else {
            throw ClinicError.forbidden("only a physician may change alarm thresholds (clinical-reference §3)")
        }
        var errors = FieldErrors()
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty { errors.add("reason", "Required: why the alarm thresholds change.") }
        if reason.count > InfusionSession.maximumTextLength {
            errors.add("reason", "At most \(InfusionSession.maximumTextLength) characters.")
        }

        var seen = Set<ThresholdKey>()
        for entry in proposed.limits {
            let key = entry.key
            if !seen.insert(key).inserted { errors.add(key.field, "Given more than once."); continue }
            if key.priority == .advisory {
                errors.add(key.field, "Advisories are set as a rise above the baseline, not as a limit."); continue
            }
            guard let limit = entry.limit else { continue }
            if limit.direction != key.direction {
                errors.add(key.field, "An \(key.direction.rawValue) limit must compare with \(key.direction == .upper ? "> or ≥" : "< or ≤").")
            } else if !limit.value.isFinite || limit.value <= 0 {
                errors.add(key.field, "Must be a number above 0 \(key.parameter.displayUnit).")
            } else if key.parameter == .oxygenSaturation, limit.value > 100 {
                errors.add(key.field, "A saturation is at most 100 %.")
            }
        }
        if let percent = proposed.advisoryRiseAboveBaselinePercent, !percent.isFinite || percent <= 0 {
            errors.add(Self.advisoryField, "Must be a percentage above 0.")
        }
        try errors.throwIfAny()

        // Stricter, never looser than the layer beneath (clinical-reference §3).
        let old = beneath.applying(current)
        let new = beneath.applying(proposed)
        var edits: [LimitEdit] = []
        for key in Set(new.keys(unionWith: old)).union(beneath.rules.map(\.key)).sorted() {
            let floor = beneath.limit(for: key)
            let after = new.limit(for: key)
            if let floor, after.map({ !$0.isAtLeastAsStrict(as: floor) }) ?? true {
                errors.add(key.field, "The \(key.priority.title) limit for \(key.parameter.title) may be made stricter, never looser than "
                    + "\(floor.symbol) \(AlarmText.number(floor.value)) \(key.parameter.displayUnit) (clinical-reference §3).")
            }
            let before = old.limit(for: key)
            if before != after { edits.append(LimitEdit(key: key, before: before, after: after)) }
        }
        if new.advisoryRiseAboveBaselinePercent > beneath.advisoryRiseAboveBaselinePercent {
            errors.add(Self.advisoryField, "The advisory may be made stricter, never looser than a rise of "
                + "\(AlarmText.number(beneath.advisoryRiseAboveBaselinePercent)) % above baseline (clinical-reference §3).")
        }
        try errors.throwIfAny()
        let advisoryChanged = old.advisoryRiseAboveBaselinePercent != new.advisoryRiseAboveBaselinePercent
        if edits.isEmpty && !advisoryChanged { throw ClinicError.invalid("thresholds", "Nothing changes.") }

        self.layer = layer
        self.changedBy = actor.userID
        self.changedAt = at
        self.reason = reason
        self.before = current
        self.after = proposed
        self.limitEdits = edits
        self.advisoryRiseBefore = advisoryChanged ? old.advisoryRiseAboveBaselinePercent : nil
        self.advisoryRiseAfter = advisoryChanged ? new.advisoryRiseAboveBaselinePercent : nil
    }

    /// The field that names the advisory's rise above baseline.
    public static let advisoryField = "thresholds.advisory.riseAboveBaselinePercent"
}
