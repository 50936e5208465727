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
///
/// Most fields of a message are one value: a field, a repetition and a component each hold their only part inline and
/// an array only when there are two or more, so that reading a message allocates little more than its longer texts.
/// The storage is kept canonical (one part is always `.one`), so two equal fields have equal storage.
public struct HL7Field: Sendable, Hashable {
    var storage: Parts<HL7Repetition>

    /// The repetitions, in order; never empty.
    public var repetitions: [HL7Repetition] {
        get { storage.array }
        set { storage = Parts(newValue, empty: HL7Repetition()) }
    }

    /// Creates an empty field.
    public init() {
        storage = .one(HL7Repetition())
    }

    /// Creates a field of one repetition.
    init(only repetition: HL7Repetition) {
        storage = .one(repetition)
    }

    /// Creates a field from its repetitions.
    public init(repetitions: [HL7Repetition]) {
        storage = Parts(repetitions, empty: HL7Repetition())
    }

    /// Creates a field of one repetition whose components are these texts.
    public init(components: [String]) {
        storage = .one(HL7Repetition(components: components.map { HL7Component($0) }))
    }

    /// Creates a field holding one plain text value.
    public init(_ text: String) {
        storage = .one(HL7Repetition(only: HL7Component(text)))
    }

    /// How many repetitions the field has (at least one).
    public var repetitionCount: Int { storage.count }

    /// Whether the field carries no text at all (sent as `||`).
    public var isEmpty: Bool {
        storage.allSatisfy(\.isEmpty)
    }

    /// Whether the field is HL7's explicit null `""` ("delete the value", v2.5.1 §2.5.3).
    public var isExplicitNull: Bool {
        guard case .one(let r) = storage, case .one(let c) = r.storage, case .one(let text) = c.storage else { return false }
        return text == "\"\""
    }

    /// The first repetition's first component's first subcomponent ("" when empty).
    public var text: String {
        storage.first.storage.first.storage.first
    }

    /// The text at component / subcomponent / repetition (all 1-based), or nil when that part is absent.
    public func value(component: Int = 1, subcomponent: Int = 1, repetition: Int = 1) -> String? {
        storage.part(repetition)?.value(component: component, subcomponent: subcomponent)
    }

    /// Component `number` (1-based) of the first repetition, or nil when absent.
    public func component(_ number: Int) -> HL7Component? {
        storage.first.storage.part(number)
    }
}

/// One repetition of a field: its components.
public struct HL7Repetition: Sendable, Hashable {
    var storage: Parts<HL7Component>

    /// The components, in order; never empty.
    public var components: [HL7Component] {
        get { storage.array }
        set { storage = Parts(newValue, empty: HL7Component()) }
    }

    /// Creates an empty repetition.
    public init() {
        storage = .one(HL7Component())
    }

    /// Creates a repetition of one component.
    init(only component: HL7Component) {
        storage = .one(component)
    }

    /// Creates a repetition from its components.
    public init(components: [HL7Component]) {
        storage = Parts(components, empty: HL7Component())
    }

    /// How many components the repetition has (at least one).
    public var componentCount: Int { storage.count }

    /// Whether every component is empty.
    public var isEmpty: Bool {
        storage.allSatisfy(\.isEmpty)
    }

    /// The text at component / subcomponent (1-based), or nil when absent.
    public func value(component: Int = 1, subcomponent: Int = 1) -> String? {
        storage.part(component)?.value(subcomponent)
    }
}

/// One component: its subcomponents, each an unescaped text.
public struct HL7Component: Sendable, Hashable {
    var storage: Parts<String>

    /// The subcomponents, in order; never empty.
    public var subcomponents: [String] {
        get { storage.array }
        set { storage = Parts(newValue, empty: "") }
    }

    /// Creates a component of one subcomponent.
    public init(_ text: String = "") {
        storage = .one(text)
    }

    /// Creates a component from its subcomponents.
    public init(subcomponents: [String]) {
        storage = Parts(subcomponents, empty: "")
    }

    /// How many subcomponents the component has (at least one).
    public var subcomponentCount: Int { storage.count }

    /// Whether every subcomponent is empty.
    public var isEmpty: Bool {
        storage.allSatisfy(\.isEmpty)
    }

    /// The first subcomponent.
    public var text: String {
        storage.first
    }

    /// Subcomponent `number` (1-based), or nil when absent.
    public func value(_ number: Int = 1) -> String? {
        storage.part(number)
    }
}

/// One part, held inline, or two or more in an array: the storage of fields, repetitions and components.
enum Parts<Part: Sendable & Hashable>: Sendable, Hashable {
    case one(Part)
    /// Two or more (never fewer: one part is `.one`).
    case many([Part])

    /// The canonical storage of `list`; `empty` when the list is empty.
    init(_ list: [Part], empty: @autoclosure () -> Part) {
        switch list.count {
        case 0: self = .one(empty())
        case 1: self = .one(list[0])
        default: self = .many(list)
        }
    }

    var count: Int {
        switch self {
        case .one: 1
        case .many(let list): list.count
        }
    }

    var first: Part {
        switch self {
        case .one(let part): part
        case .many(let list): list[0]
        }
    }

    var array: [Part] {
        switch self {
        case .one(let part): [part]
        case .many(let list): list
        }
    }

    /// Whether every part satisfies `predicate`.
    func allSatisfy(_ predicate: (Part) -> Bool) -> Bool {
        switch self {
        case .one(let part): predicate(part)
        case .many(let list): list.allSatisfy(predicate)
        }
    }

    /// Part `number` (1-based), or nil when absent.
    func part(_ number: Int) -> Part? {
        switch self {
        case .one(let part): number == 1 ? part : nil
        case .many(let list): number >= 1 && number <= list.count ? list[number - 1] : nil
        }
    }
}
