/// A coded value (CE / CWE data types): identifier ^ text ^ name of coding system.
public struct HL7CodedElement: Sendable, Hashable {
    /// Component 1, the code (`8867-4`, `150456`, `mm[Hg]`).
    public var identifier: String
    /// Component 2, the text or MDC reference id (`MDC_PULS_OXIM_SAT_O2`).
    public var text: String
    /// Component 3, the coding system as sent (`LN`, `MDC`, `UCUM`).
    public var codingSystem: String

    /// Creates a coded element.
    public init(identifier: String, text: String = "", codingSystem: String = "") {
        self.identifier = identifier
        self.text = text
        self.codingSystem = codingSystem
    }

    /// Reads the first repetition of a field; nil when the field is absent or empty.
    public init?(_ field: HL7Field?) {
        guard let field, !field.isEmpty else { return nil }
        self.init(
            identifier: field.value(component: 1) ?? "",
            text: field.value(component: 2) ?? "",
            codingSystem: field.value(component: 3) ?? ""
        )
    }

    /// The coding system, recognised from component 3 (or, when that is empty, from an `MDC_` reference id).
    public var system: ObservationCodingSystem {
        ObservationCodingSystem(codingSystem, text: text)
    }
}

/// The code systems bedside monitors use for vital signs.
public enum ObservationCodingSystem: Sendable, Hashable {
    /// LOINC (`LN` in HL7 v2, table 0396).
    case loinc
    /// IEEE 11073-10101 nomenclature (`MDC`; some feeds write `IEEE`, `ISO11073` or `IEEE 11073-10101`).
    case mdc
    /// Any other or no system.
    case other

    /// Recognises a system name; an empty name with an `MDC_…` reference id in the text counts as MDC.
    public init(_ name: String, text: String = "") {
        // The names monitors send nearly always, as sent: no upper-casing or filtering needed.
        switch name {
        case "MDC":
            self = .mdc
            return
        case "LN":
            self = .loinc
            return
        default:
            break
        }
        self.init(normalising: name, text: text)
    }

    private init(normalising name: String, text: String) {
        let key = String(name.uppercased().unicodeScalars.filter { !" -_/.:".unicodeScalars.contains($0) })
        switch key {
        case "LN", "LOINC", "HTTPLOINCORG":
            self = .loinc
        case "MDC", "IEEE", "IEEE11073", "ISO11073", "IEEE1107310101", "ISO1107310101", "ISOIEEE1107310101", "11073":
            self = .mdc
        case "" where text.hasPrefix("MDC_"):
            self = .mdc
        default:
            self = .other
        }
    }
}
