import ClinicCore
import Foundation

/// One simulated bedside monitor on one chair: a patient model during a ketamine infusion that produces IHE PCD-01
/// style ORU^R01 messages. Pure and deterministic: the same seed, settings and sampling times give the same messages.
///
/// Every call to `next(at:)` is one "numerics" message (see `docs/HL7.md`, "Simulated monitors"): heart rate, pulse
/// rate, SpO₂, respiratory rate, EtCO₂ when the chair has a capnograph, and the latest cuff reading (systolic,
/// diastolic, mean) with its own OBX-14 time — 7 or 8 OBX with MDC codes, 6 or 7 with LOINC (LOINC has no pulse-rate
/// code in our table). Cuff readings are taken at the start and every `cuffInterval`; continuous values carry slow
/// noise and occasional artefacts of 2–4 s, too short to confirm a continuous alarm (10 s, clinical-reference §3).
public struct SimulatedMonitor: Sendable {
    /// How the monitor reports.
    public struct Settings: Sendable, Hashable {
        /// Seconds between cuff readings (default 5 min; 30 s suits a demo).
        public var cuffInterval: TimeInterval
        /// MDC (IEEE 11073, the default) or LOINC codes in OBX-3.
        public var coding: ObservationCoding
        /// PID-3 when set; without it no PID is sent and the server maps the feed by chair (MSH-3).
        public var patientIdentifier: PatientIdentifier?
        /// How far into the infusion the patient is when the simulation starts, seconds (drives the BP rise).
        public var infusionElapsedAtStart: TimeInterval
        /// How many random artefacts an hour, on average (0: none).
        public var artefactsPerHour: Double
        /// MSH-10 of message n is this prefix followed by n.
        public var controlIDPrefix: String
        /// Whether every message repeats the latest cuff reading (with its own OBX-14), as IHE PCD-01 gateways
        /// commonly do — the default, which gives each message 6–8 OBX; if false, the cuff OBX go only into the first
        /// message after a reading.
        public var repeatsCuffReading: Bool
        /// MSH-4.
        public var sendingFacility: String
        /// MSH-5.
        public var receivingApplication: String
        /// MSH-6.
        public var receivingFacility: String

        /// Creates settings.
        public init(cuffInterval: TimeInterval = 300, coding: ObservationCoding = .mdc, patientIdentifier: PatientIdentifier? = nil,
                    infusionElapsedAtStart: TimeInterval = 0, artefactsPerHour: Double = 4, controlIDPrefix: String = "",
                    repeatsCuffReading: Bool = true, sendingFacility: String = "DEEPRELIEF-SIM", receivingApplication: String = "DEEPRELIEF",
                    receivingFacility: String = "CLINIC") {
            self.cuffInterval = max(1, cuffInterval)
            self.coding = coding
            self.patientIdentifier = patientIdentifier
            self.infusionElapsedAtStart = infusionElapsedAtStart
            self.artefactsPerHour = max(0, artefactsPerHour)
            self.controlIDPrefix = controlIDPrefix
            self.repeatsCuffReading = repeatsCuffReading
            self.sendingFacility = sendingFacility
            self.receivingApplication = receivingApplication
            self.receivingFacility = receivingFacility
        }
    }

    /// The code system of OBX-3.
    public enum ObservationCoding: String, Sendable, Hashable, Codable, CaseIterable {
        /// IEEE 11073-10101 MDC codes with MDC_DIM units (IHE PCD-01; clinical-reference §8).
        case mdc
        /// LOINC codes with UCUM units (clinical-reference §8); pulse rate has no LOINC code here and is left out.
        case loinc
    }

    /// The chair, from 1; MSH-3 is `MONITOR-<chair>`.
    public let chair: Int
    /// The patient model.
    public let patient: SimulatedPatient
    /// How the monitor reports.
    public let settings: Settings
    /// The scenarios of this chair, by start.
    public let scenarios: [SimulationScenario]
    /// The wall-clock instant of elapsed time 0.
    public let startedAt: Date

    private var noise: SimulationRandom
    private var cuffRandom: SimulationRandom
    private var artefactRandom: SimulationRandom
    private var heartRateNoise = DriftingNoise(stationaryDeviation: 1.5, correlationTime: 30)
    private var pulseOffset = DriftingNoise(stationaryDeviation: 0.7, correlationTime: 10)
    private var saturationNoise = DriftingNoise(stationaryDeviation: 0.5, correlationTime: 20)
    private var respiratoryNoise = DriftingNoise(stationaryDeviation: 0.8, correlationTime: 40)
    private var carbonDioxideNoise = DriftingNoise(stationaryDeviation: 0.8, correlationTime: 40)
    private var lastElapsed: TimeInterval?
    private var nextRegularCuff = 0
    private var pendingForcedCuffs: [TimeInterval]
    private var nextArtefact: Artefact?
    private var currentArtefact: Artefact?
    private var sequence = 0
    private var reportedCuff: TimeInterval?
    /// The latest cuff reading taken.
    public private(set) var latestCuff: CuffReading?

    /// A monitor for `chair` whose patient (unless given) and noise come from `seed`; scenarios of other chairs are ignored.
    public init(chair: Int, seed: UInt64, startedAt: Date, settings: Settings = Settings(),
                scenarios: [SimulationScenario] = [], patient: SimulatedPatient? = nil) {
        self.chair = chair
        self.patient = patient ?? .generated(seed: seed, chair: chair)
        self.settings = settings
        self.scenarios = scenarios.filter { $0.chair == chair }.sorted { $0.start < $1.start }
        self.startedAt = startedAt
        let stream = UInt64(truncatingIfNeeded: chair) &* 8
        self.noise = SimulationRandom(seed: seed, stream: stream &+ 2)
        self.cuffRandom = SimulationRandom(seed: seed, stream: stream &+ 3)
        self.artefactRandom = SimulationRandom(seed: seed, stream: stream &+ 4)
        self.pendingForcedCuffs = self.scenarios.filter { $0.kind == .hypertensiveCrisis }.map(\.start)
        self.nextArtefact = nil
        self.nextArtefact = scheduleArtefact(after: 0)
    }

    // MARK: - Sampling

    /// The message for `elapsed` seconds after the start, or nil while a `monitorSilence` scenario runs.
    /// Calls must not go back in time (an earlier `elapsed` is taken as the latest one).
    public mutating func next(at elapsed: TimeInterval) -> SimulatedMessage? {
        guard let sample = sample(at: elapsed) else { return nil }
        sequence += 1
        return SimulatedMessage(sample: sample, controlID: settings.controlIDPrefix + String(sequence), settings: settings)
    }

    /// The monitor's values `elapsed` seconds after the start, or nil while a `monitorSilence` scenario runs.
    public mutating func sample(at requested: TimeInterval) -> MonitorSample? {
        let elapsed = max(requested, lastElapsed ?? requested)
        let step = lastElapsed.map { elapsed - $0 } ?? 0
        lastElapsed = elapsed
        takeCuffReadings(through: elapsed)
        let artefact = artefact(at: elapsed)

        // Noise moves on even while silent, so values do not depend on whether messages were sent.
        let hrNoise = heartRateNoise.advance(by: step, using: &noise)
        let prOffset = pulseOffset.advance(by: step, using: &noise)
        let spo2Noise = saturationNoise.advance(by: step, using: &noise)
        let rrNoise = respiratoryNoise.advance(by: step, using: &noise)
        let co2Noise = carbonDioxideNoise.advance(by: step, using: &noise)
        guard !isSilent(at: elapsed) else { return nil }

        let rise = SimulatedPatient.riseFraction(infusionElapsed: settings.infusionElapsedAtStart + elapsed)
        var heartRate = patient.heartRate + patient.heartRateRise * rise + hrNoise
        var pulseRate = heartRate + prOffset
        var saturation = min(100, patient.oxygenSaturation + spo2Noise)
        let respiratoryRate = patient.respiratoryRate + rrNoise
        let carbonDioxide = patient.endTidalCO2.map { $0 + co2Noise }

        for scenario in scenarios where scenario.isActive(at: elapsed) {
            switch scenario.kind {
            case .desaturation:
                // 4 s down to 85 %, hold, 4 s back up.
                let f = Self.ramp(elapsed, scenario, rampSeconds: 4)
                saturation = (1 - f) * saturation + f * (85 + spo2Noise)
            case .bradycardia:
                // 3 s down to 40/min, hold, 3 s back up.
                let f = Self.ramp(elapsed, scenario, rampSeconds: 3)
                heartRate = (1 - f) * heartRate + f * (40 + hrNoise / 3)
                pulseRate = heartRate + prOffset
            case .artefact:
                saturation = 80
                heartRate = 150
            case .hypertensiveCrisis, .monitorSilence:
                break
            }
        }
        var kind: MonitorSample.Artefact?
        if let artefact {
            kind = artefact.kind
            switch artefact.kind {
            case .saturationDip: saturation = artefact.level
            case .heartRateSpike: heartRate = artefact.level
            case .scripted: break
            }
        }
        if scenarios.contains(where: { $0.kind == .artefact && $0.isActive(at: elapsed) }) { kind = .scripted }

        let cuffIsNew = latestCuff != nil && latestCuff?.elapsed != reportedCuff
        reportedCuff = latestCuff?.elapsed
        return MonitorSample(
            chair: chair, elapsed: elapsed, time: startedAt.addingTimeInterval(elapsed),
            heartRate: Int(heartRate.rounded()), pulseRate: Int(pulseRate.rounded()),
            oxygenSaturation: min(100, Int(saturation.rounded())), respiratoryRate: Int(respiratoryRate.rounded()),
            endTidalCO2: carbonDioxide.map { Int($0.rounded()) }, cuff: latestCuff, cuffIsNew: cuffIsNew, artefact: kind)
    }

    /// Whether a `monitorSilence` scenario runs at `elapsed`.
    public func isSilent(at elapsed: TimeInterval) -> Bool {
        scenarios.contains { $0.kind == .monitorSilence && $0.isActive(at: elapsed) }
    }

    /// 0 → 1 over the first `rampSeconds` of the scenario, 1 → 0 over its last.
    private static func ramp(_ elapsed: TimeInterval, _ scenario: SimulationScenario, rampSeconds: Double) -> Double {
        let up = min(max((elapsed - scenario.start) / rampSeconds, 0), 1)
        let down = min(max((scenario.end - elapsed) / rampSeconds, 0), 1)
        return min(up, down)
    }

    // MARK: - Cuff

    /// Takes every cuff reading due up to `elapsed`: the regular cycle (0, cuffInterval, …; none while silent) and
    /// the forced readings of `hypertensiveCrisis` scenarios, in time order.
    private mutating func takeCuffReadings(through elapsed: TimeInterval) {
        while true {
            let regular = Double(nextRegularCuff) * settings.cuffInterval
            let forced = pendingForcedCuffs.first
            if let forced, forced <= elapsed, forced <= regular {
                pendingForcedCuffs.removeFirst()
                if forced == regular { nextRegularCuff += 1 }
                takeCuffReading(at: forced, forced: true)
            } else if regular <= elapsed {
                nextRegularCuff += 1
                if !isSilent(at: regular) { takeCuffReading(at: regular, forced: false) }
            } else {
                return
            }
        }
    }

    private mutating func takeCuffReading(at elapsed: TimeInterval, forced: Bool) {
        // Drawn for every reading alike, so a crisis during a regular reading does not shift the later ones' noise.
        let systolicNoise = min(max(2.5 * cuffRandom.gaussian(), -5), 5)
        let diastolicNoise = min(max(2 * cuffRandom.gaussian(), -4), 4)
        let systolic: Int
        let diastolic: Int
        if forced {
            (systolic, diastolic) = (190, 125)
        } else if scenarios.contains(where: { $0.kind == .hypertensiveCrisis && $0.isActive(at: elapsed) }) {
            (systolic, diastolic) = (190 + Int(abs(systolicNoise).rounded()), 125 + Int(abs(diastolicNoise).rounded()))
        } else {
            let rise = SimulatedPatient.riseFraction(infusionElapsed: settings.infusionElapsedAtStart + elapsed)
            systolic = Int((patient.systolic + patient.systolicRise * rise + systolicNoise).rounded())
            diastolic = Int((patient.diastolic + patient.diastolicRise * rise + diastolicNoise).rounded())
        }
        latestCuff = CuffReading(elapsed: elapsed, time: startedAt.addingTimeInterval(elapsed), systolic: systolic,
                                 diastolic: diastolic)
    }

    // MARK: - Artefacts

    private struct Artefact: Sendable, Hashable {
        var start: TimeInterval
        var duration: TimeInterval
        var kind: MonitorSample.Artefact
        var level: Double
    }

    /// The random artefact covering `elapsed`, if any; draws the next ones as time passes.
    private mutating func artefact(at elapsed: TimeInterval) -> Artefact? {
        while let next = nextArtefact, next.start <= elapsed {
            currentArtefact = next
            nextArtefact = scheduleArtefact(after: next.start + next.duration)
        }
        guard let current = currentArtefact, elapsed < current.start + current.duration else { return nil }
        return current
    }

    /// A motion artefact (SpO₂ 78–84 %) or an ECG artefact (heart rate 140–160/min) lasting 2–4 s, after an
    /// exponential pause of mean 1 h / `artefactsPerHour`.
    private mutating func scheduleArtefact(after time: TimeInterval) -> Artefact? {
        guard settings.artefactsPerHour > 0 else { return nil }
        let start = time + artefactRandom.exponential(mean: 3600 / settings.artefactsPerHour)
        let duration = artefactRandom.uniform(2...4)
        let isDip = artefactRandom.unit() < 0.5
        let level = isDip ? artefactRandom.uniform(78...84).rounded() : artefactRandom.uniform(140...160).rounded()
        return Artefact(start: start, duration: duration, kind: isDip ? .saturationDip : .heartRateSpike, level: level)
    }

    // MARK: - Messages

    /// The ORU^R01 for a sample (IHE PCD-01 style; see the type's documentation).
    public static func message(for sample: MonitorSample, controlID: String, settings: Settings) -> HL7Message {
        let time = HL7Timestamp.format(sample.time)
        let application = "MONITOR-\(sample.chair)"
        var header = HL7Segment("MSH")
        header[3] = HL7Field(application)
        header[4] = HL7Field(settings.sendingFacility)
        header[5] = HL7Field(settings.receivingApplication)
        header[6] = HL7Field(settings.receivingFacility)
        header[7] = HL7Field(time)
        header[9] = HL7Field(components: ["ORU", "R01", "ORU_R01"])
        header[10] = HL7Field(controlID)
        header[11] = HL7Field("P")
        header[12] = HL7Field("2.6")
        header[15] = HL7Field("NE")
        header[16] = HL7Field("AL")
        header[18] = HL7Field("UNICODE UTF-8")
        header[21] = HL7Field(components: ["IHE_PCD_001", "IHE PCD", "1.3.6.1.4.1.19376.1.6.1.1.1", "ISO"])
        var segments = [header]
        if let patient = settings.patientIdentifier {
            var pid = HL7Segment("PID")
            pid[3] = HL7Field(components: [patient.id, "", "", patient.assigningAuthority ?? "", patient.typeCode ?? ""])
            segments.append(pid)
        }
        var request = HL7Segment("OBR")
        request[1] = HL7Field("1")
        request[2] = HL7Field(components: [controlID, application])
        request[3] = HL7Field(components: [controlID, application])
        request[4] = HL7Field(components: ["182777000", "monitoring of patient", "SCT"])
        request[7] = HL7Field(time)
        segments.append(request)

        for (setID, (code, value, observedAt)) in rows(for: sample, time: time, settings: settings).enumerated() {
            var row = HL7Segment("OBX")
            row[1] = HL7Field(String(setID + 1))
            row[2] = HL7Field("NM")
            row[3] = HL7Field(components: [code.identifier, code.text, code.system])
            if settings.coding == .mdc { row[4] = HL7Field(code.subID) }
            row[5] = HL7Field(String(value))
            row[6] = HL7Field(components: [code.unit.identifier, code.unit.text, code.unit.system])
            row[11] = HL7Field("R")
            row[14] = HL7Field(observedAt)
            segments.append(row)
        }
        return HL7Message(segments: segments)
    }

    /// The same message as `message(for:controlID:settings:).encoded()`, written straight to text (several times
    /// faster: the load generator's path).
    public static func encodedMessage(for sample: MonitorSample, controlID: String, settings: Settings) -> String {
        let delimiters = HL7Delimiters.standard
        func escape(_ value: String) -> String { delimiters.escape(value) }
        let time = HL7Timestamp.format(sample.time)
        let application = "MONITOR-\(sample.chair)"
        let id = escape(controlID)
        var text = ""
        text.reserveCapacity(1280)
        text += "MSH|^~\\&|"
        text += application
        text += "|" + escape(settings.sendingFacility) + "|" + escape(settings.receivingApplication) + "|"
        text += escape(settings.receivingFacility) + "|" + time + "||ORU^R01^ORU_R01|" + id
        text += "|P|2.6|||NE|AL||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
        if let patient = settings.patientIdentifier {
            text += "PID|||" + escape(patient.id) + "^^^" + escape(patient.assigningAuthority ?? "") + "^"
            text += escape(patient.typeCode ?? "") + "\r"
        }
        text += "OBR|1|" + id + "^" + application + "|" + id + "^" + application + "|182777000^monitoring of patient^SCT|||"
        text += time + "\r"
        for (setID, (code, value, observedAt)) in rows(for: sample, time: time, settings: settings).enumerated() {
            text += "OBX|" + String(setID + 1) + "|NM|" + code.identifier + "^" + code.text + "^" + code.system + "|"
            text += code.subID + "|" + String(value) + "|" + code.unit.identifier + "^" + code.unit.text + "^" + code.unit.system
            text += "|||||R|||" + observedAt + "\r"
        }
        return text
    }

    /// The OBX rows of a sample: code, value, OBX-14.
    private static func rows(for sample: MonitorSample, time: String, settings: Settings) -> [(ObservationCode, Int, String)] {
        var rows: [(VitalParameter, Int, String)] = [
            (.heartRate, sample.heartRate, time),
            (.pulseRate, sample.pulseRate, time),
            (.oxygenSaturation, sample.oxygenSaturation, time),
            (.respiratoryRate, sample.respiratoryRate, time),
        ]
        rows.reserveCapacity(8)
        if let carbonDioxide = sample.endTidalCO2 { rows.append((.endTidalCO2, carbonDioxide, time)) }
        if let cuff = sample.cuff, settings.repeatsCuffReading || sample.cuffIsNew {
            let cuffTime = HL7Timestamp.format(cuff.time)
            rows += [(.systolic, cuff.systolic, cuffTime), (.diastolic, cuff.diastolic, cuffTime), (.meanPressure, cuff.mean, cuffTime)]
        }
        return rows.compactMap { parameter, value, observedAt in
            ObservationCode(parameter, settings.coding).map { ($0, value, observedAt) }
        }
    }
}

/// The OBX-3 / OBX-4 / OBX-6 of a simulated parameter (clinical-reference §8; `docs/HL7.md`).
struct ObservationCode: Sendable {
    var identifier: String
    var text: String
    var system: String
    var subID: String
    var unit: (identifier: String, text: String, system: String)

    init?(_ parameter: VitalParameter, _ coding: SimulatedMonitor.ObservationCoding) {
        let perMinute = ("264864", "MDC_DIM_BEAT_PER_MIN", "MDC")
        let mmHg = ("266016", "MDC_DIM_MMHG", "MDC")
        let percent = ("262688", "MDC_DIM_PERCENT", "MDC")
        switch (coding, parameter) {
        // IEEE 11073-10101 (clinical-reference §8); OBX-4 MDS.VMD.channel.metric as in IHE PCD-01 examples.
        case (.mdc, .heartRate):
            (identifier, text, subID, unit) = ("147842", "MDC_ECG_HEART_RATE", "1.1.1.147842", perMinute)
        case (.mdc, .pulseRate):
            (identifier, text, subID, unit) = ("149530", "MDC_PULS_OXIM_PULS_RATE", "1.2.1.149530", perMinute)
        case (.mdc, .oxygenSaturation):
            (identifier, text, subID, unit) = ("150456", "MDC_PULS_OXIM_SAT_O2", "1.2.1.150456", percent)
        case (.mdc, .respiratoryRate):
            // MDC_DIM_RESP_PER_MIN is read by its reference id (docs/HL7.md: numeric MDC units only from §8).
            (identifier, text, subID, unit) = ("151562", "MDC_RESP_RATE", "1.4.1.151562", ("264928", "MDC_DIM_RESP_PER_MIN", "MDC"))
        case (.mdc, .endTidalCO2):
            (identifier, text, subID, unit) = ("151708", "MDC_AWAY_CO2_ET", "1.4.1.151708", mmHg)
        case (.mdc, .systolic):
            (identifier, text, subID, unit) = ("150021", "MDC_PRESS_BLD_NONINV_SYS", "1.3.1.150021", mmHg)
        case (.mdc, .diastolic):
            (identifier, text, subID, unit) = ("150022", "MDC_PRESS_BLD_NONINV_DIA", "1.3.1.150022", mmHg)
        case (.mdc, .meanPressure):
            (identifier, text, subID, unit) = ("150023", "MDC_PRESS_BLD_NONINV_MEAN", "1.3.1.150023", mmHg)
        // LOINC with UCUM units (clinical-reference §8; mean 8478-0 and EtCO₂ 19889-5 as in docs/HL7.md).
        case (.loinc, .heartRate):
            (identifier, text, subID, unit) = ("8867-4", "Heart rate", "", ("/min", "/min", "UCUM"))
        case (.loinc, .oxygenSaturation):
            (identifier, text, subID, unit) = ("59408-5", "Oxygen saturation by pulse oximetry", "", ("%", "%", "UCUM"))
        case (.loinc, .respiratoryRate):
            (identifier, text, subID, unit) = ("9279-1", "Respiratory rate", "", ("/min", "/min", "UCUM"))
        case (.loinc, .endTidalCO2):
            (identifier, text, subID, unit) = ("19889-5", "End-tidal CO2", "", ("mm[Hg]", "mm[Hg]", "UCUM"))
        case (.loinc, .systolic):
            (identifier, text, subID, unit) = ("8480-6", "Systolic blood pressure", "", ("mm[Hg]", "mm[Hg]", "UCUM"))
        case (.loinc, .diastolic):
            (identifier, text, subID, unit) = ("8462-4", "Diastolic blood pressure", "", ("mm[Hg]", "mm[Hg]", "UCUM"))
        case (.loinc, .meanPressure):
            (identifier, text, subID, unit) = ("8478-0", "Mean blood pressure", "", ("mm[Hg]", "mm[Hg]", "UCUM"))
        case (.loinc, .pulseRate), (_, .temperature):
            return nil
        }
        system = coding == .mdc ? "MDC" : "LN"
    }
}

/// The values one simulated monitor shows at one instant (whole numbers, as monitors send them).
public struct MonitorSample: Sendable, Hashable {
    /// What distorts the sample.
    public enum Artefact: String, Sendable, Hashable, Codable {
        /// A random motion artefact: SpO₂ drops for 2–4 s.
        case saturationDip
        /// A random ECG artefact: heart rate spikes for 2–4 s.
        case heartRateSpike
        /// The `artefact` scenario.
        case scripted
    }

    /// The chair, from 1.
    public var chair: Int
    /// Seconds after the simulation started.
    public var elapsed: TimeInterval
    /// The wall-clock time of the sample (MSH-7, OBR-7, OBX-14 of the continuous values).
    public var time: Date
    /// Heart rate, beats/min.
    public var heartRate: Int
    /// Pulse rate from the oximeter, beats/min.
    public var pulseRate: Int
    /// SpO₂, %.
    public var oxygenSaturation: Int
    /// Respiratory rate, breaths/min.
    public var respiratoryRate: Int
    /// End-tidal CO₂, mmHg, when the chair has a capnograph.
    public var endTidalCO2: Int?
    /// The latest cuff reading (repeated in every message with its own time), if one was taken.
    public var cuff: CuffReading?
    /// Whether `cuff` was taken since the previous sample that was reported (not silent).
    public var cuffIsNew: Bool
    /// The artefact distorting the sample, if any.
    public var artefact: Artefact?
}

/// One cuff (non-invasive blood pressure) reading.
public struct CuffReading: Sendable, Hashable, Codable {
    /// Seconds after the simulation started.
    public var elapsed: TimeInterval
    /// When it was taken (OBX-14).
    public var time: Date
    /// Systolic, mmHg.
    public var systolic: Int
    /// Diastolic, mmHg.
    public var diastolic: Int

    /// Creates a reading.
    public init(elapsed: TimeInterval, time: Date, systolic: Int, diastolic: Int) {
        self.elapsed = elapsed
        self.time = time
        self.systolic = systolic
        self.diastolic = diastolic
    }

    /// Mean arterial pressure, mmHg: diastolic + (systolic − diastolic) / 3, rounded.
    public var mean: Int {
        Int((Double(diastolic) + Double(systolic - diastolic) / 3).rounded())
    }
}

/// A generated message: the sample it reports and its MSH-10; the message is built when asked for.
public struct SimulatedMessage: Sendable {
    /// The values reported.
    public var sample: MonitorSample
    /// MSH-10.
    public var controlID: String
    /// How the monitor reports.
    public var settings: SimulatedMonitor.Settings

    /// The ORU^R01.
    public var message: HL7Message {
        SimulatedMonitor.message(for: sample, controlID: controlID, settings: settings)
    }

    /// The ORU^R01 as text (segments ended by CR), ready to frame; equal to `message.encoded()`.
    public var encoded: String {
        SimulatedMonitor.encodedMessage(for: sample, controlID: controlID, settings: settings)
    }
}
