/// The separators and escape character of one HL7 v2 message, read from MSH-1 and MSH-2.
///
/// HL7 v2.5.1 §2.5.4 (message delimiters); the optional fifth encoding character, the truncation
/// character, arrived in v2.7 (§2.5.5.2).
public struct HL7Delimiters: Sendable, Hashable {
    /// Separates fields (MSH-1; `|` by convention).
    public var field: Unicode.Scalar
    /// Separates components (MSH-2.1; `^`).
    public var component: Unicode.Scalar
    /// Separates repetitions of a field (MSH-2.2; `~`).
    public var repetition: Unicode.Scalar
    /// Starts and ends an escape sequence (MSH-2.3; `\`).
    public var escape: Unicode.Scalar
    /// Separates subcomponents (MSH-2.4; `&`).
    public var subcomponent: Unicode.Scalar
    /// Marks a truncated value (MSH-2.5, v2.7 and later; `#`), when the message declares one.
    public var truncation: Unicode.Scalar?

    /// The conventional `|^~\&` set.
    public static let standard = HL7Delimiters(field: "|", component: "^", repetition: "~", escape: "\\", subcomponent: "&")

    /// Creates a delimiter set; `validated()` checks it.
    public init(
        field: Unicode.Scalar,
        component: Unicode.Scalar,
        repetition: Unicode.Scalar,
        escape: Unicode.Scalar,
        subcomponent: Unicode.Scalar,
        truncation: Unicode.Scalar? = nil
    ) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
        self.truncation = truncation
    }

    /// The value of MSH-2: component, repetition, escape, subcomponent and (when set) truncation characters.
    public var encodingCharacters: String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: [component, repetition, escape, subcomponent])
        if let truncation { text.append(truncation) }
        return String(text)
    }

    /// All separators in use, in the order they are declared.
    var all: [Unicode.Scalar] {
        [field, component, repetition, escape, subcomponent] + (truncation.map { [$0] } ?? [])
    }

    /// Whether every separator is distinct, printable, and neither a letter, digit, space nor line break.
    public var isValid: Bool {
        let scalars = all
        guard Set(scalars).count == scalars.count else { return false }
        return scalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F
                && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar)
        }
    }
}
