import ClinicCore
import Foundation
import Hummingbird

/// A submitted `application/x-www-form-urlencoded` form, checked against the session's CSRF token.
struct WebForm: Sendable {
    private(set) var values: [String: String] = [:]

    init(values: [String: String]) { self.values = values }

    /// Reads the body (already collected by `BodyLimitMiddleware`) and checks the CSRF token when a session exists.
    static func read(_ request: Request, context: ClinicRequestContext, checkCSRF: Bool = true) async throws -> WebForm {
        var request = request
        let buffer = try await request.collectBody(upTo: ClinicRequestContext.bodyLimit)
        let form = WebForm(values: parse(String(buffer: buffer)))
        if checkCSRF {
            guard let expected = context.session?.token.csrf, let sent = form.values["csrf"],
                  constantTimeEqual(Array(expected.utf8), Array(sent.utf8)) else {
                throw ClinicError.forbidden("The form's security token is missing or out of date. Reload the page and submit again.")
            }
        }
        return form
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func parse(_ body: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            // Repeated keys (checkbox + hidden default) keep the last value.
            out[key] = value
        }
        return out
    }

    subscript(_ key: String) -> String { values[key] ?? "" }

    func bool(_ key: String) -> Bool {
        let v = self[key]
        return v == "on" || v == "true" || v == "yes"
    }

    /// Rows of a repeated group such as `diagnoses[0].code`, `diagnoses[1].code`… in index order.
    func rows(_ prefix: String) -> [[String: String]] {
        var byIndex: [Int: [String: String]] = [:]
        for (key, value) in values where key.hasPrefix(prefix + "[") {
            let rest = key.dropFirst(prefix.count + 1)
            guard let close = rest.firstIndex(of: "]"), let i = Int(rest[..<close]), i >= 0, i < 200 else { continue }
            let field = rest[rest.index(after: close)...].drop(while: { $0 == "." })
            byIndex[i, default: [:]][String(field)] = value
        }
        return byIndex.keys.sorted().map { byIndex[$0]! }
    }
}

extension Dictionary where Key == String, Value == String {
    /// True when every value is blank (an unused spare row of a repeated group).
    var isBlank: Bool { values.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0 == "oral" || $0 == "false" } }
}
