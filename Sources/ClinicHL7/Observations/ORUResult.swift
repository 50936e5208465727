import ClinicCore
import Foundation

/// The vital signs read from one ORU^R01 message (IHE PCD-01 "communicate PCD data" style), with
/// everything that was not turned into a vital sign and why.
public struct ORUResult: Sendable, Hashable {
    /// The MSH facts (sender, time, type, control id, processing id, version).
    public var header: HL7MessageHeader
    /// PID-3, first repetition; nil when the message has no PID or an empty PID-3.
    public var patient: PatientIdentifier?
    /// The mapped vital signs, in message order, in each parameter's stored unit.
    public var observations: [VitalObservation]
    /// OBX segments whose code is not a vital sign we map (device, alarm or setting rows); kept, not errors.
    public var unmapped: [ObservationItem]
    /// OBX segments of a mapped vital sign that could not be used, with the reason.
    public var skipped: [SkippedObservation]

    /// The message versions we accept: 2.3 to 2.8, any patch (`2.3.1`, `2.5.1`, `2.8.2`).
    public static let supportedVersions = HL7Version(2, 3)...HL7Version(2, 8)

    /// Reads an ORU^R01 message.
    ///
    /// Each observation's time is OBX-14, else OBR-7 of its group, else MSH-7, else `receivedAt`
    /// (a timestamp that is present but invalid counts as absent). Times without an offset are taken
    /// in `defaultTimeZone`.
    /// - Throws: `ORUError` when the message is not ORU^R01, its version is outside 2.3–2.8, or MSH-10 is missing.
    public init(_ message: HL7Message, receivedAt: Date, defaultTimeZone: TimeZone = .gmt) throws(ORUError) {
        let header = message.header(defaultTimeZone: defaultTimeZone)
        guard let type = header.messageType, type.code == "ORU" else { throw .unsupportedMessageType }
        guard type.trigger == "R01" else { throw .unsupportedEvent }
        guard let versionText = header.version, let version = HL7Version(versionText),
              version.isWithin(Self.supportedVersions)
        else { throw .unsupportedVersion }
        guard header.controlID != nil else {
            throw .requiredFieldMissing(HL7Location(segment: "MSH", segmentIndex: 1, field: 10))
        }

        self.header = header
        self.patient = nil
        self.observations = []
        self.unmapped = []
        self.skipped = []

        var obxSequence = 0  // ERL-2 of the OBX: how many OBX segments so far, this one included
        var group = 0
        var groupTime: Date?
        for (offset, segment) in message.segments.enumerated() {
            switch segment.name {
            case "PID" where patient == nil:
                patient = PatientIdentifier(segment[3])
            case "OBR":
                group += 1
                groupTime = Self.time(segment.value(7), defaultTimeZone)
            case "OBX":
                obxSequence += 1
                let location = HL7Location(segment: "OBX", segmentIndex: offset + 1, sequence: obxSequence)
                let observedAt = Self.time(segment.value(14), defaultTimeZone) ?? groupTime ?? header.timestamp ?? receivedAt
                read(ObservationItem(segment, location: location, group: group, observedAt: observedAt))
            default:
                break
            }
        }
    }

    private mutating func read(_ item: ObservationItem) {
        guard let code = item.code, let parameter = VitalParameter(observationCode: code) else {
            unmapped.append(item)
            return
        }
        switch item.vitalValue(for: parameter) {
        case .value(let value):
            observations.append(VitalObservation(parameter, value, at: item.observedAt))
        case .skipped(let reason):
            skipped.append(SkippedObservation(item: item, parameter: parameter, reason: reason))
        }
    }

    private static func time(_ text: String?, _ timeZone: TimeZone) -> Date? {
        nonEmpty(text).flatMap { HL7Timestamp($0, defaultTimeZone: timeZone)?.date }
    }
}

/// Why a message cannot be read as vital signs; each case knows its ACK.
public enum ORUError: Error, Sendable, Hashable, CustomStringConvertible {
    /// MSH-9.1 is not ORU.
    case unsupportedMessageType
    /// MSH-9.2 is not R01.
    case unsupportedEvent
    /// MSH-12 is absent or outside 2.3–2.8.
    case unsupportedVersion
    /// A field the reply depends on is missing (MSH-10).
    case requiredFieldMissing(HL7Location)

    /// The reply: AR 200 / 201 / 203 for what we do not take, AE 101 for a missing field.
    public var acknowledgment: HL7Acknowledgment {
        let header = HL7Location(segment: "MSH", segmentIndex: 1)
        return switch self {
        case .unsupportedMessageType:
            .reject(.unsupportedMessageType, at: header.at(field: 9, component: 1), message: "Only ORU^R01 is accepted")
        case .unsupportedEvent:
            .reject(.unsupportedEventCode, at: header.at(field: 9, component: 2), message: "Only ORU^R01 is accepted")
        case .unsupportedVersion:
            .reject(.unsupportedVersionID, at: header.at(field: 12), message: "HL7 versions 2.3 to 2.8 are accepted")
        case .requiredFieldMissing(let location):
            .error(.requiredFieldMissing, at: location, message: "Required field missing")
        }
    }

    /// A short reason with positions only.
    public var description: String {
        switch self {
        case .unsupportedMessageType: "unsupported message type (MSH-9.1)"
        case .unsupportedEvent: "unsupported trigger event (MSH-9.2)"
        case .unsupportedVersion: "unsupported version (MSH-12)"
        case .requiredFieldMissing(let location): "required field missing at \(location)"
        }
    }
}

/// A patient identifier from PID-3 (CX data type): id ^ check digit ^ scheme ^ assigning authority ^ type.
public struct PatientIdentifier: Sendable, Hashable {
    /// CX-1, the identifier (an MRN, say).
    public var id: String
    /// CX-4, the assigning authority's namespace id (or its universal id when that is all it has).
    public var assigningAuthority: String?
    /// CX-5, the identifier type code (`MR`, `PI`, …).
    public var typeCode: String?

    /// Creates an identifier.
    public init(id: String, assigningAuthority: String? = nil, typeCode: String? = nil) {
        self.id = id
        self.assigningAuthority = assigningAuthority
        self.typeCode = typeCode
    }

    /// Reads the first repetition of PID-3; nil when it has no id.
    init?(_ field: HL7Field?) {
        guard let field, let id = nonEmpty(field.value(component: 1)) else { return nil }
        let authority = field.component(4)
        self.init(
            id: id,
            assigningAuthority: nonEmpty(authority?.value(1)) ?? nonEmpty(authority?.value(2)),
            typeCode: nonEmpty(field.value(component: 5))
        )
    }
}

/// One OBX segment as read, before mapping.
public struct ObservationItem: Sendable, Hashable {
    /// Where the OBX is in the message.
    public var location: HL7Location
    /// Which OBR group it belongs to (1 for the first OBR, 0 when it precedes every OBR).
    public var group: Int
    /// OBX-1, the set id.
    public var setID: String
    /// OBX-2, the value type (`NM`, `ST`, `SN`, `CWE`, …).
    public var valueType: String
    /// OBX-3, the observation identifier; nil when empty.
    public var code: HL7CodedElement?
    /// OBX-4, the observation sub-id (the MDC containment path in IHE PCD-01).
    public var subID: String
    /// OBX-5, the value as sent (unescaped).
    public var value: HL7Field
    /// OBX-6, the units; nil when empty.
    public var units: HL7CodedElement?
    /// OBX-11, the result status (`F`, `R`, `C`, `X`, …); nil when empty.
    public var resultStatus: String?
    /// OBX-18.1, the equipment instance identifier; nil when empty.
    public var equipment: String?
    /// OBX-14, else OBR-7, else MSH-7, else the time of receipt.
    public var observedAt: Date

    init(_ segment: HL7Segment, location: HL7Location, group: Int, observedAt: Date) {
        self.location = location
        self.group = group
        self.setID = segment.value(1) ?? ""
        self.valueType = Self.trimmedUppercased(segment.value(2) ?? "")
        self.code = HL7CodedElement(segment[3])
        self.subID = segment.value(4) ?? ""
        self.value = segment[5] ?? HL7Field()
        self.units = HL7CodedElement(segment[6])
        self.resultStatus = nonEmpty(segment.value(11).map(Self.trimmedUppercased))
        self.equipment = nonEmpty(segment.value(18))
        self.observedAt = observedAt
    }

    /// OBX-11 statuses that carry no usable value (HL7 table 0085): X cannot be obtained,
    /// W wrong (replaced later), D delete the earlier result, N not asked.
    static let unusableStatuses: Set<String> = ["X", "W", "D", "N"]

    /// Whether `status` is one of `unusableStatuses` (compared without hashing).
    static func isUnusable(_ status: String) -> Bool {
        switch status {
        case "X", "W", "D", "N": true
        default: false
        }
    }

    /// `text.trimmingSpaces.uppercased()`, without either step when the text is printable ASCII with no
    /// lower-case letter (no space, so nothing to trim; nothing to upper-case), as codes usually are.
    static func trimmedUppercased(_ text: String) -> String {
        var copy = text
        let unchanged = copy.withUTF8 { bytes in
            bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && !($0 >= 0x61 && $0 <= 0x7A) }
        }
        return unchanged ? text : text.trimmingSpaces.uppercased()
    }

    /// `text.trimmingSpaces`, without a copy when the text neither starts nor ends with a space or tab.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        return isSpace(first) || isSpace(last) ? text.trimmingSpaces : text
    }

    /// The value in `parameter`'s stored unit, or why there is none.
    func vitalValue(for parameter: VitalParameter) -> VitalReading {
        if let status = resultStatus, Self.isUnusable(status) {
            return .skipped(.resultStatus)
        }
        guard !value.isEmpty else { return .skipped(.missingValue) }
        guard let number = numericValue else { return .skipped(.nonNumericValue) }
        guard let units else {
            return ObservationUnit.mayOmitUnit(for: parameter) ? .value(number) : .skipped(.missingUnit)
        }
        guard let unit = ObservationUnit(units), let converted = unit.convert(number, to: parameter) else {
            return .skipped(.unsupportedUnit)
        }
        return .value(converted)
    }

    /// The number in OBX-5 for NM (and for ST or an empty type when it reads as one), or SN with no
    /// comparator other than `=` and a single number.
    var numericValue: Double? {
        switch valueType {
        case "NM", "ST", "":
            return Self.number(value.value(component: 1) ?? "")
        case "SN":
            let comparator = Self.trimmed(value.value(component: 1) ?? "")
            guard comparator.isEmpty || comparator == "=",
                  (value.value(component: 3) ?? "").isEmpty, (value.value(component: 4) ?? "").isEmpty
            else { return nil }
            return Self.number(value.value(component: 2) ?? "")
        default:
            return nil
        }
    }

    /// HL7 NM: optional sign, digits, optional decimal point (v2.5.1 §2.A.47) — no exponent, inf or nan.
    static func number(_ text: String) -> Double? {
        let trimmed = Self.trimmed(text)
        var scalars = trimmed.unicodeScalars[...]
        if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
        var digits = 0
        var points = 0
        for scalar in scalars {
            if ("0"..."9").contains(scalar) {
                digits += 1
            } else if scalar == "." {
                points += 1
            } else {
                return nil
            }
        }
        guard digits > 0, points <= 1,
              let number = Double(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed),
              number.isFinite
        else { return nil }
        return number
    }
}

/// The outcome of reading one OBX as a vital sign.
enum VitalReading {
    /// The value in the parameter's stored unit.
    case value(Double)
    /// No usable value.
    case skipped(SkippedObservation.Reason)
}

/// An OBX of a mapped vital sign that could not be used.
public struct SkippedObservation: Sendable, Hashable {
    /// Why an observation was skipped.
    public enum Reason: String, Sendable, Hashable {
        /// OBX-11 is X, W, D or N (HL7 table 0085): no usable result.
        case resultStatus
        /// OBX-5 is empty.
        case missingValue
        /// OBX-5 is not a plain number (or OBX-2 is not a numeric type).
        case nonNumericValue
        /// OBX-6 is empty for a parameter that must state its unit (temperature, EtCO₂).
        case missingUnit
        /// OBX-6 is a unit we do not know, or does not fit the parameter.
        case unsupportedUnit
    }

    /// The OBX as read.
    public var item: ObservationItem
    /// The vital sign its code stands for.
    public var parameter: VitalParameter
    /// Why it was skipped.
    public var reason: Reason
}
