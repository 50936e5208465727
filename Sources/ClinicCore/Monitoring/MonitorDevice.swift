import Foundation
import Tagged

public enum MonitorDeviceTag {}

/// A bedside monitor the clinic has registered: where it connects from, how it names itself in MSH-3/MSH-4, and the
/// chair it stands at. Messages from anything else are refused (unknown address) or quarantined (DESIGN §6).
public struct MonitorDevice: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<MonitorDeviceTag, UUID>
    public var id: ID
    /// What staff call it ("Philips MX450 — bay 2").
    public var name: String
    /// The IP address its connections come from.
    public var sourceAddress: String
    /// MSH-3 (namespace id) as the monitor sends it.
    public var sendingApplication: String
    /// MSH-4 (namespace id) as the monitor sends it.
    public var sendingFacility: String
    /// The chair it stands at; a monitor with no chair has its messages quarantined.
    public var chairID: Chair.ID?
    /// A retired monitor is kept for the record but its messages are quarantined.
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// The `device` account behind its JSON API token, once an admin issued one.
    public var accountID: User.ID?

    public init(id: ID, name: String, sourceAddress: String, sendingApplication: String, sendingFacility: String,
                chairID: Chair.ID?, active: Bool = true, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.sourceAddress = sourceAddress
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.chairID = chairID
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The sender key of its messages: MSH-3 and MSH-4, as stored beside each message for de-duplication.
    public var senderKey: String { MonitorDevice.senderKey(application: sendingApplication, facility: sendingFacility) }

    /// `application|facility`, compared case-sensitively as HL7 namespace ids are.
    public static func senderKey(application: String, facility: String) -> String { application + "|" + facility }
}

/// What an admin types to register or change a monitor.
public struct MonitorDeviceForm: Sendable, Hashable {
    public var name = ""
    public var sourceAddress = ""
    public var sendingApplication = ""
    public var sendingFacility = ""
    /// A chair id, or empty for none.
    public var chairID = ""
    public var active = true

    public init(name: String = "", sourceAddress: String = "", sendingApplication: String = "", sendingFacility: String = "",
                chairID: String = "", active: Bool = true) {
        self.name = name
        self.sourceAddress = sourceAddress
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.chairID = chairID
        self.active = active
    }

    public init(_ d: MonitorDevice) {
        self.init(name: d.name, sourceAddress: d.sourceAddress, sendingApplication: d.sendingApplication,
                  sendingFacility: d.sendingFacility, chairID: d.chairID?.rawValue.uuidString ?? "", active: d.active)
    }

    /// Checks every field against the clinic's chairs and the other registered monitors; errors name the field.
    public func validated(chairs: [Chair], others: [MonitorDevice]) throws -> (name: String, address: String, application: String,
                                                                                facility: String, chair: Chair.ID?, active: Bool) {
        var errors = FieldErrors()
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let address = self.sourceAddress.trimmingCharacters(in: .whitespaces)
        let application = sendingApplication.trimmingCharacters(in: .whitespaces)
        let facility = sendingFacility.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { errors.add("name", "Enter a name staff recognise.") } else if name.count > 120 { errors.add("name", "At most 120 characters.") }
        let normalised = IPAddressText.normalised(address)
        if address.isEmpty { errors.add("sourceAddress", "Enter the IP address the monitor connects from.") }
        else if normalised == nil { errors.add("sourceAddress", "Not an IPv4 or IPv6 address.") }
        for (field, value, label) in [("sendingApplication", application, "MSH-3"), ("sendingFacility", facility, "MSH-4")] {
            if value.isEmpty { errors.add(field, "Enter the monitor's \(label) exactly as it sends it.") }
            else if value.count > 180 || value.contains(where: { "|^~\\&\r\n".contains($0) }) {
                errors.add(field, "\(label) may not hold HL7 separators and has at most 180 characters.")
            }
        }
        var chair: Chair.ID?
        let chairText = chairID.trimmingCharacters(in: .whitespaces)
        if !chairText.isEmpty {
            if let uuid = UUID(uuidString: chairText), chairs.contains(where: { $0.id.rawValue == uuid }) {
                chair = Chair.ID(uuid)
            } else {
                errors.add("chairID", "Choose one of the clinic's chairs.")
            }
        }
        if let normalised, others.contains(where: { $0.active && IPAddressText.normalised($0.sourceAddress) == normalised
            && $0.sendingApplication == application && $0.sendingFacility == facility }), active {
            errors.add("sendingApplication", "Another active monitor at this address already sends as \(application)/\(facility).")
        }
        if let chair, active, let other = others.first(where: { $0.active && $0.chairID == chair }) {
            errors.add("chairID", "\(other.name) already stands at this chair; move or retire it first.")
        }
        try errors.throwIfAny()
        return (name, normalised ?? address, application, facility, chair, active)
    }
}

/// IP address text: validated and normalised so that `::ffff:10.0.0.5` and `10.0.0.5` compare equal.
public enum IPAddressText {
    /// The canonical text of an IPv4 or IPv6 address, or nil when it is not one.
    public static func normalised(_ text: String) -> String? {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("[") && t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        if t.hasPrefix("::ffff:"), isIPv4(String(t.dropFirst(7))) { return String(t.dropFirst(7)) }
        if isIPv4(t) { return t.split(separator: ".").map { String(Int($0)!) }.joined(separator: ".") }
        if isIPv6(t) { return t }
        return nil
    }

    static func isIPv4(_ t: String) -> Bool {
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber) && Int(p).map { $0 <= 255 } == true
        }
    }

    static func isIPv6(_ t: String) -> Bool {
        guard t.contains(":"), t.count <= 45 else { return false }
        let hex = Set("0123456789abcdef:.")
        guard t.allSatisfy({ hex.contains($0) }) else { return false }
        let doubleColons = t.components(separatedBy: "::").count - 1
        guard doubleColons <= 1 else { return false }
        let groups = t.split(separator: ":", omittingEmptySubsequences: true)
        guard groups.allSatisfy({ $0.count <= 4 || ($0.contains(".") && isIPv4(String($0))) }) else { return false }
        return doubleColons == 1 ? groups.count < 8 : groups.count == 8
    }
}
