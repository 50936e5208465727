import Foundation
import Tagged

public enum GoodFaithEstimateTag {}
extension GoodFaithEstimate { public typealias ID = Tagged<GoodFaithEstimateTag, UUID> }

/// A good-faith estimate for an uninsured or self-pay patient, before the series (No Surprises Act, PHS Act §2799B-6;
/// 45 CFR 149.610(c)): the patient, the primary service in plain words, each item with its service code, quantity and
/// expected charge, the diagnosis codes, the provider (name, NPI, TIN, location), the dates it covers, and the
/// disclaimers the rule asks for. Issued once and never changed: a new estimate replaces it.
public struct GoodFaithEstimate: Sendable, Hashable, Codable, Identifiable {
    public struct Line: Sendable, Hashable, Codable {
        public var itemID: String
        public var description: String
        public var code: String
        public var quantity: Int
        public var unitPrice: Money
        public var total: Money
    }

    public struct Provider: Sendable, Hashable, Codable {
        public var name: String
        public var npi: String
        public var tin: String
        public var address: String
    }

    public let id: ID
    public var patientID: Patient.ID
    public var patientName: String
    public var dateOfBirth: CalendarDate
    /// The primary service in clear words, e.g. "A series of 6 ketamine infusions (Standard induction)".
    public var primaryService: String
    public var lines: [Line]
    public var total: Money
    /// The period of care the estimate covers.
    public var serviceFrom: CalendarDate
    public var serviceTo: CalendarDate
    /// ICD-10-CM codes of the condition treated (clinical-reference §8).
    public var diagnosisCodes: [String]
    public var provider: Provider
    /// Services that need scheduling of their own, before or after this care (45 CFR 149.610(c)(1)(vi)).
    public var separatelyScheduled: String
    public var note: String
    public var currency: ClinicCurrency
    /// The dispute figure in force when it was issued (a setting; check current CMS guidance).
    public var disputeThreshold: Money
    public var priceListVersion: Int
    public var issuedOn: CalendarDate
    public var issuedAt: Date
    public var issuedBy: User.ID
    public var issuedByName: String

    /// A bill at or above this total lets the patient start patient-provider dispute resolution.
    public var disputeFloor: Money { total + disputeThreshold }

    /// The disclaimers the No Surprises Act asks every good-faith estimate to carry (45 CFR 149.610(c)(1)(vii)–(x)).
    public var disclaimers: [String] {
        let t = disputeThreshold.formatted(currency), floor = disputeFloor.formatted(currency)
        return [
            "This good-faith estimate shows the costs of items and services that are reasonably expected for your health care needs for the "
                + "period above. The estimate is based on information known at the time it was created.",
            "The good-faith estimate does not include any unknown or unexpected costs that may arise during treatment. You could be "
                + "charged more if complications or special circumstances occur. Your actual items, services or charges may differ from "
                + "this estimate.",
            "Other items or services may be recommended as part of your care that must be scheduled or requested separately and are "
                + "not included in this estimate.",
            "If you are billed for at least \(t) more than this good-faith estimate (a bill of \(floor) or more), you have the right "
                + "to dispute the bill through the patient-provider dispute resolution process. You may contact the provider above to "
                + "let them know the billed charges are higher than the estimate, ask them to update the bill or to negotiate, or ask "
                + "about financial assistance. You must start a dispute within 120 calendar days of the date on the original bill. "
                + "For questions or more information about your right to a good-faith estimate, visit www.cms.gov/nosurprises.",
            "Keep a copy of this good-faith estimate in a safe place or take pictures of it: you may need it if you are billed a "
                + "higher amount.",
            "This good-faith estimate is not a contract and does not require you to obtain the items or services from any of the "
                + "providers or facilities identified in it.",
        ]
    }
}

/// A good-faith estimate as entered: price-list items with quantities, the period of care, codes and notes.
public struct GoodFaithEstimateForm: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var itemID: String
        public var quantity: String
        public init(itemID: String, quantity: String) {
            self.itemID = itemID
            self.quantity = quantity
        }
    }
    public var lines: [Line]
    public var serviceFrom: String
    public var serviceTo: String
    /// Comma-separated ICD-10-CM codes; blank: the chart's codes when the issuer may read them.
    public var diagnosisCodes: String
    /// Blank: made from the first infusion line.
    public var primaryService: String
    public var separatelyScheduled: String
    public var note: String

    public init(lines: [Line], serviceFrom: String, serviceTo: String, diagnosisCodes: String = "", primaryService: String = "",
                separatelyScheduled: String = "", note: String = "") {
        self.lines = lines
        self.serviceFrom = serviceFrom
        self.serviceTo = serviceTo
        self.diagnosisCodes = diagnosisCodes
        self.primaryService = primaryService
        self.separatelyScheduled = separatelyScheduled
        self.note = note
    }

    /// The checked lines and dates, priced from the list; every bad field named (`items[2].quantity`, `serviceTo`, …).
    public func priced(with list: PriceList, today: CalendarDate) throws -> (lines: [GoodFaithEstimate.Line], from: CalendarDate, to: CalendarDate, codes: [String]) {
        var errors = FieldErrors()
        var out: [GoodFaithEstimate.Line] = []
        for (i, line) in lines.enumerated() {
            let q = line.quantity.trimmingCharacters(in: .whitespaces)
            if q.isEmpty || q == "0" { continue }
            guard let item = list.item(line.itemID), item.active else { errors.add("items[\(i)].itemID", "is not on the price list"); continue }
            guard let n = Int(q), (1...100).contains(n) else { errors.add("items[\(i)].quantity", "Give a whole number from 0 to 100"); continue }
            out.append(.init(itemID: item.id, description: item.name, code: item.code, quantity: n, unitPrice: item.unitPrice, total: item.unitPrice * n))
        }
        if out.isEmpty && errors.isEmpty { errors.add("items", "Give a quantity for at least one item of the price list") }
        let from = CalendarDate(serviceFrom.trimmingCharacters(in: .whitespaces))
        let to = CalendarDate(serviceTo.trimmingCharacters(in: .whitespaces))
        if from == nil { errors.add("serviceFrom", "Give the first day of care as YYYY-MM-DD") }
        if to == nil { errors.add("serviceTo", "Give the last day of care as YYYY-MM-DD") }
        if let from, from < today { errors.add("serviceFrom", "An estimate is given before the care: the first day cannot be in the past") }
        if let from, let to {
            if to < from { errors.add("serviceTo", "Must be on or after the first day") }
            else if to.daysSinceEpoch - from.daysSinceEpoch > 366 { errors.add("serviceTo", "An estimate covers at most a year of care") }
        }
        let codes = diagnosisCodes.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map { $0.uppercased() }
        for c in codes where ICD10Code(c) == nil { errors.add("diagnosisCodes", "\(c) is not an ICD-10-CM code") }
        if primaryService.count > 300 { errors.add("primaryService", "Must be at most 300 characters") }
        if separatelyScheduled.count > 1000 { errors.add("separatelyScheduled", "Must be at most 1000 characters") }
        if note.count > 2000 { errors.add("note", "Must be at most 2000 characters") }
        try errors.throwIfAny()
        return (out, from!, to!, codes)
    }
}
