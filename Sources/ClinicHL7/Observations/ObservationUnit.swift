import ClinicCore

/// A unit of measure a monitor sends in OBX-6 that we can bring to a vital sign's stored unit.
public enum ObservationUnit: String, Sendable, Hashable, CaseIterable {
    /// Per minute (beats, breaths): UCUM `/min`, `{beats}/min`, …; MDC_DIM_BEAT_PER_MIN 264864.
    case perMinute
    /// Millimetres of mercury: UCUM `mm[Hg]`; MDC_DIM_MMHG 266016.
    case millimetresOfMercury
    /// Kilopascal: UCUM `kPa`; MDC_DIM_KILO_PASCAL (recognised by its reference id only).
    case kilopascal
    /// Percent: UCUM `%`; MDC_DIM_PERCENT 262688.
    case percent
    /// Degrees Celsius: UCUM `Cel`; MDC_DIM_DEGC (reference id only).
    case celsius
    /// Degrees Fahrenheit: UCUM `[degF]`; MDC_DIM_FAHR (reference id only).
    case fahrenheit

    /// Recognises OBX-6 from its identifier or text; nil when unknown.
    ///
    /// Numeric MDC_DIM codes are trusted only for the three clinical-reference §8 lists (266016, 264864,
    /// 262688); the others are recognised by their `MDC_DIM_…` reference id, so an unverified number
    /// can never turn into a wrong conversion.
    public init?(_ units: HL7CodedElement) {
        let numericAllowed = units.codingSystem.isEmpty || units.system == .mdc
        if let unit = Self.recognise(units.identifier.trimmingSpaces, numericAllowed: numericAllowed)
            ?? Self.recognise(units.text.trimmingSpaces, numericAllowed: numericAllowed) {
            self = unit
        } else {
            return nil
        }
    }

    /// One candidate text of OBX-6 (its identifier, then its text): an allowed MDC_DIM number, else a known name.
    private static func recognise(_ candidate: String, numericAllowed: Bool) -> ObservationUnit? {
        if candidate.isEmpty { return nil }
        if numericAllowed, let number = Int(candidate), let unit = mdcCodes[number] { return unit }
        return names[candidate.lowercased()]
    }

    /// Converts a value in this unit to `parameter`'s stored unit (`VitalParameter.ucumUnit`);
    /// nil when the unit does not fit the parameter.
    public func convert(_ value: Double, to parameter: VitalParameter) -> Double? {
        switch (parameter, self) {
        case (.heartRate, .perMinute), (.pulseRate, .perMinute), (.respiratoryRate, .perMinute):
            value
        case (.systolic, .millimetresOfMercury), (.diastolic, .millimetresOfMercury),
             (.meanPressure, .millimetresOfMercury), (.endTidalCO2, .millimetresOfMercury):
            value
        case (.systolic, .kilopascal), (.diastolic, .kilopascal), (.meanPressure, .kilopascal), (.endTidalCO2, .kilopascal):
            value * Self.millimetresOfMercuryPerKilopascal
        case (.oxygenSaturation, .percent):
            value
        case (.temperature, .celsius):
            value
        case (.temperature, .fahrenheit):
            (value - 32) * 5 / 9
        default:
            nil
        }
    }

    /// 1 mmHg = 133.322387415 Pa (conventional millimetre of mercury, NIST SP 811 (2008) Appendix B),
    /// so 1 kPa = 1000 / 133.322387415 mmHg.
    static let millimetresOfMercuryPerKilopascal = 1000 / 133.322387415

    /// Whether a missing OBX-6 may be read as the stored unit: only where no other unit is in use.
    /// Temperature (°C / °F) and EtCO₂ (mmHg / kPa, and % in some feeds) must say their unit.
    static func mayOmitUnit(for parameter: VitalParameter) -> Bool {
        switch parameter {
        case .heartRate, .pulseRate, .respiratoryRate, .oxygenSaturation, .systolic, .diastolic, .meanPressure: true
        case .temperature, .endTidalCO2: false
        }
    }

    /// MDC_DIM codes given in clinical-reference §8.
    private static let mdcCodes: [Int: ObservationUnit] = [
        264_864: .perMinute,             // MDC_DIM_BEAT_PER_MIN
        266_016: .millimetresOfMercury,  // MDC_DIM_MMHG
        262_688: .percent,               // MDC_DIM_PERCENT
    ]

    /// UCUM codes, common spellings and MDC_DIM reference ids, lower-cased.
    private static let names: [String: ObservationUnit] = {
        var names: [String: ObservationUnit] = [:]
        let spellings: [ObservationUnit: [String]] = [
            .perMinute: ["/min", "1/min", "{beats}/min", "{beat}/min", "{breaths}/min", "{breath}/min", "{resp}/min",
                         "beats/min", "breaths/min", "bpm", "/minute",
                         "MDC_DIM_BEAT_PER_MIN", "MDC_DIM_RESP_PER_MIN", "MDC_DIM_PER_MIN"],
            .millimetresOfMercury: ["mm[Hg]", "mmHg", "mm Hg", "MDC_DIM_MMHG"],
            .kilopascal: ["kPa", "MDC_DIM_KILO_PASCAL"],
            .percent: ["%", "MDC_DIM_PERCENT"],
            .celsius: ["Cel", "°C", "degC", "MDC_DIM_DEGC"],
            .fahrenheit: ["[degF]", "°F", "degF", "MDC_DIM_FAHR"],
        ]
        for (unit, list) in spellings {
            for spelling in list { names[spelling.lowercased()] = unit }
        }
        return names
    }()
}
