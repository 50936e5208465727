import Foundation

/// One set of vital signs entered by hand; every field is optional because a nurse may take only some of them.
public struct VitalsReading: Sendable, Hashable, Codable {
    /// When the reading was taken (may be before it was entered).
    public var takenAt: Date
    /// Systolic pressure in mmHg.
    public var systolic: Int?
    /// Diastolic pressure in mmHg.
    public var diastolic: Int?
    /// Heart rate in beats/min.
    public var heartRate: Int?
    /// Oxygen saturation by pulse oximetry in %.
    public var oxygenSaturation: Int?
    /// Respiratory rate in breaths/min.
    public var respiratoryRate: Int?

    /// Creates a reading.
    public init(takenAt: Date, systolic: Int? = nil, diastolic: Int? = nil, heartRate: Int? = nil,
                oxygenSaturation: Int? = nil, respiratoryRate: Int? = nil) {
        self.takenAt = takenAt
        self.systolic = systolic
        self.diastolic = diastolic
        self.heartRate = heartRate
        self.oxygenSaturation = oxygenSaturation
        self.respiratoryRate = respiratoryRate
    }

    /// Plausible systolic input in mmHg (the screening form's typing-error check; not a clinical threshold).
    public static let plausibleSystolic = ScreeningForm.plausibleSystolic
    /// Plausible diastolic input in mmHg (the screening form's typing-error check; not a clinical threshold).
    public static let plausibleDiastolic = ScreeningForm.plausibleDiastolic
    /// Plausible heart-rate input in beats/min (rejects typing errors; not a clinical threshold).
    public static let plausibleHeartRate = 20...300
    /// Plausible SpO₂ input in % (a saturation is a percentage; not a clinical threshold).
    public static let plausibleOxygenSaturation = 0...100
    /// Plausible respiratory-rate input in breaths/min (rejects typing errors; not a clinical threshold).
    public static let plausibleRespiratoryRate = 0...80

    /// Whether both pressures are present.
    public var bloodPressure: (systolic: Int, diastolic: Int)? {
        guard let systolic, let diastolic else { return nil }
        return (systolic, diastolic)
    }

    /// Whether no value was entered at all.
    public var isEmpty: Bool {
        systolic == nil && diastolic == nil && heartRate == nil && oxygenSaturation == nil && respiratoryRate == nil
    }

    /// Checks plausibility, throwing `ClinicError.invalid` naming each bad field (prefixed with `field`).
    public func validated(field prefix: String = "vitals", notAfter now: Date? = nil) throws -> VitalsReading {
        var errors = FieldErrors()
        collectErrors(into: &errors, prefix: prefix, notAfter: now)
        try errors.throwIfAny()
        return self
    }

    func collectErrors(into errors: inout FieldErrors, prefix: String, notAfter now: Date?) {
        if isEmpty { errors.add(prefix, "Enter at least one vital sign.") }
        if (systolic == nil) != (diastolic == nil) {
            errors.add("\(prefix).bloodPressure", "Enter both systolic and diastolic pressure, or neither.")
        }
        func check(_ value: Int?, _ range: ClosedRange<Int>, _ name: String, _ unit: String) {
            if let value, !range.contains(value) {
                errors.add("\(prefix).\(name)", "Must be between \(range.lowerBound) and \(range.upperBound) \(unit).")
            }
        }
        check(systolic, Self.plausibleSystolic, "systolic", "mmHg")
        check(diastolic, Self.plausibleDiastolic, "diastolic", "mmHg")
        check(heartRate, Self.plausibleHeartRate, "heartRate", "beats/min")
        check(oxygenSaturation, Self.plausibleOxygenSaturation, "oxygenSaturation", "%")
        check(respiratoryRate, Self.plausibleRespiratoryRate, "respiratoryRate", "breaths/min")
        if let systolic, let diastolic, systolic <= diastolic {
            errors.add("\(prefix).diastolic", "Diastolic pressure must be below systolic pressure.")
        }
        if let now, takenAt > now {
            errors.add("\(prefix).takenAt", "A reading cannot be taken after it is entered.")
        }
    }
}
