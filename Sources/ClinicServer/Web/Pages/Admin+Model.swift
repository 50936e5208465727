import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct UsersPage {
        struct Row {
            let id: String
            let email: String
            let name: String
            let role: String
            let roleOptions: [FormField.Option]
            let state: String
            let stateClass: String
            let disabled: Bool
            let locked: Bool
            let isSelf: Bool
        }
        let chrome: PageChrome
        let rows: [Row]
        let fields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    static var staffRoleOptions: [(String, String)] { Role.staff.map { ($0.rawValue, $0.title) } }

    func usersPage(_ context: ClinicRequestContext, errors: [String: String], form: WebForm?, flash: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let users = try await clinic.listUsers(by: actor)
        let now = clinic.clock.now
        let rows = users.map { u in
            let locked = (u.lockedUntil ?? .distantPast) > now
            let state = u.isDisabled ? "Disabled" : locked ? "Locked" : u.mustChangePassword ? "Must change password" : "Active"
            return UsersPage.Row(id: u.id.rawValue.uuidString, email: u.email, name: u.displayName, role: u.role.title,
                                 roleOptions: Self.staffRoleOptions.map { FormField.Option(value: $0.0, label: $0.1, selected: $0.0 == u.role.rawValue) },
                                 state: state, stateClass: u.isDisabled ? "badge bad" : locked ? "badge warn" : "badge ok",
                                 disabled: u.isDisabled, locked: locked, isSelf: u.id == actor.userID)
        }
        let f = form ?? WebForm(values: [:])
        let summary = errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }
        let model = UsersPage(
            chrome: chrome("Users", context, active: "users", flash: flash), rows: rows,
            fields: [
                FormField("email", "E-mail", value: f["email"], type: "email", errors: errors, required: true),
                FormField("displayName", "Name", value: f["displayName"], errors: errors, required: true),
                FormField("role", "Role", value: f["role"].isEmpty ? "nurse" : f["role"], errors: errors, options: Self.staffRoleOptions),
                FormField("password", "Temporary password", type: "password", errors: errors,
                          hint: "At least \(clinic.settings.minimumPasswordLength) characters; the user changes it at first sign-in.", required: true),
            ],
            errorSummary: summary, hasErrors: !summary.isEmpty)
        return pages.render("users", model, status: status)
    }

    func createUser(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            let u = try await clinic.createUser(NewUserForm(email: w["email"], displayName: w["displayName"], role: w["role"], password: w["password"]),
                                                by: try context.actor())
            return try await usersPage(context, errors: [:], form: nil, flash: "Added \(u.email) as \(u.role.title).")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await usersPage(context, errors: errors, form: w, flash: "", status: .unprocessableContent)
        }
    }

    func changeUser(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("user") }
        let change: Clinic.UserChange
        switch w["action"] {
        case "role": change = .role(w["role"])
        case "disable": change = .disable
        case "enable": change = .enable
        case "unlock": change = .unlock
        case "reset": change = .resetPassword(w["password"])
        default: throw ClinicError.invalid("action", "is not a known change")
        }
        do {
            let u = try await clinic.changeUser(User.ID(uuid), change, by: try context.actor())
            let what = switch change {
            case .role: "Role of \(u.email) is now \(u.role.title)."
            case .disable: "\(u.email) is disabled; their sessions have ended."
            case .enable: "\(u.email) is enabled."
            case .unlock: "\(u.email) is unlocked."
            case .resetPassword: "Password of \(u.email) was reset; they must change it at next sign-in."
            }
            return try await usersPage(context, errors: [:], form: nil, flash: what)
        } catch let e as ClinicError {
            if case .conflict(let why) = e { return try await usersPage(context, errors: ["form": why], form: nil, flash: "", status: .conflict) }
            guard let errors = Self.errorMap(e) else { throw e }
            return try await usersPage(context, errors: errors.mapKeys { $0 == "password" ? "reset-password" : $0 }, form: nil, flash: "",
                                       status: .unprocessableContent)
        }
    }

    // MARK: - Audit log

    struct AuditPage {
        struct Row {
            let sequence: Int64
            let at: String
            /// The account's e-mail, "system", "command line", or (a monitor, say) the start of its id.
            let actor: String
            /// The whole actor id when `actor` shows only its start (as a tooltip).
            let actorTitle: String
            let role: String
            let client: String
            let action: String
            let resourceType: String
            /// The resource id as shown (a UUID by its first eight characters), the whole id and the log filtered by it.
            let resourceID: String
            let resourceTitle: String
            let resourceHref: String
            let outcome: String
            let outcomeClass: String
            let detail: String
        }
        let chrome: PageChrome
        let filters: [FormField]
        let rows: [Row]
        let empty: Bool
        let nextHref: String
    }

    func auditPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let q = request.uri.queryParameters
        func param(_ k: String) -> String { q[Substring(k)].map(String.init) ?? "" }
        let offset = max(Int(param("offset")) ?? 0, 0)
        let query = AuditQuery(actorID: param("actorId"), resourceType: param("resourceType"), resourceID: param("resourceId"),
                               outcome: AuditOutcome(rawValue: param("outcome")), limit: 100, offset: offset)
        let entries = try await clinic.auditLog(query, by: actor)
        let users = try await clinic.listUsers(by: actor)
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id.rawValue.uuidString, $0.email) })
        let tz = clinic.settings.timeZone
        // Monitors write under their device id: shown by name.
        if !clinic.monitoring.isLoaded { try? await clinic.loadMonitoring() }
        let monitors = clinic.monitoring.deviceNames()
        let rows = entries.map { e in
            let id = e.event.resourceID
            let actorID = e.event.actorID
            let actor = names[actorID] ?? monitors[actorID]
                ?? (actorID.isEmpty ? "system" : actorID.hasPrefix("00000000-0000") ? "command line" : Self.shortID(actorID))
            return AuditPage.Row(sequence: e.sequence, at: Self.time(e.event.at, tz), actor: actor, actorTitle: actor == actorID ? "" : actorID,
                                 role: e.event.actorRole, client: e.event.client, action: e.event.action, resourceType: e.event.resourceType,
                                 resourceID: Self.shortID(id), resourceTitle: id,
                                 resourceHref: id.isEmpty ? "" : "/admin/audit?resourceId=" + (id.addingPercentEncoding(withAllowedCharacters: Self.queryValueCharacters) ?? ""),
                                 outcome: e.event.outcome.rawValue,
                                 outcomeClass: e.event.outcome == .success ? "badge ok" : e.event.outcome == .denied ? "badge bad" : "badge warn",
                                 detail: e.event.detail)
        }
        var next = ""
        if entries.count == 100 {
            var parts = ["offset=\(offset + 100)"]
            for k in ["actorId", "resourceType", "resourceId", "outcome"] where !param(k).isEmpty {
                parts.append("\(k)=\(param(k).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            }
            next = "/admin/audit?" + parts.joined(separator: "&")
        }
        let model = AuditPage(
            chrome: chrome("Audit log", context, active: "audit"),
            filters: [
                FormField("actorId", "Actor", value: param("actorId"), options: [("", "Anyone")] + users.map { ($0.id.rawValue.uuidString, $0.email) }),
                FormField("resourceType", "Resource type", value: param("resourceType"), options: [("", "Any")] + ResourceKind.allCases.map { ($0.rawValue, $0.rawValue) }),
                FormField("resourceId", "Resource id", value: param("resourceId")),
                FormField("outcome", "Outcome", value: param("outcome"), options: [("", "Any")] + AuditOutcome.allCases.map { ($0.rawValue, $0.rawValue) }),
            ],
            rows: rows, empty: rows.isEmpty, nextHref: next)
        return pages.render("audit", model)
    }

    /// Characters left as they are in a query value (RFC 3986 unreserved).
    static let queryValueCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    /// An id as a narrow table shows it: a UUID by its first eight characters (enough to tell entries apart on a page;
    /// the whole id is in the cell's tooltip and its link), another id whole up to 24 characters.
    static func shortID(_ id: String) -> String {
        if id.count == 36, UUID(uuidString: id) != nil { return String(id.prefix(8)) + "…" }
        return id.count > 24 ? String(id.prefix(23)) + "…" : id
    }

    // MARK: - Own account

    struct AccountPage {
        let chrome: PageChrome
        let email: String
        let name: String
        let role: String
        let mustChange: Bool
        let fields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    func accountPage(_ context: ClinicRequestContext, errors: [String: String], flash: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let u = try await clinic.user(actor.userID, by: actor)
        let summary = errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }
        let model = AccountPage(
            chrome: chrome("My account", context, active: "account", flash: flash), email: u.email, name: u.displayName, role: u.role.title,
            mustChange: u.mustChangePassword,
            fields: [
                FormField("currentPassword", "Current password", type: "password", errors: errors, required: true),
                FormField("newPassword", "New password", type: "password", errors: errors,
                          hint: "At least \(clinic.settings.minimumPasswordLength) characters.", required: true),
                FormField("confirmPassword", "New password again", type: "password", errors: errors, required: true),
            ],
            errorSummary: summary, hasErrors: !summary.isEmpty)
        return pages.render("account", model, status: status)
    }

    func changePassword(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            if w["newPassword"] != w["confirmPassword"] { throw ClinicError.invalid("confirmPassword", "does not match the new password") }
            try await clinic.changeOwnPassword(try context.actor(), current: w["currentPassword"], new: w["newPassword"], keepToken: context.rawToken)
            return .redirect(to: "/patients")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await accountPage(context, errors: errors, flash: "", status: .unprocessableContent)
        }
    }
}

extension Dictionary {
    func mapKeys<K: Hashable>(_ f: (Key) -> K) -> [K: Value] {
        Dictionary<K, Value>(map { (f($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
