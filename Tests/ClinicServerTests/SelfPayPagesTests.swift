import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Self-pay through the real pages (issue 6): prices, the account, a printable good-faith estimate, a plan with its
/// paid, due and overdue instalments.
@Suite struct SelfPayPagesTests {
    @Test func theAdminPricesAndOthersOnlyReadThem() async throws {
        try await TestWorld.with { world, client in
            let admin = try await world.browser(.admin)
            let editor = try await client.page(.get, "/billing/prices", cookie: admin.cookie)
            #expect(editor.status == .ok && editor.text.contains("Standard induction — one infusion") && editor.text.contains("check current CMS guidance"))
            // row 0 is the first protocol of the library; a bad price names its field
            var form = ["csrf": admin.csrf, "items[0].kind": "addOn", "items[0].name": "Consultation", "items[0].price": "abc", "items[0].active": "true"]
            let bad = try await client.page(.post, "/billing/prices", cookie: admin.cookie, form: form)
            #expect(bad.status == .unprocessableContent && bad.text.contains("items[0].price"))
            form["items[0].price"] = "250"
            #expect(try await client.page(.post, "/billing/prices", cookie: admin.cookie, form: form).text.contains("Price list saved (version 1)"))
            let desk = try await world.browser(.frontDesk)
            let read = try await client.page(.get, "/billing/prices", cookie: desk.cookie)
            #expect(read.status == .ok && read.text.contains("$250.00") && !read.text.contains("Save prices"))
            #expect(try await client.page(.post, "/billing/prices", cookie: desk.cookie, form: ["csrf": desk.csrf]).status == .forbidden)
            #expect(try await client.page(.get, "/billing/prices", cookie: try await world.browser(.nurse).cookie).status == .forbidden)
            // the settings: the dispute figure is a setting
            let settings = try await client.page(.post, "/billing/prices/settings", cookie: admin.cookie, form: [
                "csrf": admin.csrf, "settings.currency": "USD", "settings.disputeThreshold": "400", "settings.providerName": "Clinic",
                "settings.providerNPI": "12345", "settings.providerTIN": "", "settings.providerAddress": ""])
            #expect(settings.status == .unprocessableContent && settings.text.contains("An NPI is ten digits"))
        }
    }

    @Test func theFrontDeskIssuesAPrintableEstimateSetsUpAPlanAndTakesAPayment() async throws {
        try await TestWorld.with { world, client in
            _ = try await world.priceList()
            let patient = try await world.patient()
            let p = patient.id.rawValue.uuidString
            let desk = try await world.browser(.frontDesk)
            // the chart links to the account for the front desk, not for a nurse, who is refused the account
            #expect(try await client.page(.get, "/patients/\(p)", cookie: desk.cookie).text.contains("/patients/\(p)/account"))
            let nurse = try await world.browser(.nurse)
            #expect(!(try await client.page(.get, "/patients/\(p)", cookie: nurse.cookie).text.contains("/patients/\(p)/account")))
            #expect(try await client.page(.get, "/patients/\(p)/account", cookie: nurse.cookie).status == .forbidden)
            // the estimate form lists the price list; quantities 6 infusions and a consultation
            let formPage = try await client.page(.get, "/patients/\(p)/estimates/new", cookie: desk.cookie)
            #expect(formPage.status == .ok && formPage.text.contains("Initial consultation"))
            let from = world.clinic.today.adding(days: 7)
            var form = ["csrf": desk.csrf, "items[0].itemID": PriceItem.infusionID(InfusionProtocol.StandardID.standardInduction), "items[0].quantity": "6",
                        "items[1].itemID": try await world.clinic.priceList(by: world.actor(.admin)).list.items.first { $0.kind == .addOn }!.id, "items[1].quantity": "1",
                        "serviceFrom": from.description, "serviceTo": from.adding(days: -1).description]
            let bad = try await client.page(.post, "/patients/\(p)/estimates/new", cookie: desk.cookie, form: form)
            #expect(bad.status == .unprocessableContent && bad.text.contains("Must be on or after the first day"))
            form["serviceTo"] = from.adding(days: 14).description
            let issued = try await client.page(.post, "/patients/\(p)/estimates/new", cookie: desk.cookie, form: form)
            #expect(issued.status == .seeOther)
            let estimateURI = try #require(issued.headers[.location])
            let estimate = try await client.page(.get, estimateURI, cookie: desk.cookie).text
            #expect(estimate.contains("Good Faith Estimate") && estimate.contains("$2,950.00") && estimate.contains("96365") && estimate.contains("not a contract"))
            #expect(estimate.contains("$400.00 more than this good-faith estimate") && estimate.contains("data-print"))
            // a 6-instalment plan over it
            let planForm = try await client.page(.get, "/patients/\(p)/payment-plans/new", cookie: desk.cookie)
            #expect(planForm.text.contains("Good-faith estimate of"))
            let estimateID = String(estimateURI.split(separator: "/").last!)
            let created = try await client.page(.post, "/patients/\(p)/payment-plans/new", cookie: desk.cookie, form: [
                "csrf": desk.csrf, "estimateID": estimateID, "downPayment": "", "instalments": "6", "frequency": "monthly",
                "firstDueDate": world.clinic.today.adding(days: 1).description])
            #expect(created.status == .seeOther)
            let planURI = try #require(created.headers[.location])
            var plan = try await client.page(.get, planURI, cookie: desk.cookie).text
            #expect(plan.contains("$491.67") && plan.contains("$491.66") && plan.contains(">$2,950.00<"))
            #expect(!plan.contains("Regenerate the remaining schedule"), "the front desk does not regenerate")
            // a payment with a bad amount names the field; then the first instalment is paid
            let badPay = try await client.page(.post, "/patients/\(p)/ledger", cookie: desk.cookie, form: ["csrf": desk.csrf, "amount": "12.345", "method": "card"])
            #expect(badPay.status == .unprocessableContent && badPay.text.contains("Give an amount more than zero"))
            let paid = try await client.page(.post, "/patients/\(p)/ledger", cookie: desk.cookie, form: ["csrf": desk.csrf, "amount": "491.67", "method": "cash", "reference": "R-7"])
            #expect(paid.status == .ok && paid.text.contains("Payment of $491.67 recorded") && paid.text.contains("in credit"))
            // the front desk has no refund form and is refused one
            #expect(!paid.text.contains("Refund or write-off"))
            #expect(try await client.page(.post, "/patients/\(p)/ledger", cookie: desk.cookie,
                                          form: ["csrf": desk.csrf, "correction.kind": "refund", "correction.amount": "1", "correction.method": "card", "correction.reason": "x"]).status == .forbidden)
            // two months on, the second instalment was missed: it stays due and shows overdue
            world.clock.advance(by: 62 * 86_400)
            let billing = try await world.browser(.billing)
            plan = try await client.page(.get, planURI, cookie: billing.cookie).text
            #expect(plan.contains("badge bad\">overdue") && plan.contains("badge ok\">paid"))
            #expect(plan.contains("Regenerate the remaining schedule"))
            // billing refunds part of it, with a reason; the account shows the running balance and a CSV
            let refund = try await client.page(.post, "/patients/\(p)/ledger", cookie: billing.cookie, form: [
                "csrf": billing.csrf, "correction.kind": "refund", "correction.amount": "1000", "correction.method": "card", "correction.reason": "x"])
            #expect(refund.status == .unprocessableContent && refund.text.contains("A refund cannot exceed what was paid"))
            let csv = try await client.page(.get, "/patients/\(p)/account?format=csv", cookie: billing.cookie)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains("payment,Payment,R-7,cash,-491.67,-491.67"))
        }
    }
}
