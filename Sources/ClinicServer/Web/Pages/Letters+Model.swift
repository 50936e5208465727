import ClinicCore
import Foundation
import Hummingbird

/// Medical-necessity letters (issue 6): a patient's letters with their versions, a draft composed from the chart, the
/// printable letter with its edit, sign and revise forms, and the plain-text download.
extension WebRoutes {
    func registerLetters(on router: Router<ClinicRequestContext>) {
        router.get("/patients/{id}/letters") { _, context in try await lettersPage(context, flash: "") }
        router.post("/patients/{id}/letters/new") { request, context in try await draftLetterPage(request, context) }
        router.get("/letters/{id}") { request, context in try await letterPage(request, context, form: nil, errors: [:], flash: "") }
        router.post("/letters/{id}") { request, context in try await editLetterPage(request, context) }
        router.post("/letters/{id}/sign") { request, context in try await letterStep(request, context, sign: true) }
        router.post("/letters/{id}/revise") { request, context in try await letterStep(request, context, sign: false) }
    }

    func letterID(_ context: ClinicRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("letter") }
        return uuid
    }

    struct LetterRow {
        let id: String
        let version: Int
        let status: String
        let badge: String
        let to: String
        let created: String
        let signed: String
        let current: Bool
    }

    func letterRow(_ l: NecessityLetter, current: UUID? = nil) -> LetterRow {
        let tz = clinic.settings.timeZone
        return LetterRow(id: l.id.uuidString, version: l.version, status: l.status.title, badge: l.isSigned ? "badge ok" : "badge warn",
                         to: l.to.isEmpty ? "—" : l.to, created: Self.time(l.createdAt, tz),
                         signed: l.signature.map { "\($0.signedOn) by \($0.name)" } ?? "", current: l.id == current)
    }

    func lettersPage(_ context: ClinicRequestContext, flash: String, toValue: String = "", errors: [String: String] = [:],
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        struct Page {
            let chrome: PageChrome
            let patientID: String
            let patientName: String
            let rows: [LetterRow]
            let hasRows: Bool
            let canDraft: Bool
            let signedOnly: Bool
            let toField: FormField
            let errorSummary: [FieldError]
            let hasErrors: Bool
        }
        let actor = try context.actor()
        let id = try patientID(context)
        let letters = try await clinic.necessityLetters(for: id, by: actor)
        let chart = try await clinic.chart(id, by: actor, withHistory: false)
        let canDraft = clinic.access.allows(actor, AccessRequest(.create, .necessityLetters, patient: id))
        let summary = errors.map { FieldError($0.key, $0.value) }.sorted { $0.field < $1.field }
        let page = Page(
            chrome: chrome("Letters", context, active: "patients", flash: flash), patientID: id.rawValue.uuidString,
            patientName: "\(chart.patient.demographics.familyName), \(chart.patient.demographics.givenName)",
            rows: letters.map { letterRow($0) }, hasRows: !letters.isEmpty, canDraft: canDraft, signedOnly: !canDraft,
            toField: FormField("to", "To (blank: the primary coverage's payer, if any)", value: toValue, errors: errors),
            errorSummary: summary, hasErrors: !summary.isEmpty)
        return pages.render("letters", page, status: status)
    }

    func draftLetterPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try patientID(context)
        do {
            let letter = try await clinic.draftNecessityLetter(for: id, to: w["to"], by: try context.actor())
            return .redirect(to: "/letters/\(letter.id.uuidString)")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await lettersPage(context, flash: "", toValue: w["to"], errors: errors, status: .unprocessableContent)
        }
    }

    func letterPage(_ request: Request?, _ context: ClinicRequestContext, form: WebForm?, errors: [String: String], flash: String,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        struct Page {
            let chrome: PageChrome
            let id: String
            let patientID: String
            let version: Int
            let status: String
            let badge: String
            let isSigned: Bool
            let isDraft: Bool
            let providerName: String
            let providerAddress: String
            let providerNPI: String
            let date: String
            let to: String
            let body: String
            let signerName: String
            let signerNPI: String
            let signedOn: String
            let versions: [LetterRow]
            let hasOtherVersions: Bool
            let canEdit: Bool
            let canSign: Bool
            let canRevise: Bool
            let isNewest: Bool
            let formTo: String
            let formBody: String
            let bodyError: String
            let toError: String
            let errorSummary: [FieldError]
            let hasErrors: Bool
            let downloadLink: String
        }
        let actor = try context.actor()
        let file = try await clinic.necessityLetter(try letterID(context), by: actor)
        let l = file.letter
        if request?.uri.queryParameters["format"] == "txt" {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"medical-necessity-\(l.facts.mrn)-v\(l.version).txt\""
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: l.plainText(letterhead: file.letterhead))))
        }
        let head = l.signature?.letterhead ?? file.letterhead
        let pid = l.patientID
        let canUpdate = clinic.access.allows(actor, AccessRequest(.update, .necessityLetters, patient: pid))
        let isNewest = file.versions.first?.id == l.id
        let summary = errors.map { FieldError($0.key, $0.value) }.sorted { $0.field < $1.field }
        let page = Page(
            chrome: chrome("Medical-necessity letter", context, active: "patients", flash: flash), id: l.id.uuidString,
            patientID: pid.rawValue.uuidString, version: l.version, status: l.status.title, badge: l.isSigned ? "badge ok" : "badge warn",
            isSigned: l.isSigned, isDraft: !l.isSigned,
            providerName: head.name.isEmpty ? "(billing provider not set)" : head.name, providerAddress: head.address, providerNPI: head.npi,
            date: l.signature?.signedOn.description ?? clinic.today.description, to: l.to, body: l.body,
            signerName: l.signature?.name ?? "", signerNPI: l.signature?.npi ?? "", signedOn: l.signature?.signedOn.description ?? "",
            versions: file.versions.map { letterRow($0, current: l.id) }, hasOtherVersions: file.versions.count > 1,
            canEdit: canUpdate && !l.isSigned,
            canSign: !l.isSigned && clinic.access.allows(actor, AccessRequest(.decide, .necessityLetters, patient: pid)),
            canRevise: l.isSigned && isNewest && clinic.access.allows(actor, AccessRequest(.create, .necessityLetters, patient: pid)),
            isNewest: isNewest,
            formTo: form?["to"] ?? l.to, formBody: form?["body"] ?? l.body, bodyError: errors["body"] ?? "", toError: errors["to"] ?? "",
            errorSummary: summary, hasErrors: !summary.isEmpty,
            downloadLink: "/letters/\(l.id.uuidString)?format=txt")
        return pages.render("letter", page, status: status)
    }

    func editLetterPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            _ = try await clinic.editNecessityLetter(try letterID(context), body: w["body"], to: w["to"], by: try context.actor())
            return try await letterPage(nil, context, form: nil, errors: [:], flash: "Draft saved.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await letterPage(nil, context, form: w, errors: errors, flash: "", status: .unprocessableContent)
        }
    }

    func letterStep(_ request: Request, _ context: ClinicRequestContext, sign: Bool) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        let id = try letterID(context)
        if sign {
            do {
                let l = try await clinic.signNecessityLetter(id, by: actor)
                return .redirect(to: "/letters/\(l.id.uuidString)")
            } catch let e as ClinicError {
                guard let errors = Self.errorMap(e) else { throw e }
                return try await letterPage(nil, context, form: nil, errors: errors, flash: "", status: .unprocessableContent)
            }
        }
        guard let source = NecessityLetterRevisionSource(rawValue: w["source"].isEmpty ? "text" : w["source"]) else {
            throw ClinicError.invalid("source", "Choose to start from this letter's text or from the chart")
        }
        let next = try await clinic.reviseNecessityLetter(id, from: source, by: actor)
        return .redirect(to: "/letters/\(next.id.uuidString)")
    }
}
