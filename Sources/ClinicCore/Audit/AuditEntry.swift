import Crypto
import Foundation

/// What happened to an access attempt.
public enum AuditOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case success, denied, failure
}

/// One audit record before it is sealed into the chain.
public struct AuditEvent: Sendable, Hashable, Codable {
    public var at: Date
    /// Empty for the system itself (e.g. the first-start admin).
    public var actorID: String
    public var actorRole: String
    /// The verb, e.g. `read`, `update`, `signIn`, `override`.
    public var action: String
    public var resourceType: String
    public var resourceID: String
    public var outcome: AuditOutcome
    public var client: String
    /// A short code with no patient data, e.g. `wrong-password`, `fields:phone,weight`.
    public var detail: String

    public init(at: Date, actorID: String, actorRole: String, action: String, resourceType: String,
                resourceID: String, outcome: AuditOutcome, client: String, detail: String = "") {
        self.at = at
        self.actorID = actorID
        self.actorRole = actorRole
        self.action = action
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.outcome = outcome
        self.client = client
        self.detail = detail
    }

    /// An event for an actor's request.
    public init(_ actor: Actor, _ request: AccessRequest, outcome: AuditOutcome, at: Date, detail: String = "") {
        self.init(at: at, actorID: actor.userID.rawValue.text, actorRole: actor.role.rawValue,
                  action: request.action.rawValue, resourceType: request.kind.rawValue,
                  resourceID: request.resourceID, outcome: outcome, client: actor.client, detail: detail)
    }
}

/// An audit record as stored: its position in the chain and its keyed hash.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var sequence: Int64
    public var event: AuditEvent
    /// Hex HMAC-SHA-256 of the previous entry's hash and this entry's canonical encoding.
    public var hash: String

    public init(sequence: Int64, event: AuditEvent, hash: String) {
        self.sequence = sequence
        self.event = event
        self.hash = hash
    }
}

/// The chain's head: last sequence, its hash and the count, sealed with the key so nobody can truncate the chain
/// and rewrite the head without it.
public struct AuditHead: Sendable, Hashable, Codable {
    public var sequence: Int64
    public var hash: String
    public var count: Int64
    public var seal: String

    public init(sequence: Int64, hash: String, count: Int64, seal: String) {
        self.sequence = sequence
        self.hash = hash
        self.count = count
        self.seal = seal
    }
}

/// Seals events into the keyed hash chain (HMAC-SHA-256, DESIGN §4) and verifies it.
public struct AuditChain: Sendable {
    let key: SymmetricKey
    /// The hash that precedes the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    public init(key: Data) {
        self.key = SymmetricKey(data: key)
    }

    /// The head of an empty chain.
    public func emptyHead() -> AuditHead {
        seal(sequence: 0, hash: AuditChain.genesis, count: 0)
    }

    /// Appends events after `head`, returning the sealed entries and the new head.
    public func append(_ events: [AuditEvent], after head: AuditHead) -> (entries: [AuditEntry], head: AuditHead) {
        var previous = head.hash
        var sequence = head.sequence
        var entries: [AuditEntry] = []
        entries.reserveCapacity(events.count)
        for event in events {
            sequence += 1
            let hash = entryHash(previous: previous, sequence: sequence, event: event)
            entries.append(AuditEntry(sequence: sequence, event: event, hash: hash))
            previous = hash
        }
        return (entries, seal(sequence: sequence, hash: previous, count: head.count + Int64(events.count)))
    }

    /// The canonical encoding that is hashed: each field prefixed with its UTF-8 length (so no two different events
    /// encode alike, whatever characters a field holds), instants as integer microseconds, so a value reads back
    /// exactly as it was hashed on both databases.
    public static func canonical(sequence: Int64, event e: AuditEvent) -> Data {
        Data(canonicalBytes(sequence: sequence, event: e))
    }

    /// `canonical` as bytes, written into one buffer (this runs for every audited request).
    static func canonicalBytes(sequence: Int64, event e: AuditEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + e.detail.utf8.count)
        func field(_ f: String) {
            var f = f
            f.withUTF8 { bytes in
                appendDecimal(Int64(bytes.count), to: &out)
                out.append(58) // ":"
                out.append(contentsOf: bytes)
            }
        }
        func number(_ n: Int64) {
            var digits: [UInt8] = []
            appendDecimal(n, to: &digits)
            appendDecimal(Int64(digits.count), to: &out)
            out.append(58)
            out.append(contentsOf: digits)
        }
        number(sequence)
        number(e.at.microsecondsSince1970)
        field(e.actorID)
        field(e.actorRole)
        field(e.action)
        field(e.resourceType)
        field(e.resourceID)
        field(e.outcome.rawValue)
        field(e.client)
        field(e.detail)
        return out
    }

    /// The decimal digits of `n` as `String(n)` writes them.
    static func appendDecimal(_ n: Int64, to out: inout [UInt8]) {
        if n < 0 { out.append(45) }
        var magnitude = n.magnitude
        var reversed: [UInt8] = []
        repeat {
            reversed.append(48 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out.append(contentsOf: reversed.reversed())
    }

    func entryHash(previous: String, sequence: Int64, event: AuditEvent) -> String {
        var mac = HMAC<SHA256>(key: key)
        var previous = previous
        previous.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        mac.update(data: AuditChain.canonicalBytes(sequence: sequence, event: event))
        return mac.finalize().withUnsafeBytes { Data($0) }.hexString
    }

    func seal(sequence: Int64, hash: String, count: Int64) -> AuditHead {
        let text = "head\u{1F}\(sequence)\u{1F}\(hash)\u{1F}\(count)"
        let seal = Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)).hexString
        return AuditHead(sequence: sequence, hash: hash, count: count, seal: seal)
    }

    /// Checks entries (in stored order) one by one, carrying the state, so a long chain can be verified in pages.
    public struct Verifier: Sendable {
        let chain: AuditChain
        public private(set) var previousHash = AuditChain.genesis
        public private(set) var expectedSequence: Int64 = 1
        public private(set) var checked: Int64 = 0

        /// Checks the next entry; throws the first problem found.
        public mutating func check(_ entry: AuditEntry) throws(AuditVerificationFailure) {
            if entry.sequence != expectedSequence {
                if entry.sequence > expectedSequence {
                    throw .init(position: expectedSequence, problem: "entry \(expectedSequence) is missing (next stored entry is \(entry.sequence))")
                }
                throw .init(position: entry.sequence, problem: "entry \(entry.sequence) appears out of order or twice (expected \(expectedSequence))")
            }
            let recomputed = chain.entryHash(previous: previousHash, sequence: entry.sequence, event: entry.event)
            guard recomputed == entry.hash else {
                throw .init(position: entry.sequence, problem: "entry \(entry.sequence) was altered or inserted: its hash does not match its content and the entry before it")
            }
            previousHash = entry.hash
            expectedSequence += 1
            checked += 1
        }

        /// Checks the head against the last entry seen: catches entries removed from the end.
        public func finish(head: AuditHead?) throws(AuditVerificationFailure) {
            guard let head else {
                if checked == 0 { return }
                throw .init(position: checked, problem: "the chain head is missing")
            }
            let resealed = chain.seal(sequence: head.sequence, hash: head.hash, count: head.count)
            guard resealed.seal == head.seal else {
                throw .init(position: head.sequence, problem: "the chain head was altered: its seal does not match")
            }
            if head.count != checked || head.sequence != expectedSequence - 1 {
                throw .init(position: expectedSequence, problem: "the chain ends at entry \(expectedSequence - 1) but the head records \(head.count) entries ending at \(head.sequence): entries were removed from the end")
            }
            guard head.hash == previousHash else {
                throw .init(position: head.sequence, problem: "entry \(head.sequence) does not match the chain head's hash")
            }
        }
    }

    /// A verifier for this chain's key.
    public func verifier() -> Verifier { Verifier(chain: self) }
}

/// Where and why verification failed.
public struct AuditVerificationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var position: Int64
    public var problem: String
    public var description: String { "audit chain broken at entry \(position): \(problem)" }
}

extension Data {
    /// Lower-case hexadecimal.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
