import ClinicCore
import Foundation

extension WebRoutes {
    /// Reads a thresholds form into the layer's proposed overrides: each field holds a number in the parameter's unit,
    /// compared as the limit beneath it compares (clinical-reference §3 writes "> 180", "≥ 160"…). A number equal to the
    /// limit in force leaves that limit as it is; one equal to the limit beneath drops the layer's override of it.
    /// Returns the overrides and the fields that are not numbers; the domain judges the rest (`ThresholdChange`).
    static func proposedOverrides(_ w: WebForm, fields: [(field: String, key: ThresholdKey)], advisoryField: String? = nil,
                                  current: ThresholdOverrides, beneath: AlarmThresholds) -> (ThresholdOverrides, [String: String]) {
        let standing = beneath.applying(current)
        var overrides = current
        var errors: [String: String] = [:]
        for (field, key) in fields {
            let text = w[field].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let value = Double(text), value.isFinite else { errors[field] = "Enter a number."; continue }
            if standing.limit(for: key)?.value == value { continue }
            guard let base = beneath.limit(for: key) ?? AlarmThresholds.clinicalReferenceDefaults.limit(for: key) else { continue }
            let limit = AlarmLimit(base.comparison, value)
            overrides.limits.removeAll { $0.key == key }
            if limit != beneath.limit(for: key) { overrides.limits.append(.init(key, limit)) }
        }
        if let advisoryField {
            let text = w[advisoryField].trimmingCharacters(in: .whitespaces)
            if !text.isEmpty {
                if let value = Double(text), value.isFinite {
                    if value != standing.advisoryRiseAboveBaselinePercent {
                        overrides.advisoryRiseAboveBaselinePercent = value == beneath.advisoryRiseAboveBaselinePercent ? nil : value
                    }
                } else {
                    errors[advisoryField] = "Enter a number."
                }
            }
        }
        return (overrides, errors)
    }
}
