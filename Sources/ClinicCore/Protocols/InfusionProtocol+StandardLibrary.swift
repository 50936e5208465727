import Foundation
import Tagged

extension InfusionProtocol {
    /// Fixed ids, so every install names the shipped protocols alike (version 1 of each).
    public enum StandardID {
        /// Standard induction.
        public static let standardInduction = InfusionProtocol.ID(UUID(uuidString: "DEE77E11-EF00-4000-8000-000000000001")!)
        /// Guideline trial.
        public static let guidelineTrial = InfusionProtocol.ID(UUID(uuidString: "DEE77E11-EF00-4000-8000-000000000002")!)
        /// CRPS extended outpatient.
        public static let crpsExtended = InfusionProtocol.ID(UUID(uuidString: "DEE77E11-EF00-4000-8000-000000000003")!)
        /// Booster.
        public static let booster = InfusionProtocol.ID(UUID(uuidString: "DEE77E11-EF00-4000-8000-000000000004")!)
    }

    /// Days between maintenance boosters until the clinic sets its own: local policy [P], not a guideline number.
    /// clinical-reference §1 says only "one every few months"; 90 days is a starting value the clinic changes.
    public static let defaultBoosterIntervalDays = 90

    /// Limits of Standard induction and Booster (clinical-reference §4 [D]): rate soft > 1.0, hard > 2.0 mg/kg/h;
    /// session total soft > 1.0, hard > 1.5 mg/kg.
    public static let inductionLimits = ProtocolLimits(
        ratePerKilogram: .init(soft: .init(microgramsPerKilogramPerHour: 1_000), hard: .init(microgramsPerKilogramPerHour: 2_000)),
        sessionTotalPerKilogram: .init(soft: .init(microgramsPerKilogram: 1_000), hard: .init(microgramsPerKilogram: 1_500)))

    /// Standard induction: 0.5 mg/kg over 40 min = 0.75 mg/kg/h for 40 min (Sanacora 2017 JAMA Psychiatry 74:399);
    /// 6 infusions ≥ 48 h apart ([P] 6 over 2–3 weeks; 48 h is clinical-reference §4 [D]).
    public static let standardInduction = InfusionProtocol(
        id: StandardID.standardInduction, name: "Standard induction",
        dosing: .weightBasedRate(.init(microgramsPerKilogramPerHour: 750)),
        durationMinutes: 40, inductionInfusions: 6, minimumSpacingHours: 48, limits: inductionLimits)

    /// Guideline trial: one infusion of 80 mg over 120 min (≥ 2 h), then reassess (Cohen 2018 RAPM 43:521);
    /// limits rate soft > 50, hard > 80 mg/h; total soft > 100, hard > 120 mg (clinical-reference §4 [D]).
    public static let guidelineTrial = InfusionProtocol(
        id: StandardID.guidelineTrial, name: "Guideline trial",
        dosing: .flatDose(DrugAmount(micrograms: 80_000), overMinutes: 120),
        durationMinutes: 120, inductionInfusions: 1, minimumSpacingHours: nil,
        limits: ProtocolLimits(
            rate: .init(soft: DoseRate(microgramsPerHour: 50_000), hard: DoseRate(microgramsPerHour: 80_000)),
            sessionTotal: .init(soft: DrugAmount(micrograms: 100_000), hard: DrugAmount(micrograms: 120_000))))

    /// CRPS extended outpatient: 0.35 mg/kg/h, never above 25 mg/h, 4 h daily on 10 consecutive weekdays
    /// (Schwartzman 2009, Pain); limits rate soft > 0.35 mg/kg/h or > 25 mg/h, hard > 0.5 mg/kg/h or > 40 mg/h;
    /// total soft > 1.5, hard > 2.0 mg/kg (clinical-reference §4 [D]).
    public static let crpsExtended = InfusionProtocol(
        id: StandardID.crpsExtended, name: "CRPS extended outpatient",
        dosing: .weightBasedRate(.init(microgramsPerKilogramPerHour: 350)),
        absoluteRateCap: DoseRate(microgramsPerHour: 25_000),
        durationMinutes: 240, inductionInfusions: 10, minimumSpacingHours: 24, seriesPattern: .consecutiveWeekdays,
        limits: ProtocolLimits(
            ratePerKilogram: .init(soft: .init(microgramsPerKilogramPerHour: 350), hard: .init(microgramsPerKilogramPerHour: 500)),
            rate: .init(soft: DoseRate(microgramsPerHour: 25_000), hard: DoseRate(microgramsPerHour: 40_000)),
            sessionTotalPerKilogram: .init(soft: .init(microgramsPerKilogram: 1_500), hard: .init(microgramsPerKilogram: 2_000))))

    /// Booster: as Standard induction, one infusion [P]; repeated every `defaultBoosterIntervalDays` (local policy [P]).
    public static let booster = InfusionProtocol(
        id: StandardID.booster, name: "Booster",
        dosing: .weightBasedRate(.init(microgramsPerKilogramPerHour: 750)),
        durationMinutes: 40, inductionInfusions: 1, minimumSpacingHours: nil,
        boosterIntervalDays: defaultBoosterIntervalDays, limits: inductionLimits)

    /// The protocols of clinical-reference §4, version 1 each, in the order the reference lists them.
    public static let standardLibrary: [InfusionProtocol] = [standardInduction, guidelineTrial, crpsExtended, booster]
}
