extension QRCode {
    /// An SVG image: a white background and one `<path>` of the dark modules, its viewBox in modules (the symbol
    /// plus `quietZone` on each side; ISO/IEC 18004:2015 §5.3.7 asks for 4), drawn `moduleSize` pixels per module
    /// with crisp edges; `title`, escaped, labels it for screen readers (`<title>` and `aria-label`).
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, title: String? = nil) -> String {
        precondition(moduleSize > 0 && quietZone >= 0, "moduleSize must be positive and quietZone not negative")
        let side = size + 2 * quietZone
        let pixels = side * moduleSize
        var path = ""
        // One subpath per horizontal run of dark modules keeps the path short and its edges on module lines.
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(pixels)" height="\#(pixels)" "#
            + #"viewBox="0 0 \#(side) \#(side)" shape-rendering="crispEdges""#
        if let title {
            // role="img" with aria-label names it for screen readers; no id, so several codes can share a page.
            let escaped = Self.escapeXML(title)
            svg += #" role="img" aria-label="\#(escaped)"><title>\#(escaped)</title>"#
        } else {
            svg += ">"
        }
        svg += ##"<rect width="\##(side)" height="\##(side)" fill="#fff"/>"##
        svg += ##"<path fill="#000" d="\##(path)"/></svg>"##
        return svg + "\n"
    }

    /// Text made safe for XML character data and attribute values: `& < > " '` become entities.
    static func escapeXML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
