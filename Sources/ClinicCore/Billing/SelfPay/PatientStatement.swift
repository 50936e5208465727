import Foundation

/// A printable statement of a patient's account for a date range (issue 6): the ledger lines in the range with the
/// running balance, the balance brought forward and carried, and what the payment plans make due now.
public struct PatientStatement: Sendable, Hashable {
    public var patient: PatientSummary
    public var from: CalendarDate
    public var to: CalendarDate
    /// The balance before `from`.
    public var openingBalance: Money
    /// The ledger lines dated in the range, by date, each with the running balance after it.
    public var lines: [LedgerLine]
    /// The balance after the last line of the range.
    public var closingBalance: Money
    /// The balance today, all lines counted.
    public var currentBalance: Money
    /// Instalments of unfinished payment plans due on or before `issuedOn` and not yet paid.
    public var dueInstalments: [InstalmentState]
    /// The amount due now: the plans' instalments due, or with no plan running, what the account owes.
    public var dueNow: Money
    /// The next instalment not yet due, when a plan runs.
    public var nextInstalment: InstalmentState?
    public var letterhead: Letterhead
    public var currency: ClinicCurrency
    public var issuedOn: CalendarDate

    /// Cuts a statement out of the account: the balance brought forward counts every line dated before `from`; the lines
    /// in the range follow, by date, each with the running balance after it.
    public static func make(_ account: PatientAccount, from: CalendarDate, to: CalendarDate, letterhead: Letterhead, issuedOn: CalendarDate) -> PatientStatement {
        let before = account.lines.filter { $0.entry.on < from }
        // A statement reads by date: lines in the range by their date, then as recorded (a line dated before `from` but
        // recorded later still counts before the range).
        let inRange = account.lines.filter { $0.entry.on >= from && $0.entry.on <= to }
            .sorted { ($0.entry.on, $0.entry.at, $0.entry.id.rawValue.uuidString) < ($1.entry.on, $1.entry.at, $1.entry.id.rawValue.uuidString) }
        let opening = before.reduce(Money.zero) { $0 + $1.entry.balanceEffect }
        var running = opening
        let lines = inRange.map { l -> LedgerLine in
            running = running + l.entry.balanceEffect
            var line = l
            line.balanceAfter = running
            return line
        }
        let openPlans = account.plans.filter { !$0.isComplete }
        let due = openPlans.flatMap { p in p.instalments.filter { $0.status != .paid && $0.instalment.dueDate <= issuedOn } }
        let planDue = due.reduce(Money.zero) { $0 + $1.outstanding }
        let next = openPlans.flatMap { p in p.instalments.filter { $0.status != .paid && $0.instalment.dueDate > issuedOn } }
            .min { $0.instalment.dueDate < $1.instalment.dueDate }
        let owed = max(account.balance, .zero)
        return PatientStatement(patient: account.patient, from: from, to: to, openingBalance: opening, lines: lines, closingBalance: running,
                                currentBalance: account.balance, dueInstalments: due, dueNow: openPlans.isEmpty ? owed : min(planDue, owed),
                                nextInstalment: next, letterhead: letterhead, currency: account.settings.currency, issuedOn: issuedOn)
    }
}

extension Clinic {
    /// A patient's statement for a date range (as a read of the account: billing, front desk, admin; audited).
    public func patientStatement(_ patientID: Patient.ID, from: CalendarDate, to: CalendarDate, by actor: Actor) async throws -> PatientStatement {
        let request = AccessRequest(.read, .patientAccount, patient: patientID, id: "statement:\(from)..\(to)")
        try await require(actor, request)
        guard from <= to else { throw ClinicError.invalid("from", "Must not be after the end date") }
        let day = today
        let settings = try await selfPaySettings()
        let found: (PatientAccount, ChargeSettings)? = try await store.read { tx in
            guard let patient = try await tx.patient(patientID) else { return nil }
            return (try await self.loadAccount(patient, settings: settings, today: day, tx),
                    try await tx.get(ChargeSettings.self, from: .clinicSettings, id: "charges") ?? .standard)
        }
        guard let (account, charges) = found else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
        try await recordRead(actor, request, detail: "statement")
        return PatientStatement.make(account, from: from, to: to, letterhead: Letterhead(charges), issuedOn: day)
    }
}
