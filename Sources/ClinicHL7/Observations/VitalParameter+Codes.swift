import ClinicCore

extension VitalParameter {
    /// The vital sign an OBX-3 code stands for, in LOINC or IEEE 11073 MDC; nil when we do not map it.
    public init?(observationCode code: HL7CodedElement) {
        let identifier = code.identifier.trimmingSpaces
        switch code.system {
        case .loinc:
            guard let parameter = Self.loincCodes[identifier] else { return nil }
            self = parameter
        case .mdc:
            guard let number = Int(identifier), let parameter = Self.mdcCodes[number] else { return nil }
            self = parameter
        case .other:
            return nil
        }
    }

    /// LOINC codes of vital signs (clinical-reference §8 unless noted).
    static let loincCodes: [String: VitalParameter] = [
        "8867-4": .heartRate,
        "8480-6": .systolic,
        "8462-4": .diastolic,
        // LOINC's mean blood pressure code; not listed in clinical-reference §8.
        "8478-0": .meanPressure,
        // SpO₂ by pulse oximetry; US Core codes pulse oximetry with both (clinical-reference §8).
        "59408-5": .oxygenSaturation,
        "2708-6": .oxygenSaturation,
        "9279-1": .respiratoryRate,
        "8310-5": .temperature,
        // End-tidal CO₂ — *unverified*: not in clinical-reference §8; check against the LOINC table.
        "19889-5": .endTidalCO2,
    ]

    /// IEEE 11073-10101 MDC codes (partition × 65536 + term code) as used in IHE PCD-01 ORU messages
    /// (clinical-reference §8; all but SpO₂ are marked there "commonly used, verify against the nomenclature").
    static let mdcCodes: [Int: VitalParameter] = [
        147_842: .heartRate,         // MDC_ECG_HEART_RATE
        149_530: .pulseRate,         // pulse rate from the oximeter
        150_021: .systolic,          // MDC_PRESS_BLD_NONINV_SYS
        150_022: .diastolic,         // MDC_PRESS_BLD_NONINV_DIA
        150_023: .meanPressure,      // MDC_PRESS_BLD_NONINV_MEAN
        150_456: .oxygenSaturation,  // MDC_PULS_OXIM_SAT_O2 (confirmed in US Core examples)
        151_562: .respiratoryRate,   // MDC_RESP_RATE
        151_708: .endTidalCO2,       // MDC_AWAY_CO2_ET
        150_344: .temperature,       // MDC_TEMP — *unverified*: not in clinical-reference §8
    ]
}

extension String {
    /// The text without leading or trailing spaces and tabs.
    var trimmingSpaces: String {
        // Most texts neither start nor end with a space or tab: no copy then.
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
