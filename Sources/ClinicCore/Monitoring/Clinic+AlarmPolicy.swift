import Foundation

extension Clinic {
    /// The clinic's alarm settings (clinical-reference §3 defaults until a physician changes them).
    public func alarmPolicy() async throws -> AlarmPolicy {
        try await store.read { try await $0.get(AlarmPolicy.self, from: .clinicSettings, id: "alarm-policy") } ?? .standard
    }

    /// Changes the suggested action texts and the escalation time (a physician; audited). Escalation can be made
    /// quicker or slower but never switched off (clinical-reference §3); sessions already running keep the settings
    /// they started with, new ones use these.
    public func saveAlarmPolicy(high: String, medium: String, noData: String, escalationSeconds: Double, by actor: Actor) async throws -> AlarmPolicy {
        let request = AccessRequest(.decide, .alarms, id: "alarm-policy")
        try await require(actor, request)
        var errors = FieldErrors()
        func text(_ value: String, _ field: String) -> String {
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { errors.add(field, "Say what staff should do; the neutral default is \"\(AlarmActions.neutralDefault)\"") }
            if t.count > 500 { errors.add(field, "At most 500 characters.") }
            return t
        }
        var policy = try await alarmPolicy()
        policy.actions.high = text(high, "high")
        policy.actions.medium = text(medium, "medium")
        policy.actions.noData = text(noData, "noData")
        // 10–600 s is an input plausibility check of ours, not a clinical threshold (clinical-reference §3 gives only the
        // 60 s default and "never off").
        if !(escalationSeconds.isFinite && escalationSeconds >= 10 && escalationSeconds <= 600) {
            errors.add("escalationSeconds", "Between 10 and 600 seconds: escalation is never off (clinical-reference §3: 60 s by default).")
        }
        try errors.throwIfAny()
        policy.escalationSeconds = escalationSeconds
        let checked = try policy.validated()
        try await store.write { tx in
            try await tx.put(checked, in: .clinicSettings, id: "alarm-policy", index: DocumentIndex())
            try await self.audit(tx, actor, request, detail: "alarm-policy")
        }
        monitoring.state.withLock { $0.policy = checked }
        return checked
    }
}
