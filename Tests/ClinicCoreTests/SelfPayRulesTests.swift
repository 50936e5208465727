import Foundation
import Testing
@testable import ClinicCore

enum SelfPayFixture {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let clerk = User.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000E1")!)
    static let patient = Patient.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000C1")!)
    static let protocolID = InfusionProtocol.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000F1")!)
    static let today = CalendarDate("2027-01-15")!

    static let list = PriceList(version: 3, items: [
        PriceItem(id: PriceItem.infusionID(protocolID), kind: .infusion, protocolID: protocolID, name: "Standard induction infusion", code: "96365",
                  unitPrice: Money(cents: 45_000)),
        PriceItem(id: "addon:consult", kind: .addOn, name: "Initial consultation", code: "99204", unitPrice: Money(cents: 25_000)),
        PriceItem(id: "addon:old", kind: .addOn, name: "Retired item", unitPrice: Money(cents: 100), active: false),
    ])

    static func plan(covered: Int64, down: Int64 = 0, count: Int, frequency: PlanFrequency = .monthly, firstDue: CalendarDate = CalendarDate("2027-02-01")!) -> PaymentPlan {
        PaymentPlan(id: .init(UUID(uuidString: "00000000-0000-0000-0000-0000000000A9")!), patientID: patient, basis: .balance, estimateID: nil,
                    coveredAmount: Money(cents: covered), downPayment: Money(cents: down), frequency: frequency,
                    schedule: PaymentPlan.schedule(covered: Money(cents: covered), downPayment: Money(cents: down), count: count, frequency: frequency,
                                                   start: today, firstDue: firstDue),
                    createdOn: today, createdAt: t0, createdBy: clerk)
    }

    static func entry(_ kind: LedgerEntry.Kind, _ cents: Int64, n: Int, plan: PaymentPlan.ID? = nil) -> LedgerEntry {
        LedgerEntry(id: .init(UUID(uuidString: String(format: "00000000-0000-0000-0001-%012d", n))!), patientID: patient, kind: kind,
                    amount: Money(cents: cents), on: today, at: t0.addingTimeInterval(Double(n)), by: clerk, description: kind.title, planID: plan)
    }
}

@Suite("Money: exact cents")
struct MoneyTests {
    @Test("typed amounts are read exactly, never through floating point", arguments: [
        ("1234", 123_400), ("1,234.5", 123_450), ("$1234.56", 123_456), ("0.07", 7), ("  19.99 ", 1_999),
    ] as [(String, Int64)])
    func parses(_ text: String, _ cents: Int64) {
        #expect(Money.parse(text) == Money(cents: cents))
    }

    @Test("anything else is refused", arguments: ["", "-5", "1.234", "12a", ".", "1.", "abc", "1e3"])
    func refuses(_ text: String) {
        #expect(Money.parse(text) == nil)
    }

    @Test func formatsInTheClinicCurrency() {
        #expect(Money(cents: 123_456_789).formatted(.usd) == "$1,234,567.89")
        #expect(Money(cents: -2_005).formatted(.usd) == "-$20.05")
        #expect(Money(cents: 100).formatted(ClinicCurrency(code: "CHF")) == "1.00 CHF")
        #expect(Money(cents: 5).decimalText == "0.05")
    }
}

@Suite("Good-faith estimate (No Surprises Act, 45 CFR 149.610)")
struct GoodFaithEstimateTests {
    typealias F = SelfPayFixture

    @Test("an estimate itemises each service with its code, quantity, unit price and expected charge, and totals them")
    func itemised() throws {
        let form = GoodFaithEstimateForm(lines: [.init(itemID: PriceItem.infusionID(F.protocolID), quantity: "6"), .init(itemID: "addon:consult", quantity: "1"),
                                                 .init(itemID: "addon:consult", quantity: "")],
                                         serviceFrom: "2027-01-20", serviceTo: "2027-02-05", diagnosisCodes: "G90.511, g89.4")
        let priced = try form.priced(with: F.list, today: F.today)
        #expect(priced.lines.map(\.quantity) == [6, 1])
        #expect(priced.lines.map(\.code) == ["96365", "99204"])
        #expect(priced.lines[0].total == Money(cents: 270_000))
        #expect(priced.lines.reduce(Money.zero) { $0 + $1.total } == Money(cents: 295_000))
        #expect(priced.codes == ["G90.511", "G89.4"])
        #expect(priced.from == CalendarDate("2027-01-20") && priced.to == CalendarDate("2027-02-05"))
    }

    @Test("every bad field is named: an unknown or retired item, a quantity, the dates (care not in the past, end after start), a code")
    func badFieldsNamed() {
        let form = GoodFaithEstimateForm(lines: [.init(itemID: "addon:old", quantity: "1"), .init(itemID: "addon:consult", quantity: "lots")],
                                         serviceFrom: "2027-01-10", serviceTo: "2027-01-01", diagnosisCodes: "notacode")
        #expect(throws: ClinicError.invalid([
            FieldError("items[0].itemID", "is not on the price list"), FieldError("items[1].quantity", "Give a whole number from 0 to 100"),
            FieldError("serviceFrom", "An estimate is given before the care: the first day cannot be in the past"),
            FieldError("serviceTo", "Must be on or after the first day"), FieldError("diagnosisCodes", "NOTACODE is not an ICD-10-CM code"),
        ])) { try form.priced(with: F.list, today: F.today) }
        #expect(throws: ClinicError.invalid("items", "Give a quantity for at least one item of the price list")) {
            try GoodFaithEstimateForm(lines: [], serviceFrom: "2027-01-20", serviceTo: "2027-01-20").priced(with: F.list, today: F.today)
        }
    }

    @Test("the disclaimers say the bill may differ, that it is not a contract, and name the dispute figure (No Surprises Act: $400, a setting)")
    func disclaimers() {
        var settings = SelfPaySettings()
        #expect(settings.disputeThreshold == Money(cents: 40_000))
        settings.disputeThreshold = Money(cents: 50_000)
        let e = GoodFaithEstimate(id: .init(UUID()), patientID: F.patient, patientName: "Ann Able", dateOfBirth: CalendarDate("1980-04-12")!,
                                  primaryService: "Infusions", lines: [], total: Money(cents: 295_000), serviceFrom: F.today, serviceTo: F.today,
                                  diagnosisCodes: [], provider: .init(name: "", npi: "", tin: "", address: ""), separatelyScheduled: "", note: "",
                                  currency: .usd, disputeThreshold: settings.disputeThreshold, priceListVersion: 3, issuedOn: F.today, issuedAt: F.t0,
                                  issuedBy: F.clerk, issuedByName: "")
        let text = e.disclaimers.joined(separator: " ")
        #expect(text.contains("$500.00 more than this good-faith estimate (a bill of $3,450.00 or more)"))
        #expect(text.contains("may differ") && text.contains("not a contract") && text.contains("scheduled or requested separately"))
        #expect(e.disputeFloor == Money(cents: 345_000))
    }
}

@Suite("Payment plan schedules (issue 6: instalments add up to the covered amount to the cent)")
struct PaymentPlanScheduleTests {
    typealias F = SelfPayFixture

    @Test("a split adds up exactly; remainder cents go one each to the earliest instalments")
    func split() {
        #expect(PaymentPlan.split(Money(cents: 100_000), into: 3) == [Money(cents: 33_334), Money(cents: 33_333), Money(cents: 33_333)])
        #expect(PaymentPlan.split(Money(cents: 5), into: 5) == Array(repeating: Money(cents: 1), count: 5))
    }

    @Test("a down payment due today, then N instalments from the first due date at the frequency, summing to the covered amount")
    func schedule() {
        let p = F.plan(covered: 295_000, down: 50_000, count: 6)
        #expect(p.schedule.count == 7 && p.instalmentCount == 6)
        #expect(p.schedule[0].isDownPayment && p.schedule[0].dueDate == F.today && p.schedule[0].amount == Money(cents: 50_000))
        #expect(p.schedule.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 295_000))
        #expect(p.schedule.dropFirst().map(\.amount) == [40_834, 40_834, 40_833, 40_833, 40_833, 40_833].map { Money(cents: $0) })
        #expect(p.schedule.dropFirst().map(\.dueDate.description) == ["2027-02-01", "2027-03-01", "2027-04-01", "2027-05-01", "2027-06-01", "2027-07-01"])
    }

    @Test("monthly dates keep the day of the month, or the month's last day (Jan 31 → Feb 28 → Mar 31)")
    func monthEnd() {
        let first = CalendarDate("2027-01-31")!
        #expect((0..<4).map { PlanFrequency.monthly.dueDate(first: first, after: $0).description } == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
        #expect(PlanFrequency.everyTwoWeeks.dueDate(first: first, after: 2) == CalendarDate("2027-02-28"))
    }

    @Test("bad terms name their field: the down payment not below the amount, a count out of range, a past first date")
    func badTerms() {
        #expect(throws: ClinicError.invalid([
            FieldError("downPayment", "Must be less than the amount covered (100.00)"), FieldError("instalments", "Give the number of instalments, 1 to 60"),
            FieldError("firstDueDate", "Cannot be in the past"),
        ])) {
            try PaymentPlan.validatedTerms(covered: Money(cents: 10_000), downPayment: "100", instalments: "61", frequency: "monthly",
                                           firstDueDate: "2027-01-01", today: F.today)
        }
        #expect(throws: ClinicError.invalid("instalments", "Too many instalments for the amount (each must be at least a cent)")) {
            try PaymentPlan.validatedTerms(covered: Money(cents: 5), downPayment: "", instalments: "6", frequency: "weekly", firstDueDate: "2027-01-20", today: F.today)
        }
    }
}

@Suite("Applying payments (issue 6: oldest amounts due first; a missed instalment stays due and shows as overdue)")
struct PaymentApplicationTests {
    typealias F = SelfPayFixture

    @Test("a missed instalment stays due and is overdue once its date has passed; later ones are just due")
    func missed() {
        let p = F.plan(covered: 60_000, count: 3)
        let march = CalendarDate("2027-03-10")!
        let states = p.states(paid: .zero, today: march)
        #expect(states.map(\.status) == [.overdue, .overdue, .due])
        // paying one instalment in March pays the oldest (February's), March's stays overdue
        #expect(p.states(paid: Money(cents: 20_000), today: march).map(\.status) == [.paid, .overdue, .due])
    }

    @Test("an early payment pays the next instalment before its date")
    func early() {
        let p = F.plan(covered: 60_000, count: 3)
        #expect(p.states(paid: Money(cents: 20_000), today: F.today).map(\.status) == [.paid, .due, .due])
    }

    @Test("an extra payment runs on to the next amounts due, in date order, leaving a partly paid one")
    func extra() {
        let p = F.plan(covered: 60_000, down: 15_000, count: 3)
        let states = p.states(paid: Money(cents: 40_000), today: F.today)
        #expect(states.map(\.applied) == [15_000, 15_000, 10_000, 0].map { Money(cents: $0) })
        #expect(states.map(\.status) == [.paid, .paid, .partlyPaid, .due])
    }

    @Test("regenerating keeps what was paid and splits the new remainder over the unpaid dates, to the cent")
    func regenerate() throws {
        var p = F.plan(covered: 60_000, count: 3)
        let unpaidDates = p.schedule.dropFirst().map(\.dueDate)
        // charges came to 650.00 instead of 600.00; 250.00 paid (one and a quarter instalments)
        try p.regenerate(newCovered: Money(cents: 65_000), paid: Money(cents: 25_000), count: nil, firstDue: nil, today: F.today, at: F.t0, by: F.clerk,
                         reason: "charges differ from the estimate")
        #expect(p.coveredAmount == Money(cents: 65_000))
        #expect(p.schedule.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 65_000))
        #expect(p.schedule.map(\.amount) == [20_000, 5_000, 20_000, 20_000].map { Money(cents: $0) })
        #expect(Array(p.schedule.map(\.dueDate).suffix(2)) == Array(unpaidDates))
        #expect(p.states(paid: Money(cents: 25_000), today: F.today).map(\.status) == [.paid, .paid, .due, .due])
        #expect(p.regenerations.last?.previousCovered == Money(cents: 60_000) && p.regenerations.last?.paidThen == Money(cents: 25_000))
        // a write-off lowers it; never below what was paid
        #expect(throws: ClinicError.self) {
            try p.regenerate(newCovered: Money(cents: 20_000), paid: Money(cents: 25_000), count: nil, firstDue: nil, today: F.today, at: F.t0, by: F.clerk, reason: "w")
        }
        try p.regenerate(newCovered: Money(cents: 45_001), paid: Money(cents: 25_000), count: 4, firstDue: CalendarDate("2027-06-15"), today: F.today,
                         at: F.t0, by: F.clerk, reason: "write-off")
        #expect(p.schedule.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 45_001))
        #expect(p.schedule.suffix(4).map(\.dueDate.description) == ["2027-06-15", "2027-07-15", "2027-08-15", "2027-09-15"])
    }

    @Test("paid beyond the schedule: the extra stays on the kept part, so the schedule still adds up")
    func overpaid() throws {
        var p = F.plan(covered: 30_000, count: 3)
        try p.regenerate(newCovered: Money(cents: 50_000), paid: Money(cents: 35_000), count: nil, firstDue: nil, today: F.today, at: F.t0, by: F.clerk, reason: "more charges")
        #expect(p.schedule.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 50_000))
        #expect(p.states(paid: Money(cents: 35_000), today: F.today).filter { $0.status != .paid }.map(\.instalment.amount) == [Money(cents: 15_000)])
    }
}

@Suite("Ledger (issue 6: append-only, running balances per patient)")
struct LedgerTests {
    typealias F = SelfPayFixture

    @Test("balance = charges − payments + refunds − write-offs ± adjustments, with the running balance on each line")
    func balances() {
        let entries = [F.entry(.payment, 50_000, n: 1), F.entry(.charge, 45_000, n: 2), F.entry(.charge, 45_000, n: 3), F.entry(.refund, 1_000, n: 4),
                       F.entry(.writeOff, 2_500, n: 5), F.entry(.adjustment, -500, n: 6)]
        let lines = Ledger.lines(entries.reversed())
        #expect(lines.map(\.balanceAfter.cents) == [-50_000, -5_000, 40_000, 41_000, 38_500, 38_000])
        #expect(Ledger.balance(entries) == Money(cents: 38_000) && Ledger.totals(entries).balance == Money(cents: 38_000))
        #expect(Ledger.refundable(entries) == Money(cents: 49_000))
    }

    @Test("a refund never exceeds what was paid; a write-off never exceeds what is owed; both say why")
    func limits() {
        let entries = [F.entry(.charge, 10_000, n: 1), F.entry(.payment, 4_000, n: 2)]
        #expect(throws: ClinicError.invalid("amount", "A refund cannot exceed what was paid less earlier refunds (40.00)")) {
            try LedgerEntryForm(kind: .refund, amount: "40.01", method: "card", reason: "duplicate").validated(entries: entries, today: F.today)
        }
        #expect(throws: ClinicError.invalid("amount", "A write-off cannot exceed what the patient owes (60.00)")) {
            try LedgerEntryForm(kind: .writeOff, amount: "60.01", reason: "hardship").validated(entries: entries, today: F.today)
        }
        #expect(throws: ClinicError.invalid("reason", "Say why the write-off is made")) {
            try LedgerEntryForm(kind: .writeOff, amount: "10").validated(entries: entries, today: F.today)
        }
        #expect(throws: ClinicError.invalid([FieldError("on", "Cannot be in the future"), FieldError("method", "Choose card, cash, check, bank transfer or other")])) {
            try LedgerEntryForm(kind: .payment, amount: "10", on: "2027-01-16").validated(entries: entries, today: F.today)
        }
    }

    @Test("a charge from a source always gets the same id, so it is stored once")
    func sourcedIDs() {
        let a = LedgerEntry.charge(Money(cents: 45_000), patient: F.patient, on: F.today, at: F.t0, by: F.clerk, description: "Infusion", source: "session:1")
        let b = LedgerEntry.charge(Money(cents: 45_000), patient: F.patient, on: F.today, at: F.t0.addingTimeInterval(60), by: F.clerk, description: "Infusion", source: "session:1")
        #expect(a.id == b.id)
        #expect(a.id != LedgerEntry.sourcedID("session:2"))
    }

    @Test("a plan's position: paid toward it, what is left, and the difference once charges differ from the estimate")
    func position() {
        let plan = F.plan(covered: 60_000, count: 3)
        var estimatePlan = plan
        estimatePlan.basis = .estimate
        let estimate = GoodFaithEstimate(id: .init(UUID()), patientID: F.patient, patientName: "", dateOfBirth: F.today, primaryService: "", lines: [],
                                         total: Money(cents: 60_000), serviceFrom: F.today, serviceTo: F.today, diagnosisCodes: [],
                                         provider: .init(name: "", npi: "", tin: "", address: ""), separatelyScheduled: "", note: "", currency: .usd,
                                         disputeThreshold: Money(cents: 40_000), priceListVersion: 1, issuedOn: F.today, issuedAt: F.t0, issuedBy: F.clerk, issuedByName: "")
        // before the charges are posted, the ledger agrees with the plan
        var entries = [F.entry(.payment, 20_000, n: 1, plan: plan.id)]
        var pos = PaymentPlanPosition(plan: estimatePlan, entries: entries, estimate: estimate, today: F.today)
        #expect(pos.paid == Money(cents: 20_000) && pos.remaining == Money(cents: 40_000) && pos.difference == .zero)
        // charges come to 650.00: the ledger shows 50.00 more than the plan covers
        entries += [F.entry(.charge, 32_500, n: 2), F.entry(.charge, 32_500, n: 3)]
        pos = PaymentPlanPosition(plan: estimatePlan, entries: entries, estimate: estimate, today: F.today)
        #expect(pos.difference == Money(cents: 5_000) && pos.suggestedCovered == Money(cents: 65_000))
        // a 100.00 write-off: 50.00 less than the plan covers
        entries.append(F.entry(.writeOff, 10_000, n: 4))
        #expect(PaymentPlanPosition(plan: estimatePlan, entries: entries, estimate: estimate, today: F.today).difference == Money(cents: -5_000))
    }
}
