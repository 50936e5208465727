import Foundation
@_exported import Tagged

/// A staff or patient account.
public enum UserTag {}
/// A patient's chart.
public enum PatientTag {}
/// One candidacy screening of a patient.
public enum ScreeningTag {}

extension User { public typealias ID = Tagged<UserTag, UUID> }
extension Patient { public typealias ID = Tagged<PatientTag, UUID> }
extension Screening { public typealias ID = Tagged<ScreeningTag, UUID> }

/// Where the domain gets new ids; tests inject a sequential one.
public protocol IDGenerator: Sendable {
    func next() -> UUID
}

/// Random v4 UUIDs.
public struct RandomIDGenerator: IDGenerator {
    public init() {}
    public func next() -> UUID { UUID() }
}

extension UUID {
    /// The same text as `uuidString` (upper-case, hyphenated), made without `snprintf`: Foundation formats each id
    /// through the C library, which showed up at ~4 % of the server's CPU on the audited chart read, where every request
    /// names its actor and its patient in the audit record.
    public var text: String {
        let digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
            = (48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70)
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                withUnsafeBytes(of: digits) { hex in
                    var o = 0
                    for i in 0..<16 {
                        if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = 45; o += 1 }
                        out[o] = hex[Int(bytes[i] >> 4)]
                        out[o + 1] = hex[Int(bytes[i] & 0x0F)]
                        o += 2
                    }
                    return o
                }
            }
        }
    }
}
