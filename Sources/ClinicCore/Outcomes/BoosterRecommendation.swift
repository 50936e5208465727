import Foundation

/// When to suggest moving a patient's planned maintenance booster. **Local policy**: every threshold below is the
/// clinic's own setting, not a guideline number; only the defaults of the two pain thresholds lean on clinical-reference
/// §7 (the 30 % relief threshold [D], and IMMPACT's ~2 NRS points ≈ a moderate change and ≥ 50 % substantial,
/// Dworkin 2008, J Pain 9:105).
///
/// The rule reads the follow-up average-pain scores taken after the last treatment (the last infusion of the series or
/// the last booster, whichever is later) up to today, against the patient's baseline:
/// 1. **Not yet assessable** when no booster date is planned, when the patient is not a known responder (series not
///    complete, no follow-up in the responder window yet, or a non-responder: booster timing is then the physician's
///    call), or when there is no follow-up since the last treatment.
/// 2. **Keep** when the planned date is today or has passed: there is nothing left to move.
/// 3. **Pain is returning** when either
///    (a) relief has faded: the latest follow-up's reduction from baseline is below `reliefReductionPercent`, or
///    (b) pain is rising: the latest follow-up's average pain is at least `risingPoints` above the previous follow-up's.
///    Then **bring forward** to today + `leadDays` when the planned date is later than that; otherwise **keep** (the
///    planned date is already within the lead time).
/// 4. **Push back** by `pushBackDays` when nothing in 3 fired and the latest follow-up, taken within `lookbackDays`
///    before the planned date, still shows a reduction of at least `pushBackReductionPercent`.
/// 5. Otherwise **keep** the planned date.
///
/// Every rule that fires, and for "keep" the ones that did not, is explained in `reasons` with its numbers. The
/// recommendation is a suggestion: the plan's date stays the default until a physician accepts a change.
public struct BoosterPolicy: Sendable, Hashable, Codable {
    /// Relief has faded when the latest follow-up's reduction from baseline is below this percentage (local policy;
    /// default 30, the duration-of-relief threshold of clinical-reference §7 [D]).
    public var reliefReductionPercent: Double
    /// Pain is rising when the latest follow-up is at least this many NRS points above the previous one (local policy;
    /// default 2, IMMPACT's ~2 points ≈ a moderate change, Dworkin 2008; clinical-reference §7).
    public var risingPoints: Double
    /// Days needed to arrange a booster: a booster is brought forward to today + this, and only when the planned date
    /// is later than that (local policy, scheduling; not a clinical number).
    public var leadDays: Int
    /// A booster may be pushed back when the latest follow-up still shows at least this reduction (local policy;
    /// default 50, IMMPACT "substantial", Dworkin 2008; clinical-reference §7).
    public var pushBackReductionPercent: Double
    /// Only a follow-up taken within this many days before the planned date can push the booster back (local policy,
    /// scheduling; not a clinical number).
    public var lookbackDays: Int
    /// How many days a booster is pushed back (local policy, scheduling; not a clinical number).
    public var pushBackDays: Int

    public init(reliefReductionPercent: Double = 30, risingPoints: Double = 2, leadDays: Int = 7,
                pushBackReductionPercent: Double = 50, lookbackDays: Int = 14, pushBackDays: Int = 30) {
        self.reliefReductionPercent = reliefReductionPercent
        self.risingPoints = risingPoints
        self.leadDays = leadDays
        self.pushBackReductionPercent = pushBackReductionPercent
        self.lookbackDays = lookbackDays
        self.pushBackDays = pushBackDays
    }

    /// The clinic's default booster rule (local policy, not guideline numbers).
    public static let standard = BoosterPolicy()

    /// The rule in plain sentences with the configured numbers, for the pages and docs.
    public var summary: [String] {
        let n = ReliefText.number
        return [
            "Pain is returning when the latest follow-up shows pain reduced by less than \(n(reliefReductionPercent)) % "
                + "from baseline, or \(n(risingPoints)) or more points above the previous follow-up.",
            "Then the booster is suggested \(ReliefText.days(leadDays)) from today, if the planned date is later than that.",
            "When the latest follow-up within \(ReliefText.days(lookbackDays)) before the planned date still shows pain "
                + "reduced by \(n(pushBackReductionPercent)) % or more, the booster is suggested \(ReliefText.days(pushBackDays)) later.",
            "A suggestion only: the plan's date stays until a physician accepts a change. These thresholds are the clinic's "
                + "local policy, not guideline numbers.",
        ]
    }

    /// The policy itself, or `ClinicError.invalid` naming every setting that makes no sense.
    public func validated() throws -> BoosterPolicy {
        var errors = FieldErrors()
        for (field, value) in [("reliefReductionPercent", reliefReductionPercent),
                               ("pushBackReductionPercent", pushBackReductionPercent)] where !(value > 0 && value <= 100) {
            errors.add(field, "A reduction is more than 0 % and at most 100 %.")
        }
        if !(risingPoints > 0 && risingPoints <= 10) { errors.add("risingPoints", "A rise on the 0–10 scale is more than 0 and at most 10 points.") }
        if leadDays < 0 { errors.add("leadDays", "The lead time cannot be negative.") }
        if lookbackDays < 0 { errors.add("lookbackDays", "The look-back cannot be negative.") }
        if pushBackDays < 1 { errors.add("pushBackDays", "Push back by at least 1 day.") }
        try errors.throwIfAny()
        return self
    }
}

/// What the booster rule suggests for the planned booster date, and why.
public struct BoosterRecommendation: Sendable, Hashable, Codable {
    /// The suggestion.
    public enum Advice: String, Sendable, Hashable, Codable, CaseIterable {
        case keepPlannedDate, bringForward, pushBack, notYetAssessable

        /// How the advice is named to staff.
        public var title: String {
            switch self {
            case .keepPlannedDate: "keep the planned date"
            case .bringForward: "bring the booster forward"
            case .pushBack: "push the booster back"
            case .notYetAssessable: "not yet assessable"
            }
        }
    }

    /// The suggestion.
    public var advice: Advice
    /// The plan's date (it stays the default until a physician accepts a change).
    public var plannedDate: CalendarDate?
    /// The suggested date for `bringForward` and `pushBack`; nil otherwise.
    public var suggestedDate: CalendarDate?
    /// Every rule that fired, with the numbers that fired it.
    public var reasons: [String]

    public init(advice: Advice, plannedDate: CalendarDate?, suggestedDate: CalendarDate?, reasons: [String]) {
        self.advice = advice
        self.plannedDate = plannedDate
        self.suggestedDate = suggestedDate
        self.reasons = reasons
    }
}

extension BoosterPolicy {
    /// Applies the booster rule (see `BoosterPolicy`) to a patient's relief and pain scores on `today`.
    public func recommend(summary: ReliefSummary, pain: [PainRecord], plannedBoosterDate: CalendarDate?,
                          today: CalendarDate, timeZone: TimeZone) -> BoosterRecommendation {
        func result(_ advice: BoosterRecommendation.Advice, _ suggested: CalendarDate?, _ reasons: [String]) -> BoosterRecommendation {
            BoosterRecommendation(advice: advice, plannedDate: plannedBoosterDate, suggestedDate: suggested, reasons: reasons)
        }
        let n = ReliefText.number

        // 1. Assessable?
        guard let planned = plannedBoosterDate else {
            return result(.notYetAssessable, nil, ["No booster date is planned, so there is no date to move."])
        }
        guard summary.responder == true, let baseline = summary.baseline, baseline > 0 else {
            let why = switch summary.responder {
            case false?: "The patient did not respond to the series, so the booster rule does not apply: booster timing is the physician's call."
            default: "Responder status is not known yet, so the trend cannot be judged against relief."
            }
            return result(.notYetAssessable, nil, [why])
        }
        let since = summary.lastTreatmentAt
        let followUps: [(day: CalendarDate, value: Double)] = pain
            .filter { r in
                r.context == .followUp && r.average != nil && (since.map { r.takenAt > $0 } ?? true)
                    && CalendarDate(r.takenAt, in: timeZone) <= today
            }
            .sorted { $0.takenAt < $1.takenAt }
            .map { (CalendarDate($0.takenAt, in: timeZone), Double($0.average!)) }
        guard let latest = followUps.last else {
            let after = since.map { " since the last treatment on \(ReliefText.date($0, timeZone))" } ?? ""
            return result(.notYetAssessable, nil, ["No follow-up pain score\(after) yet."])
        }

        // 2. Nothing left to move.
        let daysAway = planned.daysSinceEpoch - today.daysSinceEpoch
        if daysAway <= 0 {
            return result(.keepPlannedDate, nil, ["The planned booster date \(planned) is today or has passed: there is nothing left to move."])
        }

        // 3. Pain returning?
        let reduction = (baseline - latest.value) * 100 / baseline
        let latestText = "average pain \(n(latest.value)) against a baseline of \(n(baseline)) (\(ReliefText.percent(-reduction)))"
        var returning: [String] = []
        if reduction < reliefReductionPercent {
            returning.append("Relief has faded: the latest follow-up on \(latest.day) shows \(latestText), "
                             + "a reduction below \(n(reliefReductionPercent)) %.")
        }
        var riseText: String?
        if followUps.count >= 2 {
            let previous = followUps[followUps.count - 2]
            let rise = latest.value - previous.value
            let text = "average pain went from \(n(previous.value)) on \(previous.day) to \(n(latest.value)) on \(latest.day) "
                + "(\(ReliefText.points(rise)))"
            if rise >= risingPoints {
                returning.append("Pain is rising: \(text), at least the \(n(risingPoints)) points that signal returning pain.")
            } else {
                riseText = text
            }
        }
        if !returning.isEmpty {
            let earliest = today.adding(days: leadDays)
            if daysAway > leadDays {
                return result(.bringForward, earliest, returning + [
                    "Bring the booster forward from \(planned) to \(earliest) (today plus the lead time of \(ReliefText.days(leadDays))): "
                        + "the planned date is \(ReliefText.days(daysAway)) away.",
                    "A suggestion only: the plan's date \(planned) stays until a physician accepts the change.",
                ])
            }
            return result(.keepPlannedDate, nil, returning + [
                "Keep the planned date \(planned): it is \(ReliefText.days(daysAway)) away, within the lead time of "
                    + "\(ReliefText.days(leadDays)), so it cannot usefully be brought forward.",
            ])
        }

        var holds = "Relief holds: the latest follow-up on \(latest.day) shows \(latestText), a reduction of at least "
            + "\(n(reliefReductionPercent)) %"
        holds += riseText.map { "; \($0), less than the \(n(risingPoints)) points that signal returning pain." } ?? "."

        // 4. Push back?
        let windowStart = planned.adding(days: -lookbackDays)
        guard latest.day >= windowStart else {
            return result(.keepPlannedDate, nil, [holds,
                "Keep the planned date \(planned): no follow-up within \(ReliefText.days(lookbackDays)) before it "
                    + "(the latest is from \(latest.day)) to judge pushing it back."])
        }
        if reduction >= pushBackReductionPercent {
            let later = planned.adding(days: pushBackDays)
            return result(.pushBack, later, [holds,
                "Relief still holds near the planned date: the follow-up on \(latest.day), "
                    + "\(ReliefText.days(planned.daysSinceEpoch - latest.day.daysSinceEpoch)) before the planned date, shows a "
                    + "reduction of \(n(reduction)) %, at least \(n(pushBackReductionPercent)) %.",
                "Push the booster back from \(planned) to \(later) (+\(ReliefText.days(pushBackDays))).",
                "A suggestion only: the plan's date \(planned) stays until a physician accepts the change.",
            ])
        }

        // 5. Keep.
        return result(.keepPlannedDate, nil, [holds,
            "Keep the planned date \(planned): the reduction of \(n(reduction)) % at the follow-up on \(latest.day) is below "
                + "the \(n(pushBackReductionPercent)) % that would push it back."])
    }
}
