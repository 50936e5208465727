import Foundation

/// An application or facility name (HD data type: namespace id ^ universal id ^ universal id type).
public struct HL7HierarchicDesignator: Sendable, Hashable {
    /// HD-1, the local name.
    public var namespaceID: String
    /// HD-2, a universal id such as an OID.
    public var universalID: String
    /// HD-3, the kind of universal id (`ISO`, `DNS`, …).
    public var universalIDType: String

    /// Creates a designator.
    public init(namespaceID: String, universalID: String = "", universalIDType: String = "") {
        self.namespaceID = namespaceID
        self.universalID = universalID
        self.universalIDType = universalIDType
    }

    /// Reads the components of a field's first repetition; nil when the field is absent or empty.
    init?(_ field: HL7Field?) {
        guard let field, !field.isEmpty else { return nil }
        self.init(
            namespaceID: field.value(component: 1) ?? "",
            universalID: field.value(component: 2) ?? "",
            universalIDType: field.value(component: 3) ?? ""
        )
    }
}

/// MSH-9: message code ^ trigger event ^ message structure (MSG data type).
public struct HL7MessageType: Sendable, Hashable, CustomStringConvertible {
    /// MSH-9.1, e.g. `ORU`.
    public var code: String
    /// MSH-9.2, e.g. `R01`.
    public var trigger: String
    /// MSH-9.3, e.g. `ORU_R01` (absent before v2.3.1 in many feeds).
    public var structure: String

    /// Creates a message type.
    public init(code: String, trigger: String, structure: String = "") {
        self.code = code
        self.trigger = trigger
        self.structure = structure
    }

    /// `ORU^R01^ORU_R01` form with standard separators.
    public var description: String {
        [code, trigger, structure].filter { !$0.isEmpty }.joined(separator: "^")
    }
}

/// The facts of an MSH segment a receiver acts on.
public struct HL7MessageHeader: Sendable, Hashable {
    /// MSH-3.
    public var sendingApplication: HL7HierarchicDesignator?
    /// MSH-4.
    public var sendingFacility: HL7HierarchicDesignator?
    /// MSH-5.
    public var receivingApplication: HL7HierarchicDesignator?
    /// MSH-6.
    public var receivingFacility: HL7HierarchicDesignator?
    /// MSH-7, when present and valid.
    public var timestamp: Date?
    /// MSH-9.
    public var messageType: HL7MessageType?
    /// MSH-10, the id the sender expects back in MSA-2.
    public var controlID: String?
    /// MSH-11.1: `P` production, `T` training, `D` debugging.
    public var processingID: String?
    /// MSH-12.1, e.g. `2.6`.
    public var version: String?
}

extension HL7Message {
    /// MSH-3.
    public var sendingApplication: HL7HierarchicDesignator? { HL7HierarchicDesignator(self["MSH", 3]) }
    /// MSH-4.
    public var sendingFacility: HL7HierarchicDesignator? { HL7HierarchicDesignator(self["MSH", 4]) }
    /// MSH-5.
    public var receivingApplication: HL7HierarchicDesignator? { HL7HierarchicDesignator(self["MSH", 5]) }
    /// MSH-6.
    public var receivingFacility: HL7HierarchicDesignator? { HL7HierarchicDesignator(self["MSH", 6]) }

    /// MSH-7 as an instant; a time without offset is taken in `defaultTimeZone`. Nil when absent or invalid.
    public func timestamp(defaultTimeZone: TimeZone = .gmt) -> Date? {
        Self.timestamp(segment(named: "MSH"), defaultTimeZone)
    }

    /// MSH-9, or nil when it has no message code.
    public var messageType: HL7MessageType? { Self.messageType(segment(named: "MSH")) }

    /// MSH-10, or nil when absent or empty.
    public var controlID: String? { nonEmpty(self["MSH", 10]?.text) }
    /// MSH-11.1, or nil when absent or empty.
    public var processingID: String? { nonEmpty(self["MSH", 11]?.text) }
    /// MSH-12.1, or nil when absent or empty.
    public var version: String? { nonEmpty(self["MSH", 12]?.text) }

    /// The MSH facts in one value.
    public func header(defaultTimeZone: TimeZone = .gmt) -> HL7MessageHeader {
        // The accessors above, with MSH looked up once.
        let msh = segment(named: "MSH")
        return HL7MessageHeader(
            sendingApplication: HL7HierarchicDesignator(msh?[3]),
            sendingFacility: HL7HierarchicDesignator(msh?[4]),
            receivingApplication: HL7HierarchicDesignator(msh?[5]),
            receivingFacility: HL7HierarchicDesignator(msh?[6]),
            timestamp: Self.timestamp(msh, defaultTimeZone),
            messageType: Self.messageType(msh),
            controlID: nonEmpty(msh?[10]?.text),
            processingID: nonEmpty(msh?[11]?.text),
            version: nonEmpty(msh?[12]?.text)
        )
    }

    private static func timestamp(_ msh: HL7Segment?, _ defaultTimeZone: TimeZone) -> Date? {
        nonEmpty(msh?[7]?.text).flatMap { HL7Timestamp($0, defaultTimeZone: defaultTimeZone)?.date }
    }

    private static func messageType(_ msh: HL7Segment?) -> HL7MessageType? {
        guard let field = msh?[9], let code = nonEmpty(field.value(component: 1)) else { return nil }
        return HL7MessageType(code: code, trigger: field.value(component: 2) ?? "", structure: field.value(component: 3) ?? "")
    }
}

/// The text, or nil when it is nil or empty.
func nonEmpty(_ text: String?) -> String? {
    guard let text, !text.isEmpty else { return nil }
    return text
}
