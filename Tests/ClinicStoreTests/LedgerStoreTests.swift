import ClinicCore
import ClinicStore
import ClinicTestSupport
import Foundation
import Testing

/// The patients' ledger on both engines (issue 6): lines are insert-only, and a charge from a source is stored once.
@Suite struct LedgerStoreTests {
    @Test func ledgerLinesCannotBeChangedOrReplacedAndASourceIsPostedOnce() async throws {
        try await withClinic { clinic, _, clock in
            // given a patient with a charge posted from a session
            let p = try await register(clinic, form("Lena", "Ledger"))
            let billing = Actor(userID: User.ID(UUID()), role: .billing, client: "127.0.0.1")
            let day = clinic.today, now = clock.now
            let charge = LedgerEntry.charge(Money(cents: 45_000), patient: p.id, on: day, at: now, by: billing.userID, description: "Infusion", source: "session:a")
            let first = try await clinic.store.write { try await clinic.postLedgerEntry(charge, patient: p.id, by: billing, $0) }
            // when the same source is posted again, with another amount, the earlier line is returned and nothing is written
            var changed = charge
            changed.amount = Money(cents: 99_999)
            let again = changed
            let second = try await clinic.store.write { try await clinic.postLedgerEntry(again, patient: p.id, by: billing, $0) }
            #expect(second == first)
            // and a direct attempt to replace the stored line is refused by the database (insert-only)
            await #expect(throws: (any Error).self) {
                try await clinic.store.write { tx in
                    try await tx.put(again, in: .ledgerEntries, id: charge.id.rawValue.uuidString, index: DocumentIndex(patientID: p.id.rawValue.uuidString))
                }
            }
            let account = try await clinic.patientAccount(p.id, by: billing)
            #expect(account.lines.map(\.entry.amount) == [Money(cents: 45_000)] && account.balance == Money(cents: 45_000))
        }
    }
}
