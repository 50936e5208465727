import Foundation

/// Which patients and infusions clinic analytics count.
public struct AnalyticsFilter: Sendable, Hashable {
    /// Series whose first infusion falls in this range (inclusive), in the clinic's time zone.
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var protocolID: InfusionProtocol.ID?

    public init(from: CalendarDate? = nil, to: CalendarDate? = nil, protocolID: InfusionProtocol.ID? = nil) {
        self.from = from
        self.to = to
        self.protocolID = protocolID
    }

    /// Reads the filter form; errors name the field.
    public static func parse(from: String, to: String, protocolID: String) throws -> AnalyticsFilter {
        var errors = FieldErrors()
        func date(_ text: String, _ field: String) -> CalendarDate? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return nil }
            guard let d = CalendarDate(t) else { errors.add(field, "Use YYYY-MM-DD."); return nil }
            return d
        }
        let f = date(from, "from"), t = date(to, "to")
        if let f, let t, t < f { errors.add("to", "Must be on or after the start date.") }
        var pid: InfusionProtocol.ID?
        let p = protocolID.trimmingCharacters(in: .whitespaces)
        if !p.isEmpty {
            if let u = UUID(uuidString: p) { pid = InfusionProtocol.ID(u) } else { errors.add("protocol", "Unknown protocol.") }
        }
        try errors.throwIfAny()
        return AnalyticsFilter(from: f, to: t, protocolID: pid)
    }
}

/// The clinical condition groups analytics report by, from the plan's ICD-10-CM code (clinical-reference §8).
public enum ConditionGroup: String, Sendable, Hashable, CaseIterable, Comparable {
    case crps, fibromyalgia, diabeticNeuropathy, postherpeticNeuralgia, postProcedural, chronicPainSyndrome, migraine, other

    public init(code: String) {
        let c = code.uppercased()
        if c.hasPrefix("G90.5") || c.hasPrefix("G56.4") || c.hasPrefix("G57.7") { self = .crps }
        else if c.hasPrefix("M79.7") { self = .fibromyalgia }
        else if c.hasPrefix("E11.4") || c.hasPrefix("E10.4") { self = .diabeticNeuropathy }
        else if c.hasPrefix("B02.2") { self = .postherpeticNeuralgia }
        else if c.hasPrefix("G89.18") || c.hasPrefix("G89.28") { self = .postProcedural }
        else if c.hasPrefix("G89.4") { self = .chronicPainSyndrome }
        else if c.hasPrefix("G43") { self = .migraine }
        else { self = .other }
    }

    public var title: String {
        switch self {
        case .crps: "CRPS"
        case .fibromyalgia: "Fibromyalgia"
        case .diabeticNeuropathy: "Diabetic neuropathy"
        case .postherpeticNeuralgia: "Postherpetic neuralgia"
        case .postProcedural: "Post-surgical / post-procedural pain"
        case .chronicPainSyndrome: "Chronic pain syndrome"
        case .migraine: "Migraine"
        case .other: "Other"
        }
    }

    public static func < (a: ConditionGroup, b: ConditionGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Responder counts for one group of patients.
public struct ResponderRate: Sendable, Hashable {
    public var group: String
    /// Patients with a plan in the filter.
    public var patients: Int
    /// Patients whose responder status is known (series complete and a follow-up in the window).
    public var assessed: Int
    public var responders: Int
    /// Responders per assessed patient, nil when none was assessed.
    public var rate: Double? { assessed == 0 ? nil : Double(responders) / Double(assessed) }
}

/// The Kaplan–Meier estimate of duration of relief for one group, with the non-responders counted beside it.
public struct ReliefSurvival: Sendable, Hashable {
    public var group: String
    public var table: KaplanMeierTable
    /// Responders in the curve.
    public var episodes: Int
    /// Assessed patients who did not respond: left out of the curve (clinical-reference §7) and counted here.
    public var nonResponders: Int
}

/// Side effects of one kind per 100 infusions given.
public struct SideEffectIncidence: Sendable, Hashable {
    public var kind: String
    public var count: Int
    public var per100Infusions: Double
}

/// Mean opioid change across patients with an MME total at baseline.
public struct MMEChangeSummary: Sendable, Hashable {
    public var patients: Int
    public var meanBaseline: Double?
    public var meanLatest: Double?
    public var meanChange: Double?
    /// Patients with an opioid left out of their totals ("no factor"): their change is counted on what could be counted.
    public var withUncounted: Int
}

/// Clinic-wide outcomes for physicians and administrators.
public struct ClinicAnalytics: Sendable {
    public var filter: AnalyticsFilter
    public var definitions: [String]
    public var byCondition: [ResponderRate]
    public var byProtocol: [ResponderRate]
    public var overall: ResponderRate
    public var survival: [ReliefSurvival]
    public var infusions: Int
    public var sideEffects: [SideEffectIncidence]
    public var mme: MMEChangeSummary
    public var protocols: [(id: InfusionProtocol.ID, name: String)]
}

extension SideEffectKind {
    /// How the kind is named in reports (free-text "other" kinds are grouped, never shown, in clinic-wide tables).
    public var reportTitle: String {
        switch self {
        case .dissociation: "Dissociation"
        case .dizziness: "Dizziness / light-headedness"
        case .nausea: "Nausea"
        case .vomiting: "Vomiting"
        case .raisedBloodPressure: "Raised blood pressure"
        case .fastHeartRate: "Fast heart rate"
        case .fatigue: "Fatigue"
        case .headache: "Headache"
        case .anxiety: "Anxiety"
        case .hallucinationsEmergence: "Hallucinations / emergence reaction"
        case .other: "Other"
        }
    }
}

/// One patient's outcome facts for clinic analytics, derived from the plan, sessions, forms and chart; refreshed in the
/// transaction of each change it depends on, so analytics read one small row per patient.
public struct OutcomeSummary: Sendable, Hashable, Codable {
    public var patientID: Patient.ID
    public var planID: TreatmentPlan.ID
    public var protocolID: InfusionProtocol.ID
    public var protocolName: String
    public var conditionCode: String
    /// The day of the first infusion of the series, in the clinic's time zone.
    public var firstInfusion: CalendarDate?
    public var infusions: Int
    /// Side effects by report title.
    public var sideEffects: [String: Int]
    public var responder: Bool?
    public var episodeDays: Int?
    public var episodeEnded: Bool?
    public var mmeBaseline: Double?
    public var mmeLatest: Double?
    public var mmeUncounted: Bool
    /// What the measurement schedule needs (the course's infusion days and the measurements completed), so the
    /// clinic's due list recomputes each patient's owed measurements for today without loading sessions or forms.
    /// Absent in summaries written before it existed; the due list then works from the records.
    public var dueInputs: DueInputs?

    public struct DueInputs: Sendable, Hashable, Codable {
        public var events: CourseEvents
        public var completed: [CompletedMeasurement]
    }
}

extension Clinic {
    /// Recomputes a patient's outcome summary inside the caller's transaction (removed when the patient has no plan).
    func refreshOutcomeSummary(_ patientID: Patient.ID, _ tx: any ClinicRecords) async throws {
        let q = DocumentQuery(patientID: patientID.rawValue.uuidString)
        let plans = try await tx.all(TreatmentPlan.self, from: .treatmentPlans, q)
        guard !plans.isEmpty, let patient = try await tx.patient(patientID) else { return }
        let sessions = try await tx.all(SessionRecord.self, from: .infusionSessions, q)
        let settings = try await tx.get(OutcomeSettings.self, from: .clinicSettings, id: "outcomes") ?? .standard
        let analysis = Self.analyse(records: try await tx.all(OutcomeRecord.self, from: .outcomeRecords, q), plans: plans, sessions: sessions,
                                    settings: settings, timeZone: self.settings.timeZone, today: today)
        guard let plan = analysis.course.plan else { return }
        let mme = Self.mmeHistory(patient: patient, revisions: try await tx.revisions(of: patientID))
        var effects: [String: Int] = [:]
        for s in analysis.course.allGiven { for e in s.session.sideEffects { effects[e.value.kind.reportTitle, default: 0] += 1 } }
        let episode = analysis.relief.survivalEpisode
        let summary = OutcomeSummary(
            patientID: patientID, planID: plan.id, protocolID: plan.protocolID, protocolName: plan.protocolName,
            conditionCode: plan.condition.code.value,
            firstInfusion: analysis.course.series.first?.session.infusionStartedAt.map { CalendarDate($0, in: self.settings.timeZone) },
            infusions: analysis.course.allGiven.count, sideEffects: effects, responder: analysis.relief.responder,
            episodeDays: episode?.days, episodeEnded: episode?.event, mmeBaseline: mme.first?.total, mmeLatest: mme.last?.total,
            mmeUncounted: mme.contains { !$0.uncounted.isEmpty },
            dueInputs: OutcomeSummary.DueInputs(events: analysis.course.events(in: self.settings.timeZone),
                                                completed: Self.completedMeasurements(analysis.records, timeZone: self.settings.timeZone)))
        try await tx.put(summary, in: .outcomeSummaries, id: patientID.rawValue.uuidString,
                         index: DocumentIndex(patientID: patientID.rawValue.uuidString, refID: plan.protocolID.rawValue.uuidString,
                                              day: summary.firstInfusion?.description))
    }

    /// Refreshes, once, the summaries written before they carried the due list's schedule inputs (run at start, in
    /// transactions of 200 patients; derived data only, so nothing is audited). Returns how many were refreshed.
    @discardableResult
    public func backfillOutcomeSummaries() async throws -> Int {
        let stale = try await store.read { try await $0.all(OutcomeSummary.self, from: .outcomeSummaries, DocumentQuery(limit: Int(Int32.max))) }
            .filter { $0.dueInputs == nil }.map(\.patientID)
        for start in stride(from: 0, to: stale.count, by: 200) {
            let slice = Array(stale[start..<min(start + 200, stale.count)])
            try await store.write { tx in for patient in slice { try await self.refreshOutcomeSummary(patient, tx) } }
        }
        return stale.count
    }

    /// Clinic analytics over every patient with a plan in the filter (physician or admin; audited). Patients are
    /// grouped by the condition of their plan; relief follows the definitions of clinical-reference §7 as configured.
    public func clinicAnalytics(_ filter: AnalyticsFilter, by actor: Actor) async throws -> ClinicAnalytics {
        let request = AccessRequest(.read, .clinicAnalytics, id: "clinic")
        try await require(actor, request)
        let settings = try await outcomeSettings()
        let summaries = try await store.read { tx in
            try await tx.all(OutcomeSummary.self, from: .outcomeSummaries,
                             DocumentQuery(refID: filter.protocolID?.rawValue.uuidString,
                                           days: filter.from == nil && filter.to == nil ? nil
                                               : (filter.from ?? CalendarDate(year: 1, month: 1, day: 1)!).description ... (filter.to ?? CalendarDate(year: 9999, month: 12, day: 31)!).description,
                                           limit: 10_000_000))
        }
        try await recordRead(actor, request, detail: "analytics")
        return Self.analytics(summaries, definitions: settings.relief.summary, filter: filter)
    }

    /// The pure computation behind `clinicAnalytics`.
    static func analytics(_ summaries: [OutcomeSummary], definitions: [String], filter: AnalyticsFilter) -> ClinicAnalytics {
        func rate(_ label: String, _ rows: [OutcomeSummary]) -> ResponderRate {
            let assessed = rows.filter { $0.responder != nil }
            return ResponderRate(group: label, patients: rows.count, assessed: assessed.count, responders: assessed.filter { $0.responder == true }.count)
        }
        let grouped = Dictionary(grouping: summaries) { ConditionGroup(code: $0.conditionCode) }
        let conditions = grouped.keys.sorted()
        let byCondition = conditions.map { rate($0.title, grouped[$0]!) }
        let byProtocol = Dictionary(grouping: summaries, by: \.protocolName).sorted { $0.key < $1.key }.map { rate($0.key, $0.value) }
        func survival(_ label: String, _ rows: [OutcomeSummary]) -> ReliefSurvival? {
            var days: [Int] = [], events: [Bool] = []
            days.reserveCapacity(rows.count)
            events.reserveCapacity(rows.count)
            for r in rows { if let d = r.episodeDays, let e = r.episodeEnded { days.append(d); events.append(e) } }
            guard !days.isEmpty, let table = try? KaplanMeier.fit(durations: days, events: events) else { return nil }
            return ReliefSurvival(group: label, table: table, episodes: days.count, nonResponders: rows.filter { $0.responder == false }.count)
        }
        var curves: [ReliefSurvival] = []
        if let all = survival("All conditions", summaries) { curves.append(all) }
        for c in conditions { if let s = survival(c.title, grouped[c]!) { curves.append(s) } }
        let infusions = summaries.reduce(0) { $0 + $1.infusions }
        var counts: [String: Int] = [:]
        for s in summaries { for (k, v) in s.sideEffects { counts[k, default: 0] += v } }
        let sideEffects = counts.map { k, v in
            SideEffectIncidence(kind: k, count: v, per100Infusions: infusions == 0 ? 0 : Double(v) * 100 / Double(infusions))
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.kind < $1.kind }
        let withMME = summaries.filter { ($0.mmeBaseline ?? 0) > 0 && $0.mmeLatest != nil }
        let n = Double(withMME.count)
        let mme = MMEChangeSummary(patients: withMME.count,
                                   meanBaseline: withMME.isEmpty ? nil : withMME.map { $0.mmeBaseline! }.reduce(0, +) / n,
                                   meanLatest: withMME.isEmpty ? nil : withMME.map { $0.mmeLatest! }.reduce(0, +) / n,
                                   meanChange: withMME.isEmpty ? nil : withMME.map { $0.mmeLatest! - $0.mmeBaseline! }.reduce(0, +) / n,
                                   withUncounted: withMME.filter(\.mmeUncounted).count)
        var names: [InfusionProtocol.ID: String] = [:]
        for s in summaries { names[s.protocolID] = s.protocolName }
        return ClinicAnalytics(filter: filter, definitions: definitions, byCondition: byCondition, byProtocol: byProtocol,
                               overall: rate("All patients", summaries), survival: curves, infusions: infusions, sideEffects: sideEffects,
                               mme: mme, protocols: names.map { (id: $0.key, name: $0.value) }.sorted { $0.name < $1.name })
    }
}
