import Foundation

/// A stretch of time at one constant dose rate, [start, end) (named apart from Sessions' `RateSegment`, which rounds per segment).
public struct RateInterval: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date
    public var rate: DoseRate

    public init(start: Date, end: Date, rate: DoseRate) {
        self.start = start
        self.end = end
        self.rate = rate
    }

    /// The interval's length in whole milliseconds (each instant rounded to the ms first, so lengths add up exactly).
    public var milliseconds: Int64 { DeliveredDose.millisecondInstant(end) - DeliveredDose.millisecondInstant(start) }
}

/// One thing the pump did, as documented at the chair.
public struct PumpEvent: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// The infusion started at this rate.
        case started(DoseRate)
        /// The rate changed (while paused: the rate it resumes at).
        case rateChanged(DoseRate)
        case paused
        /// Resumed at the last rate set.
        case resumed
        case stopped
    }

    /// When it happened.
    public var at: Date
    /// What happened.
    public var kind: Kind

    public init(at: Date, _ kind: Kind) {
        self.at = at
        self.kind = kind
    }
}

/// Delivered dose = ∫ rate dt (clinical-reference §4), exact: Σ rate (µg/h) × time (ms) over all intervals, divided
/// once by 3 600 000 ms/h and rounded half up to the µg. Rounding once (not per interval) makes the total of a
/// history independent of how its intervals are split.
public enum DeliveredDose {
    /// The drug given over `intervals`, which must not overlap, end before they start or have a negative rate
    /// (`ClinicError.invalid` naming `intervals[i].end` / `.rate` / `.start`).
    public static func total(of intervals: [RateInterval]) throws -> DrugAmount {
        var errors = FieldErrors()
        let ordered = intervals.enumerated().sorted { $0.element.start < $1.element.start }
        var previousEnd: (index: Int, ms: Int64)?
        for (index, interval) in ordered {
            if interval.milliseconds < 0 { errors.add("intervals[\(index)].end", "the interval ends before it starts") }
            if interval.rate.microgramsPerHour < 0 { errors.add("intervals[\(index)].rate", "a rate cannot be negative") }
            if let previousEnd, millisecondInstant(interval.start) < previousEnd.ms {
                errors.add("intervals[\(index)].start", "the interval overlaps interval \(previousEnd.index)")
            }
            let end = millisecondInstant(interval.end)
            if previousEnd == nil || end > previousEnd!.ms { previousEnd = (index, end) }
        }
        try errors.throwIfAny()
        let microgramMillisecondsPerHour = intervals.reduce(Int128(0)) {
            $0 + Int128($1.rate.microgramsPerHour) * Int128(max($1.milliseconds, 0))
        }
        return DrugAmount(micrograms: DoseRounding.halfUp(microgramMillisecondsPerHour, 3_600_000))
    }

    /// The drug given over a documented event list: started, rate changes, pauses, resumes, stopped.
    /// An infusion still running is counted up to `until` (e.g. now). Throws `ClinicError.invalid` naming
    /// `events[i]` for an out-of-order time or an event that cannot follow the one before.
    public static func total(of events: [PumpEvent], until: Date? = nil) throws -> DrugAmount {
        try total(of: intervals(from: events, until: until))
    }

    /// The constant-rate intervals an event list describes (pauses leave gaps).
    public static func intervals(from events: [PumpEvent], until: Date? = nil) throws -> [RateInterval] {
        var state = PumpState.notStarted
        var intervals: [RateInterval] = []
        var errors = FieldErrors()
        var previous: Date?
        for (index, event) in events.enumerated() {
            let field = "events[\(index)]"
            if let previous, event.at < previous {
                errors.add("\(field).at", "the event is earlier than the one before it")
                continue
            }
            previous = event.at
            switch (state, event.kind) {
            case (.notStarted, .started(let rate)):
                state = .running(rate, since: event.at)
            case (.running(let rate, let since), .rateChanged(let new)):
                intervals.append(RateInterval(start: since, end: event.at, rate: rate))
                state = .running(new, since: event.at)
            case (.running(let rate, let since), .paused):
                intervals.append(RateInterval(start: since, end: event.at, rate: rate))
                state = .paused(rate)
            case (.running(let rate, let since), .stopped):
                intervals.append(RateInterval(start: since, end: event.at, rate: rate))
                state = .stopped
            case (.paused, .rateChanged(let new)):
                state = .paused(new)
            case (.paused(let rate), .resumed):
                state = .running(rate, since: event.at)
            case (.paused, .stopped):
                state = .stopped
            default:
                errors.add(field, "\(event.kind.name) cannot follow \(state.name)")
            }
        }
        if case .running(let rate, let since) = state {
            if let until {
                if until < since { errors.add("until", "the time counted to is before the infusion's last change") }
                else { intervals.append(RateInterval(start: since, end: until, rate: rate)) }
            } else {
                errors.add("until", "the infusion is still running: say up to when to count it")
            }
        }
        try errors.throwIfAny()
        return intervals
    }

    /// An instant in whole milliseconds since the reference date, rounded half away from zero.
    static func millisecondInstant(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSinceReferenceDate * 1000).rounded())
    }
}

/// Where an event list has got to, while it is read.
private enum PumpState {
    case notStarted, running(DoseRate, since: Date), paused(DoseRate), stopped

    var name: String {
        switch self {
        case .notStarted: "no start"
        case .running: "a running infusion"
        case .paused: "a pause"
        case .stopped: "a stop"
        }
    }
}

extension PumpEvent.Kind {
    var name: String {
        switch self {
        case .started: "a start"
        case .rateChanged: "a rate change"
        case .paused: "a pause"
        case .resumed: "a resume"
        case .stopped: "a stop"
        }
    }
}
