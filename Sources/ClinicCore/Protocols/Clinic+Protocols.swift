import Foundation
import Tagged

/// A protocol's settings as typed into the editor or sent to the API; every value is text as entered.
public struct ProtocolForm: Sendable, Hashable, Codable {
    public var name: String
    /// `weightBasedRate` (mg/kg/h), `weightBasedDose` (mg/kg over minutes) or `flatDose` (mg over minutes).
    public var dosingKind: String
    public var doseValue: String
    public var doseOverMinutes: String
    public var absoluteRateCapMgPerHour: String
    public var durationMinutes: String
    public var inductionInfusions: String
    public var minimumSpacingHours: String
    public var boosterIntervalDays: String
    public var softRateMgPerKgPerHour: String
    public var hardRateMgPerKgPerHour: String
    public var softRateMgPerHour: String
    public var hardRateMgPerHour: String
    public var softTotalMgPerKg: String
    public var hardTotalMgPerKg: String
    public var softTotalMg: String
    public var hardTotalMg: String
    /// Why the protocol changes (required).
    public var reason: String

    /// The form filled from a protocol version (numbers exact, in mg).
    public init(_ p: InfusionProtocol) {
        name = p.name
        switch p.dosing {
        case .weightBasedRate(let r):
            dosingKind = "weightBasedRate"; doseValue = Self.mg(r.microgramsPerKilogramPerHour); doseOverMinutes = ""
        case .weightBasedDose(let a, let minutes):
            dosingKind = "weightBasedDose"; doseValue = Self.mg(a.microgramsPerKilogram); doseOverMinutes = String(minutes)
        case .flatDose(let a, let minutes):
            dosingKind = "flatDose"; doseValue = Self.mg(a.micrograms); doseOverMinutes = String(minutes)
        }
        absoluteRateCapMgPerHour = p.absoluteRateCap.map { Self.mg($0.microgramsPerHour) } ?? ""
        durationMinutes = String(p.durationMinutes)
        inductionInfusions = String(p.inductionInfusions)
        minimumSpacingHours = p.minimumSpacingHours.map(String.init) ?? ""
        boosterIntervalDays = p.boosterIntervalDays.map(String.init) ?? ""
        let l = p.limits
        softRateMgPerKgPerHour = l.ratePerKilogram.soft.map { Self.mg($0.microgramsPerKilogramPerHour) } ?? ""
        hardRateMgPerKgPerHour = l.ratePerKilogram.hard.map { Self.mg($0.microgramsPerKilogramPerHour) } ?? ""
        softRateMgPerHour = l.rate.soft.map { Self.mg($0.microgramsPerHour) } ?? ""
        hardRateMgPerHour = l.rate.hard.map { Self.mg($0.microgramsPerHour) } ?? ""
        softTotalMgPerKg = l.sessionTotalPerKilogram.soft.map { Self.mg($0.microgramsPerKilogram) } ?? ""
        hardTotalMgPerKg = l.sessionTotalPerKilogram.hard.map { Self.mg($0.microgramsPerKilogram) } ?? ""
        softTotalMg = l.sessionTotal.soft.map { Self.mg($0.micrograms) } ?? ""
        hardTotalMg = l.sessionTotal.hard.map { Self.mg($0.micrograms) } ?? ""
        reason = ""
    }

    static func mg(_ micrograms: Int64) -> String { Format.shortest(Double(micrograms) / 1000) }

    /// Applies the form to a protocol (the protocol validates the result), naming each field that cannot be read.
    func apply(to p: inout InfusionProtocol) throws {
        var errors = FieldErrors()
        func number(_ text: String, _ field: String, required: Bool) -> Double? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                if required { errors.add(field, "is required") }
                return nil
            }
            guard let v = Double(t), v.isFinite, v >= 0, v < 100_000 else {
                errors.add(field, "must be a number of 0 or more")
                return nil
            }
            return v
        }
        func micro(_ v: Double?) -> Int64? { v.map { Int64(($0 * 1000).rounded()) } }
        func whole(_ text: String, _ field: String, required: Bool) -> Int? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                if required { errors.add(field, "is required") }
                return nil
            }
            guard let v = Int(t), v >= 0, v < 100_000 else {
                errors.add(field, "must be a whole number of 0 or more")
                return nil
            }
            return v
        }
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedName.isEmpty { errors.add("name", "is required") }
        let dose = micro(number(doseValue, "doseValue", required: true))
        let over = whole(doseOverMinutes, "doseOverMinutes", required: dosingKind != "weightBasedRate")
        var dosing = p.dosing
        if let dose {
            switch dosingKind {
            case "weightBasedRate": dosing = .weightBasedRate(WeightBasedRate(microgramsPerKilogramPerHour: dose))
            case "weightBasedDose": if let over { dosing = .weightBasedDose(WeightBasedAmount(microgramsPerKilogram: dose), overMinutes: over) }
            case "flatDose": if let over { dosing = .flatDose(DrugAmount(micrograms: dose), overMinutes: over) }
            default: errors.add("dosingKind", "must be weightBasedRate, weightBasedDose or flatDose")
            }
        }
        let cap = micro(number(absoluteRateCapMgPerHour, "absoluteRateCapMgPerHour", required: false))
        let duration = whole(durationMinutes, "durationMinutes", required: true)
        let infusions = whole(inductionInfusions, "inductionInfusions", required: true)
        let spacing = whole(minimumSpacingHours, "minimumSpacingHours", required: false)
        let booster = whole(boosterIntervalDays, "boosterIntervalDays", required: false)
        var limits = p.limits
        limits.ratePerKilogram = SoftHardLimit(soft: micro(number(softRateMgPerKgPerHour, "softRateMgPerKgPerHour", required: false)).map(WeightBasedRate.init(microgramsPerKilogramPerHour:)),
                                               hard: micro(number(hardRateMgPerKgPerHour, "hardRateMgPerKgPerHour", required: false)).map(WeightBasedRate.init(microgramsPerKilogramPerHour:)))
        limits.rate = SoftHardLimit(soft: micro(number(softRateMgPerHour, "softRateMgPerHour", required: false)).map(DoseRate.init(microgramsPerHour:)),
                                    hard: micro(number(hardRateMgPerHour, "hardRateMgPerHour", required: false)).map(DoseRate.init(microgramsPerHour:)))
        limits.sessionTotalPerKilogram = SoftHardLimit(soft: micro(number(softTotalMgPerKg, "softTotalMgPerKg", required: false)).map(WeightBasedAmount.init(microgramsPerKilogram:)),
                                                       hard: micro(number(hardTotalMgPerKg, "hardTotalMgPerKg", required: false)).map(WeightBasedAmount.init(microgramsPerKilogram:)))
        limits.sessionTotal = SoftHardLimit(soft: micro(number(softTotalMg, "softTotalMg", required: false)).map(DrugAmount.init(micrograms:)),
                                            hard: micro(number(hardTotalMg, "hardTotalMg", required: false)).map(DrugAmount.init(micrograms:)))
        try errors.throwIfAny()
        p.name = trimmedName
        p.dosing = dosing
        p.absoluteRateCap = cap.map(DoseRate.init(microgramsPerHour:))
        p.durationMinutes = duration!
        p.inductionInfusions = infusions!
        p.minimumSpacingHours = spacing
        p.boosterIntervalDays = booster
        p.limits = limits
    }
}

extension Clinic {
    /// Puts the shipped protocol library (clinical-reference §4) into an empty store, as version 1 of each.
    public func seedProtocolLibrary() async throws {
        let now = clock.now
        try await store.write { tx in
            let existing = try await tx.latestProtocolVersions()
            guard existing.isEmpty else { return }
            for p in InfusionProtocol.standardLibrary {
                try await tx.insertProtocolVersion(id: p.id.rawValue, version: p.version, name: p.name, body: try DocumentCoder.encode(p), at: now, by: nil)
            }
            try await tx.appendAudit([AuditEvent(at: now, actorID: "", actorRole: "system", action: "create", resourceType: ResourceKind.protocolLibrary.rawValue,
                                                 resourceID: "standard-library", outcome: .success, client: "", detail: "seed:\(InfusionProtocol.standardLibrary.count)")],
                                     chain: self.chain)
        }
    }

    /// The current version of every protocol.
    public func protocols(by actor: Actor) async throws -> [InfusionProtocol] {
        try await require(actor, AccessRequest(.list, .protocolLibrary))
        return try await store.read { try await $0.latestProtocolVersions() }.map { try DocumentCoder.decode(InfusionProtocol.self, $0) }
    }

    /// Every version of one protocol, oldest first.
    public func protocolHistory(_ id: InfusionProtocol.ID, by actor: Actor) async throws -> [InfusionProtocol] {
        try await require(actor, AccessRequest(.read, .protocolLibrary, id: id.rawValue.uuidString))
        let versions = try await store.read { try await $0.protocolVersions(id: id.rawValue) }.map { try DocumentCoder.decode(InfusionProtocol.self, $0) }
        guard !versions.isEmpty else { throw ClinicError.notFound("protocol \(id.rawValue)") }
        return versions
    }

    /// One version of a protocol (a session or plan records the exact version it used).
    public func protocolVersion(_ id: InfusionProtocol.ID, version: Int) async throws -> InfusionProtocol {
        guard let p = try await store.read({ try await $0.protocolVersions(id: id.rawValue) })
            .map({ try DocumentCoder.decode(InfusionProtocol.self, $0) }).first(where: { $0.version == version }) else {
            throw ClinicError.notFound("protocol \(id.rawValue) version \(version)")
        }
        return p
    }

    /// Saves a change as the next version. A change to the dose, the rate cap or the limits is signed off by the
    /// physician making it; an administrator may change the other settings only. Never beyond the outer bounds.
    public func reviseProtocol(_ id: InfusionProtocol.ID, _ form: ProtocolForm, expectedVersion: Int?, by actor: Actor) async throws -> InfusionProtocol {
        try await require(actor, AccessRequest(.update, .protocolLibrary, id: id.rawValue.uuidString))
        let history = try await protocolHistory(id, by: actor)
        let current = history.last!
        if let expectedVersion, expectedVersion != current.version {
            throw ClinicError.conflict("this protocol changed since you opened it (now version \(current.version)); reload and apply your change again")
        }
        let proposal = try current.proposeChange(by: actor.userID, at: clock.now, reason: form.reason) { try form.apply(to: &$0) }
        var signOff: LimitChange?
        if proposal.requiresPhysicianSignOff {
            guard access.allows(actor, AccessRequest(.decide, .protocolLibrary, id: id.rawValue.uuidString)) else {
                try await require(actor, AccessRequest(.decide, .protocolLibrary, id: id.rawValue.uuidString))
                throw ClinicError.forbidden("")
            }
            signOff = LimitChange(by: actor.userID, reason: form.reason)
        }
        let next = try proposal.revised(signOff: signOff)
        let now = clock.now
        try await store.write { tx in
            let latest = try await tx.protocolVersions(id: id.rawValue).count
            guard latest == current.version else { throw ClinicError.conflict("this protocol was changed while you were saving; reload and try again") }
            try await tx.insertProtocolVersion(id: id.rawValue, version: next.version, name: next.name, body: try DocumentCoder.encode(next), at: now, by: actor.userID)
            try await self.audit(tx, actor, AccessRequest(.update, .protocolLibrary, id: id.rawValue.uuidString),
                                 detail: "v\(next.version):" + proposal.changedSettings.map(\.rawValue).joined(separator: ","))
        }
        return next
    }
}
