import Foundation

/// The booking rules: hours, chairs, the patient, nurse cover and series spacing. Pure functions.
public enum SchedulingRules {
    /// Every reason `proposed` cannot be booked against the existing appointments and the nurses' shifts.
    ///
    /// An existing appointment with the proposed one's id is ignored, so a reschedule is checked against
    /// everything else. Cancelled and no-show appointments free their chair. Pass `chairs` to refuse an
    /// unknown or inactive chair as well.
    public static func check(proposed: Appointment, existing: [Appointment], shifts: [StaffShift],
                             hours: ClinicHours, policy: SchedulingPolicy, chairs: [Chair]? = nil) -> [SchedulingConflict] {
        guard proposed.infusionMinutes > 0, proposed.recoveryMinutes >= 0,
              proposed.infusionMinutes + proposed.recoveryMinutes <= 1440 else {
            return [SchedulingConflict(.invalidTimes,
                                       "The infusion must last at least one minute and recovery cannot be negative; together they must fit in a day.")]
        }
        var conflicts: [SchedulingConflict] = []
        let others = existing.filter { $0.id != proposed.id && $0.holdsChair }
        let at = hours.describe(proposed.start)

        if let chairs {
            if let chair = chairs.first(where: { $0.id == proposed.chair }) {
                if !chair.isActive {
                    conflicts.append(.init(.chairUnavailable, "\(chair.name) is out of service."))
                }
            } else {
                conflicts.append(.init(.chairUnavailable, "The chosen chair is not one of the clinic's chairs."))
            }
        }

        conflicts += hoursConflicts(proposed, hours: hours)

        let blocked = proposed.chairBlocked(turnoverMinutes: policy.turnoverMinutes)
        for other in others where other.chair == proposed.chair
            && other.chairBlocked(turnoverMinutes: policy.turnoverMinutes).overlaps(blocked) {
            let name = chairs?.first(where: { $0.id == proposed.chair })?.name ?? "The chair"
            let turnover = policy.turnoverMinutes > 0 ? " plus \(policy.turnoverMinutes) min turnover" : ""
            conflicts.append(.init(.chairTaken(by: other.id),
                                   "\(name) is taken from \(hours.describe(other.start)) to \(ClinicHours.clockText(hours.minuteOfDay(of: other.end)))\(turnover) by another appointment (infusion plus recovery)."))
        }

        for other in others where other.patient == proposed.patient && other.chairTime.overlaps(proposed.chairTime) {
            conflicts.append(.init(.patientDoubleBooked(with: other.id),
                                   "The patient already has an appointment at \(hours.describe(other.start)) that overlaps \(at)."))
        }

        conflicts += nurseConflicts(proposed, others: others, shifts: shifts, hours: hours, policy: policy)
        conflicts += spacingConflicts(proposed, others: others, hours: hours)
        return conflicts
    }

    /// Throws `ClinicError.conflict` with every reason when `check` finds any.
    public static func require(proposed: Appointment, existing: [Appointment], shifts: [StaffShift],
                               hours: ClinicHours, policy: SchedulingPolicy, chairs: [Chair]? = nil) throws {
        if let error = check(proposed: proposed, existing: existing, shifts: shifts, hours: hours,
                             policy: policy, chairs: chairs).asClinicError {
            throw error
        }
    }

    // MARK: Hours

    /// The whole chair time (infusion plus recovery, clinical-reference §10) must lie within one day's hours.
    static func hoursConflicts(_ proposed: Appointment, hours: ClinicHours) -> [SchedulingConflict] {
        let date = hours.date(of: proposed.start)
        guard let open = hours.opening(on: date) else {
            return [.init(.clinicClosed, "The clinic is closed on \(date.weekday.shortName) \(date).")]
        }
        let opens = hours.instant(on: date, minute: open.opens)
        let closes = hours.instant(on: date, minute: open.closes)
        guard proposed.start >= opens, proposed.end <= closes else {
            return [.init(.outsideHours,
                          "Infusion and recovery from \(hours.describe(proposed.start)) to \(ClinicHours.clockText(hours.minuteOfDay(of: proposed.end))) do not fit within opening hours \(ClinicHours.clockText(open.opens))–\(ClinicHours.clockText(open.closes)).")]
        }
        return []
    }

    // MARK: Nurses

    /// Nurses on shift at `moment`: distinct nurses whose half-open shift contains it.
    static func nursesOnShift(at moment: Date, shifts: [(nurse: User.ID, interval: Range<Date>)]) -> Int {
        Set(shifts.filter { $0.interval.contains(moment) }.map(\.nurse)).count
    }

    /// At every moment of the proposed chair time, occupied chairs ≤ ratio × nurses and at least one nurse
    /// (clinical-reference §3 [D]). Counts only change at appointment and shift boundaries, so each is checked.
    static func nurseConflicts(_ proposed: Appointment, others: [Appointment], shifts: [StaffShift],
                               hours: ClinicHours, policy: SchedulingPolicy) -> [SchedulingConflict] {
        let window = proposed.chairTime
        guard !window.isEmpty else { return [] }
        let occupying = others.map(\.chairTime).filter { $0.overlaps(window) }
        let firstDay = hours.date(of: window.lowerBound).adding(days: -1)
        let lastDay = hours.date(of: window.upperBound)
        let cover = shifts.filter { $0.date >= firstDay && $0.date <= lastDay }
            .map { (nurse: $0.nurse, interval: $0.interval(in: hours)) }
            .filter { $0.interval.overlaps(window) }

        var moments: Set<Date> = [window.lowerBound]
        for r in occupying { moments.insert(r.lowerBound); moments.insert(r.upperBound) }
        for s in cover { moments.insert(s.interval.lowerBound); moments.insert(s.interval.upperBound) }

        let ratio = max(1, policy.occupiedChairsPerNurse)
        var noNurse: SchedulingConflict?
        var overRatio: SchedulingConflict?
        for moment in moments.filter({ window.contains($0) }).sorted() {
            let occupied = 1 + occupying.filter { $0.contains(moment) }.count
            let nurses = nursesOnShift(at: moment, shifts: cover)
            if nurses < SchedulingPolicy.minimumNursesPresent {
                if noNurse == nil {
                    noNurse = .init(.noNurseOnShift(at: moment),
                                    "No nurse is on shift at \(hours.describe(moment)) while this patient would be infusing or recovering; a nurse must always be present (clinical-reference §3).")
                }
            } else if occupied > ratio * nurses, overRatio == nil {
                overRatio = .init(.nurseRatioExceeded(at: moment, occupiedChairs: occupied, nursesOnShift: nurses),
                                  "At \(hours.describe(moment)) \(occupied) chairs would be occupied (infusing or recovering) with \(nurses) nurse\(nurses == 1 ? "" : "s") on shift; the clinic allows \(ratio) per nurse (clinical-reference §3, local policy).")
            }
        }
        return [noNurse, overRatio].compactMap { $0 }
    }

    // MARK: Series spacing

    /// Infusion starts of the same series at least the protocol's minimum spacing apart, checked against
    /// the previous and the next appointment of that series (clinical-reference §4).
    static func spacingConflicts(_ proposed: Appointment, others: [Appointment], hours: ClinicHours) -> [SchedulingConflict] {
        guard let series = proposed.series, series.minimumSpacingHours > 0 else { return [] }
        let siblings = others.filter { $0.series?.id == series.id }
        let previous = siblings.filter { $0.start <= proposed.start }.max { $0.start < $1.start }
        let next = siblings.filter { $0.start > proposed.start }.min { $0.start < $1.start }
        let minimum = TimeInterval(series.minimumSpacingHours * 3600)
        return [previous, next].compactMap { other in
            guard let other else { return nil }
            let gap = abs(other.start.timeIntervalSince(proposed.start))
            guard gap < minimum else { return nil }
            let hoursApart = gap / 3600
            return SchedulingConflict(.seriesSpacingTooShort(with: other.id, hoursApart: hoursApart, minimumHours: series.minimumSpacingHours),
                                      "Infusion \(series.index) would start \(hoursText(hoursApart)) h from the series' infusion at \(hours.describe(other.start)); this protocol needs at least \(series.minimumSpacingHours) h between infusion starts (clinical-reference §4).")
        }
    }

    private static func hoursText(_ hours: Double) -> String {
        hours == hours.rounded() ? String(Int(hours)) : String(format: "%.1f", hours)
    }
}
