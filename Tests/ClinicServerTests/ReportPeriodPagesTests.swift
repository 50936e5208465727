import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The report pages' from/to dates (billing work list, superbill, dispensing log, statement): a date that cannot be read
/// or a start after the end is answered 422 with the field named, as the JSON API answers — not silently replaced by
/// another period; an empty field (a date input left blank) takes the default period.
@Suite struct ReportPeriodPagesTests {
    @Test func anErrorPageKeepsTheNavigationOfTheSignedInUser() async throws {
        try await TestWorld.with { world, client in
            let nurse = try await world.browser(.nurse)
            let missing = try await client.page(.get, "/patients/\(UUID().uuidString)", cookie: nurse.cookie)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("Test \(Role.nurse.title)") && missing.text.contains(">Sign out<") && missing.text.contains(#"href="/board""#))
            // signed out, the same page has no navigation to offer
            let anonymous = try await client.page(.get, "/patients/\(UUID().uuidString)")
            #expect(!anonymous.text.contains(">Sign out<"))
        }
    }

    @Test func aBadOrReversedPeriodIsRefusedNamingTheFieldOnEveryReportPage() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient().id.rawValue.uuidString
            let today = world.clinic.today
            let pages: [(String, Role)] = [("/billing", .billing), ("/patients/\(p)/superbill", .billing), ("/register/log", .nurse),
                                           ("/patients/\(p)/statement", .frontDesk)]
            for (path, role) in pages {
                let cookie = try await world.browser(role).cookie
                // a blank date input, and a real period, are fine
                #expect(try await client.page(.get, "\(path)?from=&to=", cookie: cookie).status == .ok, "\(path) blank")
                #expect(try await client.page(.get, "\(path)?from=\(today.adding(days: -7))&to=\(today)", cookie: cookie).status == .ok, "\(path)")
                // an end date alone, long ago: the period counts back from it
                let past = try await client.page(.get, "\(path)?to=\(today.adding(days: -200))", cookie: cookie)
                #expect(past.status == .ok && past.text.contains(today.adding(days: -200).description), "\(path) end only")
                // a date that is not one names its field
                for (query, field) in [("from=2026-13-40", "from"), ("to=yesterday", "to"), ("from=07/12/2026&to=\(today)", "from")] {
                    let page = try await client.page(.get, "\(path)?\(query)", cookie: cookie)
                    #expect(page.status == .unprocessableContent, "\(path)?\(query)")
                    #expect(page.text.contains("<strong>\(field)</strong>: Give a date as YYYY-MM-DD"), "\(path)?\(query)")
                }
                // a start after the end
                let reversed = try await client.page(.get, "\(path)?from=\(today)&to=\(today.adding(days: -1))", cookie: cookie)
                #expect(reversed.status == .unprocessableContent, "\(path) reversed")
                // the error page keeps the signed-in user's navigation
                #expect(reversed.text.contains("Test \(role.title)") && reversed.text.contains(">Sign out<"), "\(path) reversed")
                #expect(reversed.text.contains("<strong>from</strong>: Must not be after the end date"), "\(path) reversed")
            }
        }
    }
}
