import Foundation

/// What a patient has been given: the plan that counts, the infusions of its induction series and the boosters after
/// it — the facts follow-up is scheduled and relief is measured against.
public struct TreatmentCourse: Sendable, Hashable {
    /// The plan follow-up runs under: the newest plan that is not a draft.
    public var plan: TreatmentPlan?
    /// Induction infusions given (started), oldest first: the plan's first `plannedInfusions` sessions.
    public var series: [SessionRecord]
    /// Sessions given after the series was complete: maintenance boosters, oldest first.
    public var boosters: [SessionRecord]

    public init(plan: TreatmentPlan?, series: [SessionRecord], boosters: [SessionRecord]) {
        self.plan = plan
        self.series = series
        self.boosters = boosters
    }

    /// Sorts a patient's plans and sessions into a course: only sessions whose infusion started count as given.
    public static func assemble(plans: [TreatmentPlan], sessions: [SessionRecord]) -> TreatmentCourse {
        let plan = plans.filter { $0.status != .draft }.max { $0.createdAt < $1.createdAt }
        guard let plan else { return TreatmentCourse(plan: nil, series: [], boosters: []) }
        let given = sessions.filter { $0.planID == plan.id && $0.session.infusionStartedAt != nil }
            .sorted { $0.session.infusionStartedAt! < $1.session.infusionStartedAt! }
        let size = max(plan.plannedInfusions, 1)
        return TreatmentCourse(plan: plan, series: Array(given.prefix(size)), boosters: Array(given.dropFirst(size)))
    }

    /// Whether every planned infusion of the series has been given.
    public var seriesComplete: Bool {
        guard let plan else { return false }
        return series.count >= max(plan.plannedInfusions, 1)
    }

    /// All infusions given, series and boosters, oldest first.
    public var allGiven: [SessionRecord] { series + boosters }

    /// The infusion number (1-based, across the series and boosters) of a session.
    public func infusionNumber(of id: InfusionSession.ID) -> Int? {
        allGiven.firstIndex { $0.id == id }.map { $0 + 1 }
    }

    /// The schedule's view of the course, in calendar dates of the clinic's time zone.
    public func events(in timeZone: TimeZone) -> CourseEvents {
        CourseEvents(seriesInfusions: series.compactMap { $0.session.infusionStartedAt.map { CalendarDate($0, in: timeZone) } },
                     seriesComplete: seriesComplete,
                     boosters: boosters.compactMap { $0.session.infusionStartedAt.map { CalendarDate($0, in: timeZone) } })
    }

    /// The relief analysis's view of the course.
    public var relief: ReliefCourse {
        ReliefCourse(seriesInfusions: series.compactMap(\.session.infusionStartedAt), seriesComplete: seriesComplete,
                     boosters: boosters.compactMap(\.session.infusionStartedAt))
    }

    /// The next booster by the plan: the interval after the last infusion given (series or booster); nil without boosters planned.
    public func plannedBoosterDate(in timeZone: TimeZone) -> CalendarDate? {
        guard let days = plan?.boosterIntervalDays, days > 0, seriesComplete,
              let last = allGiven.last?.session.infusionStartedAt else { return nil }
        return CalendarDate(last, in: timeZone).adding(days: days)
    }
}
