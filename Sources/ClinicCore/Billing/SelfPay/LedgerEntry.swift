import Crypto
import Foundation
import Tagged

public enum LedgerEntryTag {}
extension LedgerEntry { public typealias ID = Tagged<LedgerEntryTag, UUID> }

/// How a patient paid or was refunded.
public enum PaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case card, cash, check, bankTransfer, other

    public var title: String {
        switch self {
        case .card: "card"
        case .cash: "cash"
        case .check: "check"
        case .bankTransfer: "bank transfer"
        case .other: "other"
        }
    }
}

/// One line of a patient's account: append-only, never edited or deleted; a mistake is put right by another line.
public struct LedgerEntry: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Services charged (raises the balance).
        case charge
        /// Money received from the patient (lowers it).
        case payment
        /// Money given back to the patient (raises it).
        case refund
        /// An amount the clinic will not collect (lowers it); billing only.
        case writeOff
        /// A correction: its amount is signed (+ raises the balance, − lowers it).
        case adjustment

        public var title: String {
            switch self {
            case .charge: "charge"
            case .payment: "payment"
            case .refund: "refund"
            case .writeOff: "write-off"
            case .adjustment: "adjustment"
            }
        }
    }

    public let id: ID
    public var patientID: Patient.ID
    public var kind: Kind
    /// Positive for every kind but an adjustment, which is signed.
    public var amount: Money
    /// The day of service or payment.
    public var on: CalendarDate
    /// When it was recorded.
    public var at: Date
    public var by: User.ID
    public var description: String
    /// A receipt, check or card reference.
    public var reference: String
    public var method: PaymentMethod?
    /// What posted it, e.g. `session:<uuid>`: an entry with a source is posted at most once.
    public var source: String?
    /// The payment plan a payment or refund counts toward.
    public var planID: PaymentPlan.ID?

    public init(id: ID, patientID: Patient.ID, kind: Kind, amount: Money, on: CalendarDate, at: Date, by: User.ID, description: String,
                reference: String = "", method: PaymentMethod? = nil, source: String? = nil, planID: PaymentPlan.ID? = nil) {
        self.id = id
        self.patientID = patientID
        self.kind = kind
        self.amount = amount
        self.on = on
        self.at = at
        self.by = by
        self.description = description
        self.reference = reference
        self.method = method
        self.source = source
        self.planID = planID
    }

    /// A charge to post from elsewhere (a completed session, a superbill) with its source, so it is posted once.
    public static func charge(_ amount: Money, patient: Patient.ID, on day: CalendarDate, at: Date, by: User.ID, description: String,
                              source: String) -> LedgerEntry {
        LedgerEntry(id: sourcedID(source), patientID: patient, kind: .charge, amount: amount, on: day, at: at, by: by, description: description, source: source)
    }

    /// What the entry does to the balance (what the patient owes).
    public var balanceEffect: Money {
        switch kind {
        case .charge, .refund: amount
        case .payment, .writeOff: -amount
        case .adjustment: amount
        }
    }

    /// The id of the entry posted from a source: the same source always gives the same id, so even two transactions
    /// racing to post it store one row.
    public static func sourcedID(_ source: String) -> ID {
        var bytes = Array(SHA256.hash(data: Data("ledger-source:\(source)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50 // RFC 4122 name-based layout (version 5 bits over a SHA-256 prefix)
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return ID(UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                              bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])))
    }
}

/// A ledger line with the balance after it.
public struct LedgerLine: Sendable, Hashable {
    public var entry: LedgerEntry
    public var balanceAfter: Money
}

/// Totals of an account by kind; `balance` = charges − payments + refunds − write-offs ± adjustments.
public struct LedgerTotals: Sendable, Hashable {
    public var charges = Money.zero
    public var payments = Money.zero
    public var refunds = Money.zero
    public var writeOffs = Money.zero
    public var adjustments = Money.zero
    public var balance: Money { charges - payments + refunds - writeOffs + adjustments }
}

/// A patient's ledger read in order.
public enum Ledger {
    /// The order lines are shown and balanced in: when recorded, then id.
    public static func ordered(_ entries: [LedgerEntry]) -> [LedgerEntry] {
        entries.sorted { ($0.at, $0.id.rawValue.uuidString) < ($1.at, $1.id.rawValue.uuidString) }
    }

    /// Every line with the running balance after it.
    public static func lines(_ entries: [LedgerEntry]) -> [LedgerLine] {
        var balance = Money.zero
        return ordered(entries).map { e in
            balance += e.balanceEffect
            return LedgerLine(entry: e, balanceAfter: balance)
        }
    }

    public static func balance(_ entries: [LedgerEntry]) -> Money { entries.reduce(Money.zero) { $0 + $1.balanceEffect } }

    public static func totals(_ entries: [LedgerEntry]) -> LedgerTotals {
        var t = LedgerTotals()
        for e in entries {
            switch e.kind {
            case .charge: t.charges += e.amount
            case .payment: t.payments += e.amount
            case .refund: t.refunds += e.amount
            case .writeOff: t.writeOffs += e.amount
            case .adjustment: t.adjustments += e.amount
            }
        }
        return t
    }

    /// Payments less refunds: the most that may still be refunded.
    public static func refundable(_ entries: [LedgerEntry]) -> Money {
        let t = totals(entries)
        return t.payments - t.refunds
    }
}

/// A payment, refund or write-off as entered at the desk.
public struct LedgerEntryForm: Sendable, Hashable {
    public var kind: LedgerEntry.Kind
    public var amount: String
    /// Blank: today.
    public var on: String
    public var method: String
    public var reference: String
    public var reason: String

    public init(kind: LedgerEntry.Kind, amount: String, on: String = "", method: String = "", reference: String = "", reason: String = "") {
        self.kind = kind
        self.amount = amount
        self.on = on
        self.method = method
        self.reference = reference
        self.reason = reason
    }

    /// Checks the entry against the account: a refund never exceeds what was paid, a write-off never exceeds what is
    /// owed; refunds and write-offs say why.
    public func validated(entries: [LedgerEntry], today: CalendarDate) throws -> (amount: Money, on: CalendarDate, method: PaymentMethod?, reference: String, reason: String) {
        var errors = FieldErrors()
        guard [.payment, .refund, .writeOff].contains(kind) else { throw ClinicError.invalid("kind", "Record a payment, a refund or a write-off") }
        let amount = Money.parse(amount)
        if amount == nil || amount!.cents <= 0 { errors.add("amount", "Give an amount more than zero, such as 125 or 125.50") }
        let day = on.trimmingCharacters(in: .whitespaces).isEmpty ? today : CalendarDate(on.trimmingCharacters(in: .whitespaces))
        if day == nil { errors.add("on", "Give the date as YYYY-MM-DD") }
        else if day! > today { errors.add("on", "Cannot be in the future") }
        else if today.daysSinceEpoch - day!.daysSinceEpoch > 366 { errors.add("on", "Must be within the last year") }
        var m: PaymentMethod?
        if kind != .writeOff {
            m = PaymentMethod(rawValue: method)
            if m == nil { errors.add("method", "Choose card, cash, check, bank transfer or other") }
        }
        let ref = reference.trimmingCharacters(in: .whitespacesAndNewlines), why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if ref.count > 100 { errors.add("reference", "Must be at most 100 characters") }
        if why.count > 500 { errors.add("reason", "Must be at most 500 characters") }
        if kind != .payment, why.isEmpty { errors.add("reason", "Say why the \(kind.title) is made") }
        if let amount, amount.cents > 0 {
            if kind == .refund, amount > Ledger.refundable(entries) {
                errors.add("amount", "A refund cannot exceed what was paid less earlier refunds (\(Ledger.refundable(entries).groupedText))")
            }
            if kind == .writeOff, amount > max(Ledger.balance(entries), .zero) {
                errors.add("amount", "A write-off cannot exceed what the patient owes (\(max(Ledger.balance(entries), .zero).groupedText))")
            }
            if amount.cents > 10_000_000_00 { errors.add("amount", "Must be at most 10,000,000") }
        }
        try errors.throwIfAny()
        return (amount!, day!, m, ref, why)
    }
}
