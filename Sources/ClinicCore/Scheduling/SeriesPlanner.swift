import Foundation

/// One infusion of a proposed series: where and when it fits.
public struct ProposedSlot: Sendable, Hashable, Codable {
    /// 1…count.
    public var index: Int
    public var chair: Chair.ID
    /// Infusion start.
    public var start: Date
    /// Local date of the start.
    public var date: CalendarDate
    /// Local start time, minutes since midnight.
    public var startMinute: Int
    public var infusionMinutes: Int
    public var recoveryMinutes: Int

    /// A slot as chosen on a page or sent to the API.
    public init(index: Int, chair: Chair.ID, start: Date, date: CalendarDate, startMinute: Int, infusionMinutes: Int, recoveryMinutes: Int) {
        self.index = index
        self.chair = chair
        self.start = start
        self.date = date
        self.startMinute = startMinute
        self.infusionMinutes = infusionMinutes
        self.recoveryMinutes = recoveryMinutes
    }

    /// The appointment to book for this slot (the lead re-checks it with `SchedulingRules.check` in the booking transaction).
    public func appointment(id: Appointment.ID, patient: Patient.ID, series: AppointmentSeriesID, count: Int,
                            minimumSpacingHours: Int, at: Date, by: User.ID) -> Appointment {
        .book(id: id, patient: patient, chair: chair, start: start, infusionMinutes: infusionMinutes,
              recoveryMinutes: recoveryMinutes,
              series: SeriesPosition(id: series, index: index, count: count, minimumSpacingHours: minimumSpacingHours),
              at: at, by: by)
    }
}

/// The planner's answer: the slots it placed, and why the rest could not be placed.
///
/// A partial plan is returned rather than thrown, so staff can see what fits and change the inputs
/// (another time of day, more nurses, a later start); `isComplete` says whether every infusion was placed.
public struct SeriesProposal: Sendable, Hashable, Codable {
    /// Placed infusions, in order (indices 1…k).
    public var slots: [ProposedSlot]
    /// The infusions that could not be placed (k+1…count), empty when complete.
    public var unplaced: [Int]
    /// Why the first unplaced infusion found no slot, for staff; nil when complete.
    public var reason: String?

    /// True when every infusion of the series has a slot.
    public var isComplete: Bool { unplaced.isEmpty }
}

/// Proposes the earliest slots for a series of infusions that pass every booking rule.
public enum SeriesPlanner {
    /// Places each infusion in turn at the earliest day that fits, then the start nearest `preferredTimeOfDay`
    /// (minutes since midnight; nil = earliest), then the chair of the previous infusion first.
    /// Each slot passes `SchedulingRules.check` against `existing` plus the slots already proposed
    /// (spacing from the previous one included). Searches `policy.planningHorizonDays` days from `earliestStart`.
    /// Throws `ClinicError.invalid` for out-of-range inputs.
    public static func propose(patient: Patient.ID, count: Int, infusionMinutes: Int, recoveryMinutes: Int,
                               minimumSpacingHours: Int, earliestStart: Date, preferredTimeOfDay: Int?,
                               weekdaysOnly: Bool, existing: [Appointment], chairs: [Chair], shifts: [StaffShift],
                               hours: ClinicHours, policy: SchedulingPolicy) throws -> SeriesProposal {
        var errors = FieldErrors()
        if !(1...60).contains(count) { errors.add("count", "A series holds 1 to 60 infusions.") }
        if infusionMinutes < 1 { errors.add("infusionMinutes", "The infusion must last at least one minute.") }
        if recoveryMinutes < 0 { errors.add("recoveryMinutes", "Recovery cannot be negative.") }
        if infusionMinutes + recoveryMinutes > 1440 { errors.add("infusionMinutes", "Infusion and recovery must fit in a day.") }
        if minimumSpacingHours < 0 { errors.add("minimumSpacingHours", "Spacing cannot be negative.") }
        if let preferred = preferredTimeOfDay, !(0..<1440).contains(preferred) {
            errors.add("preferredTimeOfDay", "The preferred time must be within the day (00:00–23:59).")
        }
        try errors.throwIfAny()
        let policy = try policy.validated()

        // Placeholder ids: only used to check proposed slots against each other.
        let seriesID = AppointmentSeriesID(rawValue: UUID(uuid: (0xDE, 0xE9, 0x5E, 0x41, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0)))
        let active = chairs.filter(\.isActive)
        let lastDay = hours.date(of: earliestStart).adding(days: policy.planningHorizonDays)
        var placed: [Appointment] = []
        var slots: [ProposedSlot] = []

        for index in 1...count {
            var notBefore = earliestStart
            if let previous = placed.last {
                notBefore = max(notBefore, previous.start.addingTimeInterval(TimeInterval(minimumSpacingHours * 3600)))
            }
            let preferredChair = placed.last?.chair ?? active.first?.id
            let chairOrder = active.filter { $0.id == preferredChair } + active.filter { $0.id != preferredChair }
            var found: Appointment?
            var day = hours.date(of: notBefore)
            search: while day <= lastDay {
                defer { day = day.adding(days: 1) }
                guard !(weekdaysOnly && day.weekday.isWeekend), let open = hours.opening(on: day) else { continue }
                for minute in startMinutes(open: open, chairMinutes: infusionMinutes + recoveryMinutes,
                                           slot: policy.slotMinutes, preferred: preferredTimeOfDay) {
                    let start = hours.instant(on: day, minute: minute)
                    guard start >= notBefore else { continue }
                    for chair in chairOrder {
                        let candidate = Appointment(
                            id: Appointment.ID(rawValue: placeholderID(index)), patient: patient, chair: chair.id, start: start,
                            infusionMinutes: infusionMinutes, recoveryMinutes: recoveryMinutes,
                            series: SeriesPosition(id: seriesID, index: index, count: count, minimumSpacingHours: minimumSpacingHours))
                        if SchedulingRules.check(proposed: candidate, existing: existing + placed, shifts: shifts,
                                                 hours: hours, policy: policy, chairs: chairs).isEmpty {
                            found = candidate
                            break search
                        }
                    }
                }
            }
            guard let slot = found else {
                let why = active.isEmpty
                    ? "No active chair is available."
                    : "No chair, nurse cover and opening hours fit infusion \(index) of \(count) between \(hours.describe(notBefore)) and \(lastDay) (\(policy.planningHorizonDays) days searched, local policy)."
                return SeriesProposal(slots: slots, unplaced: Array(index...count), reason: why)
            }
            placed.append(slot)
            slots.append(ProposedSlot(index: index, chair: slot.chair, start: slot.start, date: hours.date(of: slot.start),
                                      startMinute: hours.minuteOfDay(of: slot.start), infusionMinutes: infusionMinutes,
                                      recoveryMinutes: recoveryMinutes))
        }
        return SeriesProposal(slots: slots, unplaced: [], reason: nil)
    }

    /// Start times on the slot grid whose chair time fits the day's hours, nearest the preferred time first.
    static func startMinutes(open: OpeningHours, chairMinutes: Int, slot: Int, preferred: Int?) -> [Int] {
        let first = (open.opens + slot - 1) / slot * slot
        let last = open.closes - chairMinutes
        guard first <= last else { return [] }
        let all = Array(stride(from: first, through: last, by: slot))
        guard let preferred else { return all }
        return all.sorted { (abs($0 - preferred), $0) < (abs($1 - preferred), $1) }
    }

    private static func placeholderID(_ index: Int) -> UUID {
        UUID(uuid: (0xDE, 0xE9, 0x5E, 0x41, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, UInt8(index / 256), UInt8(index % 256)))
    }
}
