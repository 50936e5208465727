import Foundation

/// The clinic's scheduling settings; each one is configurable and says where its default comes from.
public struct SchedulingPolicy: Sendable, Hashable, Codable {
    /// Occupied chairs (infusing or recovering) one nurse may cover; clinical-reference §3 [D]: 1 nurse per 4.
    public var occupiedChairsPerNurse: Int
    /// Recovery minutes booked after an infusion when none is given; local policy (no number in clinical-reference).
    public var defaultRecoveryMinutes: Int
    /// The step of the day board and of proposed start times, in minutes; local policy.
    public var slotMinutes: Int
    /// Minutes a chair stays blocked after recovery for cleaning and turnover; local policy.
    public var turnoverMinutes: Int
    /// How many days ahead the series planner looks before giving up; local policy.
    public var planningHorizonDays: Int

    /// 1 nurse per 4 occupied chairs (clinical-reference §3 [D]).
    public static let referenceOccupiedChairsPerNurse = 4
    /// At least one nurse present whenever a chair is occupied, whatever the ratio (clinical-reference §3 [D]: "never 0 present").
    public static let minimumNursesPresent = 1

    /// The defaults: §3's ratio, and local-policy values for the rest.
    public static let standard = SchedulingPolicy()

    public init(occupiedChairsPerNurse: Int = SchedulingPolicy.referenceOccupiedChairsPerNurse,
                defaultRecoveryMinutes: Int = 60,
                slotMinutes: Int = 15,
                turnoverMinutes: Int = 0,
                planningHorizonDays: Int = 60) {
        self.occupiedChairsPerNurse = occupiedChairsPerNurse
        self.defaultRecoveryMinutes = defaultRecoveryMinutes
        self.slotMinutes = slotMinutes
        self.turnoverMinutes = turnoverMinutes
        self.planningHorizonDays = planningHorizonDays
    }

    /// Checks each setting is in range; throws `ClinicError.invalid` with every bad field.
    public func validated() throws -> SchedulingPolicy {
        var errors = FieldErrors()
        if occupiedChairsPerNurse < 1 {
            errors.add("occupiedChairsPerNurse", "A nurse must be allowed at least one occupied chair.")
        }
        if defaultRecoveryMinutes < 0 || defaultRecoveryMinutes > 1440 {
            errors.add("defaultRecoveryMinutes", "Recovery time must be between 0 and 1440 minutes.")
        }
        if slotMinutes < 5 || slotMinutes > 120 || 1440 % slotMinutes != 0 {
            errors.add("slotMinutes", "The slot must be 5–120 minutes and divide the day evenly (e.g. 10, 15, 30).")
        }
        if turnoverMinutes < 0 || turnoverMinutes > 240 {
            errors.add("turnoverMinutes", "Turnover time must be between 0 and 240 minutes.")
        }
        if planningHorizonDays < 1 || planningHorizonDays > 366 {
            errors.add("planningHorizonDays", "The planning horizon must be between 1 and 366 days.")
        }
        try errors.throwIfAny()
        return self
    }

    /// Each setting with its value and source, for the settings page ("local policy" where no reference applies).
    public var described: [SchedulingSetting] {
        [
            SchedulingSetting(key: "occupiedChairsPerNurse", label: "Occupied chairs (infusing or recovering) per nurse",
                              value: occupiedChairsPerNurse, defaultValue: SchedulingPolicy.standard.occupiedChairsPerNurse,
                              source: .clinicalReference("clinical-reference §3 [D]: 1 nurse per 4 occupied chairs, never 0 present")),
            SchedulingSetting(key: "defaultRecoveryMinutes", label: "Recovery minutes after an infusion",
                              value: defaultRecoveryMinutes, defaultValue: SchedulingPolicy.standard.defaultRecoveryMinutes,
                              source: .localPolicy),
            SchedulingSetting(key: "slotMinutes", label: "Slot length (minutes)",
                              value: slotMinutes, defaultValue: SchedulingPolicy.standard.slotMinutes, source: .localPolicy),
            SchedulingSetting(key: "turnoverMinutes", label: "Chair turnover after recovery (minutes)",
                              value: turnoverMinutes, defaultValue: SchedulingPolicy.standard.turnoverMinutes, source: .localPolicy),
            SchedulingSetting(key: "planningHorizonDays", label: "Days ahead the series planner searches",
                              value: planningHorizonDays, defaultValue: SchedulingPolicy.standard.planningHorizonDays,
                              source: .localPolicy),
        ]
    }
}

/// One scheduling setting as the settings page shows it.
public struct SchedulingSetting: Sendable, Hashable, Codable {
    /// The field name in `SchedulingPolicy`.
    public var key: String
    /// What staff read.
    public var label: String
    /// The value in force.
    public var value: Int
    /// The shipped default.
    public var defaultValue: Int
    /// Where the default comes from.
    public var source: SettingSource
}

/// Where a setting's default comes from.
public enum SettingSource: Sendable, Hashable, Codable {
    /// A clinic-policy default written in clinical-reference.md (the section is named).
    case clinicalReference(String)
    /// The clinic's own choice, with no published number behind it; shown to staff as local policy.
    case localPolicy
}
