import ClinicCore
import ClinicStore
import ClinicTestSupport
import Foundation
import Testing

/// The monitor-ingest batch insert on both engines (SQLite binds `SQLiteData` directly, PostgreSQL goes through SQLKit):
/// what is stored, what is reported as stored, resends, and batches over one statement's rows.
@Suite struct VitalStoreTests {
    let device = MonitorDevice.ID(UUID())
    let session = InfusionSession.ID(UUID())
    let at = Date(microsecondsSince1970: 1_795_000_000_123_456)

    func message(_ controlID: String, sender: String = "MON-1|CLINIC", filed: Bool = true, body: String? = nil) -> StoredVitalMessage {
        StoredVitalMessage(sender: sender, controlID: controlID, deviceID: filed ? device : nil, sourceAddress: "10.0.0.7", receivedAt: at,
                           sessionID: filed ? session : nil, status: filed ? .filed : .quarantined,
                           reason: filed ? "" : "No monitor registered at 10.0.0.7 sends as X/Y.",
                           body: body ?? "MSH|^~\\&|MON-1|CLINIC|||20261125||ORU^R01|\(controlID)|P|2.6\rOBX|1|NM|é ✓ \u{1F600}\r")
    }

    @Test func aBatchStoresEachNewMessageAndReportsOnlyThose() async throws {
        try await TestDatabase.with { db in
            // given a batch of two filed messages and a quarantined one
            let first = [message("A-1"), message("A-2"), message("Q-1", sender: "X|Y", filed: false)]
            let stored = try await db.store.write { try await $0.insertVitalMessages(first) }
            // then all three are new, and each reads back as it was written
            #expect(stored == Set(first.map(\.key)))
            for m in first {
                #expect(try await db.store.read { try await $0.vitalMessage(m.key) } == m)
            }
            // when a later batch resends one of them beside a new one
            let second = [message("A-2", body: "a resend's body is not stored"), message("A-3")]
            let again = try await db.store.write { try await $0.insertVitalMessages(second) }
            // then only the new one is reported, and the first copy is kept
            #expect(again == [second[1].key])
            #expect(try await db.store.read { try await $0.vitalMessage(first[1].key) }?.body == first[1].body)
            #expect(try await db.store.read { try await $0.countVitalMessages(status: .quarantined) } == 1)
        }
    }

    @Test func batchesLargerThanOneStatementAreStoredWhole() async throws {
        try await TestDatabase.with { db in
            // given 2,500 messages (two statements) and 6,000 observations (two statements)
            let messages = (0..<2500).map { message("B-\($0)") }
            var made: [StoredVitalObservation] = []
            for i in 0..<6000 {
                let parameter: VitalParameter = i % 2 == 0 ? .heartRate : .oxygenSaturation
                let value = Double(60 + i % 40) + 0.25
                let time = Date(microsecondsSince1970: at.microsecondsSince1970 + Int64(i))
                made.append(StoredVitalObservation(sessionID: session, observation: VitalObservation(parameter, value, at: time),
                                                   key: messages[i % messages.count].key))
            }
            let observations = made
            // when they are written in one transaction
            let stored = try await db.store.write { tx in
                let stored = try await tx.insertVitalMessages(messages)
                try await tx.insertVitalObservations(observations)
                return stored
            }
            // then every message is new and every observation reads back, in time order, with its value and time
            #expect(stored.count == 2500)
            let read = try await db.store.read { try await $0.vitalObservations(session: session, since: nil) }
            #expect(read == observations.map(\.observation))
            let latest = try await db.store.read { try await $0.latestObservationTimes(session: session) }
            #expect(latest[.oxygenSaturation] == Date(microsecondsSince1970: at.microsecondsSince1970 + 5999))
        }
    }
}
