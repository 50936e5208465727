import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The printable patient statement (issue 6): ledger lines in a date range with the running balance, the balance brought
/// forward, and the amount the payment plan makes due now.
@Suite struct StatementPagesTests {
    @Test func aStatementCarriesTheRunningBalanceAndWhatThePlanMakesDueNow() async throws {
        try await TestWorld.with { world, client in
            try await world.setFees(client)
            let patient = try await world.patient()
            let p = patient.id.rawValue.uuidString
            let today = world.clinic.today
            let billing = world.actor(.billing)
            // given charges of $1,000 (40 days ago) and $500 (10 days ago) on the account
            for (days, cents) in [(40, Int64(100_000)), (10, 50_000)] {
                _ = try await world.clinic.store.write { tx in
                    try await world.clinic.postLedgerEntry(.charge(Money(cents: cents), patient: patient.id, on: today.adding(days: -days), at: world.clock.now,
                                                                   by: billing.userID, description: "Infusion \(days)", source: "test:\(days)"),
                                                           patient: patient.id, by: billing, tx)
                }
            }
            // a 2-instalment plan over the $1,500 balance, the first due today, and a $200 payment 20 days ago toward it
            _ = try await world.clinic.createPaymentPlan(for: patient.id, PaymentPlanForm(estimateID: "", downPayment: "", instalments: "2", frequency: "monthly",
                                                                                        firstDueDate: today.description), by: billing)
            _ = try await world.clinic.recordLedgerEntry(for: patient.id, LedgerEntryForm(kind: .payment, amount: "200", on: today.adding(days: -20).description,
                                                                                          method: "card", reference: "R-1"), by: billing)
            // when the front desk prints the statement of the last 30 days
            let desk = try await world.browser(.frontDesk)
            let page = try await client.page(.get, "/patients/\(p)/statement?from=\(today.adding(days: -30))&to=\(today)", cookie: desk.cookie)
            // then the $1,000 is brought forward, each line carries its running balance, and $550 of the first instalment is due
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains(#"id="statement-opening">$1,000.00<"#))
            #expect(text.contains("<td>payment</td><td>Payment</td><td>R-1</td><td class=\"num\">−$200.00</td><td class=\"num\">$800.00</td>"))
            #expect(text.contains("<td>charge</td><td>Infusion 10</td><td></td><td class=\"num\">$500.00</td><td class=\"num\">$1,300.00</td>"))
            #expect(text.contains(#"id="statement-closing">$1,300.00<"#) && text.contains(#"id="statement-due">$550.00<"#))
            #expect(text.contains("DeepRelief Pain Clinic") && text.contains("data-print") && !text.contains("Infusion 40"))
            // the statement is a read of the account: audited; nurses and physicians are refused
            #expect(try await world.audit(resource: "statement:\(today.adding(days: -30))..\(today)").contains { $0.event.detail == "statement" && $0.event.actorRole == Role.frontDesk.rawValue })
            for role in [Role.nurse, .physician] {
                #expect(try await client.page(.get, "/patients/\(p)/statement", cookie: try await world.browser(role).cookie).status == .forbidden)
            }
            // the account page links to it
            #expect(try await client.page(.get, "/patients/\(p)/account", cookie: desk.cookie).text.contains("/patients/\(p)/statement"))
        }
    }
}
