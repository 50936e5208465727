import Foundation

/// The clinic's schedule of outcome measurements; each setting is configurable and says where its default comes from.
public struct MeasurementSchedulePolicy: Sendable, Hashable, Codable {
    /// Follow-up days after the last infusion of the series and after each booster; local policy, default 1, 7, 14, 30, 60, 90
    /// (clinical-reference §7 asks pain at days 1 and 7; the later days are the clinic's).
    public var followUpDays: [Int]
    /// Least days between two PHQ-9 (or two GAD-7) measurements: their recall period is 2 weeks, so no more often than every 14 days (clinical-reference §7); may be lengthened, never shortened.
    public var moodMinimumIntervalDays: Int
    /// Instruments each follow-up asks besides the mood instruments; local policy, default pain NRS, sleep, PGIC.
    public var followUpInstruments: [Instrument]
    /// Days of grace before a due measurement shows as overdue; local policy, default 3.
    public var overdueAfterDays: Int
    /// Instruments asked at baseline besides the mood instruments; local policy, default pain NRS and sleep.
    public var baselineInstruments: [Instrument]
    /// Instruments asked before and after each infusion; pain NRS by default (clinical-reference §7: pain before and after each infusion).
    public var infusionInstruments: [Instrument]
    /// Instruments given at baseline and then at most every `moodMinimumIntervalDays` (clinical-reference §7: PHQ-9 and GAD-7).
    public var moodInstruments: [Instrument]

    /// PHQ-9 and GAD-7 ask about the last 2 weeks, so they are given no more often than every 14 days (clinical-reference §7).
    public static let referenceMoodMinimumIntervalDays = 14

    /// The defaults described on each setting.
    public static let standard = MeasurementSchedulePolicy()

    public init(followUpDays: [Int] = [1, 7, 14, 30, 60, 90],
                moodMinimumIntervalDays: Int = MeasurementSchedulePolicy.referenceMoodMinimumIntervalDays,
                followUpInstruments: [Instrument] = [.painNRS, .sleep, .pgic],
                overdueAfterDays: Int = 3,
                baselineInstruments: [Instrument] = [.painNRS, .sleep],
                infusionInstruments: [Instrument] = [.painNRS],
                moodInstruments: [Instrument] = [.phq9, .gad7]) {
        self.followUpDays = followUpDays
        self.moodMinimumIntervalDays = moodMinimumIntervalDays
        self.followUpInstruments = followUpInstruments
        self.overdueAfterDays = overdueAfterDays
        self.baselineInstruments = baselineInstruments
        self.infusionInstruments = infusionInstruments
        self.moodInstruments = moodInstruments
    }

    /// Reads stored settings; a setting missing from older stored JSON takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = MeasurementSchedulePolicy.standard
        self.init(
            followUpDays: try c.decodeIfPresent([Int].self, forKey: .followUpDays) ?? d.followUpDays,
            moodMinimumIntervalDays: try c.decodeIfPresent(Int.self, forKey: .moodMinimumIntervalDays) ?? d.moodMinimumIntervalDays,
            followUpInstruments: try c.decodeIfPresent([Instrument].self, forKey: .followUpInstruments) ?? d.followUpInstruments,
            overdueAfterDays: try c.decodeIfPresent(Int.self, forKey: .overdueAfterDays) ?? d.overdueAfterDays,
            baselineInstruments: try c.decodeIfPresent([Instrument].self, forKey: .baselineInstruments) ?? d.baselineInstruments,
            infusionInstruments: try c.decodeIfPresent([Instrument].self, forKey: .infusionInstruments) ?? d.infusionInstruments,
            moodInstruments: try c.decodeIfPresent([Instrument].self, forKey: .moodInstruments) ?? d.moodInstruments)
    }

    /// Checks each setting is usable; throws `ClinicError.invalid` with every bad field.
    public func validated() throws -> MeasurementSchedulePolicy {
        var errors = FieldErrors()
        if followUpDays.contains(where: { $0 < 1 || $0 > 3660 }) {
            errors.add("followUpDays", "Each follow-up day must be between 1 and 3660 days after the series or booster.")
        }
        if Set(followUpDays).count != followUpDays.count {
            errors.add("followUpDays", "A follow-up day is listed twice.")
        }
        if moodMinimumIntervalDays < Self.referenceMoodMinimumIntervalDays || moodMinimumIntervalDays > 366 {
            errors.add("moodMinimumIntervalDays",
                       "PHQ-9 and GAD-7 ask about the last 2 weeks: the interval must be between \(Self.referenceMoodMinimumIntervalDays) and 366 days.")
        }
        if overdueAfterDays < 0 || overdueAfterDays > 90 {
            errors.add("overdueAfterDays", "The grace period must be between 0 and 90 days.")
        }
        for (field, list) in [("followUpInstruments", followUpInstruments), ("baselineInstruments", baselineInstruments),
                              ("infusionInstruments", infusionInstruments), ("moodInstruments", moodInstruments)]
        where Set(list).count != list.count {
            errors.add(field, "An instrument is listed twice.")
        }
        if baselineInstruments.isEmpty && moodInstruments.isEmpty {
            errors.add("baselineInstruments", "Baseline must ask at least one instrument.")
        }
        try errors.throwIfAny()
        return self
    }
}

/// What the schedule is computed from: the infusions given so far.
public struct CourseEvents: Sendable, Hashable, Codable {
    /// Dates of infusions given in the induction series, in order.
    public var seriesInfusions: [CalendarDate]
    /// True once the last planned infusion of the series is given.
    public var seriesComplete: Bool
    /// Dates of boosters given.
    public var boosters: [CalendarDate]

    public init(seriesInfusions: [CalendarDate] = [], seriesComplete: Bool = false, boosters: [CalendarDate] = []) {
        self.seriesInfusions = seriesInfusions
        self.seriesComplete = seriesComplete
        self.boosters = boosters
    }
}

/// One instrument already filled at a timepoint.
public struct CompletedMeasurement: Sendable, Hashable, Codable {
    /// The timepoint the form was filled for.
    public var timepoint: Timepoint
    /// The instrument filled.
    public var instrument: Instrument
    /// The date the patient filled it.
    public var date: CalendarDate

    public init(timepoint: Timepoint, instrument: Instrument, date: CalendarDate) {
        self.timepoint = timepoint
        self.instrument = instrument
        self.date = date
    }
}

/// A measurement still owed: the instruments left to fill at a timepoint, and when.
public struct DueMeasurement: Sendable, Hashable {
    /// The timepoint owed.
    public var timepoint: Timepoint
    /// The instruments still owed at this timepoint, in form order.
    public var instruments: [Instrument]
    /// The day it is due: the infusion day, the follow-up day, or for baseline the first infusion (today before any).
    public var dueOn: CalendarDate
    /// The first day it shows as overdue: `dueOn` plus the policy's grace days.
    public var overdueFrom: CalendarDate
    /// Upcoming, due or overdue on the day asked about.
    public var status: Status

    /// Where a measurement stands on a given day.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Before its due date.
        case upcoming
        /// From its due date until the grace period ends.
        case due
        /// From `overdueFrom` on.
        case overdue
    }

    public init(timepoint: Timepoint, instruments: [Instrument], dueOn: CalendarDate, overdueFrom: CalendarDate, status: Status) {
        self.timepoint = timepoint
        self.instruments = instruments
        self.dueOn = dueOn
        self.overdueFrom = overdueFrom
        self.status = status
    }
}
