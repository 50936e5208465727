import Foundation

/// A vital sign a bedside monitor (or a nurse) reports during an infusion.
///
/// Codes: LOINC and IEEE 11073-10101 MDC as listed in clinical-reference §8; a feed may use either.
public enum VitalParameter: String, Sendable, Hashable, Codable, CaseIterable {
    /// Heart rate from the ECG, beats/min (LOINC 8867-4; MDC_ECG_HEART_RATE 147842).
    case heartRate
    /// Pulse rate from the oximeter, beats/min (MDC_PULS_RATE 149530).
    case pulseRate
    /// Non-invasive systolic pressure, mmHg (LOINC 8480-6; MDC 150021).
    case systolic
    /// Non-invasive diastolic pressure, mmHg (LOINC 8462-4; MDC 150022).
    case diastolic
    /// Non-invasive mean arterial pressure, mmHg (MDC 150023).
    case meanPressure
    /// Oxygen saturation by pulse oximetry, % (LOINC 59408-5 / 2708-6; MDC_PULS_OXIM_SAT_O2 150456).
    case oxygenSaturation
    /// Respiratory rate, breaths/min (LOINC 9279-1; MDC_RESP_RATE 151562).
    case respiratoryRate
    /// Body temperature, °C (LOINC 8310-5).
    case temperature
    /// End-tidal CO₂, mmHg (MDC_AWAY_CO2_ET 151708).
    case endTidalCO2

    /// How the parameter is measured, which decides how an alarm rule fires (clinical-reference §3).
    public var measurement: VitalMeasurement {
        switch self {
        case .systolic, .diastolic, .meanPressure, .temperature: .intermittent
        case .heartRate, .pulseRate, .oxygenSaturation, .respiratoryRate, .endTidalCO2: .continuous
        }
    }

    /// The unit values are stored in, as UCUM.
    public var ucumUnit: String {
        switch self {
        case .heartRate, .pulseRate, .respiratoryRate: "/min"
        case .systolic, .diastolic, .meanPressure, .endTidalCO2: "mm[Hg]"
        case .oxygenSaturation: "%"
        case .temperature: "Cel"
        }
    }

    /// The unit as staff read it.
    public var displayUnit: String {
        switch self {
        case .heartRate, .pulseRate: "beats/min"
        case .respiratoryRate: "breaths/min"
        case .systolic, .diastolic, .meanPressure, .endTidalCO2: "mmHg"
        case .oxygenSaturation: "%"
        case .temperature: "°C"
        }
    }

    /// The name staff read ("SpO₂", "heart rate").
    public var title: String {
        switch self {
        case .heartRate: "heart rate"
        case .pulseRate: "pulse rate"
        case .systolic: "systolic pressure"
        case .diastolic: "diastolic pressure"
        case .meanPressure: "mean pressure"
        case .oxygenSaturation: "SpO₂"
        case .respiratoryRate: "respiratory rate"
        case .temperature: "temperature"
        case .endTidalCO2: "EtCO₂"
        }
    }
}

/// How a vital sign is measured (clinical-reference §3, "how a rule fires").
public enum VitalMeasurement: String, Sendable, Hashable, Codable {
    /// A value every few seconds (heart rate, SpO₂, respiratory rate, EtCO₂): a rule must hold for 10 s.
    case continuous
    /// One reading every few minutes (cuff pressure): one reading past a threshold alarms at once.
    case intermittent
}

/// One value of one vital sign at one instant, in the parameter's stored unit.
public struct VitalObservation: Sendable, Hashable, Codable {
    /// Which vital sign.
    public var parameter: VitalParameter
    /// The value in `parameter.ucumUnit`.
    public var value: Double
    /// When it was observed (the monitor's time when it sends one, else the time of receipt).
    public var observedAt: Date

    /// Creates an observation.
    public init(_ parameter: VitalParameter, _ value: Double, at observedAt: Date) {
        self.parameter = parameter
        self.value = value
        self.observedAt = observedAt
    }
}
