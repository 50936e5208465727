import ClinicCore
import Foundation
import Hummingbird

/// The printable patient statement (issue 6): the account's lines for a date range with the running balance and the
/// amount due now.
extension WebRoutes {
    func registerStatement(on router: Router<ClinicRequestContext>) {
        router.get("/patients/{id}/statement") { request, context in try await statementPage(request, context) }
    }

    func statementPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        struct Row { let on: String; let kind: String; let description: String; let reference: String; let amount: String; let balance: String }
        struct Due { let label: String; let amount: String }
        struct Page {
            let chrome: PageChrome
            let patientID: String
            let from: String
            let to: String
            let patientName: String
            let mrn: String
            let dateOfBirth: String
            let providerName: String
            let providerAddress: String
            let providerNPI: String
            let issued: String
            let opening: String
            let rows: [Row]
            let hasRows: Bool
            let closing: String
            let current: String
            let dueNow: String
            let dueInstalments: [Due]
            let hasDueInstalments: Bool
            let next: String
        }
        let q = request.uri.queryParameters
        let today = clinic.today
        let (from, to) = try ReportPeriod.from(q, today: today, defaultDays: 90)
        let s = try await clinic.patientStatement(try patientID(context), from: from, to: to, by: try context.actor())
        let c = s.currency
        func signed(_ m: Money) -> String { m.cents < 0 ? "−" + Money(cents: -m.cents).formatted(c) : m.formatted(c) }
        let page = Page(
            chrome: chrome("Statement", context, active: "patients"), patientID: s.patient.id.rawValue.uuidString, from: from.description, to: to.description,
            patientName: "\(s.patient.familyName), \(s.patient.givenName)", mrn: s.patient.mrn.value, dateOfBirth: s.patient.dateOfBirth.description,
            providerName: s.letterhead.name.isEmpty ? "(clinic name not set)" : s.letterhead.name, providerAddress: s.letterhead.address,
            providerNPI: s.letterhead.npi, issued: s.issuedOn.description, opening: signed(s.openingBalance),
            rows: s.lines.map { l in
                Row(on: l.entry.on.description, kind: l.entry.kind.title, description: l.entry.description, reference: l.entry.reference,
                    amount: signed(l.entry.balanceEffect), balance: signed(l.balanceAfter))
            },
            hasRows: !s.lines.isEmpty, closing: signed(s.closingBalance), current: signed(s.currentBalance), dueNow: s.dueNow.formatted(c),
            dueInstalments: s.dueInstalments.map { Due(label: "Instalment \($0.instalment.number) due \($0.instalment.dueDate) (\($0.status.title))",
                                                       amount: $0.outstanding.formatted(c)) },
            hasDueInstalments: !s.dueInstalments.isEmpty,
            next: s.nextInstalment.map { "Next instalment: \($0.outstanding.formatted(c)) due \($0.instalment.dueDate)." } ?? "")
        return pages.render("statement", page)
    }
}
