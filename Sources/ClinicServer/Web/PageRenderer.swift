import ClinicCore
import Foundation
import Hummingbird
import HTTPTypes
import Mustache

/// Renders pages from the Mustache templates shipped as package resources. Every `{{value}}` is escaped.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every template once at start.
    public static func load() async throws -> PageRenderer {
        // The copied `Resources` folder sits in the bundle itself or under its resource folder, depending on the platform.
        let candidates = [Bundle.module.bundleURL, Bundle.module.resourceURL].compactMap { $0 }
            .map { $0.appendingPathComponent("Resources/Templates") }
        guard let dir = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("layout-top.mustache").path) }) else {
            throw ClinicError.notFound("page templates (looked in \(candidates.map(\.path)))")
        }
        return PageRenderer(library: try await MustacheLibrary(directory: dir.path))
    }

    /// An HTML response for a page model.
    func render(_ template: String, _ model: some Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(model, withTemplate: template) ?? "<!doctype html><title>Missing page</title><p>Missing page \(template)</p>"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Pages carry patient data: never cached, never framed; only our own scripts and styles.
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The error page for a problem.
    func errorPage(_ problem: ProblemDetails, context: ClinicRequestContext) -> Response {
        struct ErrorPage {
            let chrome: PageChrome
            let title: String
            let status: Int
            let detail: String
            let errors: [FieldError]
            let hasFieldErrors: Bool
        }
        let chrome = PageChrome(title: problem.title, session: context.session, csrf: context.session?.token.csrf ?? "", active: "")
        return render("error", ErrorPage(chrome: chrome, title: problem.title, status: problem.status, detail: problem.detail ?? "",
                                         errors: problem.errors ?? [], hasFieldErrors: !(problem.errors ?? []).isEmpty),
                      status: .init(code: problem.status))
    }
}

/// What every page's layout needs: the title, the signed-in user, the navigation and the CSRF token.
struct PageChrome {
    struct NavItem {
        let href: String
        let label: String
        let active: Bool
    }
    let title: String
    let signedIn: Bool
    let userName: String
    let roleTitle: String
    let csrf: String
    let nav: [NavItem]
    let flash: String

    init(title: String, session: AuthenticatedSession?, csrf: String, active: String, flash: String = "") {
        self.title = title
        self.signedIn = session != nil
        self.userName = session?.user.displayName ?? ""
        self.roleTitle = session?.user.role.title ?? ""
        self.csrf = csrf
        self.flash = flash
        var items: [(String, String, String)] = []
        if let role = session?.user.role, !(session?.user.mustChangePassword ?? true) {
            if [.admin, .physician, .nurse, .frontDesk, .billing].contains(role) { items.append(("/patients", "Patients", "patients")) }
            if [.admin, .physician, .nurse, .frontDesk].contains(role) { items.append(("/schedule", "Day board", "schedule")) }
            if [.admin, .physician, .nurse].contains(role) { items.append(("/board", "Room board", "board")) }
            if [.admin, .physician, .nurse, .frontDesk].contains(role) { items.append(("/protocols", "Protocols", "protocols")) }
            if [.physician, .nurse].contains(role) {
                items.append(("/follow-ups", "Follow-ups", "follow-ups"))
                items.append(("/tasks", "Tasks", "tasks"))
            }
            if [.admin, .physician].contains(role) { items.append(("/analytics", "Analytics", "analytics")) }
            if [.admin, .physician, .nurse, .billing].contains(role) { items.append(("/register", "CS register", "register")) }
            if [.admin, .billing].contains(role) { items.append(("/billing", "Billing", "billing")) }
            if [.admin, .billing, .frontDesk].contains(role) { items.append(("/billing/prices", "Prices", "prices")) }
            if role == .admin {
                items.append(("/admin/users", "Users", "users"))
                items.append(("/admin/audit", "Audit log", "audit"))
            }
            items.append(("/account", "My account", "account"))
        }
        nav = items.map { NavItem(href: $0.0, label: $0.1, active: $0.2 == active) }
    }
}

/// One labelled form field with its error, for the shared `field` partial.
struct FormField {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    let name: String
    let label: String
    let value: String
    let type: String
    let error: String
    let hint: String
    let required: Bool
    let options: [Option]
    let isSelect: Bool
    let isTextarea: Bool
    let isCheckbox: Bool
    let checked: Bool
    let id: String
    /// A `<datalist>` id offering suggestions (e.g. ICD-10-CM codes).
    let list: String

    init(_ name: String, _ label: String, value: String = "", type: String = "text", errors: [String: String] = [:], hint: String = "",
         required: Bool = false, options: [(String, String)]? = nil, textarea: Bool = false, checkbox: Bool = false, list: String = "") {
        self.list = list
        self.name = name
        self.label = label
        self.value = value
        self.type = type
        self.error = errors[name] ?? ""
        self.hint = hint
        self.required = required
        self.options = (options ?? []).map { Option(value: $0.0, label: $0.1, selected: $0.0 == value) }
        self.isSelect = options != nil
        self.isTextarea = textarea
        self.isCheckbox = checkbox
        self.checked = checkbox && (value == "true" || value == "on" || value == "yes")
        self.id = "f-" + name.replacingOccurrences(of: "[", with: "-").replacingOccurrences(of: "]", with: "").replacingOccurrences(of: ".", with: "-")
    }
}
