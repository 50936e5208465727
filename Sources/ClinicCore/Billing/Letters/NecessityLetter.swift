import Foundation

/// A medical-necessity letter for a patient's ketamine infusions (issue 6): drafted from the chart by a physician, edited,
/// then signed. A signed version is frozen; a revision is the next version, a new draft, and the older versions stay.
public struct NecessityLetter: Sendable, Hashable, Codable, Identifiable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case draft, signed
        public var title: String { self == .draft ? "draft" : "signed" }
    }

    public var id: UUID
    public var patientID: Patient.ID
    /// Every version of one letter shares the id of its version 1.
    public var seriesID: UUID
    public var version: Int
    public var status: Status
    /// The addressee ("To"): a payer and plan, or blank.
    public var to: String
    /// The letter's text: sections with headings, as drafted from the chart and edited by the physician.
    public var body: String
    /// The chart facts the first draft was composed from, kept beside the text.
    public var facts: NecessityFacts
    public var createdAt: Date
    public var createdBy: User.ID
    public var updatedAt: Date
    /// The signed version this one revises.
    public var revisedFrom: UUID?
    public var signature: NecessitySignature?

    public var isSigned: Bool { status == .signed }
}

/// Who signed a letter and when, with the letterhead in force then (later changes to the settings never alter it).
public struct NecessitySignature: Sendable, Hashable, Codable {
    public var signedAt: Date
    public var signedOn: CalendarDate
    public var signedBy: User.ID
    public var name: String
    /// The physician's NPI from the charge settings, when one is on file.
    public var npi: String?
    public var letterhead: Letterhead
}

/// The clinic's letterhead: the billing provider's name, address and NPI (charge settings).
public struct Letterhead: Sendable, Hashable, Codable {
    public var name: String
    public var address: String
    public var npi: String

    public init(name: String, address: String, npi: String) {
        self.name = name
        self.address = address
        self.npi = npi
    }

    public init(_ s: ChargeSettings) {
        self.init(name: s.billingProviderName, address: s.billingProviderAddress, npi: s.billingProviderNPI)
    }
}

/// What the chart said when a letter was drafted.
public struct NecessityFacts: Sendable, Hashable, Codable {
    public struct ScreeningFact: Sendable, Hashable, Codable {
        public var date: CalendarDate
        public var decision: String
        public var overridden: Bool
        public var ruleSetVersion: String
        public init(date: CalendarDate, decision: String, overridden: Bool, ruleSetVersion: String) {
            self.date = date
            self.decision = decision
            self.overridden = overridden
            self.ruleSetVersion = ruleSetVersion
        }
    }

    public struct PlanFact: Sendable, Hashable, Codable {
        public var protocolName: String
        public var plannedInfusions: Int
        public var boosterIntervalDays: Int?
        public var goal: String
        public init(protocolName: String, plannedInfusions: Int, boosterIntervalDays: Int?, goal: String) {
            self.protocolName = protocolName
            self.plannedInfusions = plannedInfusions
            self.boosterIntervalDays = boosterIntervalDays
            self.goal = goal
        }
    }

    public struct OutcomeFact: Sendable, Hashable, Codable {
        public var infusionsGiven: Int
        /// Baseline pain NRS (clinical-reference §7).
        public var baselinePain: Double?
        /// The latest reduction from baseline, in percent (negative: worse).
        public var latestReductionPercent: Double?
        public var latestBand: ImmpactBand?
        public var responder: Bool?
        public var reliefDays: Int?
        public var reliefEnded: Bool?
        public init(infusionsGiven: Int = 0, baselinePain: Double? = nil, latestReductionPercent: Double? = nil, latestBand: ImmpactBand? = nil,
                    responder: Bool? = nil, reliefDays: Int? = nil, reliefEnded: Bool? = nil) {
            self.infusionsGiven = infusionsGiven
            self.baselinePain = baselinePain
            self.latestReductionPercent = latestReductionPercent
            self.latestBand = latestBand
            self.responder = responder
            self.reliefDays = reliefDays
            self.reliefEnded = reliefEnded
        }
    }

    public var patientName: String
    public var dateOfBirth: CalendarDate
    public var mrn: String
    /// The plan's condition first, then the chart's other diagnoses (ICD-10-CM).
    public var diagnoses: [Diagnosis]
    public var painOnset: CalendarDate?
    public var monthsOfPain: Int?
    public var treatmentsTried: [TreatmentTried]
    public var screening: ScreeningFact?
    public var plan: PlanFact?
    public var outcomes: OutcomeFact
    /// Opioid MME/day from the current medication list (CDC 2022 factors, clinical-reference §7).
    public var mmePerDay: Double
    /// The MME/day when the chart's medication list was first recorded, when it differs from today's.
    public var mmeAtStart: Double?
    /// Opioids without a CDC factor or dose, left out of the total.
    public var mmeUncounted: [String]
    public var asOf: CalendarDate

    public init(patientName: String, dateOfBirth: CalendarDate, mrn: String, diagnoses: [Diagnosis], painOnset: CalendarDate? = nil,
                monthsOfPain: Int? = nil, treatmentsTried: [TreatmentTried] = [], screening: ScreeningFact? = nil, plan: PlanFact? = nil,
                outcomes: OutcomeFact = OutcomeFact(), mmePerDay: Double = 0, mmeAtStart: Double? = nil, mmeUncounted: [String] = [], asOf: CalendarDate) {
        self.patientName = patientName
        self.dateOfBirth = dateOfBirth
        self.mrn = mrn
        self.diagnoses = diagnoses
        self.painOnset = painOnset
        self.monthsOfPain = monthsOfPain
        self.treatmentsTried = treatmentsTried
        self.screening = screening
        self.plan = plan
        self.outcomes = outcomes
        self.mmePerDay = mmePerDay
        self.mmeAtStart = mmeAtStart
        self.mmeUncounted = mmeUncounted
        self.asOf = asOf
    }

    /// Months of pain: from the onset date when the chart has one, else as the patient reported them.
    public var painMonths: Int? {
        guard let onset = painOnset else { return monthsOfPain }
        let months = (asOf.year - onset.year) * 12 + (asOf.month - onset.month) - (asOf.day < onset.day ? 1 : 0)
        return max(0, months)
    }
}

/// One headed section of a letter.
public struct LetterSection: Sendable, Hashable {
    public var title: String
    public var lines: [String]
}

/// Composes the draft text of a medical-necessity letter from chart facts. Pure: the same facts give the same text.
public enum NecessityLetterComposer {
    /// The sections, in the order a payer's reviewer reads them.
    public static func sections(_ f: NecessityFacts) -> [LetterSection] {
        var out: [LetterSection] = []
        out.append(LetterSection(title: "Diagnoses (ICD-10-CM)", lines: f.diagnoses.isEmpty ? ["No diagnosis is coded in the chart."]
            : f.diagnoses.map { "- \($0.code.value) \($0.description)\($0.isPrimary ? " (primary)" : "")" }))

        var duration: [String] = []
        if let onset = f.painOnset, let m = f.painMonths {
            duration.append("Pain since \(onset): \(m) month\(m == 1 ? "" : "s") as of \(f.asOf).")
        } else if let m = f.monthsOfPain {
            duration.append("Pain for \(m) month\(m == 1 ? "" : "s"), as the patient reports.")
        } else {
            duration.append("The onset of pain is not recorded in the chart.")
        }
        out.append(LetterSection(title: "Duration of pain", lines: duration))

        // Candidates have persistent pain not helped by standard treatments (clinical-reference §1).
        let failed = f.treatmentsTried.filter { $0.result != .goodRelief }
        let helped = f.treatmentsTried.filter { $0.result == .goodRelief }
        var tried: [String] = []
        if f.treatmentsTried.isEmpty { tried.append("No previous treatment is recorded in the chart.") }
        if !failed.isEmpty {
            tried.append("Tried without adequate relief:")
            tried += failed.map { "- \($0.treatment): \($0.result.title.lowercased())" }
        }
        if !helped.isEmpty {
            tried.append("Tried with relief:")
            tried += helped.map { "- \($0.treatment): \($0.result.title.lowercased())" }
        }
        out.append(LetterSection(title: "Treatments tried and failed", lines: tried))

        if let s = f.screening {
            out.append(LetterSection(title: "Screening", lines: [
                "Screened on \(s.date) for contraindications to ketamine under the ASRA/AAPM/ASA consensus guidelines (Cohen 2018, "
                    + "Reg Anesth Pain Med 43:521–546): \(s.decision.lowercased())\(s.overridden ? " (physician's decision)" : "") (rule set \(s.ruleSetVersion)).",
            ]))
        } else {
            out.append(LetterSection(title: "Screening", lines: ["No screening is on file."]))
        }

        if let p = f.plan {
            var lines = ["Protocol: \(p.protocolName).", "Induction series of \(p.plannedInfusions) infusion\(p.plannedInfusions == 1 ? "" : "s")."]
            if let b = p.boosterIntervalDays {
                lines.append("Maintenance boosters every \(b) days after the series, as the response warrants.")
            } else {
                lines.append("No maintenance boosters planned.")
            }
            if !p.goal.isEmpty { lines.append("Goal: \(p.goal)") }
            out.append(LetterSection(title: "Treatment plan", lines: lines))
        } else {
            out.append(LetterSection(title: "Treatment plan", lines: ["No treatment plan is on file."]))
        }

        out.append(LetterSection(title: "Outcomes measured so far", lines: outcomeLines(f.outcomes)))

        var mme = ["Current opioid use: \(Format.shortest(f.mmePerDay)) MME/day (CDC 2022 conversion factors)."]
        if let start = f.mmeAtStart { mme.append("When first charted: \(Format.shortest(start)) MME/day.") }
        if !f.mmeUncounted.isEmpty { mme.append("Not counted (no CDC factor or no dose charted): \(f.mmeUncounted.joined(separator: ", ")).") }
        out.append(LetterSection(title: "Opioid use", lines: mme))

        // Cohen 2018 (clinical-reference §2): moderate evidence for CRPS (ICD-10-CM G90.5x, G56.4x, G57.7x — §8).
        if f.diagnoses.contains(where: { isCRPS($0.code) }) {
            out.append(LetterSection(title: "Evidence", lines: [
                "The ASRA/AAPM/ASA consensus guidelines (Cohen 2018) rate the evidence for intravenous ketamine in complex regional pain "
                    + "syndrome as moderate, with benefit up to about 12 weeks.",
            ]))
        }
        out.append(LetterSection(title: "Request", lines: [
            "For these reasons I consider intravenous ketamine infusion therapy medically necessary for this patient and ask that it be covered.",
        ]))
        return out
    }

    /// The draft text: a reference line, then the sections separated by blank lines.
    public static func body(_ f: NecessityFacts) -> String {
        let head = "Re: \(f.patientName) · date of birth \(f.dateOfBirth) · MRN \(f.mrn)\n"
            + "Medical necessity of intravenous ketamine infusion therapy for chronic pain."
        return ([head] + sections(f).map { ([$0.title] + $0.lines).joined(separator: "\n") }).joined(separator: "\n\n")
    }

    /// CRPS I and II codes (clinical-reference §8): G90.5x, G56.4x, G57.7x.
    static func isCRPS(_ code: ICD10Code) -> Bool {
        ["G90.5", "G56.4", "G57.7"].contains { code.value.hasPrefix($0) }
    }

    static func outcomeLines(_ o: NecessityFacts.OutcomeFact) -> [String] {
        guard o.infusionsGiven > 0 else { return ["No infusion has been given yet: outcomes will be measured from the first infusion."] }
        var lines = ["\(o.infusionsGiven) infusion\(o.infusionsGiven == 1 ? "" : "s") given."]
        if let b = o.baselinePain { lines.append("Baseline pain: \(Format.shortest((b * 10).rounded() / 10))/10 (NRS, average over 24 h).") }
        if let r = o.latestReductionPercent {
            let band = o.latestBand.map { " — \($0.title) by IMMPACT (Dworkin 2008)" } ?? ""
            lines.append(r >= 0 ? "Latest pain: \(Int(r.rounded())) % less than baseline\(band)." : "Latest pain: \(Int((-r).rounded())) % more than baseline\(band).")
        } else {
            lines.append("No follow-up pain score yet.")
        }
        // Responder: ≥ 30 % reduction from baseline within 14 days after the series (clinical-reference §7).
        switch o.responder {
        case true?: lines.append("Responder: at least 30 % less pain within 14 days after the series.")
        case false?: lines.append("Not a responder: less than 30 % reduction within 14 days after the series.")
        case nil: break
        }
        if let d = o.reliefDays {
            lines.append(o.reliefEnded == true ? "Relief lasted \(d) days after the series." : "Relief has lasted \(d) days so far.")
        }
        return lines
    }
}

extension NecessityLetter {
    /// The letter as a plain-text file: letterhead, date, addressee, the text, and the signature block.
    public func plainText(letterhead current: Letterhead) -> String {
        let head = signature?.letterhead ?? current
        var out: [String] = []
        out.append(head.name.isEmpty ? "(billing provider not set)" : head.name)
        if !head.address.isEmpty { out.append(head.address) }
        if !head.npi.isEmpty { out.append("NPI \(head.npi)") }
        out.append("")
        out.append(signature.map { "Date: \($0.signedOn)" } ?? "DRAFT (version \(version), not signed)")
        if !to.isEmpty { out.append("To: \(to.replacingOccurrences(of: "\n", with: "\n    "))") }
        out.append("")
        out.append(body)
        out.append("")
        if let s = signature {
            out.append("Signed electronically by \(s.name)\(s.npi.map { ", NPI \($0)" } ?? "") on \(s.signedOn).")
        } else {
            out.append("Not signed.")
        }
        out.append("Letter version \(version).")
        return out.joined(separator: "\n") + "\n"
    }
}
