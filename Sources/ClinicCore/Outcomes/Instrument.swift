import Foundation

/// A patient-reported outcome instrument the clinic gives (clinical-reference §7).
public enum Instrument: String, Sendable, Hashable, Codable, CaseIterable {
    case painNRS = "pain-nrs"
    case bpi = "bpi-sf"
    case phq9 = "phq-9"
    case gad7 = "gad-7"
    case pgic = "pgic"
    case sleep = "sleep"

    /// The PHQ-9 item whose answer above 0 calls for an immediate safety assessment (Kroenke 2001; clinical-reference §7).
    public static let phq9SafetyItem = "item9"

    /// The instrument's name as forms and charts show it.
    public var title: String {
        switch self {
        case .painNRS: "Pain (0–10)"
        case .bpi: "Brief Pain Inventory (short form)"
        case .phq9: "PHQ-9"
        case .gad7: "GAD-7"
        case .pgic: "Patient Global Impression of Change"
        case .sleep: "Sleep (0–10)"
        }
    }

    /// The sentence shown above the items, naming the recall period.
    public var instructions: String {
        switch self {
        case .painNRS:
            "Choose the number that best describes your pain: 0 = no pain, 10 = worst pain imaginable."
        case .bpi:
            "Choose the number that best describes your pain, and how much pain has interfered with your life over the last 24 hours."
        case .phq9:
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
        case .gad7:
            "Over the last 2 weeks, how often have you been bothered by the following problems?"
        case .pgic:
            "Since the start of treatment, how would you describe the change in your overall condition?"
        case .sleep:
            "How well did you sleep over the last 7 days? 0 = very poorly, 10 = very well."
        }
    }

    /// The items in display order; a form renders from these alone (prompt, range, anchors).
    public var items: [InstrumentItem] {
        switch self {
        case .painNRS: Self.painNRSItems
        case .bpi: Self.bpiSeverityItems + Self.bpiInterferenceItems
        case .phq9: Self.phq9Items
        case .gad7: Self.gad7Items
        case .pgic: Self.pgicItems
        case .sleep: Self.sleepItems
        }
    }

    /// The item with this id, if the instrument has one.
    public func item(_ id: String) -> InstrumentItem? {
        items.first { $0.id == id }
    }

    /// The period the patient thinks back over.
    public var recall: RecallPeriod {
        switch self {
        case .painNRS, .bpi: .nowAndLast24Hours
        case .phq9, .gad7: .last2Weeks
        case .pgic: .sinceTreatmentStarted
        case .sleep: .last7Days
        }
    }

    /// LOINC code of the instrument's score: pain NRS 72514-3, PHQ-9 44261-6, GAD-7 70274-6 (clinical-reference §7); nil where the reference gives none.
    public var loinc: String? {
        switch self {
        case .painNRS: "72514-3"
        case .phq9: "44261-6"
        case .gad7: "70274-6"
        case .bpi, .pgic, .sleep: nil
        }
    }

    /// The citation shown under the form.
    public var source: String {
        switch self {
        case .painNRS:
            "Numeric rating scale 0–10 (LOINC 72514-3), as recommended by IMMPACT: Dworkin RH et al., J Pain 2008;9:105–121."
        case .bpi:
            "Brief Pain Inventory (short form), Cleeland CS & Ryan KM, Ann Acad Med Singapore 1994;23:129–138. Licensed instrument: shown with the clinic's licensed wording."
        case .phq9:
            "PHQ-9: Kroenke K, Spitzer RL, Williams JBW, J Gen Intern Med 2001;16:606–613. Free to use; no permission required to reproduce."
        case .gad7:
            "GAD-7: Spitzer RL, Kroenke K, Williams JBW, Löwe B, Arch Intern Med 2006;166:1092–1097. Free to use; no permission required to reproduce."
        case .pgic:
            "Patient Global Impression of Change, 7 points: Farrar JT et al., Pain 2001;94:149–158."
        case .sleep:
            "The clinic's own sleep question (local policy); not a validated instrument."
        }
    }

    // MARK: - Items

    /// Pain NRS 0–10 (clinical-reference §7): now, and the average and worst over the last 24 hours; any subset may be asked.
    static let painNRSItems: [InstrumentItem] = [
        InstrumentItem(id: "now", prompt: "Pain right now", range: 0...10, anchors: nrsAnchors),
        InstrumentItem(id: "average", prompt: "Average pain over the last 24 hours", range: 0...10, anchors: nrsAnchors),
        InstrumentItem(id: "worst", prompt: "Worst pain over the last 24 hours", range: 0...10, anchors: nrsAnchors),
    ]
    static let nrsAnchors = [InstrumentAnchor(0, "No pain"), InstrumentAnchor(10, "Worst pain imaginable")]

    /// BPI short-form severity items. Placeholder labels only: the BPI's wording is licensed (clinical-reference §7),
    /// and the clinic's licensed wording replaces these short neutral labels.
    static let bpiSeverityItems: [InstrumentItem] = [
        InstrumentItem(id: "worst", prompt: "Worst pain, last 24 h", range: 0...10, anchors: bpiSeverityAnchors),
        InstrumentItem(id: "least", prompt: "Least pain, last 24 h", range: 0...10, anchors: bpiSeverityAnchors),
        InstrumentItem(id: "average", prompt: "Average pain", range: 0...10, anchors: bpiSeverityAnchors),
        InstrumentItem(id: "now", prompt: "Pain now", range: 0...10, anchors: bpiSeverityAnchors),
    ]
    static let bpiSeverityAnchors = [InstrumentAnchor(0, "No pain"), InstrumentAnchor(10, "Worst pain")]

    /// BPI short-form interference items, last 24 h. Placeholder labels only: the clinic's licensed wording replaces them.
    static let bpiInterferenceItems: [InstrumentItem] = [
        ("generalActivity", "Interference: general activity"),
        ("mood", "Interference: mood"),
        ("walking", "Interference: walking"),
        ("work", "Interference: normal work"),
        ("relations", "Interference: relations with others"),
        ("sleep", "Interference: sleep"),
        ("enjoyment", "Interference: enjoyment of life"),
    ].map { InstrumentItem(id: $0.0, prompt: $0.1, range: 0...10, anchors: bpiInterferenceAnchors) }
    static let bpiInterferenceAnchors = [InstrumentAnchor(0, "No interference"), InstrumentAnchor(10, "Complete interference")]

    /// Frequency anchors of the PHQ-9 and GAD-7 (Kroenke 2001; Spitzer 2006).
    static let frequencyAnchors = [
        InstrumentAnchor(0, "Not at all"), InstrumentAnchor(1, "Several days"),
        InstrumentAnchor(2, "More than half the days"), InstrumentAnchor(3, "Nearly every day"),
    ]

    /// PHQ-9 items, standard wording (Kroenke 2001), scored 0–3 each.
    static let phq9Items: [InstrumentItem] = [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ].enumerated().map { InstrumentItem(id: "item\($0.offset + 1)", prompt: $0.element, range: 0...3, anchors: frequencyAnchors) }

    /// GAD-7 items, standard wording (Spitzer 2006), scored 0–3 each.
    static let gad7Items: [InstrumentItem] = [
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ].enumerated().map { InstrumentItem(id: "item\($0.offset + 1)", prompt: $0.element, range: 0...3, anchors: frequencyAnchors) }

    /// PGIC categories 1–7, very much improved … very much worse (Farrar 2001; clinical-reference §7).
    static let pgicCategories = [
        "very much improved", "much improved", "minimally improved", "no change",
        "minimally worse", "much worse", "very much worse",
    ]

    /// The single PGIC item, every point labelled.
    static let pgicItems: [InstrumentItem] = [
        InstrumentItem(id: "change", prompt: "Overall change since the start of treatment", range: 1...7,
                       anchors: pgicCategories.enumerated().map { InstrumentAnchor($0.offset + 1, $0.element.prefix(1).uppercased() + $0.element.dropFirst()) }),
    ]

    /// The sleep item, local policy: the reference gives no sleep instrument, so this is the clinic's own 0–10 question, with no bands.
    static let sleepItems: [InstrumentItem] = [
        InstrumentItem(id: "quality", prompt: "How well did you sleep over the last 7 days? 0 = very poorly, 10 = very well",
                       range: 0...10, anchors: [InstrumentAnchor(0, "Very poorly"), InstrumentAnchor(10, "Very well")]),
    ]
}
