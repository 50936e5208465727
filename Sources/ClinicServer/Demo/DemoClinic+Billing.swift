import ClinicCore
import Foundation

extension DemoClinic {
    /// The demo's charge settings, saved before any course is replayed so every finished demo infusion is charged as it
    /// ends: illustrative fees, a billing provider and NPIs that pass the check digit (the CMS example 1234567893 and
    /// another made-up one) — synthetic, like every demo patient.
    static func configureBilling(_ clinic: Clinic, admin: Actor, physician: Actor) async throws {
        _ = try await clinic.saveChargeSettings([
            "initialHourCode": "96365", "additionalHourCode": "96366", "drugCode": "J3490", "initialHourMoreThanMinutes": "15",
            "partialHourRule": PartialHourRule.moreThanHalf.rawValue, "excludePauses": "true", "placeOfService": "11",
            "feeInitialHour": "450.00", "feeAdditionalHour": "125.00", "feeDrugPerMg": "2.50",
            "billingProviderName": "DeepRelief Demo Pain Clinic", "billingProviderAddress": "100 Example Avenue, Springfield",
            "billingProviderNPI": "1234567893", "taxID": "12-3456789",
        ], providerNPIs: [physician.userID: "1245319599"], by: admin)
    }
}
