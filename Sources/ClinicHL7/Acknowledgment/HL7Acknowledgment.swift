import Foundation

/// One problem reported in an ERR segment (HL7 v2.5.1 §2.15.5).
public struct HL7ErrorDetail: Sendable, Hashable {
    /// ERR-4 severity (HL7 table 0516).
    public enum Severity: String, Sendable, Hashable {
        /// Error: the message was not (fully) processed.
        case error = "E"
        /// Warning: processed, but something is worth a look.
        case warning = "W"
        /// Information.
        case information = "I"
        /// Fatal error.
        case fatal = "F"
    }

    /// ERR-3, the table 0357 code.
    public var code: HL7ErrorCode
    /// ERR-4.
    public var severity: Severity
    /// ERR-2, where the problem is, by position.
    public var location: HL7Location?
    /// ERR-8, a short message for people. Never put message content in it.
    public var userMessage: String?

    /// Creates an error detail.
    public init(code: HL7ErrorCode, severity: Severity = .error, location: HL7Location? = nil, userMessage: String? = nil) {
        self.code = code
        self.severity = severity
        self.location = location
        self.userMessage = userMessage
    }
}

/// The reply to one incoming message: AA, AE or AR with its text and error, turned into an ACK message.
///
/// Rules (HL7 v2.5.1 §2.9.2, original acknowledgment mode; DESIGN §6): MSH-3/4 and MSH-5/6 are
/// swapped, MSH-9 is `ACK^<trigger>^ACK`, MSH-11 and MSH-12 are copied, MSA-2 echoes MSH-10; AE and AR
/// carry an ERR segment.
public struct HL7Acknowledgment: Sendable, Hashable {
    /// MSA-1.
    public var code: HL7AcknowledgmentCode
    /// MSA-3, the text message; for AE/AR without a text the error code's text is used.
    public var text: String?
    /// The ERR segment's content, for AE and AR.
    public var error: HL7ErrorDetail?

    /// Creates an acknowledgment.
    public init(code: HL7AcknowledgmentCode, text: String? = nil, error: HL7ErrorDetail? = nil) {
        self.code = code
        self.text = text
        self.error = error
    }

    /// AA: the message was processed and committed.
    public static func accept(text: String? = nil) -> HL7Acknowledgment {
        HL7Acknowledgment(code: .accept, text: text)
    }

    /// AE: the message was understood but could not be processed.
    public static func error(_ code: HL7ErrorCode, at location: HL7Location? = nil, message: String? = nil) -> HL7Acknowledgment {
        HL7Acknowledgment(code: .error, error: HL7ErrorDetail(code: code, location: location, userMessage: message))
    }

    /// AR: the message is of a kind we do not take (type, version, processing id) or unreadable.
    public static func reject(_ code: HL7ErrorCode, at location: HL7Location? = nil, message: String? = nil) -> HL7Acknowledgment {
        HL7Acknowledgment(code: .reject, error: HL7ErrorDetail(code: code, location: location, userMessage: message))
    }

    /// The reply to a parse failure: AR when the header itself is unusable, AE (with position) otherwise.
    public init(for parseError: HL7ParseError) {
        switch parseError {
        case .empty, .missingHeader, .invalidDelimiters:
            self = .reject(parseError.errorCode, at: parseError.location, message: "Message header could not be read")
        case .invalidSegmentName, .requiredFieldMissing, .invalidValue:
            self = .error(parseError.errorCode, at: parseError.location, message: "Message could not be read")
        }
    }

    /// The ACK message answering `incoming`.
    ///
    /// - Parameters:
    ///   - controlID: MSH-10 of the ACK itself (a new id, not the incoming one).
    ///   - time: MSH-7 of the ACK.
    ///   - timeZone: the zone MSH-7 is written in (UTC unless given).
    public func message(replyingTo incoming: HL7Message, controlID: String, at time: Date, timeZone: TimeZone = .gmt) -> HL7Message {
        var header = HL7Segment("MSH")
        header[3] = incoming["MSH", 5] ?? HL7Field()
        header[4] = incoming["MSH", 6] ?? HL7Field()
        header[5] = incoming["MSH", 3] ?? HL7Field()
        header[6] = incoming["MSH", 4] ?? HL7Field()
        header[7] = HL7Field(HL7Timestamp.format(time, timeZone: timeZone))
        header[9] = HL7Field(components: ["ACK", incoming.messageType?.trigger ?? "", "ACK"])
        header[10] = HL7Field(controlID)
        header[11] = HL7Field(incoming.processingID ?? "P")
        let version = incoming.version ?? Self.defaultVersion
        header[12] = HL7Field(version)
        var delimiters = incoming.delimiters
        if let parsed = HL7Version(version), parsed < HL7Version(2, 7) {
            delimiters.truncation = nil  // the truncation character only exists from v2.7 on
        }
        return HL7Message(delimiters: delimiters, segments: [header] + replySegments(echoing: incoming.controlID, version: version))
    }

    /// A reply for input that could not be parsed at all (no usable MSH): a valid ACK with an empty
    /// MSA-2, MSH-9 `ACK`, standard delimiters and `version`.
    public func message(
        replyingToUnreadableInputWith controlID: String,
        at time: Date,
        sendingApplication: HL7HierarchicDesignator? = nil,
        sendingFacility: HL7HierarchicDesignator? = nil,
        version: String = HL7Acknowledgment.defaultVersion,
        timeZone: TimeZone = .gmt
    ) -> HL7Message {
        var header = HL7Segment("MSH")
        header[3] = sendingApplication.map(Self.field) ?? HL7Field()
        header[4] = sendingFacility.map(Self.field) ?? HL7Field()
        header[5] = HL7Field()
        header[6] = HL7Field()
        header[7] = HL7Field(HL7Timestamp.format(time, timeZone: timeZone))
        header[9] = HL7Field("ACK")
        header[10] = HL7Field(controlID)
        header[11] = HL7Field("P")
        header[12] = HL7Field(version)
        return HL7Message(segments: [header] + replySegments(echoing: nil, version: version))
    }

    /// The reply to a payload that failed to parse with `error`: addressed to its sender when its MSH
    /// can still be read, otherwise the unaddressed reply of `message(replyingToUnreadableInputWith:…)`.
    public static func reply(
        toUnreadable payload: String,
        error: HL7ParseError,
        controlID: String,
        at time: Date,
        timeZone: TimeZone = .gmt
    ) -> HL7Message {
        let acknowledgment = HL7Acknowledgment(for: error)
        if let header = try? HL7Message.parseHeader(payload) {
            return acknowledgment.message(replyingTo: header, controlID: controlID, at: time, timeZone: timeZone)
        }
        return acknowledgment.message(replyingToUnreadableInputWith: controlID, at: time, timeZone: timeZone)
    }

    /// MSH-12 of a reply when the incoming message gave none.
    public static let defaultVersion = "2.5.1"

    private func replySegments(echoing incomingControlID: String?, version: String) -> [HL7Segment] {
        var acknowledgment = HL7Segment("MSA")
        acknowledgment[1] = HL7Field(code.rawValue)
        acknowledgment[2] = HL7Field(incomingControlID ?? "")
        if let text = text ?? error?.code.text {
            acknowledgment[3] = HL7Field(text)
        }
        guard let error else { return [acknowledgment] }
        var segment = HL7Segment("ERR")
        let codeField = HL7Field(components: [String(error.code.rawValue), error.code.text, "HL70357"])
        if let parsed = HL7Version(version), parsed < HL7Version(2, 5) {
            // ERR-1 (ELD) is how v2.3 and v2.4 receivers read the error: segment^sequence^field^code.
            let location = error.location
            segment[1] = HL7Field(repetitions: [HL7Repetition(components: [
                HL7Component(location?.segment ?? ""),
                HL7Component(location.map { String($0.sequence) } ?? ""),
                HL7Component(location?.field.map(String.init) ?? ""),
                HL7Component(subcomponents: [String(error.code.rawValue), error.code.text, "HL70357"]),
            ])])
        }
        if let location = error.location, let name = location.segment {
            let parts = [name, String(location.sequence)]
                + [location.field, location.repetition ?? (location.component == nil ? nil : 1), location.component]
                .map { $0.map(String.init) ?? "" }
            segment[2] = HL7Field(components: Array(parts.reversed().drop(while: \.isEmpty).reversed()))
        }
        segment[3] = codeField
        segment[4] = HL7Field(error.severity.rawValue)
        if let userMessage = error.userMessage {
            segment[8] = HL7Field(userMessage)
        }
        return [acknowledgment, segment]
    }

    private static func field(_ designator: HL7HierarchicDesignator) -> HL7Field {
        let parts = [designator.namespaceID, designator.universalID, designator.universalIDType]
        return HL7Field(components: Array(parts.reversed().drop(while: \.isEmpty).reversed()))
    }
}
