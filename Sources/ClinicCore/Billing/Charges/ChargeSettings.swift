import Foundation

/// How a partial hour after the first counts for the additional-hour infusion code (the payer's rule; a setting).
public enum PartialHourRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// An additional hour counts when the time beyond the last whole hour is more than 30 minutes.
    case moreThanHalf
    /// Any time beyond the last whole hour counts as another hour.
    case anyPart
    /// Only whole additional hours count.
    case wholeHoursOnly

    public var title: String {
        switch self {
        case .moreThanHalf: "more than 30 minutes beyond the last whole hour counts as an hour"
        case .anyPart: "any part of an hour counts as an hour"
        case .wholeHoursOnly: "whole hours only"
        }
    }
}

/// A fee in the clinic's currency, as integer cents per unit of a code.
public struct CodeFee: Sendable, Hashable, Codable {
    public var code: String
    public var cents: Int64
    public init(code: String, cents: Int64) {
        self.code = code
        self.cents = cents
    }
}

/// A clinician's billing identity (the rendering provider on a superbill).
public struct ProviderNumber: Sendable, Hashable, Codable {
    public var userID: User.ID
    /// The 10-digit National Provider Identifier.
    public var npi: String
    public init(userID: User.ID, npi: String) {
        self.userID = userID
        self.npi = npi
    }
}

/// What charge capture uses: the codes (clinical-reference §8: infusion CPT 96365/96366, descriptors unverified; the
/// drug as J3490), the running-time rules, place of service, fees and the billing provider. Codes, rules the reference
/// does not state (the first-hour minimum, the partial-hour rule, the place of service) and fees are settings, and the
/// settings page marks the unverified ones.
public struct ChargeSettings: Sendable, Hashable, Codable {
    /// The code for the first hour of an infusion (clinical-reference §8: 96365; descriptor unverified).
    public var initialHourCode: String
    /// The code for each additional hour (clinical-reference §8: 96366; descriptor unverified).
    public var additionalHourCode: String
    /// The drug's code (clinical-reference §8: J3490, unclassified drug, per payer guidance).
    public var drugCode: String
    /// The first-hour code needs a running time of more than this many minutes (not in the reference: a setting, unverified).
    public var initialHourMoreThanMinutes: Int
    /// How a partial hour beyond the first counts (the payer's rule; not in the reference).
    public var partialHourRule: PartialHourRule
    /// Whether pauses are left out of the running time (the default: yes).
    public var excludePauses: Bool
    /// The two-digit CMS place-of-service code (unverified default "11", office).
    public var placeOfService: String
    /// Fees per code (cents per unit); the drug's fee is per milligram given.
    public var fees: [CodeFee]
    /// The billing provider printed on superbills.
    public var billingProviderName: String
    public var billingProviderAddress: String
    public var billingProviderNPI: String
    /// The clinic's federal tax id (EIN), printed on superbills.
    public var taxID: String
    /// Rendering providers' NPIs.
    public var providers: [ProviderNumber]

    public static let standard = ChargeSettings(
        initialHourCode: "96365", additionalHourCode: "96366", drugCode: "J3490", initialHourMoreThanMinutes: 15,
        partialHourRule: .moreThanHalf, excludePauses: true, placeOfService: "11", fees: [], billingProviderName: "",
        billingProviderAddress: "", billingProviderNPI: "", taxID: "", providers: [])

    public init(initialHourCode: String, additionalHourCode: String, drugCode: String, initialHourMoreThanMinutes: Int,
                partialHourRule: PartialHourRule, excludePauses: Bool, placeOfService: String, fees: [CodeFee], billingProviderName: String,
                billingProviderAddress: String, billingProviderNPI: String, taxID: String, providers: [ProviderNumber]) {
        self.initialHourCode = initialHourCode
        self.additionalHourCode = additionalHourCode
        self.drugCode = drugCode
        self.initialHourMoreThanMinutes = initialHourMoreThanMinutes
        self.partialHourRule = partialHourRule
        self.excludePauses = excludePauses
        self.placeOfService = placeOfService
        self.fees = fees
        self.billingProviderName = billingProviderName
        self.billingProviderAddress = billingProviderAddress
        self.billingProviderNPI = billingProviderNPI
        self.taxID = taxID
        self.providers = providers
    }

    /// The fee for one unit of a code (0 when none is set).
    public func fee(_ code: String) -> Int64 { fees.first { $0.code == code }?.cents ?? 0 }

    /// The NPI on file for a clinician.
    public func npi(of user: User.ID?) -> String? { user.flatMap { u in providers.first { $0.userID == u }?.npi } }

    /// Checks a National Provider Identifier: ten digits whose last is the Luhn check digit over "80840" + the first nine.
    public static func isValidNPI(_ npi: String) -> Bool {
        guard npi.count == 10, npi.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        let digits = ("80840" + npi).compactMap(\.wholeNumberValue)
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 { let x = d * 2; sum += x > 9 ? x - 9 : x } else { sum += d }
        }
        return sum % 10 == 0
    }

    /// A code as billing systems take it: 5 characters, a letter or digit first (CPT 96365, HCPCS J3490).
    public static func isValidProcedureCode(_ code: String) -> Bool {
        code.count == 5 && code.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) }
    }
}
