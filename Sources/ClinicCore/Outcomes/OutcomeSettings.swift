import Foundation

/// The clinic's follow-up settings: the schedule, the relief and booster rules, link lifetime, crisis resources and
/// on-call routing. Defaults come from clinical-reference §7; the [D] items are local policy and shown as such.
public struct OutcomeSettings: Sendable, Hashable, Codable {
    public var schedule: MeasurementSchedulePolicy
    public var relief: ReliefDefinitions
    public var booster: BoosterPolicy
    /// How long a follow-up link stays usable (local policy).
    public var linkLifetimeHours: Int
    /// Shown at once when PHQ-9 item 9 is answered above 0 away from the clinic (clinical-reference §7: configurable;
    /// US default the 988 Suicide & Crisis Lifeline).
    public var crisisResources: String
    /// The clinician alerted for an urgent task raised away from the clinic.
    public var onCallClinician: User.ID?
    /// Who an unacknowledged urgent task escalates to.
    public var medicalDirector: User.ID?
    /// Minutes before an unacknowledged urgent task escalates (clinical-reference §7 [D]: 15).
    public var escalationMinutes: Int

    /// clinical-reference §7 "PHQ-9 item 9 … US default: the 988 Suicide & Crisis Lifeline".
    public static let usCrisisResources = """
        If you are thinking about harming yourself, or are in crisis, help is available now: call or text 988 \
        (the 988 Suicide & Crisis Lifeline, US, 24 hours a day), or call 911 or go to the nearest emergency department. \
        A clinician from the clinic has been told and will contact you.
        """

    public static let standard = OutcomeSettings(schedule: .standard, relief: .standard, booster: .standard, linkLifetimeHours: 7 * 24,
                                                 crisisResources: usCrisisResources, onCallClinician: nil, medicalDirector: nil,
                                                 escalationMinutes: 15)

    public init(schedule: MeasurementSchedulePolicy, relief: ReliefDefinitions, booster: BoosterPolicy, linkLifetimeHours: Int,
                crisisResources: String, onCallClinician: User.ID?, medicalDirector: User.ID?, escalationMinutes: Int) {
        self.schedule = schedule
        self.relief = relief
        self.booster = booster
        self.linkLifetimeHours = linkLifetimeHours
        self.crisisResources = crisisResources
        self.onCallClinician = onCallClinician
        self.medicalDirector = medicalDirector
        self.escalationMinutes = escalationMinutes
    }
}
