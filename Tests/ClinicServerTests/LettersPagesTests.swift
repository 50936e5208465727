import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Medical-necessity letters through the real pages (issue 6): drafted from the chart, edited, signed and frozen, revised
/// as the next version; billing reads signed letters only; nurses and the front desk never.
@Suite struct LettersPagesTests {
    @Test func aPhysicianDraftsFromTheChartEditsSignsAndRevisesWhileBillingReadsOnlySignedVersions() async throws {
        try await TestWorld.with { world, client in
            try await world.setFees(client)
            let (patient, _) = try await world.activePlan()
            let pid = patient.id.rawValue.uuidString
            let ph = try await world.browser(.physician)
            // the chart links to the letters for the physician
            #expect(try await client.page(.get, "/patients/\(pid)", cookie: ph.cookie).text.contains("/patients/\(pid)/letters"))
            #expect(try await client.page(.get, "/patients/\(pid)/letters", cookie: ph.cookie).text.contains("Draft from the chart"))
            // when the physician drafts from the chart
            let drafted = try await client.page(.post, "/patients/\(pid)/letters/new", cookie: ph.cookie, form: ["csrf": ph.csrf, "to": ""])
            let location = try #require(drafted.headers[.location])
            #expect(location.hasPrefix("/letters/"))
            let v1 = String(location.dropFirst("/letters/".count))
            // then the draft names the diagnosis code, the plan and the MME/day from the chart (oxycodone 30 mg × 1.5)
            let draft = try await client.page(.get, location, cookie: ph.cookie)
            #expect(draft.status == .ok)
            for text in ["G90.511", "Induction series of 6 infusions.", "45 MME/day", "DRAFT", "Sign version 1", "DeepRelief Pain Clinic", "data-print"] {
                #expect(draft.text.contains(text), "\(text)")
            }
            #expect(!draft.text.contains("onclick"))
            // billing never sees a draft, and the refusal is audited
            let b = try await world.browser(.billing)
            #expect(try await client.page(.get, location, cookie: b.cookie).status == .forbidden)
            #expect(try await client.page(.get, "/patients/\(pid)/letters", cookie: b.cookie).text.contains("No letter yet."))
            #expect(try await world.audit(resource: v1).contains { $0.event.outcome == .denied && $0.event.actorRole == Role.billing.rawValue })
            // an empty text is refused next to the field; an edit is saved
            let empty = try await client.page(.post, location, cookie: ph.cookie, form: ["csrf": ph.csrf, "to": "", "body": "  "])
            #expect(empty.status == .unprocessableContent && empty.text.contains("Required: the letter"))
            let body = NecessityLetterComposer.body(try await world.clinic.necessityLetter(UUID(uuidString: v1)!, by: world.actor(.physician)).letter.facts)
            let edited = try await client.page(.post, location, cookie: ph.cookie, form: ["csrf": ph.csrf, "to": "Acme Health, utilisation review",
                                                                                           "body": body + "\n\nThe patient has also tried an SCS trial."])
            #expect(edited.status == .ok && edited.text.contains("Draft saved.") && edited.text.contains("To: Acme Health, utilisation review"))
            // signing freezes it, with the signer's name and NPI
            let signed = try await client.page(.post, location + "/sign", cookie: ph.cookie, form: ["csrf": ph.csrf])
            #expect(signed.headers[.location] == location)
            let view = try await client.page(.get, location, cookie: ph.cookie).text
            #expect(view.contains("Signed electronically by <strong>Test Physician</strong>, NPI 1245319599, on \(world.clinic.today)."))
            #expect(!view.contains("id=\"edit-letter\"") && view.contains("Revise from this text") && view.contains("Revise from the current chart"))
            #expect(try await client.page(.post, location, cookie: ph.cookie, form: ["csrf": ph.csrf, "to": "", "body": "changed"]).status == .conflict)
            // revising makes version 2, a draft; version 1 stays as signed
            #expect(try await client.page(.post, location + "/revise", cookie: ph.cookie, form: ["csrf": ph.csrf, "source": "memory"]).status == .unprocessableContent)
            let revised = try await client.page(.post, location + "/revise", cookie: ph.cookie, form: ["csrf": ph.csrf, "source": "text"])
            let v2Location = try #require(revised.headers[.location])
            #expect(v2Location != location)
            let v2 = try await client.page(.get, v2Location, cookie: ph.cookie).text
            #expect(v2.contains("Version 2") && v2.contains("Sign version 2") && v2.contains("SCS trial"))
            let old = try await client.page(.get, location, cookie: ph.cookie).text
            #expect(old.contains("a newer version exists") && !old.contains("Revise from this text"))
            // billing reads version 1 (and its text file), never the version 2 draft
            let billed = try await client.page(.get, location, cookie: b.cookie)
            #expect(billed.status == .ok && billed.text.contains("SCS trial") && !billed.text.contains("Sign version"))
            #expect(try await client.page(.get, v2Location, cookie: b.cookie).status == .forbidden)
            let list = try await client.page(.get, "/patients/\(pid)/letters", cookie: b.cookie).text
            #expect(list.contains(location) && !list.contains(v2Location) && !list.contains("Draft from the chart"))
            let file = try await client.page(.get, location + "?format=txt", cookie: b.cookie)
            #expect(file.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(file.text.contains("DeepRelief Pain Clinic") && file.text.contains("To: Acme Health, utilisation review")
                && file.text.contains("Signed electronically by Test Physician, NPI 1245319599"))
            // every access is audited: the draft, the edit, the signature, billing's read
            let audit = try await world.audit(resource: v1)
            for detail in ["letter:draft v1", "letter:edit v1", "letter:sign v1"] { #expect(audit.contains { $0.event.detail == detail }, "\(detail)") }
            #expect(audit.contains { $0.event.action == "read" && $0.event.outcome == .success && $0.event.actorRole == Role.billing.rawValue })
        }
    }

    @Test func nursesAndTheFrontDeskHaveNoLetters() async throws {
        try await TestWorld.with { world, client in
            let (patient, _) = try await world.activePlan()
            let pid = patient.id.rawValue.uuidString
            let letter = try await world.clinic.draftNecessityLetter(for: patient.id, by: world.actor(.physician))
            _ = try await world.clinic.signNecessityLetter(letter.id, by: world.actor(.physician))
            for role in [Role.nurse, .frontDesk] {
                let s = try await world.browser(role)
                #expect(try await client.page(.get, "/patients/\(pid)/letters", cookie: s.cookie).status == .forbidden)
                #expect(try await client.page(.get, "/letters/\(letter.id.uuidString)", cookie: s.cookie).status == .forbidden)
                #expect(try await client.page(.post, "/patients/\(pid)/letters/new", cookie: s.cookie, form: ["csrf": s.csrf]).status == .forbidden)
                #expect(!(try await client.page(.get, "/patients/\(pid)", cookie: s.cookie).text.contains("/patients/\(pid)/letters")))
            }
            // the admin reads the signed letter ("read charts")
            let a = try await world.browser(.admin)
            #expect(try await client.page(.get, "/letters/\(letter.id.uuidString)", cookie: a.cookie).status == .ok)
            // every refusal is audited: the letter reads under the letter, the list and the draft under the patient
            #expect(try await world.audit(resource: letter.id.uuidString).filter { $0.event.outcome == .denied }.count == 2)
            let refused = try await world.audit(resource: pid).filter { $0.event.outcome == .denied && $0.event.resourceType == ResourceKind.necessityLetters.rawValue }
            #expect(Set(refused.map(\.event.action)) == ["list", "create"] && refused.count == 4)
        }
    }
}
