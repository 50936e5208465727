extension HL7Delimiters {
    /// Resolves escape sequences in one subcomponent's text (HL7 v2.5.1 §2.7).
    ///
    /// `\F\ \S\ \T\ \R\ \E\` give the separators back, `\P\` the truncation character (v2.7+, when
    /// declared), `\.br\` a line feed and `\Xhh…\` the bytes it spells (UTF-8 when valid, else
    /// ISO-8859-1). Any other sequence, or an escape character without its closing partner, is kept
    /// literally.
    public func unescape(_ text: some Collection<Unicode.Scalar>) -> String {
        guard text.contains(escape) else { return String(String.UnicodeScalarView(text)) }
        var output = String.UnicodeScalarView()
        var pendingHex: [UInt8] = []
        func flushHex() {
            guard !pendingHex.isEmpty else { return }
            output.append(contentsOf: Self.decodeBytes(pendingHex).unicodeScalars)
            pendingHex.removeAll()
        }
        var index = text.startIndex
        while index != text.endIndex {
            let scalar = text[index]
            guard scalar == escape else {
                flushHex()
                output.append(scalar)
                index = text.index(after: index)
                continue
            }
            let contentStart = text.index(after: index)
            guard let close = text[contentStart...].firstIndex(of: escape) else {
                // No closing escape: the rest is literal text.
                flushHex()
                output.append(contentsOf: text[index...])
                break
            }
            let content = Array(text[contentStart..<close])
            if let bytes = Self.hexBytes(content) {
                pendingHex.append(contentsOf: bytes)
            } else {
                flushHex()
                if let replacement = replacement(for: content) {
                    output.append(replacement)
                } else {
                    output.append(contentsOf: text[index...close])
                }
            }
            index = text.index(after: close)
        }
        flushHex()
        return String(output)
    }

    /// Writes a text so that none of its characters is read as a separator or segment end.
    ///
    /// Separators become `\F\ \S\ \T\ \R\ \E\` (and `\P\` for a declared truncation character), a line
    /// feed becomes `\.br\`, and other control characters become `\Xhh\`.
    public func escape(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case field: append("F")
            case component: append("S")
            case subcomponent: append("T")
            case repetition: append("R")
            case escape: append("E")
            case "\n": append(".br")
            default:
                if let truncation, scalar == truncation {
                    append("P")
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    append("X" + Self.hex(UInt8(scalar.value)))
                } else {
                    output.append(scalar)
                }
            }
        }
        return String(output)

        func append(_ code: String) {
            output.append(escape)
            output.append(contentsOf: code.unicodeScalars)
            output.append(escape)
        }
    }

    private func replacement(for content: [Unicode.Scalar]) -> Unicode.Scalar? {
        switch String(String.UnicodeScalarView(content)) {
        case "F": field
        case "S": component
        case "T": subcomponent
        case "R": repetition
        case "E": escape
        case "P": truncation
        case ".br": "\n"
        default: nil
        }
    }

    /// The bytes of an `Xhh…` escape body: an even, non-zero number of hex digits.
    private static func hexBytes(_ content: [Unicode.Scalar]) -> [UInt8]? {
        guard content.first == "X", content.count >= 3, (content.count - 1) % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var high: UInt8?
        for scalar in content.dropFirst() {
            guard let nibble = hexValue(scalar) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: UInt8(scalar.value - 0x30)
        case 0x41...0x46: UInt8(scalar.value - 0x41 + 10)
        case 0x61...0x66: UInt8(scalar.value - 0x61 + 10)
        default: nil
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        return String(String.UnicodeScalarView([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]))
    }

    /// Bytes as text: UTF-8 when valid, otherwise ISO-8859-1 (every byte is its own code point).
    static func decodeBytes(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }
}
