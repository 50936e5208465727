import Foundation

/// A patient's alarm limits as stored: the latest accepted change (each change kept for the record).
struct StoredThresholdChange: Sendable, Hashable, Codable {
    var id: UUID
    var patientID: Patient.ID
    var change: ThresholdChange
}

/// A protocol's alarm limits as stored: the latest accepted change (each change kept for the record). Stored beside the
/// patients' changes in `thresholdChanges`; the index's `refID` (`protocol:<id>`) tells the layers apart.
struct StoredProtocolThresholdChange: Sendable, Hashable, Codable {
    var id: UUID
    var protocolID: InfusionProtocol.ID
    var change: ThresholdChange

    /// The index reference of one protocol's changes.
    static func refID(_ id: InfusionProtocol.ID) -> String { "protocol:\(id.rawValue.uuidString)" }
}

extension Clinic {
    /// The limits one patient's sessions run under: clinical-reference §3 defaults, then the protocol's override (when
    /// `protocolID` is given), then the patient's override; `overrides` is the patient's own layer.
    public func patientThresholds(_ patientID: Patient.ID, under protocolID: InfusionProtocol.ID? = nil) async throws
        -> (effective: AlarmThresholds, overrides: ThresholdOverrides) {
        let (protocolLayer, patientLayer) = try await store.read { tx in
            (try await protocolID.asyncMap { try await Self.protocolOverrides($0, in: tx) },
             try await Self.patientOverrides(patientID, in: tx))
        }
        return (AlarmThresholds.effective(protocol: protocolLayer, patient: patientLayer), patientLayer)
    }

    /// The limits one protocol's sessions run under before any patient's override: clinical-reference §3 defaults with
    /// the protocol's override; `overrides` is the protocol's own layer.
    public func protocolThresholds(_ protocolID: InfusionProtocol.ID) async throws -> (effective: AlarmThresholds, overrides: ThresholdOverrides) {
        let overrides = try await store.read { try await Self.protocolOverrides(protocolID, in: $0) }
        return (AlarmThresholds.effective(protocol: overrides), overrides)
    }

    /// The limits one session runs under: defaults, its protocol's override, its patient's override.
    func sessionThresholds(_ r: SessionRecord) async throws -> AlarmThresholds {
        try await patientThresholds(r.session.patientID, under: r.protocolID).effective
    }

    static func patientOverrides(_ patientID: Patient.ID, in tx: any ClinicRecords) async throws -> ThresholdOverrides {
        let changes = try await tx.all(StoredThresholdChange.self, from: .thresholdChanges, DocumentQuery(patientID: patientID.rawValue.uuidString))
        return changes.max { $0.change.changedAt < $1.change.changedAt }?.change.after ?? .none
    }

    static func protocolOverrides(_ protocolID: InfusionProtocol.ID, in tx: any ClinicRecords) async throws -> ThresholdOverrides {
        let changes = try await tx.all(StoredProtocolThresholdChange.self, from: .thresholdChanges,
                                       DocumentQuery(refID: StoredProtocolThresholdChange.refID(protocolID)))
        return changes.max { $0.change.changedAt < $1.change.changedAt }?.change.after ?? .none
    }

    /// Every accepted change of a patient's limits, newest first (who, when, why, before and after).
    public func thresholdChanges(of patientID: Patient.ID, by actor: Actor) async throws -> [ThresholdChange] {
        let request = AccessRequest(.read, .alarms, patient: patientID, id: "thresholds")
        try await require(actor, request)
        let changes = try await store.read {
            try await $0.all(StoredThresholdChange.self, from: .thresholdChanges, DocumentQuery(patientID: patientID.rawValue.uuidString))
        }
        try await recordRead(actor, request, detail: "changes:\(changes.count)")
        return changes.map(\.change).sorted { $0.changedAt > $1.changedAt }
    }

    /// Changes one patient's alarm limits (clinical-reference §3: a physician only, with a reason, audited; stricter
    /// than the limits beneath, never looser). Live sessions of the patient switch to the new limits at once.
    ///
    /// The change is checked over the defaults and the protocol layer of `protocolID` (the session's protocol, when
    /// changed from a session).
    public func changePatientThresholds(_ patientID: Patient.ID, to proposed: ThresholdOverrides, reason: String,
                                        under protocolID: InfusionProtocol.ID? = nil, by actor: Actor) async throws -> ThresholdChange {
        let request = AccessRequest(.decide, .alarms, patient: patientID, id: "thresholds")
        try await require(actor, request)
        let now = clock.now
        let (_, current) = try await patientThresholds(patientID)
        let beneath = try await protocolID.asyncMap { try await protocolThresholds($0).effective } ?? .clinicalReferenceDefaults
        let change = try ThresholdChange(layer: .patient(patientID), from: current, to: proposed, over: beneath,
                                         by: actor, at: now, reason: reason)
        let stored = StoredThresholdChange(id: ids.next(), patientID: patientID, change: change)
        try await store.write { tx in
            guard try await tx.patient(patientID) != nil else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
            try await tx.put(stored, in: .thresholdChanges, id: stored.id.uuidString,
                             index: DocumentIndex(patientID: patientID.rawValue.uuidString, refID: "patient", start: now))
            try await self.audit(tx, actor, request, detail: "limits:\(change.limitEdits.count)")
        }
        // Live sessions of the patient switch at once, each over its own protocol's layer.
        let live: [InfusionSession.ID: InfusionProtocol.ID?] = monitoring.state.withLock { s in
            var live: [InfusionSession.ID: InfusionProtocol.ID?] = [:]
            for list in s.occupancy.values {
                for o in list where o.patientID == patientID && !o.state.isFinal { live.updateValue(o.protocolID, forKey: o.sessionID) }
            }
            return live
        }
        var limits: [InfusionSession.ID: AlarmThresholds] = [:]
        for (session, protocolID) in live {
            let protocolLayer = try await protocolID.asyncMap { try await protocolThresholds($0).overrides }
            limits[session] = AlarmThresholds.effective(protocol: protocolLayer, patient: proposed)
        }
        switchLiveSessions(to: limits)
        return change
    }

    /// Every accepted change of a protocol's limits, newest first (who, when, why, before and after).
    public func protocolThresholdChanges(of protocolID: InfusionProtocol.ID, by actor: Actor) async throws -> [ThresholdChange] {
        let request = AccessRequest(.read, .alarms, id: "\(StoredProtocolThresholdChange.refID(protocolID))/thresholds")
        try await require(actor, request)
        let changes = try await store.read {
            try await $0.all(StoredProtocolThresholdChange.self, from: .thresholdChanges, DocumentQuery(refID: StoredProtocolThresholdChange.refID(protocolID)))
        }
        try await recordRead(actor, request, detail: "changes:\(changes.count)")
        return changes.map(\.change).sorted { $0.changedAt > $1.changedAt }
    }

    /// Changes one protocol's alarm limits (clinical-reference §3: a physician only, with a reason, audited; stricter
    /// than the defaults, never looser). Live sessions under the protocol switch to the new limits at once, each with
    /// its patient's override on top.
    public func changeProtocolThresholds(_ protocolID: InfusionProtocol.ID, to proposed: ThresholdOverrides, reason: String,
                                         by actor: Actor) async throws -> ThresholdChange {
        let request = AccessRequest(.decide, .alarms, id: "\(StoredProtocolThresholdChange.refID(protocolID))/thresholds")
        try await require(actor, request)
        let now = clock.now
        let (_, current) = try await protocolThresholds(protocolID)
        let change = try ThresholdChange(layer: .infusionProtocol(protocolID), from: current, to: proposed, over: .clinicalReferenceDefaults,
                                         by: actor, at: now, reason: reason)
        let stored = StoredProtocolThresholdChange(id: ids.next(), protocolID: protocolID, change: change)
        try await store.write { tx in
            guard try await !tx.protocolVersions(id: protocolID.rawValue).isEmpty else { throw ClinicError.notFound("protocol \(protocolID.rawValue)") }
            try await tx.put(stored, in: .thresholdChanges, id: stored.id.uuidString,
                             index: DocumentIndex(refID: StoredProtocolThresholdChange.refID(protocolID), start: now))
            try await self.audit(tx, actor, request, detail: "limits:\(change.limitEdits.count)")
        }
        // Live sessions under the protocol switch at once, each with its patient's own layer on top.
        let live: [InfusionSession.ID: Patient.ID] = monitoring.state.withLock { s in
            var live: [InfusionSession.ID: Patient.ID] = [:]
            for list in s.occupancy.values {
                for o in list where o.protocolID == protocolID && !o.state.isFinal { live[o.sessionID] = o.patientID }
            }
            return live
        }
        var limits: [InfusionSession.ID: AlarmThresholds] = [:]
        for (session, patientID) in live {
            let patientLayer = try await store.read { try await Self.patientOverrides(patientID, in: $0) }
            limits[session] = AlarmThresholds.effective(protocol: proposed, patient: patientLayer)
        }
        switchLiveSessions(to: limits)
        return change
    }

    /// Hands new limits to the alarm monitors of live sessions (one lock, not nested) and refreshes their chairs.
    func switchLiveSessions(to limits: [InfusionSession.ID: AlarmThresholds]) {
        guard !limits.isEmpty else { return }
        let chairs: [Chair.ID] = monitoring.state.withLock { s in
            var chairs: [Chair.ID] = []
            for (chair, list) in s.occupancy {
                for o in list where !o.state.isFinal {
                    if let new = limits[o.sessionID], var m = s.monitors[o.sessionID] {
                        m.thresholdsChanged(to: new)
                        s.monitors[o.sessionID] = m
                        s.dirty.insert(o.sessionID)
                        chairs.append(chair)
                    }
                }
            }
            return chairs
        }
        monitoring.publish(chairs.map { .chairChanged($0) })
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
