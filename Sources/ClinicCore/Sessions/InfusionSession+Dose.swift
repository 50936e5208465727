import Foundation

/// One entry of the rate history: what the clinician did to the infusion, when and who.
public struct RateEvent: Sendable, Hashable, Codable {
    /// What happened to the rate.
    public enum Kind: Sendable, Hashable, Codable {
        /// The infusion started at this rate.
        case started(DoseRate)
        /// The rate was changed, with the reason and the second clinician who confirmed it, if one did (the limit check is the caller's).
        case rateChanged(to: DoseRate, reason: String, confirmedBy: User.ID?)
        /// The infusion was paused.
        case paused(reason: String)
        /// The infusion was resumed at the current rate.
        case resumed
        /// The infusion was stopped before completion (an early stop or a transfer), with the reason.
        case stopped(reason: String)
        /// The infusion ran to its end.
        case completed
    }

    /// What happened.
    public var kind: Kind
    /// When it happened.
    public var at: Date
    /// Who did it.
    public var by: User.ID

    /// Creates a rate event.
    public init(_ kind: Kind, at: Date, by: User.ID) {
        self.kind = kind
        self.at = at
        self.by = by
    }
}

/// A stretch of time during which the pump ran at one rate: [start, end).
public struct RateSegment: Sendable, Hashable, Codable {
    /// When the pump started running at this rate.
    public var start: Date
    /// When it stopped, paused, changed rate, or the `until` cut-off.
    public var end: Date
    /// The documented rate.
    public var rate: DoseRate

    /// Creates a segment.
    public init(start: Date, end: Date, rate: DoseRate) {
        self.start = start
        self.end = end
        self.rate = rate
    }

    /// The segment's length in whole milliseconds (instants rounded to the millisecond).
    public var milliseconds: Int64 { Self.milliseconds(from: start, to: end) }

    /// The drug delivered over the segment: µg/h × ms / 3,600,000 in exact Int64 arithmetic, rounded half up once per segment.
    public var delivered: DrugAmount {
        let product = rate.microgramsPerHour.multipliedFullWidth(by: milliseconds)
        let (quotient, remainder) = Int64(3_600_000).dividingFullWidth(product)
        // Round half up (amounts here are never negative): add one when the remainder is at least half the divisor.
        return DrugAmount(micrograms: quotient + (remainder * 2 >= 3_600_000 ? 1 : 0))
    }

    static func milliseconds(from start: Date, to end: Date) -> Int64 {
        Int64((end.timeIntervalSince1970 * 1000).rounded()) - Int64((start.timeIntervalSince1970 * 1000).rounded())
    }
}

extension InfusionSession {
    /// When the infusion started, if it has.
    public var infusionStartedAt: Date? {
        rateHistory.first { if case .started = $0.kind { true } else { false } }?.at
    }

    /// When the infusion ended (completed, stopped early or stopped by a transfer), if it has.
    public var infusionEndedAt: Date? {
        rateHistory.last { switch $0.kind { case .stopped, .completed: true; default: false } }?.at
    }

    /// The rate the pump is set to now (also while paused), if the infusion has started.
    public var currentRate: DoseRate? {
        var rate: DoseRate?
        for event in rateHistory {
            switch event.kind {
            case .started(let r), .rateChanged(let r, _, _): rate = r
            default: break
            }
        }
        return rate
    }

    /// The stretches during which the pump ran, up to `until` (the last open stretch is cut there); pauses are gaps.
    /// Deviations are not included: they are documented and flagged for review, not integrated.
    public func rateSegments(until: Date) -> [RateSegment] {
        var segments: [RateSegment] = []
        var rate: DoseRate?
        var runningSince: Date?
        func close(at end: Date) {
            if let start = runningSince, let rate {
                let clippedEnd = min(end, until)
                if clippedEnd > start { segments.append(RateSegment(start: start, end: clippedEnd, rate: rate)) }
            }
            runningSince = nil
        }
        for event in rateHistory where event.at <= until {
            switch event.kind {
            case .started(let r):
                rate = r
                runningSince = event.at
            case .rateChanged(let r, _, _):
                if runningSince != nil {
                    close(at: event.at)
                    runningSince = event.at
                }
                rate = r
            case .paused, .stopped, .completed:
                close(at: event.at)
            case .resumed:
                runningSince = event.at
            }
        }
        close(at: until)
        return segments
    }

    /// The drug delivered up to `until` at the documented rates: the sum over segments, each rounded half up to the µg.
    public func deliveredDose(until: Date) -> DrugAmount {
        // One exact sum over the whole history, rounded once (DeliveredDose), so splitting a segment never changes it.
        let segments = rateSegments(until: until)
        let intervals = segments.map { RateInterval(start: $0.start, end: $0.end, rate: $0.rate) }
        return (try? DeliveredDose.total(of: intervals)) ?? segments.reduce(.zero) { $0 + $1.delivered }
    }

    /// How long the pump ran up to `until` (pauses excluded).
    public func elapsedInfusionTime(until: Date) -> TimeInterval {
        rateSegments(until: until).reduce(0) { $0 + $1.end.timeIntervalSince($1.start) }
    }
}
