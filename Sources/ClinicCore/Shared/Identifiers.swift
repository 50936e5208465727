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
