/// MSA-1 acknowledgment codes in original mode (HL7 table 0008).
public enum HL7AcknowledgmentCode: String, Sendable, Hashable, CaseIterable {
    /// Application accept: the message was processed (for us: committed).
    case accept = "AA"
    /// Application error: the message was understood but could not be processed.
    case error = "AE"
    /// Application reject: the message is of a type, version or form we do not take.
    case reject = "AR"
}

/// Message error condition codes (HL7 table 0357, v2.5.1), reported in ERR-3.
public enum HL7ErrorCode: Int, Sendable, Hashable, CaseIterable {
    /// 0 — message accepted.
    case messageAccepted = 0
    /// 100 — segments out of order, or a required segment missing.
    case segmentSequenceError = 100
    /// 101 — a required field is missing.
    case requiredFieldMissing = 101
    /// 102 — a field holds data of the wrong type.
    case dataTypeError = 102
    /// 103 — a coded value is not in its table.
    case tableValueNotFound = 103
    /// 200 — the message type is not supported.
    case unsupportedMessageType = 200
    /// 201 — the trigger event is not supported.
    case unsupportedEventCode = 201
    /// 202 — the processing id is not supported.
    case unsupportedProcessingID = 202
    /// 203 — the version id is not supported.
    case unsupportedVersionID = 203
    /// 204 — unknown key identifier (e.g. a patient we do not know).
    case unknownKeyIdentifier = 204
    /// 205 — duplicate key identifier.
    case duplicateKeyIdentifier = 205
    /// 206 — the record is locked.
    case applicationRecordLocked = 206
    /// 207 — application internal error.
    case applicationInternalError = 207

    /// The table 0357 text.
    public var text: String {
        switch self {
        case .messageAccepted: "Message accepted"
        case .segmentSequenceError: "Segment sequence error"
        case .requiredFieldMissing: "Required field missing"
        case .dataTypeError: "Data type error"
        case .tableValueNotFound: "Table value not found"
        case .unsupportedMessageType: "Unsupported message type"
        case .unsupportedEventCode: "Unsupported event code"
        case .unsupportedProcessingID: "Unsupported processing id"
        case .unsupportedVersionID: "Unsupported version id"
        case .unknownKeyIdentifier: "Unknown key identifier"
        case .duplicateKeyIdentifier: "Duplicate key identifier"
        case .applicationRecordLocked: "Application record locked"
        case .applicationInternalError: "Application internal error"
        }
    }
}
