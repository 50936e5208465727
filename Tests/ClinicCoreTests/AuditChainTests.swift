import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

@Suite("AuditChain (DESIGN §4: keyed hash chain, verified with positions)")
struct AuditChainTests {
    static let key = Data(repeating: 0x5A, count: 32)
    static let otherKey = Data(repeating: 0xA5, count: 32)
    static let chain = AuditChain(key: key)
    /// 2026-11-25T10:00:00Z.
    static let t0 = Date(timeIntervalSince1970: 1_795_600_800)

    /// Five distinct events, one minute apart.
    static let events: [AuditEvent] = (0..<5).map(event)

    static func event(_ i: Int) -> AuditEvent {
        let role = i.isMultiple(of: 2) ? "nurse" : "physician"
        let outcome: AuditOutcome = i == 3 ? .denied : .success
        return AuditEvent(at: t0.addingTimeInterval(Double(i) * 60),
                          actorID: "00000000-0000-0000-0000-00000000000\(i)",
                          actorRole: role,
                          action: i == 4 ? "update" : "read",
                          resourceType: "patientDemographics",
                          resourceID: "00000000-0000-0000-0000-0000000000B\(i)",
                          outcome: outcome,
                          client: "192.0.2.\(i + 1)",
                          detail: i == 4 ? "fields:phone" : "")
    }

    /// The five events sealed after an empty head.
    static let sealed = chain.append(events, after: chain.emptyHead())

    /// Runs the verifier over `entries` and the head; nil when the chain is intact.
    static func verify(_ entries: [AuditEntry], head: AuditHead?, with chain: AuditChain = chain) -> AuditVerificationFailure? {
        var verifier = chain.verifier()
        do {
            for entry in entries { try verifier.check(entry) }
            try verifier.finish(head: head)
            return nil
        } catch {
            return error
        }
    }

    @Test("an intact chain verifies, head and count included")
    func intactChainPasses() {
        // given
        let (entries, head) = Self.sealed

        // when
        var verifier = Self.chain.verifier()
        var failure: AuditVerificationFailure?
        do {
            for entry in entries { try verifier.check(entry) }
            try verifier.finish(head: head)
        } catch { failure = error }

        // then
        #expect(failure == nil)
        #expect(verifier.checked == 5)
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(head.sequence == 5 && head.count == 5 && head.hash == entries.last?.hash)
    }

    @Test("an empty chain verifies against its empty head, and with no head at all")
    func emptyChainPasses() {
        // given
        let head = Self.chain.emptyHead()

        // when / then
        #expect(head.sequence == 0 && head.count == 0 && head.hash == AuditChain.genesis)
        #expect(Self.verify([], head: head) == nil)
        #expect(Self.verify([], head: nil) == nil)
    }

    enum Field: String, CaseIterable, Sendable {
        case at, actorID, actorRole, action, resourceType, resourceID, outcome, client, detail, hash

        func alter(_ entry: inout AuditEntry) {
            switch self {
            case .at: entry.event.at = entry.event.at.addingTimeInterval(0.000_001)
            case .actorID: entry.event.actorID = "00000000-0000-0000-0000-0000000000FF"
            case .actorRole: entry.event.actorRole = "admin"
            case .action: entry.event.action = "list"
            case .resourceType: entry.event.resourceType = "screening"
            case .resourceID: entry.event.resourceID += "0"
            case .outcome: entry.event.outcome = .failure
            case .client: entry.event.client = "198.51.100.7"
            case .detail: entry.event.detail = "x"
            case .hash: entry.hash = String(entry.hash.reversed())
            }
        }
    }

    @Test("altering any field of a middle entry is reported at that entry", arguments: Field.allCases)
    func alteredMiddleEntry(_ field: Field) throws {
        // given
        var (entries, head) = Self.sealed

        // when
        field.alter(&entries[2])
        let failure = try #require(Self.verify(entries, head: head))

        // then
        #expect(failure.position == 3)
    }

    @Test("altering the last entry is reported at the last entry", arguments: Field.allCases)
    func alteredLastEntry(_ field: Field) throws {
        // given
        var (entries, head) = Self.sealed

        // when
        field.alter(&entries[4])
        let failure = try #require(Self.verify(entries, head: head))

        // then
        #expect(failure.position == 5)
    }

    @Test("an entry inserted in the middle and the rest renumbered is reported where it was inserted")
    func insertedRenumbered() throws {
        // given: a forger without the key inserts after entry 2 and shifts 3…5 to 4…6,
        // sealing the new entry with a key of their own and rewriting the head likewise
        let (entries, _) = Self.sealed
        let forger = AuditChain(key: Self.otherKey)
        let intruder = AuditEvent(at: Self.t0.addingTimeInterval(90), actorID: "x", actorRole: "admin", action: "read",
                                  resourceType: "patientClinical", resourceID: "y", outcome: .success, client: "203.0.113.9")
        let forged = forger.append([intruder], after: AuditHead(sequence: 2, hash: entries[1].hash, count: 2, seal: ""))
        var tampered = Array(entries[0..<2]) + forged.entries
        for var e in entries[2...] { e.sequence += 1; tampered.append(e) }
        let forgedHead = forger.append([], after: AuditHead(sequence: 6, hash: tampered[5].hash, count: 6, seal: "")).head

        // when
        let failure = try #require(Self.verify(tampered, head: forgedHead))

        // then
        #expect(failure.position == 3)
    }

    @Test("an entry inserted in the middle with a duplicate sequence is reported at that sequence")
    func insertedDuplicateSequence() throws {
        // given: a copy of entry 2 replayed right after it
        let (entries, head) = Self.sealed
        let tampered = Array(entries[0..<2]) + [entries[1]] + Array(entries[2...])

        // when
        let failure = try #require(Self.verify(tampered, head: head))

        // then: the verifier expected entry 3 and met a second entry 2
        #expect(failure.position == 2)
        #expect(failure.problem.contains("twice"))
    }

    @Test("a deleted middle entry is reported as missing at its position")
    func deletedMiddleEntry() throws {
        // given
        var (entries, head) = Self.sealed
        entries.remove(at: 2)

        // when
        let failure = try #require(Self.verify(entries, head: head))

        // then
        #expect(failure.position == 3)
        #expect(failure.problem.contains("missing"))
    }

    @Test("a deleted middle entry with the rest renumbered is reported at its position")
    func deletedMiddleEntryRenumbered() throws {
        // given
        var (entries, head) = Self.sealed
        entries.remove(at: 2)
        for i in 2..<entries.count { entries[i].sequence -= 1 }

        // when
        let failure = try #require(Self.verify(entries, head: head))

        // then
        #expect(failure.position == 3)
    }

    @Test("a deleted last entry is caught by the head, which still says 5")
    func deletedLastEntry() throws {
        // given
        var (entries, head) = Self.sealed
        entries.removeLast()

        // when
        let failure = try #require(Self.verify(entries, head: head))

        // then
        #expect(failure.position == 5)
    }

    @Test("a chain emptied of all its entries is caught by the head")
    func allEntriesDeleted() throws {
        // given
        let (_, head) = Self.sealed

        // when
        let failure = try #require(Self.verify([], head: head))

        // then
        #expect(failure.position == 1)
    }

    @Test("a truncated chain whose head was rewritten without the key fails on the head's seal")
    func truncatedWithForgedHead() throws {
        // given: entry 5 removed and the head resealed for 4 entries with another key
        var (entries, _) = Self.sealed
        entries.removeLast()
        let forged = AuditChain(key: Self.otherKey).append([], after: AuditHead(sequence: 4, hash: entries[3].hash, count: 4, seal: "")).head

        // when
        let failure = try #require(Self.verify(entries, head: forged))

        // then
        #expect(failure.position == 4)
        #expect(failure.problem.contains("head"))
    }

    @Test("a head with a forged seal fails even when the entries are intact")
    func forgedSealOnIntactChain() throws {
        // given
        let (entries, head) = Self.sealed
        let forged = AuditChain(key: Self.otherKey).append([], after: head).head

        // when
        let failure = try #require(Self.verify(entries, head: forged))

        // then
        #expect(forged.seal != head.seal)
        #expect(failure.position == 5)
    }

    @Test("a validly sealed head from another chain fails on the last entry's hash")
    func headFromAnotherChain() throws {
        // given: same key, same length, different events
        let (entries, _) = Self.sealed
        var others = Self.events
        others[4].detail = "fields:email"
        let otherHead = Self.chain.append(others, after: Self.chain.emptyHead()).head

        // when
        let failure = try #require(Self.verify(entries, head: otherHead))

        // then
        #expect(failure.position == 5)
    }

    @Test("a missing head with entries present is reported")
    func missingHead() throws {
        // given
        let (entries, _) = Self.sealed

        // when
        let failure = try #require(Self.verify(entries, head: nil))

        // then
        #expect(failure.position == 5)
    }

    @Test("verifying with a different key fails at the first entry")
    func differentKey() throws {
        // given
        let (entries, head) = Self.sealed

        // when
        let failure = try #require(Self.verify(entries, head: head, with: AuditChain(key: Self.otherKey)))

        // then
        #expect(failure.position == 1)
    }

    @Test("the canonical encoding uses integer microseconds: sub-microsecond noise hashes the same after a round trip")
    func microsecondCanonicalEncoding() throws {
        // given: an instant with sub-microsecond noise, as a Date read from the clock may carry
        var noisy = Self.events[0]
        noisy.at = Self.t0.addingTimeInterval(0.123_456_3)
        var stored = noisy
        stored.at = Date(microsecondsSince1970: noisy.at.microsecondsSince1970)

        // when
        let sealed = Self.chain.append([noisy], after: Self.chain.emptyHead())
        let readBack = AuditEntry(sequence: 1, event: stored, hash: sealed.entries[0].hash)

        // then
        #expect(stored.at != noisy.at)
        #expect(stored.at.microsecondsSince1970 == noisy.at.microsecondsSince1970)
        #expect(abs(stored.at.timeIntervalSince(noisy.at)) < 0.000_001)
        #expect(AuditChain.canonical(sequence: 1, event: noisy) == AuditChain.canonical(sequence: 1, event: stored))
        #expect(Self.verify([readBack], head: sealed.head) == nil)
        // one whole microsecond later is a different instant and a different encoding
        var later = stored
        later.at = Date(microsecondsSince1970: stored.at.microsecondsSince1970 + 1)
        #expect(AuditChain.canonical(sequence: 1, event: later) != AuditChain.canonical(sequence: 1, event: stored))
    }

    @Test("the canonical encoding is one-to-one: a unit separator inside a field cannot move a field boundary")
    func canonicalEncodingIsInjective() {
        // given: a client address that arrived with a unit separator in it, and the same entry rewritten
        // by someone without the key so that part of the client now reads as the detail
        var original = Self.events[0]
        original.client = "192.0.2.1\u{1F}wrong-password"
        original.detail = ""
        var rewritten = original
        rewritten.client = "192.0.2.1"
        rewritten.detail = "wrong-password\u{1F}"

        // when
        let sealed = Self.chain.append([original], after: Self.chain.emptyHead())
        let tampered = AuditEntry(sequence: 1, event: rewritten, hash: sealed.entries[0].hash)

        // then
        #expect(AuditChain.canonical(sequence: 1, event: original) != AuditChain.canonical(sequence: 1, event: rewritten))
        #expect(Self.verify([tampered], head: sealed.head)?.position == 1)
    }

    /// The encoding as first defined (DESIGN §4): each field's text, in order, prefixed with its UTF-8 length and ":".
    static func definedCanonical(_ sequence: Int64, _ e: AuditEvent) -> Data {
        let fields = [String(sequence), String(e.at.microsecondsSince1970), e.actorID, e.actorRole, e.action,
                      e.resourceType, e.resourceID, e.outcome.rawValue, e.client, e.detail]
        var out = Data()
        for f in fields {
            let bytes = Array(f.utf8)
            out.append(contentsOf: Array("\(bytes.count):".utf8))
            out.append(contentsOf: bytes)
        }
        return out
    }

    @Test("the canonical encoding is byte for byte the defined one for any text and any sequence, so existing chains still verify")
    func canonicalEncodingMatchesItsDefinition() async {
        let text = Gen.character(in: "\u{1}"..."\u{D7FF}").string(of: 0...30)
        let numbers = zip(Gen.int64(in: 0...Int64.max), Gen.int64(in: 946_684_800_000_000...4_102_444_800_000_000))
        await propertyCheck(count: 400, input: zip(numbers, text, text, text)) { n, a, b, c in
            let e = AuditEvent(at: Date(microsecondsSince1970: n.1), actorID: a, actorRole: b, action: c, resourceType: a + b,
                               resourceID: c, outcome: .denied, client: b, detail: a + c)
            #expect(AuditChain.canonical(sequence: n.0, event: e) == Self.definedCanonical(n.0, e))
        }
        for sequence: Int64 in [0, 1, 9, 10, 99, 100, Int64.max] {
            #expect(AuditChain.canonical(sequence: sequence, event: Self.events[4]) == Self.definedCanonical(sequence, Self.events[4]))
        }
    }

    @Test("a UUID's text is Foundation's uuidString, for any 128 bits")
    func uuidTextIsUUIDString() async {
        await propertyCheck(count: 1_000, input: zip(Gen.uint64(), Gen.uint64())) { high, low in
            let b = withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
            let id = UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
            #expect(id.text == id.uuidString)
        }
        let extremes = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                        UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for id in extremes { #expect(id.text == id.uuidString) }
    }

    @Test("the per-resource index runs rarely and in bulk: at the backlog limit, or once entries have waited long enough, never for nothing")
    func auditIndexSchedule() {
        let schedule = AuditIndexSchedule(maximumBacklog: 50_000, maximumWait: .seconds(60))
        #expect(!schedule.shouldIndex(backlog: 0, sinceLastPass: .seconds(3600)))
        #expect(!schedule.shouldIndex(backlog: 49_999, sinceLastPass: .seconds(59)))
        #expect(schedule.shouldIndex(backlog: 50_000, sinceLastPass: .zero))
        #expect(schedule.shouldIndex(backlog: 1, sinceLastPass: .seconds(60)))
        #expect(!schedule.shouldIndex(backlog: 1, sinceLastPass: .milliseconds(59_999)))
    }

    @Test("microseconds read back exactly: Date(microsecondsSince1970:) round-trips every instant of 2000–2100 (DESIGN §4)")
    func microsecondRoundTrip() async {
        // given: any whole-microsecond instant between 2000-01-01 and 2100-01-01
        await propertyCheck(count: 2_000, input: Gen.int64(in: 946_684_800_000_000...4_102_444_800_000_000)) { us in
            // when
            let date = Date(microsecondsSince1970: us)

            // then
            #expect(date.microsecondsSince1970 == us)
        }
    }

    @Test("appending in two batches gives the same chain as one batch")
    func twoBatchesEqualOne() {
        // given
        let empty = Self.chain.emptyHead()

        // when
        let first = Self.chain.append(Array(Self.events[0..<2]), after: empty)
        let second = Self.chain.append(Array(Self.events[2...]), after: first.head)
        let whole = Self.chain.append(Self.events, after: empty)

        // then
        #expect(first.entries + second.entries == whole.entries)
        #expect(second.head == whole.head)
        #expect(Self.verify(first.entries + second.entries, head: second.head) == nil)
    }

    @Test("a chain can be verified in pages, carrying the verifier's state")
    func pagedVerification() throws {
        // given
        let (entries, head) = Self.sealed
        var verifier = Self.chain.verifier()

        // when
        for page in [entries[0..<2], entries[2..<4], entries[4..<5]] {
            for entry in page { try verifier.check(entry) }
        }

        // then
        try verifier.finish(head: head)
        #expect(verifier.checked == 5)
        #expect(verifier.previousHash == head.hash)
    }
}
