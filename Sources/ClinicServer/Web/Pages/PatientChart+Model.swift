import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct PatientChartPage {
        struct KeyValue {
            let label: String
            let value: String
        }
        struct MedicationRow {
            let name: String
            let opioid: String
            let route: String
            let amount: String
            let mme: String
            let noFactor: Bool
            let sig: String
        }
        struct ScreeningRow {
            let id: String
            let date: String
            let decision: String
            let badge: String
            let ruleSet: String
        }
        struct HistoryRow {
            let revision: Int
            let when: String
            let who: String
            let fields: String
        }
        let chrome: PageChrome
        let id: String
        let name: String
        let mrn: String
        let facts: [KeyValue]
        let escorts: [EscortContact]
        let noEscorts: Bool
        let showDiagnoses: Bool
        let diagnoses: [Diagnosis]
        let showClinical: Bool
        let medications: [MedicationRow]
        let mmeTotal: String
        let mmeUncounted: String
        let hasUncounted: Bool
        let allergies: [Allergy]
        let pain: [KeyValue]
        let treatments: [KeyValue]
        let showStatus: Bool
        let status: String
        let statusBadge: String
        let showScreenings: Bool
        let screenings: [ScreeningRow]
        let hasScreenings: Bool
        let showHistory: Bool
        let history: [HistoryRow]
        let canEdit: Bool
        let canScreen: Bool
        /// The self-pay account (billing, front desk, admin).
        let canSeeAccount: Bool
        let canSeeCoverage: Bool
        /// Medical-necessity letters (physicians; billing and admin see signed ones).
        let canSeeLetters: Bool
        let showPlans: Bool
        let plans: [PlanRow]
        let canPlan: Bool
        /// The follow-up summary (pain trajectory, booster advice, urgent tasks) for roles that read outcomes.
        let toBook: [PlanRow]
        let hasToBook: Bool
        let followUp: OutcomesPage?
    }
    struct PlanRow {
        let id: String
        let title: String
        let status: String
        let badge: String
    }

    func chartPage(_ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let chart = try await clinic.chart(try patientID(context), by: actor)
        let p = chart.patient
        let tz = clinic.settings.timeZone
        let today = clinic.today
        var facts: [PatientChartPage.KeyValue] = [
            .init(label: "Date of birth", value: "\(p.demographics.dateOfBirth) (age \(p.demographics.dateOfBirth.wholeYears(until: today)))"),
            .init(label: "Sex", value: p.demographics.sex.title),
            .init(label: "Phone", value: p.contact.phone.isEmpty ? "—" : p.contact.phone),
            .init(label: "E-mail", value: p.contact.email.isEmpty ? "—" : p.contact.email),
            .init(label: "Address", value: p.contact.address.isEmpty ? "—" : p.contact.address),
            .init(label: "Weight", value: p.body.weight?.display ?? "not recorded"),
            .init(label: "Height", value: p.body.height?.display ?? "not recorded"),
        ]
        if let w = p.body.weight, let h = p.body.height, h.centimetres > 0 {
            let bmi = w.kilograms / ((h.centimetres / 100) * (h.centimetres / 100))
            facts.append(.init(label: "BMI", value: Format.decimal(bmi, places: 1) + " kg/m²"))
        }
        let meds = (chart.clinical?.medications ?? []).map { m in
            PatientChartPage.MedicationRow(
                name: m.name, opioid: m.opioid?.title ?? "—", route: m.route.rawValue,
                amount: m.dailyAmount.map { "\(Format.decimal($0, places: $0.rounded() == $0 ? 0 : 2)) \(m.dailyUnit)" } ?? "—",
                mme: m.mme.display, noFactor: m.mme == .noFactor || m.mme == .noDose, sig: m.sig)
        }
        let pain = chart.clinical.map { c in
            [PatientChartPage.KeyValue(label: "Pain began", value: c.painHistory.onset?.description ?? "—"),
             .init(label: "Months of pain", value: c.painHistory.monthsOfPain.map(String.init) ?? "—")]
        } ?? []
        let showPlans = clinic.access.allows(actor, AccessRequest(.list, .treatmentPlan, patient: p.id))
        let plans = showPlans ? try await clinic.plans(of: p.id, by: actor) : []
        let toBook = clinic.access.allows(actor, AccessRequest(.create, .scheduling)) ? try await clinic.plansToBook(of: p.id, by: actor) : []
        let followUp = clinic.access.allows(actor, AccessRequest(.read, .outcomes, patient: p.id))
            ? outcomesModel(try await clinic.patientOutcomes(p.id, by: actor), context: context) : nil
        let model = PatientChartPage(
            chrome: chrome(p.demographics.displayName, context, active: "patients"),
            id: p.id.rawValue.uuidString, name: p.demographics.sortName, mrn: p.mrn.value, facts: facts,
            escorts: p.escorts, noEscorts: p.escorts.isEmpty,
            showDiagnoses: chart.diagnoses != nil, diagnoses: chart.diagnoses ?? [],
            showClinical: chart.clinical != nil, medications: meds,
            mmeTotal: chart.mme?.display ?? "", mmeUncounted: chart.mme?.uncounted.joined(separator: ", ") ?? "",
            hasUncounted: !(chart.mme?.uncounted.isEmpty ?? true),
            allergies: chart.clinical?.allergies ?? [], pain: pain,
            treatments: (chart.clinical?.painHistory.treatmentsTried ?? []).map { .init(label: $0.treatment, value: $0.result.title) },
            showStatus: clinic.access.allows(actor, AccessRequest(.read, .screeningStatus, patient: p.id)),
            status: chart.screeningStatus?.label(in: tz) ?? "Not screened", statusBadge: Self.statusClass(chart.screeningStatus),
            showScreenings: chart.screenings != nil,
            screenings: (chart.screenings ?? []).map {
                .init(id: $0.id.rawValue.uuidString, date: Self.time($0.screenedAt, tz), decision: $0.lifecycle.effectiveDecision.title,
                      badge: Self.statusClass($0.lifecycle.status(asOf: clinic.clock.now)), ruleSet: $0.evaluation.ruleSetVersion)
            },
            hasScreenings: !(chart.screenings ?? []).isEmpty,
            showHistory: chart.history != nil,
            history: (chart.history ?? []).map {
                .init(revision: $0.revision, when: Self.time($0.changedAt, tz), who: chart.staffNames[$0.changedBy] ?? "unknown",
                      fields: $0.changedFields.joined(separator: ", "))
            },
            canEdit: chart.canEditDemographics || chart.canEditClinical, canScreen: chart.canScreen,
            canSeeAccount: clinic.access.allows(actor, AccessRequest(.read, .patientAccount, patient: p.id)),
            canSeeCoverage: clinic.access.allows(actor, AccessRequest(.read, .coverage, patient: p.id)),
            canSeeLetters: clinic.access.allows(actor, AccessRequest(.list, .necessityLetters, patient: p.id)),
            showPlans: showPlans,
            plans: plans.map { PlanRow(id: $0.id.rawValue.uuidString, title: "\($0.protocolName) · \($0.plannedInfusions) infusion(s) · \($0.condition.code.value)",
                                       status: $0.status.rawValue, badge: $0.status == .active ? "badge ok" : "badge warn") },
            canPlan: clinic.access.allows(actor, AccessRequest(.create, .treatmentPlan, patient: p.id)) && (chart.screeningStatus?.isEligibleNow ?? false),
            toBook: toBook.map { PlanRow(id: $0.planID.rawValue.uuidString, title: "\($0.protocolName): \($0.booked) of \($0.plannedInfusions) infusion(s) booked",
                                         status: $0.booked >= $0.plannedInfusions ? "booked" : "to book", badge: $0.booked >= $0.plannedInfusions ? "badge ok" : "badge warn") },
            hasToBook: !toBook.isEmpty, followUp: followUp)
        return pages.render("patient-chart", model)
    }
}
