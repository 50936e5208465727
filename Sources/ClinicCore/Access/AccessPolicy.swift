import Foundation

/// Who is acting: a signed-in user with their role, from a client address.
public struct Actor: Sendable, Hashable {
    public var userID: User.ID
    public var role: Role
    /// For a patient account: the chart that is theirs.
    public var patientID: Patient.ID?
    /// The client address, for the audit trail.
    public var client: String

    public init(userID: User.ID, role: Role, patientID: Patient.ID? = nil, client: String = "") {
        self.userID = userID
        self.role = role
        self.patientID = patientID
        self.client = client
    }
}

/// What is done.
public enum AccessAction: String, Sendable, Hashable, Codable, CaseIterable {
    case read, create, update, decide, list
}

/// What kind of thing it is done to. Patient data is split so that a role sees only the part it needs.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Name, date of birth, sex, MRN, contact, escorts, weight/height.
    case patientDemographics
    /// ICD-10-CM diagnosis codes (billing needs these, not the rest of the chart).
    case patientDiagnoses
    /// Medicines, allergies, pain history.
    case patientClinical
    /// Who changed the chart when.
    case patientHistory
    /// A screening's status only (eligible / needs clearance / …), not its answers or reasons.
    case screeningStatus
    /// A screening's answers, reasons and clearances.
    case screening
    /// A physician's decision on a screening: override, clearance sign-off.
    case screeningDecision
    /// Staff accounts.
    case users
    /// The audit trail.
    case auditLog
    /// Vital signs from a bedside device (and the room board that shows them).
    case vitals
    /// Monitor messages no session could take (unknown sender, no chair, no patient checked in, patient mismatch).
    case vitalsQuarantine
    /// Registered bedside monitors and the chairs they stand at.
    case monitorDevices
    /// A session's alarms: acknowledge (update); change a patient's or a protocol's thresholds (decide, a physician only).
    case alarms
    /// The protocol library (dosing and limits, like a smart pump's drug library).
    case protocolLibrary
    /// A patient's treatment plan and its signed orders.
    case treatmentPlan
    /// Chair bookings: series, reschedules, cancellations, the day board.
    case scheduling
    /// Clinic set-up for scheduling: hours, rooms and chairs, staff shifts, the nurse ratio.
    case clinicSetup
    /// An infusion session from check-in to discharge.
    case infusionSession
    /// The billing facts of a session: times and drug amounts only.
    case sessionBillingFacts
    /// Follow-up measurements (pain, mood, sleep, PGIC), relief metrics and booster recommendations; `decide` = a
    /// physician accepts a booster date.
    case outcomes
    /// Single-use links a patient opens to answer the measurements due, without an account.
    case followUpLinks
    /// Urgent tasks for a clinician (a positive PHQ-9 item 9), their acknowledgement and escalation.
    case clinicianTasks
    /// Clinic-wide outcome analytics: responder rates, duration of relief, side-effect incidence.
    case clinicAnalytics
    /// The outcome settings: schedule, relief and booster rules, link lifetime, crisis resources, on-call routing.
    case outcomeSettings
    /// The controlled-substance (Schedule III) register: vials received, draws, administrations, witnessed waste, counts
    /// and reconciliation, destruction and loss records, inventory reports; `decide` = resolve a discrepancy (a second
    /// person) or record a destruction or loss.
    case controlledSubstances
    /// The register's settings: count tolerance, beyond-use days, the registrant's name and DEA number.
    case controlledSubstanceSettings
    /// A session's charge lines, superbills and the billing work list.
    case charges
    /// Charge-capture settings: codes, running-time rules, fees, the billing provider and NPIs.
    case chargeSettings
    /// The self-pay price list (per protocol infusion and add-ons) and the self-pay settings (currency, the provider named
    /// on estimates, the No Surprises Act dispute figure).
    case priceList
    /// A patient's account: good-faith estimates, payment plans and the append-only ledger; `create` = issue an estimate,
    /// set up a plan, take a payment; `update` = regenerate a plan's schedule; `decide` = a refund or a write-off.
    case patientAccount
    /// Payers, a patient's insurance coverages, eligibility checks and prior authorisations.
    case coverage
    /// Medical-necessity letters composed from the chart: a physician drafts, edits (update), signs (decide) and revises
    /// (create the next version); billing and administrators read signed versions only.
    case necessityLetters
}

extension ResourceKind {
    /// The kinds that are parts of a patient's chart.
    public static let patientData: [ResourceKind] = [.patientDemographics, .patientDiagnoses, .patientClinical, .patientHistory,
                                                      .screeningStatus, .screening]
}

/// One thing an actor asks to do, with the patient it concerns when there is one.
public struct AccessRequest: Sendable, Hashable {
    public var action: AccessAction
    public var kind: ResourceKind
    public var patientID: Patient.ID?
    /// The id given for the audit trail, when it is not the patient's.
    var explicitID: String
    /// Resource id for the audit trail (a patient, screening or user id). Made when the trail needs it, not for every
    /// access check.
    public var resourceID: String { explicitID.isEmpty ? (patientID?.rawValue.text ?? "") : explicitID }

    public init(_ action: AccessAction, _ kind: ResourceKind, patient: Patient.ID? = nil, id: String = "") {
        self.action = action
        self.kind = kind
        self.patientID = patient
        self.explicitID = id
    }
}

/// The access table of DESIGN §4, as data: (role, resource kind) → allowed actions.
/// A clinic may tighten it (remove actions), never widen it past `AccessPolicy.standard`.
public struct AccessPolicy: Sendable {
    public typealias Table = [Role: [ResourceKind: Set<AccessAction>]]
    public let table: Table

    /// The default table (DESIGN §4).
    public static let standard = AccessPolicy(uncheckedTable: [
        .admin: [
            .users: [.read, .create, .update, .list],
            .auditLog: [.read, .list],
            // "read charts (audited)"
            .patientDemographics: [.read, .list],
            .patientDiagnoses: [.read],
            .patientClinical: [.read],
            .patientHistory: [.read],
            .screeningStatus: [.read],
            .screening: [.read],
            // "settings, protocol library (limits need a physician's sign-off)"
            .protocolLibrary: [.read, .list, .update],
            .clinicSetup: [.read, .update],
            .scheduling: [.read, .list],
            // "settings" (the monitors the clinic runs) and a misconfigured monitor's quarantined messages
            .monitorDevices: [.read, .list, .create, .update],
            .vitalsQuarantine: [.read, .list],
            // "read charts (audited)": the room board and monitored vitals too
            .vitals: [.read, .list],
            // "read charts (audited)": outcomes are part of the chart; "settings"; clinic-wide figures
            .outcomes: [.read],
            .outcomeSettings: [.read, .update],
            .clinicAnalytics: [.read],
            // "controlled-substance inventory and reports"
            .controlledSubstances: [.read, .list, .create, .update, .decide],
            .controlledSubstanceSettings: [.read, .update],
            // "settings": charge capture; the billing work list and superbills as reports
            .charges: [.read, .list],
            .chargeSettings: [.read, .update],
            // "read charts (audited)": coverage too
            .coverage: [.read, .list],
            // "settings": the self-pay prices; reads patients' accounts (issue 6)
            .priceList: [.read, .list, .update],
            .patientAccount: [.read, .list],
            // "read charts (audited)": signed medical-necessity letters (drafts are the physician's)
            .necessityLetters: [.read, .list],
        ],
        .physician: [
            .patientDemographics: [.read, .create, .update, .list],
            .patientDiagnoses: [.read, .update],
            .patientClinical: [.read, .update],
            .patientHistory: [.read],
            .screeningStatus: [.read],
            .screening: [.read, .create, .update],
            .screeningDecision: [.decide],
            // "plans, orders": decide = sign orders, sign off protocol limits, override a pre-infusion hold
            .protocolLibrary: [.read, .list, .update, .decide],
            .treatmentPlan: [.read, .list, .create, .update, .decide],
            .scheduling: [.read, .list],
            .clinicSetup: [.read],
            .infusionSession: [.read, .list, .create, .update, .decide],
            .vitals: [.read, .list],
            .vitalsQuarantine: [.read, .list, .update],
            .monitorDevices: [.read, .list],
            // thresholds change only by a physician (clinical-reference §3)
            .alarms: [.read, .list, .update, .decide],
            // "everything clinical": outcomes, booster decisions (decide), follow-up links, urgent tasks, analytics
            .outcomes: [.read, .list, .create, .update, .decide],
            .followUpLinks: [.read, .list, .create],
            .clinicianTasks: [.read, .list, .update],
            .clinicAnalytics: [.read],
            .outcomeSettings: [.read, .update, .decide],
            // "everything clinical": the drug drawn, given and wasted; resolves a count discrepancy as the second person
            .controlledSubstances: [.read, .list, .create, .update, .decide],
            .controlledSubstanceSettings: [.read],
            // what the sessions they supervise were billed (read-only); corrections go through an amendment
            .charges: [.read, .list],
            // "sign letters": drafts from the chart, edits, signs (decide), revises as the next version
            .necessityLetters: [.read, .list, .create, .update, .decide],
        ],
        .nurse: [
            // "read charts; record screening forms, …"
            .patientDemographics: [.read, .list],
            .patientDiagnoses: [.read],
            .patientClinical: [.read],
            .patientHistory: [.read],
            .screeningStatus: [.read],
            .screening: [.read, .create, .update],
            // "record … checklists, sessions, vitals, side effects, medications given"
            .protocolLibrary: [.read, .list],
            .treatmentPlan: [.read, .list],
            .scheduling: [.read, .list],
            .clinicSetup: [.read],
            .infusionSession: [.read, .list, .create, .update],
            .vitals: [.read, .list],
            .vitalsQuarantine: [.read, .list, .update],
            .monitorDevices: [.read, .list],
            .alarms: [.read, .list, .update],
            // "record … outcomes"; hands out follow-up links; sees and acknowledges urgent tasks
            .outcomes: [.read, .list, .create, .update],
            .followUpLinks: [.read, .list, .create],
            .clinicianTasks: [.read, .list, .update],
            .outcomeSettings: [.read],
            // "record … medications given": receives stock, draws for a session, records waste, witnesses, counts
            .controlledSubstances: [.read, .list, .create, .update],
            .controlledSubstanceSettings: [.read],
        ],
        .frontDesk: [
            // "demographics, contacts, escorts, coverage, scheduling; the screening status only"
            .patientDemographics: [.read, .create, .update, .list],
            .screeningStatus: [.read],
            // "scheduling"
            .scheduling: [.read, .list, .create, .update],
            .clinicSetup: [.read, .update],
            .protocolLibrary: [.read, .list],
            // issue 6: the front desk issues good-faith estimates, sets up payment plans and takes payments (never a refund
            // or write-off, never a plan's regeneration)
            .priceList: [.read, .list],
            .patientAccount: [.read, .list, .create],
            // "coverage": payers, coverages, eligibility checks, prior authorisations
            .coverage: [.read, .list, .create, .update],
        ],
        .billing: [
            // "demographics, coverage, diagnosis codes, …; no screening answers, notes or outcomes"
            .patientDemographics: [.read, .list],
            .patientDiagnoses: [.read],
            // "billing facts of sessions (times, drug amounts)"
            .sessionBillingFacts: [.read, .list],
            // issue 6: the controlled-substance register is read-only for billing
            .controlledSubstances: [.read, .list],
            // "charges": generated from the record, never typed; billing reads them, prints superbills, sets fees
            .charges: [.read, .list],
            .chargeSettings: [.read, .update],
            // "charges, ledger": the whole self-pay account, refunds and write-offs included (decide)
            .priceList: [.read, .list],
            .patientAccount: [.read, .list, .create, .update, .decide],
            // "coverage"
            .coverage: [.read, .list, .create, .update],
            // "signed medical-necessity letters": read-only, and signed versions only (enforced where letters are read)
            .necessityLetters: [.read, .list],
        ],
        .patient: [
            // "their own record only" — checked against the actor's own chart below.
            .patientDemographics: [.read],
            .patientDiagnoses: [.read],
            .patientClinical: [.read],
            .screeningStatus: [.read],
        ],
        .device: [
            .vitals: [.create],
        ],
    ])

    init(uncheckedTable: Table) { table = uncheckedTable }

    /// A clinic's tightened table; refuses any entry that widens the standard one.
    public init(tightened: Table) throws {
        for (role, kinds) in tightened {
            for (kind, actions) in kinds {
                let allowed = AccessPolicy.standard.table[role]?[kind] ?? []
                guard actions.isSubset(of: allowed) else {
                    throw ClinicError.invalid("accessPolicy.\(role.rawValue).\(kind.rawValue)",
                                              "may not grant more than the standard table allows")
                }
            }
        }
        table = tightened
    }

    /// Whether the actor may do what it asks.
    public func allows(_ actor: Actor, _ request: AccessRequest) -> Bool {
        guard table[actor.role]?[request.kind]?.contains(request.action) == true else { return false }
        if actor.role == .patient {
            // A patient sees their own chart only, and never lists others.
            guard let own = actor.patientID, let asked = request.patientID, own == asked else { return false }
        }
        return true
    }

    /// The kinds of patient data the role may read, for shaping a chart view.
    public func readableKinds(for actor: Actor, patient: Patient.ID) -> Set<ResourceKind> {
        Set(ResourceKind.patientData.filter { allows(actor, AccessRequest(.read, $0, patient: patient)) })
    }
}
