import Foundation
import Tagged

/// A booked chair slot.
public enum AppointmentTag {}
/// A series of infusions booked together (an induction, a CRPS course).
public enum AppointmentSeriesTag {}

/// The id shared by every appointment of one series.
public typealias AppointmentSeriesID = Tagged<AppointmentSeriesTag, UUID>

/// A booked chair slot: the chair is blocked for the infusion plus recovery (clinical-reference §10).
public struct Appointment: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<AppointmentTag, UUID>
    public var id: ID
    public var patient: Patient.ID
    public var chair: Chair.ID
    /// When the infusion starts.
    public var start: Date
    /// Planned infusion length in minutes (clinical-reference §4 gives each protocol's duration).
    public var infusionMinutes: Int
    /// Recovery in the chair after the infusion, in minutes (a clinic setting, local policy).
    public var recoveryMinutes: Int
    public var status: AppointmentStatus
    /// The series this appointment belongs to, if any.
    public var series: SeriesPosition?
    /// Every change since booking, oldest first; a reschedule never loses the earlier time.
    public var history: [AppointmentEvent]

    public init(id: ID, patient: Patient.ID, chair: Chair.ID, start: Date, infusionMinutes: Int, recoveryMinutes: Int,
                status: AppointmentStatus = .booked, series: SeriesPosition? = nil, history: [AppointmentEvent] = []) {
        self.id = id
        self.patient = patient
        self.chair = chair
        self.start = start
        self.infusionMinutes = infusionMinutes
        self.recoveryMinutes = recoveryMinutes
        self.status = status
        self.series = series
        self.history = history
    }

    /// When the infusion is planned to end and recovery to begin.
    public var infusionEnd: Date { start.addingTimeInterval(TimeInterval(infusionMinutes * 60)) }
    /// When recovery ends: the end of chair time (infusion plus recovery, clinical-reference §10).
    public var end: Date { infusionEnd.addingTimeInterval(TimeInterval(recoveryMinutes * 60)) }
    /// Infusion plus recovery, half-open: the patient occupies the chair and needs a nurse throughout.
    public var chairTime: Range<Date> { start ..< max(start, end) }
    /// Chair time plus the policy's turnover: how long no one else may use the chair.
    public func chairBlocked(turnoverMinutes: Int) -> Range<Date> {
        start ..< max(start, end.addingTimeInterval(TimeInterval(max(0, turnoverMinutes) * 60)))
    }
    /// True while the appointment holds its chair (booked or completed); cancelled and no-show free it.
    public var holdsChair: Bool { status == .booked || status == .completed }
}

/// Where an appointment stands.
public enum AppointmentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case booked, cancelled, noShow, completed
}

/// An appointment's place in its series, and the spacing the series' protocol requires.
public struct SeriesPosition: Sendable, Hashable, Codable {
    public var id: AppointmentSeriesID
    /// 1…count.
    public var index: Int
    /// How many infusions the series holds.
    public var count: Int
    /// Least hours between infusion starts of this series, from the protocol (e.g. 48 h standard induction, clinical-reference §4 [D]).
    public var minimumSpacingHours: Int

    public init(id: AppointmentSeriesID, index: Int, count: Int, minimumSpacingHours: Int) {
        self.id = id
        self.index = index
        self.count = count
        self.minimumSpacingHours = minimumSpacingHours
    }
}

/// One change in an appointment's life, with who made it and when.
public struct AppointmentEvent: Sendable, Hashable, Codable {
    public var kind: Kind
    public var at: Date
    public var by: User.ID
    /// Why, as staff wrote it (required for reschedule and cancel).
    public var reason: String?

    public init(kind: Kind, at: Date, by: User.ID, reason: String? = nil) {
        self.kind = kind
        self.at = at
        self.by = by
        self.reason = reason
    }

    /// What happened.
    public enum Kind: Sendable, Hashable, Codable {
        case booked(chair: Chair.ID, start: Date)
        case rescheduled(fromChair: Chair.ID, fromStart: Date, toChair: Chair.ID, toStart: Date)
        case cancelled
        case noShow
        case completed
    }
}
