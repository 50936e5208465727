import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

/// Random plans and random payment histories never lose or invent a cent (issue 6: instalments add up to the covered
/// amount to the cent; payments go to the oldest amounts due first; balance = charges − payments + refunds − write-offs).
@Suite struct SelfPayPropertyTests {
    typealias F = SelfPayFixture

    /// Applied amounts in date order: paid in full, then at most one partly paid, then nothing (oldest first).
    static func isOldestFirst(_ states: [InstalmentState]) -> Bool {
        var sawShort = false
        for s in states {
            if sawShort, !s.applied.isZero { return false }
            if s.applied != s.instalment.amount { sawShort = true }
        }
        return true
    }

    @Test func everyScheduleAddsUpToTheCoveredAmountToTheCent() async {
        await propertyCheck(count: 500, input: zip(Gen.int(in: 1...1_000_000_000), Gen.int(in: 1...60), Gen.int(in: 0...1_000_000_000), Gen.int(in: 0...2))) { input in
            let (coveredRaw, n, downRaw, f) = input
            let covered = Int64(max(coveredRaw, n))
            let down = Int64(downRaw) % (covered - Int64(n) + 1)
            let frequency = PlanFrequency.allCases[f]
            let plan = F.plan(covered: covered, down: down, count: n, frequency: frequency)
            #expect(plan.schedule.reduce(Money.zero) { $0 + $1.amount } == Money(cents: covered))
            let parts = plan.schedule.filter { !$0.isDownPayment }.map(\.amount.cents)
            #expect(parts.count == n)
            #expect(parts.allSatisfy { $0 >= 1 })
            #expect(parts.max()! - parts.min()! <= 1, "instalments differ by at most a cent")
            #expect(parts == parts.sorted(by: >), "remainder cents go to the earliest instalments")
            let dates = plan.schedule.filter { !$0.isDownPayment }.map(\.dueDate)
            #expect(zip(dates, dates.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    /// (operation, amount, when): 0 charge, 1 payment, 2 refund, 3 write-off, 4 adjustment, 5 regenerate the plan; `when` moves the day on.
    static let histories = zip(Gen.int(in: 0...5), Gen.int(in: 1...200_000), Gen.int(in: 0...40)).array(of: 1...50)

    @Test func randomPaymentHistoriesBalanceToTheCentAndPayOldestFirst() async {
        await propertyCheck(count: 300, input: Self.histories) { ops in
            var plan = F.plan(covered: 300_000, down: 50_000, count: 6)
            var entries: [LedgerEntry] = []
            var charges: Int64 = 0, payments: Int64 = 0, refunds: Int64 = 0, writeOffs: Int64 = 0, adjustments: Int64 = 0
            var day = F.today
            for (i, (op, amount, when)) in ops.enumerated() {
                day = day.adding(days: when % 3 == 0 ? when : 0)
                let text = Money(cents: Int64(amount)).decimalText
                switch op {
                case 0:
                    charges += Int64(amount)
                    entries.append(F.entry(.charge, Int64(amount), n: i))
                case 1, 2, 3:
                    let kind: LedgerEntry.Kind = op == 1 ? .payment : op == 2 ? .refund : .writeOff
                    guard let v = try? LedgerEntryForm(kind: kind, amount: text, method: "card", reason: "test").validated(entries: entries, today: day) else {
                        // refused only for exceeding what was paid or owed
                        #expect(kind == .refund ? Int64(amount) > Ledger.refundable(entries).cents : kind == .writeOff ? Int64(amount) > max(Ledger.balance(entries).cents, 0) : false)
                        continue
                    }
                    switch kind {
                    case .payment: payments += v.amount.cents
                    case .refund: refunds += v.amount.cents
                    default: writeOffs += v.amount.cents
                    }
                    entries.append(F.entry(kind, v.amount.cents, n: i, plan: kind == .writeOff ? nil : plan.id))
                case 4:
                    let signed = Int64(amount) * (when % 2 == 0 ? 1 : -1)
                    adjustments += signed
                    entries.append(F.entry(.adjustment, signed, n: i))
                default:
                    let position = PaymentPlanPosition(plan: plan, entries: entries, estimate: nil, today: day)
                    let newCovered = max(position.paid, .zero) + Money(cents: Int64(amount))
                    let before = plan
                    do {
                        try plan.regenerate(newCovered: newCovered, paid: position.paid, count: when % 7 == 0 ? nil : 1 + when % 12, firstDue: nil,
                                            today: day, at: F.t0, by: F.clerk, reason: "property")
                        #expect(plan.schedule.reduce(Money.zero) { $0 + $1.amount } == newCovered)
                        // what had been paid stays paid
                        let after = plan.states(paid: max(position.paid, .zero), today: day)
                        #expect(after.reduce(Money.zero) { $0 + $1.applied } == max(position.paid, .zero))
                    } catch {
                        #expect(plan == before, "a refused regeneration changes nothing")
                    }
                }
                // Never an unexplained cent: the balance is the sum of its parts, and the running balance ends on it.
                let balance = Ledger.balance(entries)
                #expect(balance.cents == charges - payments + refunds - writeOffs + adjustments)
                #expect(Ledger.lines(entries).last?.balanceAfter ?? .zero == balance)
                #expect(Ledger.refundable(entries).cents >= 0)
                // The schedule always adds up, and the plan's net payments are applied oldest first, never beyond it.
                #expect(plan.schedule.reduce(Money.zero) { $0 + $1.amount } == plan.coveredAmount)
                let position = PaymentPlanPosition(plan: plan, entries: entries, estimate: nil, today: day)
                let applied = position.instalments.reduce(Money.zero) { $0 + $1.applied }
                #expect(applied == min(max(position.paid, .zero), plan.coveredAmount))
                #expect(Self.isOldestFirst(position.instalments))
                #expect(position.instalments.allSatisfy { $0.status != .overdue || $0.instalment.dueDate < day })
            }
        }
    }
}
