import Foundation

/// One invalid field of a form or request body, and why it is invalid.
public struct FieldError: Sendable, Hashable, Codable {
    /// The field's name as the form or JSON body spells it (e.g. `weight`, `bp.readings[1].systolic`).
    public var field: String
    /// A sentence a clinician can act on.
    public var reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// Every failure the domain reports; mapped once to HTTP problem details, FHIR and HL7 at the edges.
public enum ClinicError: Error, Sendable, Hashable {
    /// Input that fails validation: each bad field with its reason (HTTP 400/422).
    case invalid([FieldError])
    /// No valid credentials (HTTP 401).
    case unauthenticated
    /// The actor's role may not do this (HTTP 403).
    case forbidden(String)
    /// Unknown id (HTTP 404).
    case notFound(String)
    /// The request conflicts with the current state, e.g. a duplicate e-mail (HTTP 409).
    case conflict(String)
    /// A body over the size limit (HTTP 413).
    case tooLarge(String)
    /// The account is locked after repeated failed sign-ins (HTTP 423 shown as 401 to the client).
    case accountLocked(until: Date)
    /// The signed-in user must change their password before doing anything else.
    case passwordChangeRequired

    /// Convenience for a single invalid field.
    public static func invalid(_ field: String, _ reason: String) -> ClinicError {
        .invalid([FieldError(field, reason)])
    }
}

/// Collects field errors while a form is validated, then throws them all at once.
public struct FieldErrors: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}
    public mutating func add(_ field: String, _ reason: String) { errors.append(FieldError(field, reason)) }
    public var isEmpty: Bool { errors.isEmpty }
    /// Throws `ClinicError.invalid` when any error was collected.
    public func throwIfAny() throws {
        if !errors.isEmpty { throw ClinicError.invalid(errors) }
    }
}
