import Foundation

/// A physician's decision to go ahead despite a held blood pressure, with the reason (clinical-reference §3 [D]).
public struct PhysicianOverride: Sendable, Hashable, Codable {
    /// The physician (the caller checks the role).
    public var physician: User.ID
    /// Why the infusion may go ahead.
    public var reason: String

    /// Creates an override.
    public init(physician: User.ID, reason: String) {
        self.physician = physician
        self.reason = reason
    }
}

/// The pre-infusion checklist as the nurse fills it in (clinical-reference §10 "Before", §3 [D]).
public struct PreInfusionChecklist: Sendable, Hashable, Codable {
    /// The patient's identity was confirmed.
    public var identityConfirmed: Bool
    /// The date the current consent was signed; nil when none is on file.
    public var consentSignedOn: CalendarDate?
    /// When the patient last ate solid food; nil when not asked.
    public var lastSolidFoodAt: Date?
    /// When the patient last drank clear fluids; nil when not asked.
    public var lastClearFluidAt: Date?
    /// The escort or driver who takes the patient home (clinical-reference §1, §6 [P]).
    public var escort: EscortContact?
    /// Medication changes since the last visit were reviewed.
    public var medicationChangesReviewed: Bool
    /// What changed, if anything.
    public var medicationChanges: String
    /// Pregnancy status; required unless not applicable (Schwenk 2018 via clinical-reference §2).
    public var pregnancy: PregnancyStatus?
    /// The brief mental-status check, in the nurse's words.
    public var mentalStatus: String
    /// Today's measured weight with its unit (clinical-reference §4: use today's weight).
    public var weightToday: Weight?
    /// The nurse confirmed a weight that is implausible or changed by more than the policy allows.
    public var weightConfirmed: Bool
    /// The IV site chosen and its condition.
    public var ivSite: IVSiteCheck?
    /// The baseline vital signs.
    public var baselineVitals: VitalsReading?
    /// A blood-pressure recheck after rest, when the baseline was at or above the hold threshold.
    public var bloodPressureRecheck: VitalsReading?
    /// A physician's override of a pressure still held after the recheck.
    public var bloodPressureOverride: PhysicianOverride?

    /// Creates a checklist form.
    public init(identityConfirmed: Bool = false, consentSignedOn: CalendarDate? = nil, lastSolidFoodAt: Date? = nil,
                lastClearFluidAt: Date? = nil, escort: EscortContact? = nil, medicationChangesReviewed: Bool = false,
                medicationChanges: String = "", pregnancy: PregnancyStatus? = nil, mentalStatus: String = "",
                weightToday: Weight? = nil, weightConfirmed: Bool = false, ivSite: IVSiteCheck? = nil,
                baselineVitals: VitalsReading? = nil, bloodPressureRecheck: VitalsReading? = nil,
                bloodPressureOverride: PhysicianOverride? = nil) {
        self.identityConfirmed = identityConfirmed
        self.consentSignedOn = consentSignedOn
        self.lastSolidFoodAt = lastSolidFoodAt
        self.lastClearFluidAt = lastClearFluidAt
        self.escort = escort
        self.medicationChangesReviewed = medicationChangesReviewed
        self.medicationChanges = medicationChanges
        self.pregnancy = pregnancy
        self.mentalStatus = mentalStatus
        self.weightToday = weightToday
        self.weightConfirmed = weightConfirmed
        self.ivSite = ivSite
        self.baselineVitals = baselineVitals
        self.bloodPressureRecheck = bloodPressureRecheck
        self.bloodPressureOverride = bloodPressureOverride
    }

    /// Checks the entries are plausible (not whether they pass), throwing `ClinicError.invalid` naming each bad field.
    public func validated(at now: Date) throws -> PreInfusionChecklist {
        var errors = FieldErrors()
        var form = self
        form.mentalStatus = mentalStatus.trimmingCharacters(in: .whitespacesAndNewlines)
        form.medicationChanges = medicationChanges.trimmingCharacters(in: .whitespacesAndNewlines)
        if let t = lastSolidFoodAt, t > now { errors.add("lastSolidFoodAt", "Cannot be after now.") }
        if let t = lastClearFluidAt, t > now { errors.add("lastClearFluidAt", "Cannot be after now.") }
        if let w = weightToday, w.grams <= 0 { errors.add("weightToday", "Must be more than 0.") }
        baselineVitals?.collectErrors(into: &errors, prefix: "baselineVitals", notAfter: now)
        if let recheck = bloodPressureRecheck {
            recheck.collectErrors(into: &errors, prefix: "bloodPressureRecheck", notAfter: now)
            if recheck.bloodPressure == nil { errors.add("bloodPressureRecheck", "A recheck needs both pressures.") }
            if let baseline = baselineVitals, recheck.takenAt < baseline.takenAt {
                errors.add("bloodPressureRecheck.takenAt", "The recheck cannot be taken before the baseline reading.")
            }
        }
        if var override = bloodPressureOverride {
            override.reason = override.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if override.reason.isEmpty { errors.add("bloodPressureOverride.reason", "Required: why the infusion may go ahead.") }
            form.bloodPressureOverride = override
        }
        if let site = ivSite {
            do { form.ivSite = try site.validated() } catch ClinicError.invalid(let fields) { fields.forEach { errors.add($0.field, $0.reason) } }
        }
        try errors.throwIfAny()
        return form
    }
}

/// One line of the checklist (clinical-reference §10 "Before" and §3).
public enum ChecklistItem: String, Sendable, Hashable, Codable, CaseIterable {
    case identity, consent, eligibility, solidFood, clearFluids, escort, medicationChanges, pregnancy, mentalStatus,
         weight, ivSite, bloodPressure, heartRate, oxygenSaturation, respiratoryRate

    /// How the item is named to staff.
    public var title: String {
        switch self {
        case .identity: "Identity confirmed"
        case .consent: "Consent on file and current"
        case .eligibility: "Eligibility still valid"
        case .solidFood: "Fasting: solid food"
        case .clearFluids: "Fasting: clear fluids"
        case .escort: "Escort or driver named"
        case .medicationChanges: "Medication changes reviewed"
        case .pregnancy: "Pregnancy status"
        case .mentalStatus: "Brief mental-status check"
        case .weight: "Weight today"
        case .ivSite: "IV site and condition"
        case .bloodPressure: "Baseline blood pressure"
        case .heartRate: "Baseline heart rate"
        case .oxygenSaturation: "Baseline SpO₂"
        case .respiratoryRate: "Baseline respiratory rate"
        }
    }

    /// Where the rule comes from.
    public var source: String {
        switch self {
        case .identity, .medicationChanges, .mentalStatus, .ivSite: "clinical-reference §10 [P]"
        case .consent: "clinical-reference §10 [P]; validity period local policy [D]"
        case .eligibility: "clinical-reference §10 [P], §2"
        case .solidFood, .clearFluids: "clinical-reference §3 [D]"
        case .escort: "clinical-reference §1, §6 [P]"
        case .pregnancy: "Schwenk 2018 via clinical-reference §2"
        case .weight: "clinical-reference §3 [D], §4"
        case .bloodPressure: "clinical-reference §3 [D] pre-infusion hold"
        case .heartRate, .oxygenSaturation, .respiratoryRate: "clinical-reference §3 [D] medium-priority alarm limits"
        }
    }
}

/// How one checklist item came out.
public enum ChecklistOutcome: Sendable, Hashable, Codable {
    /// The item is fine.
    case pass
    /// The item holds the infusion.
    case fail
    /// Acceptable only once a clinician confirms it (e.g. an unusual weight).
    case needsConfirmation
    /// Held: take a recheck reading at or after this instant.
    case needsRecheck(notBefore: Date)

    /// Whether the item passed.
    public var isPass: Bool { self == .pass }
}

/// One evaluated item with the reason staff see.
public struct ChecklistItemResult: Sendable, Hashable, Codable {
    /// Which item.
    public var item: ChecklistItem
    /// How it came out.
    public var outcome: ChecklistOutcome
    /// A sentence a clinician can act on.
    public var reason: String

    /// Creates an item result.
    public init(item: ChecklistItem, outcome: ChecklistOutcome, reason: String) {
        self.item = item
        self.outcome = outcome
        self.reason = reason
    }
}

/// The evaluated checklist: every item, the form, the policy in force and when it was evaluated.
public struct ChecklistResult: Sendable, Hashable, Codable {
    /// The form as entered.
    public var form: PreInfusionChecklist
    /// Every item, in checklist order.
    public var items: [ChecklistItemResult]
    /// The thresholds in force.
    public var policy: ChecklistPolicy
    /// When it was evaluated.
    public var evaluatedAt: Date

    /// Creates a result (normally through `PreInfusionChecklist.evaluate`).
    public init(form: PreInfusionChecklist, items: [ChecklistItemResult], policy: ChecklistPolicy, evaluatedAt: Date) {
        self.form = form
        self.items = items
        self.policy = policy
        self.evaluatedAt = evaluatedAt
    }

    /// Whether every item passed: the infusion may start (clinical-reference §10).
    public var passed: Bool {
        ChecklistItem.allCases.allSatisfy { item in items.contains { $0.item == item } } && items.allSatisfy(\.outcome.isPass)
    }

    /// The items that did not pass.
    public var blockingItems: [ChecklistItemResult] { items.filter { !$0.outcome.isPass } }

    /// The result for one item.
    public subscript(item: ChecklistItem) -> ChecklistItemResult? { items.first { $0.item == item } }

    /// The baseline the session's scores compare against: the baseline reading, with the recheck's pressure when one was taken.
    public var baseline: VitalsReading? {
        guard var reading = form.baselineVitals else { return nil }
        if let recheck = form.bloodPressureRecheck, let bp = recheck.bloodPressure {
            reading.systolic = bp.systolic
            reading.diastolic = bp.diastolic
        }
        return reading
    }
}

extension PreInfusionChecklist {
    /// Evaluates every item at `now`: eligibility is the patient's screening status now, and the last recorded weight
    /// is the chart's weight before today's; calendar dates are read in the clinic's time zone.
    public func evaluate(eligibility: ScreeningStatus, lastRecordedWeight: Weight?, at now: Date, in timeZone: TimeZone,
                         policy: ChecklistPolicy = .standard) -> ChecklistResult {
        var items: [ChecklistItemResult] = []
        func add(_ item: ChecklistItem, _ outcome: ChecklistOutcome, _ reason: String) {
            items.append(ChecklistItemResult(item: item, outcome: outcome, reason: reason))
        }

        add(.identity, identityConfirmed ? .pass : .fail,
            identityConfirmed ? "Identity confirmed." : "Confirm the patient's identity.")

        // Consent: the reference asks for consent verified (§10) but gives no period; the period is local policy [D].
        if let signed = consentSignedOn {
            let today = CalendarDate(now, in: timeZone)
            let age = today.daysSinceEpoch - signed.daysSinceEpoch
            if age < 0 {
                add(.consent, .fail, "The consent date \(signed) is after today (\(today)).")
            } else if age > policy.consentValidityDays {
                add(.consent, .fail, "Consent signed \(signed) is older than \(policy.consentValidityDays) days (local policy): renew it.")
            } else {
                add(.consent, .pass, "Consent signed \(signed), within \(policy.consentValidityDays) days (local policy).")
            }
        } else {
            add(.consent, .fail, "No consent on file.")
        }

        switch eligibility {
        case .eligible(let validUntil) where now < validUntil:
            add(.eligibility, .pass, eligibility.label(in: timeZone) + ".")
        case .eligible:
            add(.eligibility, .fail, "Expired: screen again.")
        default:
            add(.eligibility, .fail, eligibility.label(in: timeZone) + ".")
        }

        fasting(.solidFood, last: lastSolidFoodAt, minutes: policy.solidFoodFastMinutes, what: "solid food", now: now, timeZone: timeZone, add: add)
        fasting(.clearFluids, last: lastClearFluidAt, minutes: policy.clearFluidFastMinutes, what: "clear fluids", now: now, timeZone: timeZone, add: add)

        let escortName = escort?.name.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let escortPhone = Phone.digits(escort?.phone ?? "")
        if escortName.isEmpty {
            add(.escort, .fail, "Name the escort or driver who takes the patient home.")
        } else if escortPhone.isEmpty {
            add(.escort, .fail, "Add a phone number for \(escortName).")
        } else {
            add(.escort, .pass, "Escort: \(escortName).")
        }

        add(.medicationChanges, medicationChangesReviewed ? .pass : .fail,
            medicationChangesReviewed ? "Medication changes reviewed." : "Review medication changes since the last visit.")

        switch pregnancy {
        case .none: add(.pregnancy, .fail, "Record the pregnancy status, or mark it not applicable.")
        case .notApplicable?: add(.pregnancy, .pass, "Not applicable.")
        case .notPregnant?: add(.pregnancy, .pass, "Not pregnant.")
        case .pregnant?: add(.pregnancy, .fail, "Pregnant: ketamine is contraindicated (Schwenk 2018).")
        }

        let mental = mentalStatus.trimmingCharacters(in: .whitespacesAndNewlines)
        add(.mentalStatus, mental.isEmpty ? .fail : .pass, mental.isEmpty ? "Record the brief mental-status check." : "Recorded.")

        weightItem(policy: policy, lastRecordedWeight: lastRecordedWeight, add: add)

        if let site = ivSite {
            let name = site.site.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { add(.ivSite, .fail, "Record where the IV cannula is.") }
            else if site.isUsable { add(.ivSite, .pass, "\(name): \(site.condition.title.lowercased()).") }
            else { add(.ivSite, .fail, "\(name) is \(site.condition.title.lowercased()): choose another site.") }
        } else {
            add(.ivSite, .fail, "Record the IV site and its condition.")
        }

        bloodPressureItem(policy: policy, now: now, timeZone: timeZone, add: add)
        vitalsItems(policy: policy, add: add)

        return ChecklistResult(form: self, items: items, policy: policy, evaluatedAt: now)
    }

    private func fasting(_ item: ChecklistItem, last: Date?, minutes: Int, what: String, now: Date, timeZone: TimeZone,
                         add: (ChecklistItem, ChecklistOutcome, String) -> Void) {
        guard let last else { add(item, .fail, "Record when the patient last had \(what)."); return }
        let required = TimeInterval(minutes) * 60
        // Exactly the fasting period counts as fasted ("no solid food 4 h, clear fluids up to 2 h before").
        if now.timeIntervalSince(last) >= required {
            add(item, .pass, "No \(what) for at least \(Self.hoursText(minutes)).")
        } else {
            add(item, .fail, "\(what.prefix(1).uppercased() + what.dropFirst()) within the last \(Self.hoursText(minutes)): wait until \(Self.timeText(last.addingTimeInterval(required), in: timeZone)).")
        }
    }

    private func weightItem(policy: ChecklistPolicy, lastRecordedWeight: Weight?,
                            add: (ChecklistItem, ChecklistOutcome, String) -> Void) {
        guard let weight = weightToday else { add(.weight, .fail, "Weigh the patient today."); return }
        var concerns: [String] = []
        if !policy.plausibleWeightGrams.contains(weight.grams) {
            concerns.append("\(weight.display) is outside \(policy.plausibleWeightGrams.lowerBound / 1000)–\(policy.plausibleWeightGrams.upperBound / 1000) kg")
        }
        // Exact integer test of "a change of more than 10%": |today − last| × 100 > last × 10.
        if let last = lastRecordedWeight, last.grams > 0,
           abs(weight.grams - last.grams) * 100 > last.grams * policy.weightChangeConfirmPercent {
            concerns.append("\(weight.display) differs by more than \(policy.weightChangeConfirmPercent)% from the last recorded \(last.display)")
        }
        if concerns.isEmpty {
            add(.weight, .pass, "\(weight.display).")
        } else if weightConfirmed {
            add(.weight, .pass, concerns.joined(separator: "; ") + ": confirmed.")
        } else {
            add(.weight, .needsConfirmation, concerns.joined(separator: "; ") + ": check the unit, or confirm the weight.")
        }
    }

    private func bloodPressureItem(policy: ChecklistPolicy, now: Date, timeZone: TimeZone, add: (ChecklistItem, ChecklistOutcome, String) -> Void) {
        guard let baseline = baselineVitals, let bp = baseline.bloodPressure else {
            add(.bloodPressure, .fail, "Record a baseline blood pressure.")
            return
        }
        guard policy.holdsBloodPressure(systolic: bp.systolic, diastolic: bp.diastolic) else {
            add(.bloodPressure, .pass, "\(bp.systolic)/\(bp.diastolic) mmHg.")
            return
        }
        let threshold = "\(policy.holdSystolicAtOrAbove)/\(policy.holdDiastolicAtOrAbove) mmHg"
        let rest = TimeInterval(policy.recheckRestMinutes) * 60
        let recheckFrom = baseline.takenAt.addingTimeInterval(rest)
        guard let recheck = bloodPressureRecheck, let again = recheck.bloodPressure, recheck.takenAt >= recheckFrom else {
            let early = bloodPressureRecheck.map { $0.takenAt < recheckFrom } ?? false
            add(.bloodPressure, .needsRecheck(notBefore: recheckFrom),
                "\(bp.systolic)/\(bp.diastolic) mmHg is at or above \(threshold): recheck after \(policy.recheckRestMinutes) minutes' rest, from \(Self.timeText(recheckFrom, in: timeZone))"
                + (early ? " (the recheck entered was taken too early)." : "."))
            return
        }
        guard policy.holdsBloodPressure(systolic: again.systolic, diastolic: again.diastolic) else {
            add(.bloodPressure, .pass, "Recheck \(again.systolic)/\(again.diastolic) mmHg after rest is below \(threshold).")
            return
        }
        if let override = bloodPressureOverride, !override.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add(.bloodPressure, .pass, "Recheck \(again.systolic)/\(again.diastolic) mmHg still at or above \(threshold): physician override (\(override.reason.trimmingCharacters(in: .whitespacesAndNewlines))).")
        } else {
            add(.bloodPressure, .fail, "Recheck \(again.systolic)/\(again.diastolic) mmHg still at or above \(threshold): hold, unless a physician overrides with a reason.")
        }
    }

    private func vitalsItems(policy: ChecklistPolicy, add: (ChecklistItem, ChecklistOutcome, String) -> Void) {
        let v = baselineVitals
        if let hr = v?.heartRate {
            if hr < policy.holdHeartRateBelow || hr > policy.holdHeartRateAbove {
                add(.heartRate, .fail, "\(hr)/min is outside \(policy.holdHeartRateBelow)–\(policy.holdHeartRateAbove)/min (alarm limit): hold.")
            } else {
                add(.heartRate, .pass, "\(hr)/min.")
            }
        } else {
            add(.heartRate, .fail, "Record a baseline heart rate.")
        }
        if let spo2 = v?.oxygenSaturation {
            add(.oxygenSaturation, spo2 < policy.holdOxygenSaturationBelow ? .fail : .pass,
                spo2 < policy.holdOxygenSaturationBelow ? "\(spo2)% is below \(policy.holdOxygenSaturationBelow)% (alarm limit): hold." : "\(spo2)%.")
        } else {
            add(.oxygenSaturation, .fail, "Record a baseline SpO₂.")
        }
        if let rr = v?.respiratoryRate {
            add(.respiratoryRate, rr < policy.holdRespiratoryRateBelow ? .fail : .pass,
                rr < policy.holdRespiratoryRateBelow ? "\(rr)/min is below \(policy.holdRespiratoryRateBelow)/min (alarm limit): hold." : "\(rr)/min.")
        } else {
            add(.respiratoryRate, .fail, "Record a baseline respiratory rate.")
        }
    }

    static func hoursText(_ minutes: Int) -> String {
        minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes) min"
    }

    /// "14:05" in the clinic's time zone.
    static func timeText(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }
}
