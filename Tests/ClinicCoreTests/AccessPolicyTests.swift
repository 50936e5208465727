import Foundation
import Testing
@testable import ClinicCore

/// The access table of DESIGN §4, written out independently of `AccessPolicy.standard`, one row per
/// (role, resource kind) that allows anything. Every pair not listed here allows nothing.
enum DesignAccessTable {
    struct Row: Sendable {
        var role: Role
        var kind: ResourceKind
        var actions: Set<AccessAction>
        /// The DESIGN §4 wording the row stands for.
        var source: String
    }

    static let rows: [Row] = [
        // admin — "users, roles, settings, …, audit log, …; read charts (audited)"
        Row(role: .admin, kind: .users, actions: [.read, .create, .update, .list], source: "admin: users, roles"),
        Row(role: .admin, kind: .auditLog, actions: [.read, .list], source: "admin: audit log"),
        Row(role: .admin, kind: .patientDemographics, actions: [.read, .list], source: "admin: read charts (audited)"),
        Row(role: .admin, kind: .patientDiagnoses, actions: [.read], source: "admin: read charts (audited)"),
        Row(role: .admin, kind: .patientClinical, actions: [.read], source: "admin: read charts (audited)"),
        Row(role: .admin, kind: .patientHistory, actions: [.read], source: "admin: read charts (audited)"),
        Row(role: .admin, kind: .screeningStatus, actions: [.read], source: "admin: read charts (audited)"),
        Row(role: .admin, kind: .screening, actions: [.read], source: "admin: read charts (audited)"),
        Row(role: .admin, kind: .protocolLibrary, actions: [.read, .list, .update], source: "admin: protocol library (limits need a physician's sign-off)"),
        Row(role: .admin, kind: .clinicSetup, actions: [.read, .update], source: "admin: settings"),
        Row(role: .admin, kind: .scheduling, actions: [.read, .list], source: "admin: settings (sees the schedule it sets up)"),
        Row(role: .admin, kind: .monitorDevices, actions: [.read, .list, .create, .update], source: "admin: settings (the clinic's bedside monitors)"),
        Row(role: .admin, kind: .vitalsQuarantine, actions: [.read, .list], source: "admin: settings (a misconfigured monitor's quarantined messages)"),
        Row(role: .admin, kind: .vitals, actions: [.read, .list], source: "admin: read charts (audited), the room board"),
        Row(role: .admin, kind: .outcomes, actions: [.read], source: "admin: read charts (audited)"),
        Row(role: .admin, kind: .outcomeSettings, actions: [.read, .update], source: "admin: settings"),
        Row(role: .admin, kind: .clinicAnalytics, actions: [.read], source: "issue 5: clinic analytics (physician/admin)"),
        Row(role: .admin, kind: .controlledSubstances, actions: [.read, .list, .create, .update, .decide], source: "admin: controlled-substance inventory and reports"),
        Row(role: .admin, kind: .controlledSubstanceSettings, actions: [.read, .update], source: "admin: settings"),
        Row(role: .admin, kind: .charges, actions: [.read, .list], source: "admin: reports (the billing work list)"),
        Row(role: .admin, kind: .chargeSettings, actions: [.read, .update], source: "admin: settings (charge capture)"),
        Row(role: .admin, kind: .coverage, actions: [.read, .list], source: "admin: read charts (audited) — coverage too"),
        Row(role: .admin, kind: .necessityLetters, actions: [.read, .list], source: "admin: read charts (audited) — signed letters only"),
        Row(role: .admin, kind: .priceList, actions: [.read, .list, .update], source: "admin: settings (issue 6: the self-pay price list)"),
        Row(role: .admin, kind: .patientAccount, actions: [.read, .list], source: "admin: read charts (audited) — reads accounts, changes none"),

        // physician — "everything clinical: read/write charts, screening decisions and overrides, …"
        Row(role: .physician, kind: .patientDemographics, actions: [.read, .create, .update, .list], source: "physician: read/write charts"),
        Row(role: .physician, kind: .patientDiagnoses, actions: [.read, .update], source: "physician: read/write charts"),
        Row(role: .physician, kind: .patientClinical, actions: [.read, .update], source: "physician: read/write charts"),
        Row(role: .physician, kind: .patientHistory, actions: [.read], source: "physician: read charts"),
        Row(role: .physician, kind: .screeningStatus, actions: [.read], source: "physician: everything clinical"),
        Row(role: .physician, kind: .screening, actions: [.read, .create, .update], source: "physician: everything clinical"),
        Row(role: .physician, kind: .screeningDecision, actions: [.decide], source: "physician: screening decisions and overrides"),
        Row(role: .physician, kind: .protocolLibrary, actions: [.read, .list, .update, .decide], source: "physician: signs off protocol limits"),
        Row(role: .physician, kind: .treatmentPlan, actions: [.read, .list, .create, .update, .decide], source: "physician: plans, orders"),
        Row(role: .physician, kind: .scheduling, actions: [.read, .list], source: "physician: everything clinical (reads the schedule)"),
        Row(role: .physician, kind: .clinicSetup, actions: [.read], source: "physician: reads the clinic set-up"),
        Row(role: .physician, kind: .infusionSession, actions: [.read, .list, .create, .update, .decide], source: "physician: everything clinical, overrides"),
        Row(role: .physician, kind: .vitals, actions: [.read, .list], source: "physician: everything clinical (monitored vitals)"),
        Row(role: .physician, kind: .vitalsQuarantine, actions: [.read, .list, .update], source: "physician: everything clinical"),
        Row(role: .physician, kind: .monitorDevices, actions: [.read, .list], source: "physician: sees which monitor stands at which chair"),
        Row(role: .physician, kind: .alarms, actions: [.read, .list, .update, .decide], source: "physician: acknowledges alarms; changes thresholds (clinical-reference §3: a physician only)"),
        Row(role: .physician, kind: .outcomes, actions: [.read, .list, .create, .update, .decide], source: "physician: everything clinical; accepts a booster date (issue 5)"),
        Row(role: .physician, kind: .followUpLinks, actions: [.read, .list, .create], source: "physician: everything clinical"),
        Row(role: .physician, kind: .clinicianTasks, actions: [.read, .list, .update], source: "physician: everything clinical (urgent tasks)"),
        Row(role: .physician, kind: .clinicAnalytics, actions: [.read], source: "issue 5: clinic analytics (physician/admin)"),
        Row(role: .physician, kind: .outcomeSettings, actions: [.read, .update, .decide], source: "physician: everything clinical (changes the relief and booster rules with decide)"),
        Row(role: .physician, kind: .controlledSubstances, actions: [.read, .list, .create, .update, .decide], source: "issue 6: register for admin, physician, nurse; a second person resolves a discrepancy"),
        Row(role: .physician, kind: .controlledSubstanceSettings, actions: [.read], source: "issue 6: reads the register's tolerance and beyond-use rule"),
        Row(role: .physician, kind: .charges, actions: [.read, .list], source: "issue 6: sees what a session was billed; corrects it by amendment"),
        Row(role: .physician, kind: .necessityLetters, actions: [.read, .list, .create, .update, .decide], source: "physician: sign letters (draft, edit, sign, revise)"),

        // nurse — "read charts; record screening forms, checklists, …" — no screening decision
        Row(role: .nurse, kind: .patientDemographics, actions: [.read, .list], source: "nurse: read charts"),
        Row(role: .nurse, kind: .patientDiagnoses, actions: [.read], source: "nurse: read charts"),
        Row(role: .nurse, kind: .patientClinical, actions: [.read], source: "nurse: read charts"),
        Row(role: .nurse, kind: .patientHistory, actions: [.read], source: "nurse: read charts"),
        Row(role: .nurse, kind: .screeningStatus, actions: [.read], source: "nurse: read charts"),
        Row(role: .nurse, kind: .screening, actions: [.read, .create, .update], source: "nurse: record screening forms"),
        Row(role: .nurse, kind: .protocolLibrary, actions: [.read, .list], source: "nurse: reads the protocols it runs"),
        Row(role: .nurse, kind: .treatmentPlan, actions: [.read, .list], source: "nurse: reads plans and orders"),
        Row(role: .nurse, kind: .scheduling, actions: [.read, .list], source: "nurse: reads the day board"),
        Row(role: .nurse, kind: .clinicSetup, actions: [.read], source: "nurse: reads the clinic set-up"),
        Row(role: .nurse, kind: .infusionSession, actions: [.read, .list, .create, .update], source: "nurse: record checklists, sessions, vitals, side effects, medications given"),
        Row(role: .nurse, kind: .vitals, actions: [.read, .list], source: "nurse: read charts (the monitored vitals, the room board)"),
        Row(role: .nurse, kind: .vitalsQuarantine, actions: [.read, .list, .update], source: "nurse: record vitals (files a quarantined message under its session)"),
        Row(role: .nurse, kind: .monitorDevices, actions: [.read, .list], source: "nurse: sees which monitor stands at which chair"),
        Row(role: .nurse, kind: .alarms, actions: [.read, .list, .update], source: "nurse: record sessions (acknowledges alarms; never changes thresholds)"),
        Row(role: .nurse, kind: .outcomes, actions: [.read, .list, .create, .update], source: "nurse: record … outcomes"),
        Row(role: .nurse, kind: .followUpLinks, actions: [.read, .list, .create], source: "nurse: record outcomes (hands out follow-up links)"),
        Row(role: .nurse, kind: .clinicianTasks, actions: [.read, .list, .update], source: "nurse: sees and acknowledges urgent tasks"),
        Row(role: .nurse, kind: .outcomeSettings, actions: [.read], source: "nurse: reads the schedule it follows"),
        Row(role: .nurse, kind: .controlledSubstances, actions: [.read, .list, .create, .update], source: "issue 6: register for admin, physician, nurse (never resolves a discrepancy)"),
        Row(role: .nurse, kind: .controlledSubstanceSettings, actions: [.read], source: "issue 6: reads the register's tolerance and beyond-use rule"),

        // frontDesk — "demographics, contacts, escorts, coverage, scheduling; the screening *status* only"
        Row(role: .frontDesk, kind: .patientDemographics, actions: [.read, .create, .update, .list], source: "frontDesk: demographics, contacts, escorts"),
        Row(role: .frontDesk, kind: .screeningStatus, actions: [.read], source: "frontDesk: the screening status only"),
        Row(role: .frontDesk, kind: .scheduling, actions: [.read, .list, .create, .update], source: "frontDesk: scheduling"),
        Row(role: .frontDesk, kind: .clinicSetup, actions: [.read, .update], source: "frontDesk: scheduling (hours, chairs, shifts)"),
        Row(role: .frontDesk, kind: .protocolLibrary, actions: [.read, .list], source: "frontDesk: scheduling needs protocol durations"),
        Row(role: .frontDesk, kind: .priceList, actions: [.read, .list], source: "issue 6: the front desk prices estimates"),
        Row(role: .frontDesk, kind: .patientAccount, actions: [.read, .list, .create], source: "issue 6: the front desk issues estimates, sets up plans, takes payments (no refund, write-off or regeneration)"),
        Row(role: .frontDesk, kind: .coverage, actions: [.read, .list, .create, .update], source: "frontDesk: coverage (payers, coverages, eligibility, prior authorisations)"),

        // billing — "demographics, coverage, diagnosis codes, …; no screening answers, notes or outcomes"
        Row(role: .billing, kind: .patientDemographics, actions: [.read, .list], source: "billing: demographics"),
        Row(role: .billing, kind: .patientDiagnoses, actions: [.read], source: "billing: diagnosis codes"),
        Row(role: .billing, kind: .sessionBillingFacts, actions: [.read, .list], source: "billing: billing facts of sessions (times, drug amounts)"),
        Row(role: .billing, kind: .controlledSubstances, actions: [.read, .list], source: "issue 6: register read-only for billing"),
        Row(role: .billing, kind: .charges, actions: [.read, .list], source: "billing: charges (generated from the record, never typed)"),
        Row(role: .billing, kind: .chargeSettings, actions: [.read, .update], source: "billing: charges (fees, codes, NPIs)"),
        Row(role: .billing, kind: .coverage, actions: [.read, .list, .create, .update], source: "billing: coverage"),
        Row(role: .billing, kind: .priceList, actions: [.read, .list], source: "billing: charges (reads the prices; the admin sets them)"),
        Row(role: .billing, kind: .patientAccount, actions: [.read, .list, .create, .update, .decide], source: "billing: charges, ledger — refunds and write-offs (decide) too"),
        Row(role: .billing, kind: .necessityLetters, actions: [.read, .list], source: "billing: signed medical-necessity letters"),

        // patient — "their own record only (portal)"; the own-chart check is separate
        Row(role: .patient, kind: .patientDemographics, actions: [.read], source: "patient: their own record only"),
        Row(role: .patient, kind: .patientDiagnoses, actions: [.read], source: "patient: their own record only"),
        Row(role: .patient, kind: .patientClinical, actions: [.read], source: "patient: their own record only"),
        Row(role: .patient, kind: .screeningStatus, actions: [.read], source: "patient: their own record only"),

        // device — "write vitals for its assigned chair; nothing else"
        Row(role: .device, kind: .vitals, actions: [.create], source: "device: write vitals; nothing else"),
    ]

    static func allowed(_ role: Role, _ kind: ResourceKind) -> Set<AccessAction> {
        rows.first { $0.role == role && $0.kind == kind }?.actions ?? []
    }

    static var asTable: AccessPolicy.Table {
        var table: AccessPolicy.Table = [:]
        for row in rows { table[row.role, default: [:]][row.kind] = row.actions }
        return table
    }
}

/// One cell of the access table: may `role` do `action` to `kind`?
struct AccessCell: Sendable, CustomTestStringConvertible {
    var role: Role
    var kind: ResourceKind
    var action: AccessAction
    var testDescription: String { "\(role.rawValue) \(action.rawValue) \(kind.rawValue)" }

    static let all: [AccessCell] = Role.allCases.flatMap { role in
        ResourceKind.allCases.flatMap { kind in AccessAction.allCases.map { AccessCell(role: role, kind: kind, action: $0) } }
    }
}

@Suite("AccessPolicy (DESIGN §4 access table)")
struct AccessPolicyTests {
    static let ownChart = Patient.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000A1")!)
    static let otherChart = Patient.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000A2")!)

    static func actor(_ role: Role) -> Actor {
        Actor(userID: User.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-00000000C0DE")!), role: role,
              patientID: role == .patient ? ownChart : nil, client: "192.0.2.10")
    }

    @Test("every (role × resource kind × action) cell matches DESIGN §4", arguments: AccessCell.all)
    func standardTableCell(_ cell: AccessCell) {
        // given
        let expected = DesignAccessTable.allowed(cell.role, cell.kind).contains(cell.action)
        let actor = Self.actor(cell.role)
        let policy = AccessPolicy.standard

        // when
        let onOwnOrAnyChart = policy.allows(actor, AccessRequest(cell.action, cell.kind, patient: Self.ownChart))
        let onAnotherChart = policy.allows(actor, AccessRequest(cell.action, cell.kind, patient: Self.otherChart))
        let withoutChart = policy.allows(actor, AccessRequest(cell.action, cell.kind))

        // then
        #expect(onOwnOrAnyChart == expected)
        if cell.role == .patient {
            // "their own record only": never another patient's chart, never a list
            #expect(onAnotherChart == false)
            #expect(withoutChart == false)
        } else {
            // staff roles do not depend on which chart it is
            #expect(onAnotherChart == expected)
            #expect(withoutChart == expected)
        }
    }

    @Test("the standard table holds exactly the DESIGN §4 rows and nothing more")
    func standardTableIsExactlyDesign() {
        // given
        let standard = AccessPolicy.standard.table.mapValues { $0.filter { !$0.value.isEmpty } }.filter { !$0.value.isEmpty }

        // when / then
        #expect(standard == DesignAccessTable.asTable)
    }

    @Test("billing (DESIGN §4): demographics and diagnosis codes, no screening at all")
    func billingSeesNoScreening() {
        // given
        let billing = Self.actor(.billing)
        let p = Self.otherChart

        // when / then
        #expect(AccessPolicy.standard.allows(billing, AccessRequest(.read, .patientDemographics, patient: p)))
        #expect(AccessPolicy.standard.allows(billing, AccessRequest(.list, .patientDemographics)))
        #expect(AccessPolicy.standard.allows(billing, AccessRequest(.read, .patientDiagnoses, patient: p)))
        for kind in [ResourceKind.screeningStatus, .screening, .screeningDecision, .patientClinical] {
            for action in AccessAction.allCases {
                #expect(!AccessPolicy.standard.allows(billing, AccessRequest(action, kind, patient: p)), "billing \(action) \(kind)")
            }
        }
    }

    @Test("frontDesk (DESIGN §4): the screening status only, not its answers or reasons")
    func frontDeskSeesStatusOnly() {
        // given
        let frontDesk = Self.actor(.frontDesk)
        let p = Self.otherChart

        // when / then
        #expect(AccessPolicy.standard.allows(frontDesk, AccessRequest(.read, .screeningStatus, patient: p)))
        #expect(!AccessPolicy.standard.allows(frontDesk, AccessRequest(.read, .screening, patient: p)))
        #expect(!AccessPolicy.standard.allows(frontDesk, AccessRequest(.read, .patientClinical, patient: p)))
        #expect(AccessPolicy.standard.allows(frontDesk, AccessRequest(.create, .patientDemographics)))
    }

    @Test("nurse records screenings but cannot decide; physician decides (DESIGN §4)")
    func onlyPhysicianDecides() {
        // given
        let p = Self.otherChart
        let decide = AccessRequest(.decide, .screeningDecision, patient: p)

        // when
        let deciders = Role.allCases.filter { AccessPolicy.standard.allows(Self.actor($0), decide) }

        // then
        #expect(deciders == [.physician])
        #expect(AccessPolicy.standard.allows(Self.actor(.nurse), AccessRequest(.create, .screening, patient: p)))
        #expect(AccessPolicy.standard.allows(Self.actor(.nurse), AccessRequest(.update, .screening, patient: p)))
    }

    @Test("device (DESIGN §4): writes vitals, nothing else")
    func deviceOnlyWritesVitals() {
        // given
        let device = Self.actor(.device)

        // when
        let allowed = AccessCell.all.filter { $0.role == .device }
            .filter { AccessPolicy.standard.allows(device, AccessRequest($0.action, $0.kind, patient: Self.otherChart)) }
            .map { "\($0.action.rawValue) \($0.kind.rawValue)" }

        // then
        #expect(allowed == ["create vitals"])
    }

    @Test("patient (DESIGN §4): their own chart only — allowed for it, denied for another and for a list")
    func patientOwnChartOnly() {
        // given
        let patient = Self.actor(.patient)
        let unlinked = Actor(userID: patient.userID, role: .patient, patientID: nil)

        // when / then
        #expect(AccessPolicy.standard.allows(patient, AccessRequest(.read, .patientDemographics, patient: Self.ownChart)))
        #expect(!AccessPolicy.standard.allows(patient, AccessRequest(.read, .patientDemographics, patient: Self.otherChart)))
        #expect(!AccessPolicy.standard.allows(patient, AccessRequest(.list, .patientDemographics)))
        #expect(!AccessPolicy.standard.allows(patient, AccessRequest(.read, .patientDemographics)))
        #expect(!AccessPolicy.standard.allows(patient, AccessRequest(.update, .patientDemographics, patient: Self.ownChart)))
        // an account not linked to a chart sees none
        #expect(!AccessPolicy.standard.allows(unlinked, AccessRequest(.read, .patientDemographics, patient: Self.ownChart)))
    }

    @Test("a clinic may tighten the table (DESIGN §4)")
    func tightenedSubsetAccepted() throws {
        // given: front desk may no longer create or update charts; billing loses everything
        let tightened: AccessPolicy.Table = [
            .frontDesk: [.patientDemographics: [.read, .list], .screeningStatus: [.read]],
            .billing: [:],
            .physician: AccessPolicy.standard.table[.physician]!,
        ]

        // when
        let policy = try AccessPolicy(tightened: tightened)

        // then
        let p = Self.otherChart
        #expect(policy.allows(Self.actor(.frontDesk), AccessRequest(.read, .patientDemographics, patient: p)))
        #expect(!policy.allows(Self.actor(.frontDesk), AccessRequest(.create, .patientDemographics)))
        #expect(!policy.allows(Self.actor(.billing), AccessRequest(.read, .patientDemographics, patient: p)))
        #expect(policy.allows(Self.actor(.physician), AccessRequest(.decide, .screeningDecision, patient: p)))
        // roles left out of a tightened table get nothing
        #expect(!policy.allows(Self.actor(.nurse), AccessRequest(.read, .patientDemographics, patient: p)))
    }

    @Test("the standard table itself is an acceptable tightening")
    func standardIsAcceptedAsTightening() throws {
        // given / when
        let policy = try AccessPolicy(tightened: AccessPolicy.standard.table)

        // then
        for cell in AccessCell.all {
            let request = AccessRequest(cell.action, cell.kind, patient: Self.ownChart)
            #expect(policy.allows(Self.actor(cell.role), request) == AccessPolicy.standard.allows(Self.actor(cell.role), request))
        }
    }

    struct Widening: Sendable, CustomTestStringConvertible {
        var role: Role
        var kind: ResourceKind
        var actions: Set<AccessAction>
        var testDescription: String { "\(role.rawValue).\(kind.rawValue)" }
    }

    @Test("a clinic may never widen the table past DESIGN §4", arguments: [
        Widening(role: .frontDesk, kind: .screening, actions: [.read]),
        Widening(role: .billing, kind: .screeningStatus, actions: [.read]),
        Widening(role: .nurse, kind: .screeningDecision, actions: [.decide]),
        Widening(role: .nurse, kind: .patientDemographics, actions: [.read, .create]),
        Widening(role: .device, kind: .patientDemographics, actions: [.read]),
        Widening(role: .patient, kind: .patientDemographics, actions: [.list]),
        Widening(role: .admin, kind: .patientClinical, actions: [.update]),
    ])
    func wideningRefused(_ widening: Widening) {
        // given
        var table = AccessPolicy.standard.table
        table[widening.role, default: [:]][widening.kind] = widening.actions

        // when
        let error = #expect(throws: ClinicError.self) { try AccessPolicy(tightened: table) }

        // then
        guard case .invalid(let fields) = error else {
            Issue.record("expected ClinicError.invalid, got \(String(describing: error))")
            return
        }
        #expect(fields.map(\.field) == ["accessPolicy.\(widening.role.rawValue).\(widening.kind.rawValue)"])
    }

    @Test("readableKinds shapes a chart view by role (DESIGN §4)", arguments: [
        (Role.admin, [ResourceKind.patientDemographics, .patientDiagnoses, .patientClinical, .patientHistory, .screeningStatus, .screening]),
        (.physician, [.patientDemographics, .patientDiagnoses, .patientClinical, .patientHistory, .screeningStatus, .screening]),
        (.nurse, [.patientDemographics, .patientDiagnoses, .patientClinical, .patientHistory, .screeningStatus, .screening]),
        (.frontDesk, [.patientDemographics, .screeningStatus]),
        (.billing, [.patientDemographics, .patientDiagnoses]),
        (.patient, [.patientDemographics, .patientDiagnoses, .patientClinical, .screeningStatus]),
        (.device, []),
    ])
    func readableKinds(_ role: Role, _ kinds: [ResourceKind]) {
        // given
        let actor = Self.actor(role)

        // when
        let readable = AccessPolicy.standard.readableKinds(for: actor, patient: Self.ownChart)

        // then: the patient-data part of it (see `readableKindsArePatientDataOnly` for the rest)
        #expect(readable.intersection(Self.patientDataKinds) == Set(kinds))
    }

    /// The kinds that are part of a patient's chart.
    static let patientDataKinds: Set<ResourceKind> = [
        .patientDemographics, .patientDiagnoses, .patientClinical, .patientHistory, .screeningStatus, .screening, .screeningDecision,
    ]

    @Test("readableKinds names patient data only, as its doc says")
    func readableKindsArePatientDataOnly() {
        // given
        let admin = Self.actor(.admin)

        // when
        let readable = AccessPolicy.standard.readableKinds(for: admin, patient: Self.ownChart)

        // then
        #expect(readable.isSubset(of: Self.patientDataKinds))
    }

    @Test("readableKinds: a patient can read nothing of another patient's chart")
    func readableKindsOtherPatient() {
        // given
        let patient = Self.actor(.patient)

        // when
        let readable = AccessPolicy.standard.readableKinds(for: patient, patient: Self.otherChart)

        // then
        #expect(readable.isEmpty)
    }
}
