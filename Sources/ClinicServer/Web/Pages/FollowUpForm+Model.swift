import ClinicCore
import Foundation
import Hummingbird

/// The patient's side of a follow-up link: a phone-friendly form for exactly the instruments due, with no account.
/// The token in the URL is the credential; it works once, until it expires.
extension WebRoutes {
    func registerFollowUpForm(on router: Router<ClinicRequestContext>) {
        router.get("/f/{token}") { _, context in try await followUpFormPage(context, form: nil, errors: [:]) }
        router.post("/f/{token}") { request, context in try await submitFollowUpForm(request, context) }
    }

    struct FollowUpFormPage {
        let title: String
        let token: String
        let greeting: String
        let timepoint: String
        let sections: [OutcomeFormPage.Section]
        let errorSummary: [FieldError]
        let hasErrors: Bool
        /// Shown instead of the form when the link cannot be used.
        let closed: String
        let isClosed: Bool
        let thanks: Bool
        let crisis: String
        let hasCrisis: Bool
    }

    func followUpFormPage(_ context: ClinicRequestContext, form: WebForm?, errors: [String: String],
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let view = try await clinic.openFollowUpLink(token: token, client: context.client)
        // Unknown tokens touch no patient: counted per client address, like other anonymous refusals, not chained.
        if case .unknown = view { metrics.refusedAnonymous(client: context.client) }
        return renderFollowUp(view, token: token, form: form, errors: errors, status: status)
    }

    func renderFollowUp(_ view: FollowUpLinkView, token: String, form: WebForm?, errors: [String: String], status: HTTPResponse.Status) -> Response {
        let tz = clinic.settings.timeZone
        func closed(_ title: String, _ text: String, _ status: HTTPResponse.Status) -> Response {
            pages.render("follow-up-form", FollowUpFormPage(title: title, token: "", greeting: "", timepoint: "", sections: [], errorSummary: [],
                                                            hasErrors: false, closed: text, isClosed: true, thanks: false, crisis: "", hasCrisis: false),
                         status: status)
        }
        switch view {
        case .unknown:
            return closed("Link not recognised", "This link is not recognised. Please check that you opened the whole link, or ask the clinic for a new one.", .notFound)
        case .used(let at):
            return closed("Already answered", "This link was already used on \(Self.time(at, tz)), and each link works only once. Thank you — if you need to tell us something more, please call the clinic.", .gone)
        case .expired(let at):
            return closed("Link expired", "This link expired on \(Self.time(at, tz)). Please ask the clinic for a new one.", .gone)
        case .open(let link, let givenName):
            let model = FollowUpFormPage(
                title: "How are you doing?", token: token, greeting: "Hello \(givenName),", timepoint: link.timepoint.label,
                sections: Self.instrumentSections(link.instruments, values: form?.values ?? [:], errors: errors),
                errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
                closed: "", isClosed: false, thanks: false, crisis: "", hasCrisis: false)
            return pages.render("follow-up-form", model, status: status)
        }
    }

    func submitFollowUpForm(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        // No session and no CSRF token: the single-use token in the URL is the credential, and the form changes only
        // what that token allows.
        let w = try await WebForm.read(request, context: context, checkCSRF: false)
        let token = context.parameters.get("token") ?? ""
        do {
            let (view, submission) = try await clinic.submitFollowUpLink(token: token, answers: Self.answers(from: w), client: context.client)
            guard let submission else { return renderFollowUp(view, token: token, form: nil, errors: [:], status: .gone) }
            let crisis = submission.crisisResources ?? ""
            return pages.render("follow-up-form", FollowUpFormPage(
                title: "Thank you", token: "", greeting: "", timepoint: "", sections: [], errorSummary: [], hasErrors: false,
                closed: "", isClosed: false, thanks: true, crisis: crisis, hasCrisis: !crisis.isEmpty))
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await followUpFormPage(context, form: w, errors: errors, status: .unprocessableContent)
        }
    }
}
