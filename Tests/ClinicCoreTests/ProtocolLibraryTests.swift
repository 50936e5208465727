import Foundation
import Tagged
import Testing
@testable import ClinicCore

/// Fixed people, instants and helpers for the protocol and dosing tests.
enum DosingFixture {
    /// 2026-03-02 09:00:00 UTC, a Monday.
    static let t0 = Date(timeIntervalSince1970: 1_772_442_000)
    static let admin = User.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000AD01")!)
    static let physician = User.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000D0C1")!)
    static let nurse = User.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000A001")!)
    static let secondNurse = User.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000A002")!)

    static func minutes(_ m: Double) -> Date { t0.addingTimeInterval(m * 60) }
    static func kg(_ kilograms: Int) -> Weight { Weight(grams: kilograms * 1000, enteredUnit: .kg) }
    static func mgPerHour(_ microgramsPerHour: Int64) -> DoseRate { DoseRate(microgramsPerHour: microgramsPerHour) }
    static func mg(_ micrograms: Int64) -> DrugAmount { DrugAmount(micrograms: micrograms) }

    /// The field names of a `ClinicError.invalid`, or [] for any other outcome.
    static func invalidFields(_ body: () throws -> Void) -> [String] {
        do { try body() } catch ClinicError.invalid(let errors) { return errors.map(\.field) } catch { return ["unexpected: \(error)"] }
        return []
    }
}

@Suite struct ProtocolLibraryTests {
    typealias F = DosingFixture

    @Test func standardLibraryHoldsTheFourProtocolsOfTheReferenceWithFixedIds() throws {
        // given the shipped library (clinical-reference §4)
        let library = InfusionProtocol.standardLibrary
        // then it holds exactly the four protocols, version 1 each, valid, with ids fixed for every install
        #expect(library.map(\.name) == ["Standard induction", "Guideline trial", "CRPS extended outpatient", "Booster"])
        #expect(library.allSatisfy { $0.version == 1 && $0.revision == nil })
        #expect(Set(library.map(\.id)).count == 4)
        #expect(library[0].id.rawValue.uuidString == "DEE77E11-EF00-4000-8000-000000000001")
        for p in library { #expect(try p.validated() == p) }
    }

    @Test func standardInductionIsSanacoraDoseSixInfusionsAtLeast48HoursApart() {
        // Sanacora 2017 JAMA Psychiatry 74:399: 0.5 mg/kg over 40 min = 0.75 mg/kg/h for 40 min;
        // 6 infusions (clinical-reference §1 [P]) ≥ 48 h apart (clinical-reference §4 [D])
        let p = InfusionProtocol.standardInduction
        #expect(p.dosing == .weightBasedRate(WeightBasedRate(microgramsPerKilogramPerHour: 750)))
        #expect(p.dosing.summary == "0.75 mg/kg/h")
        #expect(p.absoluteRateCap == nil)
        #expect(p.durationMinutes == 40)
        #expect(p.inductionInfusions == 6)
        #expect(p.minimumSpacingHours == 48)
        #expect(p.seriesPattern == .minimumSpacing)
        #expect(p.boosterIntervalDays == nil)
    }

    @Test func standardInductionLimitsAreTheReferenceDefaults() {
        // clinical-reference §4 [D]: soft > 1.0, hard > 2.0 mg/kg/h; soft > 1.0, hard > 1.5 mg/kg; no absolute limits
        let limits = InfusionProtocol.standardInduction.limits
        #expect(limits.ratePerKilogram == SoftHardLimit(soft: WeightBasedRate(microgramsPerKilogramPerHour: 1_000),
                                                        hard: WeightBasedRate(microgramsPerKilogramPerHour: 2_000)))
        #expect(limits.sessionTotalPerKilogram == SoftHardLimit(soft: WeightBasedAmount(microgramsPerKilogram: 1_000),
                                                                hard: WeightBasedAmount(microgramsPerKilogram: 1_500)))
        #expect(limits.rate == .none && limits.sessionTotal == .none)
    }

    @Test func guidelineTrialIs80MilligramsOver120MinutesThenReassess() {
        // Cohen 2018 RAPM 43:521: one infusion of ~80 mg over > 2 h, then reassess;
        // limits (clinical-reference §4 [D]): soft > 50, hard > 80 mg/h; soft > 100, hard > 120 mg
        let p = InfusionProtocol.guidelineTrial
        #expect(p.dosing == .flatDose(F.mg(80_000), overMinutes: 120))
        #expect(p.dosing.summary == "80 mg over 120 min")
        #expect(p.durationMinutes == 120)
        #expect(p.inductionInfusions == 1 && p.minimumSpacingHours == nil)
        #expect(p.limits.rate == SoftHardLimit(soft: F.mgPerHour(50_000), hard: F.mgPerHour(80_000)))
        #expect(p.limits.sessionTotal == SoftHardLimit(soft: F.mg(100_000), hard: F.mg(120_000)))
        #expect(p.limits.ratePerKilogram == .none && p.limits.sessionTotalPerKilogram == .none)
    }

    @Test func crpsExtendedIsSchwartzmanDoseCappedAt25MilligramsPerHourOnTenWeekdays() {
        // Schwartzman 2009, Pain: 0.35 mg/kg/h, never above 25 mg/h, 4 h daily, 10 consecutive weekdays (spacing 24 h);
        // limits (clinical-reference §4 [D]): soft > 0.35 mg/kg/h or > 25 mg/h; hard > 0.5 mg/kg/h or > 40 mg/h;
        // soft > 1.5, hard > 2.0 mg/kg
        let p = InfusionProtocol.crpsExtended
        #expect(p.dosing == .weightBasedRate(WeightBasedRate(microgramsPerKilogramPerHour: 350)))
        #expect(p.absoluteRateCap == F.mgPerHour(25_000))
        #expect(p.durationMinutes == 240)
        #expect(p.inductionInfusions == 10 && p.minimumSpacingHours == 24 && p.seriesPattern == .consecutiveWeekdays)
        #expect(p.limits.ratePerKilogram == SoftHardLimit(soft: WeightBasedRate(microgramsPerKilogramPerHour: 350),
                                                          hard: WeightBasedRate(microgramsPerKilogramPerHour: 500)))
        #expect(p.limits.rate == SoftHardLimit(soft: F.mgPerHour(25_000), hard: F.mgPerHour(40_000)))
        #expect(p.limits.sessionTotalPerKilogram == SoftHardLimit(soft: WeightBasedAmount(microgramsPerKilogram: 1_500),
                                                                  hard: WeightBasedAmount(microgramsPerKilogram: 2_000)))
        #expect(p.limits.sessionTotal == .none)
    }

    @Test func boosterIsInductionOnceWithTheClinicsOwnInterval() {
        // clinical-reference §4 [P]: booster "as induction", 1 infusion; §1 [P]: "every few months" — the 90 days
        // is the clinic's configurable local policy, not a guideline number
        let booster = InfusionProtocol.booster, induction = InfusionProtocol.standardInduction
        #expect(booster.dosing == induction.dosing && booster.durationMinutes == induction.durationMinutes)
        #expect(booster.limits == induction.limits)
        #expect(booster.inductionInfusions == 1 && booster.minimumSpacingHours == nil)
        #expect(booster.boosterIntervalDays == InfusionProtocol.defaultBoosterIntervalDays)
        #expect(InfusionProtocol.defaultBoosterIntervalDays == 90)
    }

    @Test func libraryRoundTripsThroughJSON() throws {
        // given the library encoded as JSON
        let data = try JSONEncoder().encode(InfusionProtocol.standardLibrary)
        // when decoded / then every value comes back exactly
        #expect(try JSONDecoder().decode([InfusionProtocol].self, from: data) == InfusionProtocol.standardLibrary)
    }
}

@Suite struct ProtocolValidationTests {
    typealias F = DosingFixture

    @Test func hardRateLimitBeyondTheOuterBoundIsRefused() {
        // clinical-reference §4: hard rate ≤ 2.0 mg/kg/h for any protocol; 2.001 mg/kg/h is beyond
        var p = InfusionProtocol.standardInduction
        p.limits.ratePerKilogram.hard = WeightBasedRate(microgramsPerKilogramPerHour: 2_001)
        #expect(F.invalidFields { _ = try p.validated() } == ["limits.ratePerKilogram.hard"])
    }

    @Test func hardSessionTotalBeyondTheOuterBoundIsRefused() {
        // clinical-reference §4: hard session total ≤ 2.0 mg/kg for any protocol; CRPS sits exactly at 2.0, 2.001 is beyond
        var p = InfusionProtocol.crpsExtended
        #expect(throws: Never.self) { try p.validated() }
        p.limits.sessionTotalPerKilogram.hard = WeightBasedAmount(microgramsPerKilogram: 2_001)
        #expect(F.invalidFields { _ = try p.validated() } == ["limits.sessionTotalPerKilogram.hard"])
    }

    @Test func softLimitAboveHardIsRefusedWithBothValuesInTheReason() throws {
        // given soft 60 mg/h above hard 50 mg/h (clinical-reference §4 [D]: soft ≤ hard)
        var p = InfusionProtocol.guidelineTrial
        p.limits.rate = SoftHardLimit(soft: F.mgPerHour(60_000), hard: F.mgPerHour(50_000))
        // when / then
        #expect(throws: ClinicError.invalid("limits.rate.soft", "the soft limit 60.0 mg/h must not be above the hard limit 50.0 mg/h")) {
            try p.validated()
        }
    }

    @Test func everyBadFieldIsNamedAtOnce() {
        // given a protocol with no name, no duration, six infusions without a spacing, a zero cap and a negative limit
        var p = InfusionProtocol.standardInduction
        p.name = "  "
        p.durationMinutes = 0
        p.minimumSpacingHours = nil
        p.absoluteRateCap = .zero
        p.limits.sessionTotal.soft = F.mg(-1)
        // then every field is named
        #expect(F.invalidFields { _ = try p.validated() }
                == ["name", "absoluteRateCap", "durationMinutes", "minimumSpacingHours", "limits.sessionTotal.soft"])
    }

    @Test func aDefaultDoseItsOwnHardLimitRefusesIsInvalid() {
        // given 0.75 mg/kg/h with a hard rate limit of 0.5 mg/kg/h, and 40 min of it (0.5 mg/kg) above a 0.4 mg/kg hard total
        var p = InfusionProtocol.standardInduction
        p.limits.ratePerKilogram = SoftHardLimit(soft: nil, hard: WeightBasedRate(microgramsPerKilogramPerHour: 500))
        p.limits.sessionTotalPerKilogram = SoftHardLimit(soft: nil, hard: WeightBasedAmount(microgramsPerKilogram: 400))
        // then both conflicts are named
        #expect(F.invalidFields { _ = try p.validated() } == ["dosing", "durationMinutes"])
    }
}

@Suite struct ProtocolVersioningTests {
    typealias F = DosingFixture

    @Test func aLimitChangeWithoutPhysicianSignOffIsRefused() {
        // clinical-reference §4: limits are changed only by a physician, with a reason, audited
        let v1 = InfusionProtocol.standardInduction
        #expect(F.invalidFields {
            _ = try v1.revised(by: F.admin, at: F.t0, reason: "Align with pump library") {
                $0.limits.ratePerKilogram.soft = WeightBasedRate(microgramsPerKilogramPerHour: 900)
            }
        } == ["signOff"])
    }

    @Test func aSignedOffLimitChangeMakesVersionTwoAndRecordsWhoAndWhy() throws {
        // given version 1 and a physician's sign-off
        let v1 = InfusionProtocol.standardInduction
        let signOff = LimitChange(by: F.physician, reason: "Soft rate 0.9 mg/kg/h matches our pump library")
        // when the soft rate limit is lowered to 0.9 mg/kg/h
        let v2 = try v1.revised(by: F.admin, at: F.t0, reason: "Align with pump library", signOff: signOff) {
            $0.limits.ratePerKilogram.soft = WeightBasedRate(microgramsPerKilogramPerHour: 900)
        }
        // then v2 is a new value with version 2 and its revision; v1 is unchanged
        #expect(v2.id == v1.id && v2.version == 2)
        #expect(v2.limits.ratePerKilogram.soft == WeightBasedRate(microgramsPerKilogramPerHour: 900))
        #expect(v2.revision == ProtocolRevision(previousVersion: 1, changedBy: F.admin, changedAt: F.t0,
                                                reason: "Align with pump library", changedSettings: [.limits], signOff: signOff))
        #expect(v1 == InfusionProtocol.standardInduction && v1.version == 1)
    }

    @Test func aChangeToTheDoseOrRateCapAlsoNeedsSignOff() {
        // the rate cap ("never above 25 mg/h", Schwartzman 2009) and the dose are limits in the clinical sense
        let crps = InfusionProtocol.crpsExtended
        #expect(F.invalidFields {
            _ = try crps.revised(by: F.admin, at: F.t0, reason: "Cap") { $0.absoluteRateCap = F.mgPerHour(20_000) }
        } == ["signOff"])
        #expect(F.invalidFields {
            _ = try crps.revised(by: F.admin, at: F.t0, reason: "Dose") {
                $0.dosing = .weightBasedRate(WeightBasedRate(microgramsPerKilogramPerHour: 300))
            }
        } == ["signOff"])
    }

    @Test func aChangeOutsideDoseAndLimitsNeedsNoSignOff() throws {
        // given a new booster interval, the clinic's own policy [P]
        let v2 = try InfusionProtocol.booster.revised(by: F.admin, at: F.t0, reason: "Clinic policy: boosters every 120 days") {
            $0.boosterIntervalDays = 120
        }
        // then
        #expect(v2.version == 2 && v2.boosterIntervalDays == 120)
        #expect(v2.revision?.changedSettings == [.boosterIntervalDays] && v2.revision?.signOff == nil)
    }

    @Test func noChangeBeyondTheOuterBoundsEvenWithSignOff() {
        // clinical-reference §4: "Limits are never edited beyond outer bounds fixed in code"
        let signOff = LimitChange(by: F.physician, reason: "Higher ceiling")
        #expect(F.invalidFields {
            _ = try InfusionProtocol.standardInduction.revised(by: F.physician, at: F.t0, reason: "Raise", signOff: signOff) {
                $0.limits.ratePerKilogram.hard = WeightBasedRate(microgramsPerKilogramPerHour: 2_500)
                $0.limits.sessionTotalPerKilogram.hard = WeightBasedAmount(microgramsPerKilogram: 2_500)
            }
        } == ["limits.ratePerKilogram.hard", "limits.sessionTotalPerKilogram.hard"])
    }

    @Test func aChangeNeedsAReasonAndAChangeAndASignOffNeedsAReason() {
        let p = InfusionProtocol.standardInduction
        #expect(F.invalidFields { _ = try p.revised(by: F.admin, at: F.t0, reason: " ") { _ in } } == ["reason", "change"])
        #expect(F.invalidFields {
            _ = try p.revised(by: F.admin, at: F.t0, reason: "Lower", signOff: LimitChange(by: F.physician, reason: "")) {
                $0.limits.sessionTotalPerKilogram.soft = WeightBasedAmount(microgramsPerKilogram: 900)
            }
        } == ["signOff.reason"])
    }

    @Test func aProposalWaitsForTheSignOffAndKeepsTheProtocolsId() throws {
        // given a proposal that (from inside the module) even tries to move the id
        let p = InfusionProtocol.guidelineTrial
        let proposal = try p.proposeChange(by: F.admin, at: F.t0, reason: "Soft total 90 mg") {
            $0.limits.sessionTotal.soft = F.mg(90_000)
            $0.id = InfusionProtocol.StandardID.booster
        }
        // then it needs a sign-off, and the signed version keeps the protocol's id
        #expect(proposal.requiresPhysicianSignOff && proposal.changedSettings == [.limits])
        let v2 = try proposal.revised(signOff: LimitChange(by: F.physician, reason: "Agreed"))
        #expect(v2.id == p.id && v2.version == 2)
    }

    @Test func onlyAnActivePhysicianCanSignOff() throws {
        // DESIGN §4: limits need a physician's sign-off
        func user(_ role: Role, disabled: Bool = false) -> User {
            User(id: F.physician, email: "x@clinic.test", displayName: "X", role: role, isDisabled: disabled, createdAt: F.t0)
        }
        #expect(try LimitChange(signedBy: user(.physician), reason: "ok").by == F.physician)
        for role in Role.allCases where role != .physician {
            #expect(throws: ClinicError.self) { try LimitChange(signedBy: user(role), reason: "ok") }
        }
        #expect(throws: ClinicError.self) { try LimitChange(signedBy: user(.physician, disabled: true), reason: "ok") }
    }

    @Test func theHistoryKeepsEveryVersionAndRefusesAStaleOne() throws {
        // given a history at version 2
        let v1 = InfusionProtocol.booster
        var history = try ProtocolHistory(first: v1)
        let v2 = try v1.revised(by: F.admin, at: F.t0, reason: "Name") { $0.name = "Maintenance booster" }
        try history.append(v2)
        // when someone appends another change also made from version 1
        let stale = try v1.revised(by: F.admin, at: F.minutes(5), reason: "Name") { $0.name = "Booster infusion" }
        // then it is a conflict, and both earlier versions are still there
        #expect(throws: ClinicError.conflict("the protocol was changed meanwhile: version 2 is current")) { try history.append(stale) }
        #expect(history.versions.map(\.version) == [1, 2])
        #expect(history.version(1) == v1 && history.current == v2 && history.version(3) == nil)
        #expect(throws: ClinicError.self) { try history.append(InfusionProtocol.standardInduction) }
    }
}
