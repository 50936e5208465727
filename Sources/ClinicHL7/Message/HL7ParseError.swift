/// Where in a message something was found, by position only (never by content).
///
/// Mirrors HL7's ERL data type (v2.5.1 §2.A.26): segment id, its sequence among segments of that id,
/// then field, repetition and component numbers.
public struct HL7Location: Sendable, Hashable, CustomStringConvertible {
    /// The segment id (`MSH`, `OBX`, …), or nil when the segment had no readable name.
    public var segment: String?
    /// 1-based position of the segment in the message.
    public var segmentIndex: Int
    /// 1-based sequence of the segment among segments with the same id (ERL-2).
    public var sequence: Int
    /// The field number (ERL-3), when the problem is inside a field.
    public var field: Int?
    /// The repetition (ERL-4), when known.
    public var repetition: Int?
    /// The component (ERL-5), when known.
    public var component: Int?

    /// Creates a location.
    public init(segment: String?, segmentIndex: Int, sequence: Int = 1, field: Int? = nil, repetition: Int? = nil, component: Int? = nil) {
        self.segment = segment
        self.segmentIndex = segmentIndex
        self.sequence = sequence
        self.field = field
        self.repetition = repetition
        self.component = component
    }

    /// `OBX[3]-5.1` style, positions only.
    public var description: String {
        var text = "\(segment ?? "segment")[\(sequence)] (segment \(segmentIndex))"
        if let field {
            text += " field \(field)"
            if let repetition { text += " repetition \(repetition)" }
            if let component { text += " component \(component)" }
        }
        return text
    }

    /// This location with a field (and optionally component) filled in.
    public func at(field: Int, component: Int? = nil) -> HL7Location {
        var copy = self
        copy.field = field
        copy.component = component
        return copy
    }
}

/// Why a message could not be read. Carries positions and fixed reasons only, never message text.
public enum HL7ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The payload holds no segments.
    case empty
    /// The first segment is not MSH.
    case missingHeader(HL7Location)
    /// MSH-1 / MSH-2 do not give a usable set of separators.
    case invalidDelimiters(HL7Location, reason: String)
    /// A segment name is not three upper-case letters or digits.
    case invalidSegmentName(HL7Location)
    /// A field the message must carry is absent or empty.
    case requiredFieldMissing(HL7Location)
    /// A field holds a value of the wrong form (a timestamp that is not one, say).
    case invalidValue(HL7Location, reason: String)

    /// The position of the problem, when there is one.
    public var location: HL7Location? {
        switch self {
        case .empty: nil
        case .missingHeader(let location), .invalidSegmentName(let location), .requiredFieldMissing(let location):
            location
        case .invalidDelimiters(let location, _), .invalidValue(let location, _):
            location
        }
    }

    /// The HL7 table 0357 code that reports this problem in an ERR segment.
    public var errorCode: HL7ErrorCode {
        switch self {
        case .empty, .missingHeader, .invalidSegmentName: .segmentSequenceError
        case .requiredFieldMissing: .requiredFieldMissing
        case .invalidDelimiters, .invalidValue: .dataTypeError
        }
    }

    /// A short reason with the position; safe to log.
    public var description: String {
        switch self {
        case .empty: "no segments"
        case .missingHeader(let location): "first segment is not MSH at \(location)"
        case .invalidDelimiters(let location, let reason): "invalid delimiters at \(location): \(reason)"
        case .invalidSegmentName(let location): "invalid segment name at \(location)"
        case .requiredFieldMissing(let location): "required field missing at \(location)"
        case .invalidValue(let location, let reason): "invalid value at \(location): \(reason)"
        }
    }
}
