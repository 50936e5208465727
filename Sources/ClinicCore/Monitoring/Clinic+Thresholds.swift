import Foundation

/// A patient's alarm limits as stored: the latest accepted change (each change kept for the record).
struct StoredThresholdChange: Sendable, Hashable, Codable {
    var id: UUID
    var patientID: Patient.ID
    var change: ThresholdChange
}

extension Clinic {
    /// The limits one patient's sessions run under: clinical-reference §3 defaults with the patient's override.
    public func patientThresholds(_ patientID: Patient.ID) async throws -> (effective: AlarmThresholds, overrides: ThresholdOverrides) {
        let changes = try await store.read {
            try await $0.all(StoredThresholdChange.self, from: .thresholdChanges, DocumentQuery(patientID: patientID.rawValue.uuidString))
        }
        let overrides = changes.max { $0.change.changedAt < $1.change.changedAt }?.change.after ?? .none
        return (AlarmThresholds.effective(patient: overrides), overrides)
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
    public func changePatientThresholds(_ patientID: Patient.ID, to proposed: ThresholdOverrides, reason: String,
                                        by actor: Actor) async throws -> ThresholdChange {
        let request = AccessRequest(.decide, .alarms, patient: patientID, id: "thresholds")
        try await require(actor, request)
        let now = clock.now
        let (_, current) = try await patientThresholds(patientID)
        let change = try ThresholdChange(layer: .patient(patientID), from: current, to: proposed, over: .clinicalReferenceDefaults,
                                         by: actor, at: now, reason: reason)
        let stored = StoredThresholdChange(id: ids.next(), patientID: patientID, change: change)
        try await store.write { tx in
            guard try await tx.patient(patientID) != nil else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
            try await tx.put(stored, in: .thresholdChanges, id: stored.id.uuidString,
                             index: DocumentIndex(patientID: patientID.rawValue.uuidString, refID: "patient", start: now))
            try await self.audit(tx, actor, request, detail: "limits:\(change.limitEdits.count)")
        }
        let effective = AlarmThresholds.effective(patient: proposed)
        let chairs: [Chair.ID] = monitoring.state.withLock { s in
            var chairs: [Chair.ID] = []
            for (chair, list) in s.occupancy {
                for o in list where o.patientID == patientID && !o.state.isFinal {
                    if var m = s.monitors[o.sessionID] {
                        m.thresholdsChanged(to: effective)
                        s.monitors[o.sessionID] = m
                        s.dirty.insert(o.sessionID)
                        chairs.append(chair)
                    }
                }
            }
            return chairs
        }
        monitoring.publish(chairs.map { .chairChanged($0) })
        return change
    }
}
