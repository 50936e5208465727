import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct PatientListPage {
        struct Row {
            let id: String
            let mrn: String
            let name: String
            let dateOfBirth: String
            let age: Int
            let primaryDiagnosis: String
            let status: String
            let statusClass: String
        }
        let chrome: PageChrome
        let query: String
        let rows: [Row]
        let total: Int
        let showingFrom: Int
        let showingTo: Int
        let previousHref: String
        let nextHref: String
        let canCreate: Bool
        let showStatus: Bool
        let empty: Bool
    }

    func patientList(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let q = request.uri.queryParameters["q"].map(String.init) ?? ""
        let offset = max(Int(request.uri.queryParameters["offset"].map(String.init) ?? "") ?? 0, 0)
        let limit = 50
        let (page, statuses) = try await clinic.searchPatients(PatientQuery(text: q, limit: limit, offset: offset), by: actor)
        let today = clinic.today
        let tz = clinic.settings.timeZone
        let showStatus = clinic.access.allows(actor, AccessRequest(.read, .screeningStatus))
        let rows = page.patients.map { p in
            let status = statuses[p.id]
            return PatientListPage.Row(id: p.id.rawValue.uuidString, mrn: p.mrn.value, name: "\(p.familyName), \(p.givenName)",
                                       dateOfBirth: p.dateOfBirth.description, age: p.dateOfBirth.wholeYears(until: today),
                                       primaryDiagnosis: p.primaryDiagnosis ?? "—",
                                       status: status?.label(in: tz) ?? "Not screened", statusClass: Self.statusClass(status))
        }
        let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let model = PatientListPage(
            chrome: chrome("Patients", context, active: "patients"), query: q, rows: rows, total: page.total,
            showingFrom: rows.isEmpty ? 0 : offset + 1, showingTo: offset + rows.count,
            previousHref: offset > 0 ? "/patients?q=\(encoded)&offset=\(max(offset - limit, 0))" : "",
            nextHref: offset + limit < page.total ? "/patients?q=\(encoded)&offset=\(offset + limit)" : "",
            canCreate: clinic.access.allows(actor, AccessRequest(.create, .patientDemographics)), showStatus: showStatus, empty: rows.isEmpty)
        return pages.render("patient-list", model)
    }

    static func statusClass(_ s: ScreeningStatus?) -> String {
        switch s {
        case .eligible: "badge ok"
        case .needsClearance, .incomplete: "badge warn"
        case .notEligible: "badge bad"
        case .expired, .rescreenRequired: "badge warn"
        case nil: "badge"
        }
    }
}
