import Foundation
import Testing
@testable import ClinicCore

/// Nurse cover: 1 nurse per 4 occupied chairs (infusing or recovering), never 0 present — clinical-reference §3 [D].
@Suite struct SchedulingNurseRatioTests {
    typealias F = SchedulingFixture

    /// `count` appointments at the same time in chairs 1…count.
    static func simultaneous(_ count: Int, _ hhmm: String = "09:00") -> [Appointment] {
        (1...count).map { F.appointment($0, chair: $0, F.monday, hhmm) }
    }

    @Test func oneNurseCoversFourOccupiedChairs() {
        // given: three chairs already occupied, one nurse on shift
        let existing = Self.simultaneous(3)
        // when
        let conflicts = F.check(F.appointment(4, chair: 4, F.monday, "09:00"), existing: existing,
                                shifts: F.shifts(nurses: 1, on: [F.monday]))
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func aFifthChairWithOneNurseIsRefused() {
        // given
        let existing = Self.simultaneous(4)
        // when
        let conflicts = F.check(F.appointment(5, chair: 5, F.monday, "09:00"), existing: existing,
                                shifts: F.shifts(nurses: 1, on: [F.monday]))
        // then
        #expect(conflicts.kinds == ["nurseRatioExceeded"])
        #expect(conflicts[0].kind == .nurseRatioExceeded(at: F.at(F.monday, "09:00"), occupiedChairs: 5, nursesOnShift: 1))
        #expect(conflicts[0].reason.contains("5 chairs would be occupied"))
        #expect(conflicts[0].reason.contains("clinical-reference §3"))
    }

    @Test func aSecondNurseAllowsEightChairsButNotNine() {
        // given
        let shifts = F.shifts(nurses: 2, on: [F.monday])
        // when
        let eighth = F.check(F.appointment(8, chair: 8, F.monday, "09:00"), existing: Self.simultaneous(7), shifts: shifts)
        let ninth = F.check(F.appointment(9, chair: 9, F.monday, "09:00"), existing: Self.simultaneous(8), shifts: shifts)
        // then
        #expect(eighth.isEmpty)
        #expect(ninth.kinds == ["nurseRatioExceeded"])
    }

    @Test func noNurseOnShiftIsRefusedEvenForOneChair() {
        // when
        let conflicts = F.check(F.appointment(1, F.monday, "09:00"), shifts: [])
        // then
        #expect(conflicts.kinds == ["noNurseOnShift"])
        #expect(conflicts[0].kind == .noNurseOnShift(at: F.at(F.monday, "09:00")))
    }

    @Test func aNurseWhoseShiftEndsMidRecoveryLeavesThePatientUncovered() {
        // given: the only nurse leaves at 12:00
        let shifts = [F.shift(1, on: F.monday, from: 8 * 60, to: 12 * 60)]
        // when: infusion 10:30–11:10, recovery until 12:10
        let conflicts = F.check(F.appointment(1, F.monday, "10:30"), shifts: shifts)
        // then
        #expect(conflicts.kinds == ["noNurseOnShift"])
        #expect(conflicts[0].kind == .noNurseOnShift(at: F.at(F.monday, "12:00")))
        // and a patient finishing recovery at 12:00 is covered
        #expect(F.check(F.appointment(1, F.monday, "10:20"), shifts: shifts).isEmpty)
    }

    @Test func theSecondNurseLeavingMidRecoveryBreaksTheRatio() {
        // given: nurse 2 leaves at 10:00 while seven patients recover until 10:40
        let shifts = [F.shift(1, on: F.monday), F.shift(2, on: F.monday, from: 8 * 60, to: 10 * 60)]
        // when
        let conflicts = F.check(F.appointment(8, chair: 8, F.monday, "09:00"), existing: Self.simultaneous(7), shifts: shifts)
        // then
        #expect(conflicts.count == 1)
        #expect(conflicts[0].kind == .nurseRatioExceeded(at: F.at(F.monday, "10:00"), occupiedChairs: 8, nursesOnShift: 1))
    }

    @Test func recoveringPatientsCountAsOccupiedChairs() {
        // given: four patients infusing 08:00–08:40, recovering until 09:40
        let existing = Self.simultaneous(4, "08:00")
        let shifts = F.shifts(nurses: 1, on: [F.monday])
        // when
        let duringRecovery = F.check(F.appointment(5, chair: 5, F.monday, "09:00"), existing: existing, shifts: shifts)
        let afterRecovery = F.check(F.appointment(5, chair: 5, F.monday, "09:40"), existing: existing, shifts: shifts)
        // then
        #expect(duringRecovery.kinds == ["nurseRatioExceeded"])
        #expect(afterRecovery.isEmpty)
    }

    @Test func aChairFreedPartWayThroughStillCountsWhileItOverlaps() {
        // given: three all day-ish, a fourth ends at 09:40; one nurse
        let existing = [F.appointment(1, chair: 1, F.monday, "09:00"), F.appointment(2, chair: 2, F.monday, "09:00"),
                        F.appointment(3, chair: 3, F.monday, "09:00"), F.appointment(4, chair: 4, F.monday, "08:00")]
        // when: a fifth from 09:30 overlaps all four until 09:40
        let conflicts = F.check(F.appointment(5, chair: 5, F.monday, "09:30"), existing: existing,
                                shifts: F.shifts(nurses: 1, on: [F.monday]))
        // then
        #expect(conflicts.first?.kind == .nurseRatioExceeded(at: F.at(F.monday, "09:30"), occupiedChairs: 5, nursesOnShift: 1))
    }

    @Test func theRatioIsAClinicSetting() {
        // given: a stricter local ratio of 3 per nurse
        let policy = SchedulingPolicy(occupiedChairsPerNurse: 3)
        // when
        let conflicts = F.check(F.appointment(4, chair: 4, F.monday, "09:00"), existing: Self.simultaneous(3),
                                shifts: F.shifts(nurses: 1, on: [F.monday]), policy: policy)
        // then
        #expect(conflicts.kinds == ["nurseRatioExceeded"])
    }

    @Test func theSameNurseOnTwoOverlappingShiftsCountsOnce() {
        // given
        let shifts = [F.shift(1, on: F.monday), F.shift(1, on: F.monday, from: 9 * 60, to: 12 * 60)]
        // when
        let conflicts = F.check(F.appointment(5, chair: 5, F.monday, "09:00"), existing: Self.simultaneous(4), shifts: shifts)
        // then
        #expect(conflicts.kinds == ["nurseRatioExceeded"])
    }
}
