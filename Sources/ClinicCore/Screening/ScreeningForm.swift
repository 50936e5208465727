import Foundation

/// One blood-pressure reading taken at screening (mmHg).
public struct BloodPressureReading: Sendable, Hashable, Codable {
    /// Systolic pressure in mmHg.
    public var systolic: Int
    /// Diastolic pressure in mmHg.
    public var diastolic: Int
    /// When the cuff reading was taken.
    public var takenAt: Date
    /// Whether the patient was seated; only seated readings count towards the screening mean (clinical-reference §2).
    public var seated: Bool

    /// Creates a reading.
    public init(systolic: Int, diastolic: Int, takenAt: Date, seated: Bool = true) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.takenAt = takenAt
        self.seated = seated
    }
}

/// Cardiovascular history as asked at screening (Cohen 2018, RAPM 43:521).
public enum CardiovascularStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// No known heart disease.
    case none
    /// Stable known heart disease (coronary disease, heart failure, arrhythmia).
    case stableKnownDisease
    /// Poorly controlled cardiovascular disease.
    case poorlyControlled
}

/// Psychosis history as asked at screening (Cohen 2018, RAPM 43:521).
public enum PsychosisStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// No history of psychosis.
    case none
    /// A history of psychosis, now well controlled.
    case historyWellControlled
    /// Poorly controlled psychosis.
    case poorlyControlled
}

/// Liver disease as asked at screening (Cohen 2018, RAPM 43:521).
public enum HepaticStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// No liver disease.
    case none
    /// Mild liver disease.
    case mild
    /// Moderate liver disease.
    case moderate
    /// Severe liver disease.
    case severe
}

/// Pregnancy as asked at screening (Schwenk 2018; clinical-reference §2).
public enum PregnancyStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The question does not apply to the patient.
    case notApplicable
    /// The patient is not pregnant.
    case notPregnant
    /// The patient is pregnant.
    case pregnant
}

/// The candidacy screening questionnaire; a nil answer means the question was not answered.
public struct ScreeningForm: Sendable, Hashable, Codable {
    /// Blood-pressure readings taken for the screening.
    public var bloodPressureReadings: [BloodPressureReading]
    /// Cardiovascular disease and how well it is controlled.
    public var cardiovascular: CardiovascularStatus?
    /// Psychosis and how well it is controlled.
    public var psychosis: PsychosisStatus?
    /// Liver disease severity.
    public var hepatic: HepaticStatus?
    /// Heavy alcohol use.
    public var heavyAlcoholUse: Bool?
    /// Raised intracranial pressure.
    public var raisedIntracranialPressure: Bool?
    /// Raised intraocular pressure (e.g. uncontrolled glaucoma).
    public var raisedIntraocularPressure: Bool?
    /// Active substance abuse.
    public var activeSubstanceAbuse: Bool?
    /// Pregnancy.
    public var pregnancy: PregnancyStatus?
    /// Known hypersensitivity to ketamine.
    public var ketamineHypersensitivity: Bool?
    /// Any earlier exposure to ketamine.
    public var priorKetamineExposure: Bool?
    /// A prior severe reaction to ketamine (e.g. emergence reaction); asked only when exposure is yes.
    public var priorSevereKetamineReaction: Bool?
    /// Free-text notes of the screener.
    public var notes: String

    /// The longest notes text accepted (input size limit, not a clinical number).
    public static let maximumNotesLength = 4000
    /// Plausible systolic input range in mmHg (rejects typing errors; not a clinical threshold).
    public static let plausibleSystolic = 50...300
    /// Plausible diastolic input range in mmHg (rejects typing errors; not a clinical threshold).
    public static let plausibleDiastolic = 20...200

    /// Creates a form; every question defaults to unanswered.
    public init(
        bloodPressureReadings: [BloodPressureReading] = [],
        cardiovascular: CardiovascularStatus? = nil,
        psychosis: PsychosisStatus? = nil,
        hepatic: HepaticStatus? = nil,
        heavyAlcoholUse: Bool? = nil,
        raisedIntracranialPressure: Bool? = nil,
        raisedIntraocularPressure: Bool? = nil,
        activeSubstanceAbuse: Bool? = nil,
        pregnancy: PregnancyStatus? = nil,
        ketamineHypersensitivity: Bool? = nil,
        priorKetamineExposure: Bool? = nil,
        priorSevereKetamineReaction: Bool? = nil,
        notes: String = ""
    ) {
        self.bloodPressureReadings = bloodPressureReadings
        self.cardiovascular = cardiovascular
        self.psychosis = psychosis
        self.hepatic = hepatic
        self.heavyAlcoholUse = heavyAlcoholUse
        self.raisedIntracranialPressure = raisedIntracranialPressure
        self.raisedIntraocularPressure = raisedIntraocularPressure
        self.activeSubstanceAbuse = activeSubstanceAbuse
        self.pregnancy = pregnancy
        self.ketamineHypersensitivity = ketamineHypersensitivity
        self.priorKetamineExposure = priorKetamineExposure
        self.priorSevereKetamineReaction = priorSevereKetamineReaction
        self.notes = notes
    }

    /// Checks that the answers are plausible and consistent, throwing `ClinicError.invalid` naming each bad field.
    ///
    /// Missing answers are not errors here: they make the evaluation `incomplete`.
    public func validated() throws -> ScreeningForm {
        var errors = FieldErrors()
        for (index, reading) in bloodPressureReadings.enumerated() {
            let prefix = "bloodPressureReadings[\(index)]"
            let systolicOK = Self.plausibleSystolic.contains(reading.systolic)
            let diastolicOK = Self.plausibleDiastolic.contains(reading.diastolic)
            if !systolicOK {
                errors.add("\(prefix).systolic",
                           "Systolic pressure must be between \(Self.plausibleSystolic.lowerBound) and \(Self.plausibleSystolic.upperBound) mmHg.")
            }
            if !diastolicOK {
                errors.add("\(prefix).diastolic",
                           "Diastolic pressure must be between \(Self.plausibleDiastolic.lowerBound) and \(Self.plausibleDiastolic.upperBound) mmHg.")
            }
            if systolicOK, diastolicOK, reading.diastolic >= reading.systolic {
                errors.add("\(prefix).diastolic", "Diastolic pressure must be lower than systolic pressure.")
            }
        }
        if priorSevereKetamineReaction != nil, priorKetamineExposure != true {
            errors.add("priorSevereKetamineReaction",
                       "A prior severe reaction can only be answered when prior ketamine exposure is 'yes'.")
        }
        if notes.count > Self.maximumNotesLength {
            errors.add("notes", "Notes must be at most \(Self.maximumNotesLength) characters.")
        }
        try errors.throwIfAny()
        return self
    }
}
