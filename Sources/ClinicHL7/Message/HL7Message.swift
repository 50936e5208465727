/// One HL7 v2 message: an ordered list of segments, the first of which is MSH.
///
/// Values are stored unescaped; `HL7Message.parse` splits on the separators first and then unescapes,
/// and `encoded()` escapes again, so `parse(encoded())` gives back an equal message.
public struct HL7Message: Sendable, Hashable {
    /// The separators the message was read with and is written with (kept in step with MSH-1/MSH-2).
    public var delimiters: HL7Delimiters {
        didSet { segments = Self.synchronisingHeader(segments, with: delimiters) }
    }
    /// The segments in order; `segments[0]` is MSH for any parsed message.
    public var segments: [HL7Segment]

    /// Creates a message from its segments; an MSH segment's fields 1 and 2 are set from `delimiters`.
    public init(delimiters: HL7Delimiters = .standard, segments: [HL7Segment]) {
        self.delimiters = delimiters
        self.segments = Self.synchronisingHeader(segments, with: delimiters)
    }

    /// For the parser: `segments[0]` is MSH whose fields 1 and 2 already equal what `delimiters` gives.
    init(delimiters: HL7Delimiters, synchronisedSegments segments: [HL7Segment]) {
        self.delimiters = delimiters
        self.segments = segments
    }

    private static func synchronisingHeader(_ segments: [HL7Segment], with delimiters: HL7Delimiters) -> [HL7Segment] {
        var segments = segments
        if let first = segments.first, first.name == "MSH" {
            segments[0][1] = HL7Field(String(delimiters.field))
            segments[0][2] = HL7Field(delimiters.encodingCharacters)
        }
        return segments
    }

    /// Every segment with this name, in order.
    public func segments(named name: String) -> [HL7Segment] {
        segments.filter { $0.name == name }
    }

    /// The first segment with this name, if any.
    public func segment(named name: String) -> HL7Segment? {
        segments.first { $0.name == name }
    }

    /// Field `field` (HL7 numbering, MSH-1 is the field separator) of the first segment named `segment`.
    public subscript(segment: String, field: Int) -> HL7Field? {
        self.segment(named: segment)?[field]
    }
}

/// One segment: a three-character name and its fields.
///
/// Fields keep HL7 numbering through the subscript: `segment[1]` is field 1. For MSH, field 1 is the
/// field separator and field 2 the encoding characters, each held as one literal value.
public struct HL7Segment: Sendable, Hashable {
    /// The segment id, such as `MSH`, `PID`, `OBX` or a `Z` segment.
    public var name: String
    /// The fields after the name; `fields[0]` is field 1.
    public var fields: [HL7Field]

    /// Creates a segment.
    public init(_ name: String, fields: [HL7Field] = []) {
        self.name = name
        self.fields = fields
    }

    /// Field `number` (1-based), or nil when the segment ends before it (absent, as opposed to empty).
    public subscript(number: Int) -> HL7Field? {
        get {
            guard number >= 1, number <= fields.count else { return nil }
            return fields[number - 1]
        }
        set {
            guard number >= 1 else { return }
            if number > fields.count {
                fields.append(contentsOf: Array(repeating: HL7Field(), count: number - fields.count))
            }
            fields[number - 1] = newValue ?? HL7Field()
        }
    }

    /// The text of field `number` at component / subcomponent / repetition (all 1-based), or nil when absent.
    public func value(_ number: Int, component: Int = 1, subcomponent: Int = 1, repetition: Int = 1) -> String? {
        self[number]?.value(component: component, subcomponent: subcomponent, repetition: repetition)
    }
}

/// One field: zero or more repetitions. An empty field (`||`) has one empty repetition.
public struct HL7Field: Sendable, Hashable {
    /// The repetitions, in order.
    public var repetitions: [HL7Repetition]

    /// Creates an empty field.
    public init() {
        self.repetitions = [HL7Repetition()]
    }

    /// Creates a field from its repetitions.
    public init(repetitions: [HL7Repetition]) {
        self.repetitions = repetitions.isEmpty ? [HL7Repetition()] : repetitions
    }

    /// Creates a field of one repetition whose components are these texts.
    public init(components: [String]) {
        self.repetitions = [HL7Repetition(components: components.map { HL7Component($0) })]
    }

    /// Creates a field holding one plain text value.
    public init(_ text: String) {
        self.init(components: [text])
    }

    /// Whether the field carries no text at all (sent as `||`).
    public var isEmpty: Bool {
        repetitions.allSatisfy(\.isEmpty)
    }

    /// Whether the field is HL7's explicit null `""` ("delete the value", v2.5.1 §2.5.3).
    public var isExplicitNull: Bool {
        repetitions.count == 1 && repetitions[0].components.count == 1
            && repetitions[0].components[0].subcomponents == ["\"\""]
    }

    /// The first repetition's first component's first subcomponent ("" when empty).
    public var text: String {
        value() ?? ""
    }

    /// The text at component / subcomponent / repetition (all 1-based), or nil when that part is absent.
    public func value(component: Int = 1, subcomponent: Int = 1, repetition: Int = 1) -> String? {
        guard repetition >= 1, repetition <= repetitions.count else { return nil }
        return repetitions[repetition - 1].value(component: component, subcomponent: subcomponent)
    }

    /// Component `number` (1-based) of the first repetition, or nil when absent.
    public func component(_ number: Int) -> HL7Component? {
        guard let first = repetitions.first, number >= 1, number <= first.components.count else { return nil }
        return first.components[number - 1]
    }
}

/// One repetition of a field: its components.
public struct HL7Repetition: Sendable, Hashable {
    /// The components, in order; never empty.
    public var components: [HL7Component]

    /// Creates an empty repetition.
    public init() {
        self.components = [HL7Component()]
    }

    /// Creates a repetition from its components.
    public init(components: [HL7Component]) {
        self.components = components.isEmpty ? [HL7Component()] : components
    }

    /// Whether every component is empty.
    public var isEmpty: Bool {
        components.allSatisfy(\.isEmpty)
    }

    /// The text at component / subcomponent (1-based), or nil when absent.
    public func value(component: Int = 1, subcomponent: Int = 1) -> String? {
        guard component >= 1, component <= components.count else { return nil }
        return components[component - 1].value(subcomponent)
    }
}

/// One component: its subcomponents, each an unescaped text.
public struct HL7Component: Sendable, Hashable {
    /// The subcomponents, in order; never empty.
    public var subcomponents: [String]

    /// Creates a component of one subcomponent.
    public init(_ text: String = "") {
        self.subcomponents = [text]
    }

    /// Creates a component from its subcomponents.
    public init(subcomponents: [String]) {
        self.subcomponents = subcomponents.isEmpty ? [""] : subcomponents
    }

    /// Whether every subcomponent is empty.
    public var isEmpty: Bool {
        subcomponents.allSatisfy(\.isEmpty)
    }

    /// The first subcomponent.
    public var text: String {
        subcomponents.first ?? ""
    }

    /// Subcomponent `number` (1-based), or nil when absent.
    public func value(_ number: Int = 1) -> String? {
        guard number >= 1, number <= subcomponents.count else { return nil }
        return subcomponents[number - 1]
    }
}
