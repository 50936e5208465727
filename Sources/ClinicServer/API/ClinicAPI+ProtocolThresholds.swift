import ClinicCore
import Foundation

extension ClinicAPI {
    func getProtocolAlarmThresholds(_ input: Operations.GetProtocolAlarmThresholds.Input) async throws -> Operations.GetProtocolAlarmThresholds.Output {
        let id = try protocolID(input.path.protocolId)
        return .ok(.init(body: .json(try await protocolAlarmThresholds(id, by: try actor()))))
    }

    func changeProtocolAlarmThresholds(_ input: Operations.ChangeProtocolAlarmThresholds.Input) async throws -> Operations.ChangeProtocolAlarmThresholds.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let id = try protocolID(input.path.protocolId)
        let a = try actor()
        let overrides = ThresholdOverrides(limits: b.limits.map(\.entry), advisoryRiseAboveBaselinePercent: b.advisoryRiseAboveBaselinePercent)
        _ = try await clinic.changeProtocolThresholds(id, to: overrides, reason: b.reason, by: a)
        return .ok(.init(body: .json(try await protocolAlarmThresholds(id, by: a))))
    }

    /// The protocol's limits in force, its overrides and (for roles that read alarms) every change.
    func protocolAlarmThresholds(_ id: InfusionProtocol.ID, by a: Actor) async throws -> Components.Schemas.ProtocolAlarmThresholds {
        _ = try await clinic.protocolHistory(id, by: a)   // may read the protocol; it exists
        let (limits, overrides) = try await clinic.protocolThresholds(id)
        let changes = clinic.access.allows(a, AccessRequest(.read, .alarms)) ? try await clinic.protocolThresholdChanges(of: id, by: a) : []
        let overridden = Set(overrides.limits.map(\.key))
        return .init(
            protocolId: id.rawValue.uuidString,
            limits: limits.rules.map { .init($0.key, $0.limit, setBy: overridden.contains($0.key) ? ._protocol : ._default) },
            advisoryRiseAboveBaselinePercent: limits.advisoryRiseAboveBaselinePercent,
            overrides: overrides.limits.compactMap { e in e.limit.map { .init(e.key, $0, setBy: ._protocol) } },
            overrideAdvisoryRiseAboveBaselinePercent: overrides.advisoryRiseAboveBaselinePercent,
            changes: changes.map { c in
                .init(changedBy: c.changedBy.rawValue.uuidString, changedAt: c.changedAt, reason: c.reason,
                      limits: c.after.limits.compactMap { e in e.limit.map { .init(e.key, $0) } },
                      advisoryRiseAboveBaselinePercent: c.after.advisoryRiseAboveBaselinePercent)
            })
    }
}

extension Components.Schemas.AlarmThresholdLimit {
    init(_ key: ThresholdKey, _ limit: AlarmLimit, setBy: SetByPayload? = nil) {
        self.init(priority: .init(rawValue: key.priority.rawValue) ?? .high, parameter: .init(rawValue: key.parameter.rawValue) ?? .heartRate,
                  direction: .init(rawValue: key.direction.rawValue) ?? .upper, comparison: .init(rawValue: limit.comparison.rawValue) ?? .above,
                  value: limit.value, setBy: setBy)
    }

    /// The domain's override entry; a comparison that does not match the direction is named by the domain's check.
    var entry: ThresholdOverrides.Entry {
        let key = ThresholdKey(AlarmPriority(rawValue: priority.rawValue) ?? .high, VitalParameter(rawValue: parameter.rawValue) ?? .heartRate,
                               LimitDirection(rawValue: direction.rawValue) ?? .upper)
        return .init(key, AlarmLimit(AlarmLimit.Comparison(rawValue: comparison.rawValue) ?? .above, value))
    }
}
