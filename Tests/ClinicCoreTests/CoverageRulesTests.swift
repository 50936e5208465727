import Foundation
import Testing
@testable import ClinicCore

/// Coverage and prior authorisation rules (issue 6 §1): authorisations count billed sessions in the payer's unit, and
/// booking warns of no coverage or self-pay agreement, an authorisation ending within 14 days, or one with less left
/// than the booked series needs.
@Suite struct CoverageRulesTests {
    static let patient = Patient.ID(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)
    static let user = User.ID(UUID(uuidString: "00000000-0000-0000-0000-000000000002")!)
    static let today = CalendarDate(year: 2026, month: 12, day: 7)!
    static func coverage(from: CalendarDate = today.adding(days: -100), to: CalendarDate? = nil) -> Coverage {
        Coverage(id: UUID(), patientID: patient, payerID: UUID(), payerName: "Acme Health", planName: "Gold PPO", memberID: "M1", groupNumber: "G1",
                 subscriberName: "Ann Able", relationship: .`self`, effectiveFrom: from, effectiveTo: to, priority: .primary, createdAt: Date(), createdBy: user)
    }
    static func auth(_ unit: PriorAuthorization.Unit, approved: Int, codes: [String] = ["96365", "96366"], to: CalendarDate = today.adding(days: 60)) -> PriorAuthorization {
        PriorAuthorization(id: UUID(), patientID: patient, coverageID: UUID(), number: "PA-1", codes: codes, unit: unit, approved: approved,
                           validFrom: today.adding(days: -10), validTo: to, createdAt: Date(), createdBy: user)
    }
    static func warnings(_ coverages: [Coverage], auths: [PriorAuthorization] = [], selfPay: Bool = false, sessions: Int = 6, checked: Bool = true) -> [CoverageWarning.Kind] {
        let checks = checked ? coverages.map { EligibilityCheck(id: UUID(), coverageID: $0.id, patientID: patient, checkedOn: today, result: .active, method: "portal",
                                                                reference: "", note: "", checkedBy: user, at: Date()) } : []
        return CoverageRules.warnings(coverages: coverages, checks: checks, authorizations: auths, hasSelfPayAgreement: selfPay, sessions: sessions,
                                      lastDay: today.adding(days: 20), today: today, initialHourCode: "96365").map(\.kind)
    }

    @Test("no coverage in effect and no self-pay agreement warns; either one on file does not")
    func noCoverage() {
        #expect(Self.warnings([]) == [.noCoverageOrSelfPay])
        #expect(Self.warnings([], selfPay: true).isEmpty)
        #expect(Self.warnings([Self.coverage()]).isEmpty)
        #expect(Self.warnings([Self.coverage(to: Self.today.adding(days: -1))]) == [.noCoverageOrSelfPay], "an ended coverage is no coverage")
    }

    @Test("a coverage never checked for eligibility warns")
    func eligibility() {
        #expect(Self.warnings([Self.coverage()], checked: false) == [.eligibilityNotChecked])
    }

    @Test("an authorisation ending within 14 days warns; at 15 days it does not (issue 6)", arguments: [(14, true), (15, false), (0, true)])
    func expiring(days: Int, warns: Bool) {
        let w = Self.warnings([Self.coverage()], auths: [Self.auth(.visits, approved: 10, to: Self.today.adding(days: days))], sessions: 0)
        #expect(w.contains(.authorizationExpiring) == warns)
    }

    @Test("an authorisation with fewer visits left than the booked series needs warns")
    func short() {
        var a = Self.auth(.visits, approved: 6)
        #expect(!Self.warnings([Self.coverage()], auths: [a], sessions: 6).contains(.authorizationShort))
        a.record(session: .init(UUID()), on: Self.today, quantity: 1)
        #expect(Self.warnings([Self.coverage()], auths: [a], sessions: 6).contains(.authorizationShort))
    }

    @Test("visits count one per billed session; units count the covered codes' units; uncovered codes count nothing")
    func counting() {
        let net: [(code: String, units: Int)] = [("96365", 1), ("96366", 2), ("J3490", 1)]
        #expect(Self.auth(.visits, approved: 6).quantity(for: net) == 1)
        #expect(Self.auth(.units, approved: 20).quantity(for: net) == 3)
        #expect(Self.auth(.units, approved: 20, codes: ["J3490"]).quantity(for: net) == 1)
        #expect(Self.auth(.visits, approved: 6, codes: ["99213"]).quantity(for: net) == 0)
        // an amendment re-counts the session, never twice
        var a = Self.auth(.units, approved: 20)
        let s = InfusionSession.ID(UUID())
        a.record(session: s, on: Self.today, quantity: 3)
        a.record(session: s, on: Self.today, quantity: 1)
        #expect(a.used == 1 && a.remaining == 19)
    }
}
