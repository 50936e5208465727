import Foundation
import Tagged

public enum PaymentPlanTag {}
extension PaymentPlan { public typealias ID = Tagged<PaymentPlanTag, UUID> }

/// How often instalments fall due.
public enum PlanFrequency: String, Sendable, Hashable, Codable, CaseIterable {
    case weekly, everyTwoWeeks, monthly

    public var title: String {
        switch self {
        case .weekly: "weekly"
        case .everyTwoWeeks: "every 2 weeks"
        case .monthly: "monthly"
        }
    }

    /// The due date of the instalment `k` periods after `first`. Monthly dates keep the first date's day of the month,
    /// or the month's last day when it has fewer days (Jan 31 → Feb 28 → Mar 31).
    public func dueDate(first: CalendarDate, after k: Int) -> CalendarDate {
        switch self {
        case .weekly: return first.adding(days: 7 * k)
        case .everyTwoWeeks: return first.adding(days: 14 * k)
        case .monthly:
            let months = first.year * 12 + (first.month - 1) + k
            let year = months / 12, month = months % 12 + 1
            return CalendarDate(year: year, month: month, day: min(first.day, CalendarDate.daysIn(month: month, year: year)))!
        }
    }
}

/// One amount of a plan falling due on a day. Number 0 is the down payment.
public struct Instalment: Sendable, Hashable, Codable {
    public var number: Int
    public var dueDate: CalendarDate
    public var amount: Money

    public init(number: Int, dueDate: CalendarDate, amount: Money) {
        self.number = number
        self.dueDate = dueDate
        self.amount = amount
    }

    public var isDownPayment: Bool { number == 0 }
}

/// A payment plan: a covered amount (an estimate's total or an account balance) split into an optional down payment
/// and N instalments whose amounts always add up to the covered amount to the cent (issue 6).
public struct PaymentPlan: Sendable, Hashable, Codable, Identifiable {
    /// What the plan covers.
    public enum Basis: String, Sendable, Hashable, Codable {
        case estimate, balance
    }

    /// A staff change of the covered amount, the remaining schedule made again.
    public struct Regeneration: Sendable, Hashable, Codable {
        public var at: Date
        public var by: User.ID
        public var previousCovered: Money
        public var newCovered: Money
        /// What had been paid toward the plan then (kept in the schedule).
        public var paidThen: Money
        public var reason: String
    }

    public let id: ID
    public var patientID: Patient.ID
    public var basis: Basis
    public var estimateID: GoodFaithEstimate.ID?
    public var coveredAmount: Money
    public var downPayment: Money
    public var frequency: PlanFrequency
    public var schedule: [Instalment]
    public var createdOn: CalendarDate
    public var createdAt: Date
    public var createdBy: User.ID
    public var regenerations: [Regeneration]

    public init(id: ID, patientID: Patient.ID, basis: Basis, estimateID: GoodFaithEstimate.ID?, coveredAmount: Money, downPayment: Money,
                frequency: PlanFrequency, schedule: [Instalment], createdOn: CalendarDate, createdAt: Date, createdBy: User.ID, regenerations: [Regeneration] = []) {
        self.id = id
        self.patientID = patientID
        self.basis = basis
        self.estimateID = estimateID
        self.coveredAmount = coveredAmount
        self.downPayment = downPayment
        self.frequency = frequency
        self.schedule = schedule
        self.createdOn = createdOn
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.regenerations = regenerations
    }

    /// Instalments after the down payment.
    public var instalmentCount: Int { schedule.filter { !$0.isDownPayment }.count }

    // MARK: - Splitting

    /// `amount` in `n` parts that add up to it exactly: each part is the amount divided by n rounded down, and the
    /// remainder cents go one each to the earliest parts (so parts differ by at most a cent and earlier ones never less).
    public static func split(_ amount: Money, into n: Int) -> [Money] {
        precondition(n > 0 && amount.cents >= 0)
        let base = amount.cents / Int64(n), rest = Int(amount.cents % Int64(n))
        return (0..<n).map { Money(cents: base + ($0 < rest ? 1 : 0)) }
    }

    /// The schedule of a new plan: the down payment due on `start` (when there is one), then `count` instalments from
    /// `firstDue` at the frequency; the amounts add up to `covered` to the cent.
    public static func schedule(covered: Money, downPayment: Money, count: Int, frequency: PlanFrequency, start: CalendarDate,
                                firstDue: CalendarDate) -> [Instalment] {
        let parts = split(covered - downPayment, into: count)
        let down = downPayment.isZero ? [] : [Instalment(number: 0, dueDate: start, amount: downPayment)]
        return down + parts.enumerated().map { Instalment(number: $0.offset + 1, dueDate: frequency.dueDate(first: firstDue, after: $0.offset), amount: $0.element) }
    }

    /// Checks a new plan's terms; every bad field named.
    public static func validatedTerms(covered: Money, downPayment: String, instalments: String, frequency: String, firstDueDate: String,
                                      today: CalendarDate) throws -> (down: Money, count: Int, frequency: PlanFrequency, firstDue: CalendarDate) {
        var errors = FieldErrors()
        if covered.cents <= 0 { errors.add("coveredAmount", "There is nothing to cover: the amount must be more than zero") }
        let down = downPayment.trimmingCharacters(in: .whitespaces).isEmpty ? Money.zero : Money.parse(downPayment)
        if down == nil { errors.add("downPayment", "Give an amount such as 250 or 250.00 (blank: no down payment)") }
        else if down! >= covered, covered.cents > 0 { errors.add("downPayment", "Must be less than the amount covered (\(covered.groupedText))") }
        let count = Int(instalments.trimmingCharacters(in: .whitespaces))
        if count == nil || !(1...60).contains(count!) { errors.add("instalments", "Give the number of instalments, 1 to 60") }
        else if let down, down < covered, (covered - down).cents < Int64(count!) { errors.add("instalments", "Too many instalments for the amount (each must be at least a cent)") }
        let f = PlanFrequency(rawValue: frequency)
        if f == nil { errors.add("frequency", "Choose weekly, every 2 weeks or monthly") }
        let first = CalendarDate(firstDueDate.trimmingCharacters(in: .whitespaces))
        if first == nil { errors.add("firstDueDate", "Give the first instalment's due date as YYYY-MM-DD") }
        else if first! < today { errors.add("firstDueDate", "Cannot be in the past") }
        else if first!.daysSinceEpoch - today.daysSinceEpoch > 366 { errors.add("firstDueDate", "Must be within a year") }
        try errors.throwIfAny()
        return (down!, count!, f!, first!)
    }

    // MARK: - Applying payments

    /// Each instalment with what has been applied to it: the net paid toward the plan goes to the oldest amounts due
    /// first (issue 6), so an early or extra payment pays the next instalments in date order and a missed one stays
    /// due — overdue once its date has passed.
    public func states(paid: Money, today: CalendarDate) -> [InstalmentState] {
        var left = max(paid, .zero)
        return schedule.sorted { ($0.dueDate, $0.number) < ($1.dueDate, $1.number) }.map { i in
            let applied = min(left, i.amount)
            left -= applied
            let status: InstalmentState.Status = applied == i.amount ? .paid
                : i.dueDate < today ? .overdue
                : applied.isZero ? .due : .partlyPaid
            return InstalmentState(instalment: i, applied: applied, status: status)
        }
    }

    // MARK: - Regenerating

    /// Makes the remaining schedule again for a new covered amount, keeping what was paid: instalments paid in full stay
    /// as they were, a partly paid one keeps its paid part, and the rest (`newCovered` − paid) is split over `count`
    /// instalments (default: as many as were unpaid, at least one), on the unpaid instalments' dates when their number
    /// is unchanged, else from `firstDue` (default: the first unpaid date) at the plan's frequency. Past-due dates stay
    /// past due: a missed instalment is still owed.
    public mutating func regenerate(newCovered: Money, paid: Money, count: Int?, firstDue: CalendarDate?, today: CalendarDate, at: Date,
                                    by: User.ID, reason: String) throws {
        let paidNet = max(paid, .zero)
        if newCovered < paidNet { throw ClinicError.invalid("coveredAmount", "Cannot be less than what has been paid toward the plan (\(paidNet.groupedText)): refund the difference instead") }
        if newCovered.cents <= 0 { throw ClinicError.invalid("coveredAmount", "Must be more than zero") }
        if let count, !(1...60).contains(count) { throw ClinicError.invalid("instalments", "Give the number of instalments, 1 to 60") }
        if let firstDue, firstDue < today { throw ClinicError.invalid("firstDueDate", "Cannot be in the past") }
        let states = self.states(paid: paidNet, today: today)
        var kept: [Instalment] = []
        var unpaidDates: [CalendarDate] = []
        for s in states {
            if s.applied == s.instalment.amount { kept.append(s.instalment) }
            else {
                if !s.applied.isZero { kept.append(Instalment(number: s.instalment.number, dueDate: s.instalment.dueDate, amount: s.applied)) }
                unpaidDates.append(s.instalment.dueDate)
            }
        }
        // Paid beyond the old schedule: the extra stays on the last kept amount, so the kept part equals what was paid.
        let keptTotal = kept.reduce(Money.zero) { $0 + $1.amount }
        if paidNet > keptTotal, !kept.isEmpty { kept[kept.count - 1].amount += paidNet - keptTotal }
        let rest = newCovered - paidNet
        var fresh: [Instalment] = []
        if rest.cents > 0 {
            let n = count ?? max(1, unpaidDates.count)
            if rest.cents < Int64(n) { throw ClinicError.invalid("instalments", "Too many instalments for the amount (each must be at least a cent)") }
            let dates: [CalendarDate]
            if firstDue == nil, n == unpaidDates.count {
                dates = unpaidDates
            } else {
                let start = firstDue ?? unpaidDates.first ?? frequency.dueDate(first: max(kept.last?.dueDate ?? today, today), after: 1)
                dates = (0..<n).map { frequency.dueDate(first: start, after: $0) }
            }
            fresh = zip(Self.split(rest, into: n), dates).map { Instalment(number: 1, dueDate: $0.1, amount: $0.0) }
        }
        let down = kept.filter(\.isDownPayment)
        // By date; on the same date what was kept (paid) comes before what is new.
        let others = (kept.filter { !$0.isDownPayment }.map { ($0, 0) } + fresh.map { ($0, 1) }).enumerated()
            .sorted { ($0.element.0.dueDate, $0.element.1, $0.offset) < ($1.element.0.dueDate, $1.element.1, $1.offset) }.map(\.element.0)
        regenerations.append(Regeneration(at: at, by: by, previousCovered: coveredAmount, newCovered: newCovered, paidThen: paidNet, reason: reason))
        coveredAmount = newCovered
        schedule = down + others.enumerated().map { Instalment(number: $0.offset + 1, dueDate: $0.element.dueDate, amount: $0.element.amount) }
    }
}

/// An instalment with what has been applied to it.
public struct InstalmentState: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case paid, partlyPaid, due, overdue

        public var title: String {
            switch self {
            case .paid: "paid"
            case .partlyPaid: "partly paid"
            case .due: "due"
            case .overdue: "overdue"
            }
        }
    }
    public var instalment: Instalment
    public var applied: Money
    public var status: Status

    public var outstanding: Money { instalment.amount - applied }
}

/// A plan against the account: what was paid toward it, what is left and overdue, and whether the ledger has moved
/// away from it (charges other than estimated, a refund, a write-off) so that staff should regenerate the schedule.
public struct PaymentPlanPosition: Sendable, Hashable {
    public var plan: PaymentPlan
    public var instalments: [InstalmentState]
    /// Payments toward the plan less refunds of them.
    public var paid: Money
    public var remaining: Money
    public var overdue: Money
    public var nextDue: InstalmentState?
    /// What the plan should cover by the ledger now: paid toward it + what the account still owes, counting an estimate's
    /// charges not posted yet.
    public var suggestedCovered: Money
    /// `suggestedCovered` − the covered amount: zero while the ledger agrees with the plan.
    public var difference: Money
    public var isComplete: Bool { remaining.cents <= 0 }

    public init(plan: PaymentPlan, entries: [LedgerEntry], estimate: GoodFaithEstimate?, today: CalendarDate) {
        self.plan = plan
        let mine = entries.filter { $0.planID == plan.id }
        paid = mine.reduce(Money.zero) { $0 + ($1.kind == .payment ? $1.amount : $1.kind == .refund ? -$1.amount : .zero) }
        instalments = plan.states(paid: paid, today: today)
        remaining = max(plan.coveredAmount - paid, .zero)
        overdue = instalments.filter { $0.status == .overdue }.reduce(Money.zero) { $0 + $1.outstanding }
        nextDue = instalments.first { $0.status != .paid }
        let balance = Ledger.balance(entries)
        var pending = Money.zero
        if plan.basis == .estimate, let estimate {
            let charged = entries.filter { $0.kind == .charge && $0.at >= plan.createdAt }.reduce(Money.zero) { $0 + $1.amount }
            pending = max(estimate.total - charged, .zero)
        }
        suggestedCovered = max(paid, .zero) + max(balance + pending, .zero)
        difference = suggestedCovered - plan.coveredAmount
    }
}
