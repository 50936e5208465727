import Crypto
import Foundation

/// What a successful sign-in hands back: the raw token (shown once, stored only as a hash).
public struct SignedIn: Sendable {
    public var token: String
    public var csrf: String
    public var user: User
    public var expiresAt: Date
}

/// An authenticated request's session: the user, their token and the CSRF token for forms.
public struct AuthenticatedSession: Sendable {
    public var user: User
    public var token: AuthToken
    public func actor(client: String) -> Actor { Actor(userID: user.id, role: user.role, client: client) }
}

/// Why a sign-in failed, for metrics (unknown accounts are counted, not chained).
public enum SignInFailure: Error, Sendable, Equatable {
    case unknownAccount
    case rejected(ClinicError)
}

/// A new user as an admin enters it.
public struct NewUserForm: Sendable, Hashable, Codable {
    public var email: String
    public var displayName: String
    public var role: String
    public var password: String
    public init(email: String, displayName: String, role: String, password: String) {
        self.email = email
        self.displayName = displayName
        self.role = role
        self.password = password
    }
}

extension Clinic {
    // MARK: - Tokens

    /// A random opaque token (256 bits, URL-safe base64).
    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of a token, as stored.
    public static func tokenHash(_ token: String) -> String {
        Data(SHA256.hash(data: Data(token.utf8))).hexString
    }

    static func normalisedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    // MARK: - Sign-in

    /// Checks e-mail and password; locks the account after repeated failures; audits every attempt on a known account.
    public func signIn(email: String, password: String, kind: AuthToken.Kind, client: String) async throws(SignInFailure) -> SignedIn {
        let now = clock.now
        let found: (User, passwordHash: String)?
        do { found = try await store.read { try await $0.user(email: Self.normalisedEmail(email)) } }
        catch { throw .rejected(.unauthenticated) }
        guard let (user, hash) = found else {
            // Spend the same time as a real check, so timing does not reveal which accounts exist.
            _ = try? await passwords.verify(password, against: "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5Qf4S/Kk8rEZ7mUw6c3fxiJFbUeCHOa")
            throw .unknownAccount
        }
        func fail(_ detail: String, _ error: ClinicError, update: (inout User) -> Void = { _ in }) async throws(SignInFailure) -> Never {
            var u = user
            update(&u)
            let changed = u
            let event = AuditEvent(at: now, actorID: user.id.rawValue.uuidString, actorRole: user.role.rawValue, action: "signIn",
                                   resourceType: "users", resourceID: user.id.rawValue.uuidString, outcome: .failure,
                                   client: client, detail: detail)
            do {
                try await store.write { tx in
                    if changed != user { try await tx.update(changed) }
                    try await tx.appendAudit([event], chain: self.chain)
                }
            } catch { throw .rejected(.unauthenticated) }
            throw .rejected(error)
        }
        if user.isDisabled { try await fail("disabled", .unauthenticated) }
        if let until = user.lockedUntil, until > now { try await fail("locked", .accountLocked(until: until)) }
        let ok = (try? await passwords.verify(password, against: hash)) ?? false
        guard ok else {
            let failures = (user.lockedUntil.map { $0 <= now } ?? false) ? 1 : user.failedSignIns + 1
            let locks = failures >= settings.maxFailedSignIns
            try await fail(locks ? "wrong-password;locked" : "wrong-password", .unauthenticated) { u in
                u.failedSignIns = failures
                u.lockedUntil = locks ? now.addingTimeInterval(self.settings.lockDuration) : nil
            }
        }
        let raw = Self.newToken()
        let lifetime = kind == .browser ? settings.browserSessionLifetime : settings.apiTokenLifetime
        let token = AuthToken(hash: Self.tokenHash(raw), userID: user.id, kind: kind, csrf: Self.newToken(),
                              createdAt: now, lastSeenAt: now, expiresAt: now.addingTimeInterval(lifetime))
        var signedIn = user
        signedIn.failedSignIns = 0
        signedIn.lockedUntil = nil
        let finalUser = signedIn
        do {
            try await store.write { tx in
                if finalUser != user { try await tx.update(finalUser) }
                try await tx.insert(token)
                try await tx.appendAudit([AuditEvent(at: now, actorID: user.id.rawValue.uuidString, actorRole: user.role.rawValue,
                                                     action: "signIn", resourceType: "users", resourceID: user.id.rawValue.uuidString,
                                                     outcome: .success, client: client, detail: kind.rawValue)], chain: self.chain)
            }
        } catch { throw .rejected(.unauthenticated) }
        return SignedIn(token: raw, csrf: token.csrf, user: finalUser, expiresAt: token.expiresAt)
    }

    /// The session behind a raw token, or nil when it is unknown, expired, idle too long, revoked or its user disabled.
    public func authenticate(token raw: String) async throws -> AuthenticatedSession? {
        let hash = Self.tokenHash(raw)
        let now = clock.now
        var entry = sessions.get(hash, now: now)
        if entry == nil {
            let loaded: (AuthToken, User)? = try await store.read { tx in
                guard let t = try await tx.token(hash: hash), let u = try await tx.user(t.userID) else { return nil }
                return (t, u)
            }
            guard let (t, u) = loaded else { return nil }
            entry = SignInCache.Entry(user: u, token: t, cachedAt: now)
            sessions.put(entry!)
        }
        guard let e = entry, !e.token.revoked, !e.user.isDisabled, e.token.expiresAt > now else {
            sessions.remove(hash)
            return nil
        }
        if e.token.kind == .browser, now.timeIntervalSince(e.token.lastSeenAt) > settings.idleTimeout {
            // Idle sign-out.
            sessions.remove(hash)
            try await store.write { try await $0.revokeToken(hash: hash) }
            return nil
        }
        // Record activity at most once a minute: enough for idle sign-out, cheap for hot reads.
        if now.timeIntervalSince(e.token.lastSeenAt) > 60 {
            // Mark the cache first, so concurrent requests on this session do not all write the same touch.
            sessions.touch(hash, at: now)
            try await store.write { try await $0.touchToken(hash: hash, at: now) }
        }
        return AuthenticatedSession(user: e.user, token: e.token)
    }

    /// Ends a session or revokes a token.
    public func signOut(token raw: String, actor: Actor) async throws {
        let hash = Self.tokenHash(raw)
        sessions.remove(hash)
        try await store.write { tx in
            try await tx.revokeToken(hash: hash)
            try await tx.appendAudit([AuditEvent(at: self.clock.now, actorID: actor.userID.rawValue.uuidString, actorRole: actor.role.rawValue,
                                                 action: "signOut", resourceType: "users", resourceID: actor.userID.rawValue.uuidString,
                                                 outcome: .success, client: actor.client)], chain: self.chain)
        }
    }

    // MARK: - Passwords

    func checkPasswordPolicy(_ password: String, field: String, email: String) throws {
        var errors = FieldErrors()
        if password.count < settings.minimumPasswordLength {
            errors.add(field, "must be at least \(settings.minimumPasswordLength) characters")
        }
        if password.count > 200 { errors.add(field, "must be at most 200 characters") }
        if !email.isEmpty, password.lowercased().contains(Self.normalisedEmail(email).split(separator: "@").first.map(String.init) ?? "\u{0}") {
            errors.add(field, "must not contain your e-mail name")
        }
        try errors.throwIfAny()
    }

    /// Changes the signed-in user's own password; other sessions of the user end, this one stays.
    public func changeOwnPassword(_ actor: Actor, current: String, new: String, keepToken raw: String?) async throws {
        guard let (user, hash) = try await store.read({ tx -> (User, String)? in
            guard let u = try await tx.user(actor.userID), let found = try await tx.user(email: u.email) else { return nil }
            return (u, found.passwordHash)
        }) else { throw ClinicError.notFound("user") }
        guard try await passwords.verify(current, against: hash) else {
            throw ClinicError.invalid("currentPassword", "is not your current password")
        }
        if current == new { throw ClinicError.invalid("newPassword", "must differ from the current password") }
        try checkPasswordPolicy(new, field: "newPassword", email: user.email)
        let newHash = try await passwords.hash(new)
        let keep = raw.map(Self.tokenHash)
        sessions.remove(user: user.id)
        try await store.write { tx in
            try await tx.setPassword(user.id, hash: newHash, mustChange: false)
            // Other sessions end; the one the change was made from stays.
            try await tx.revokeTokens(of: user.id, except: keep)
            try await self.audit(tx, actor, AccessRequest(.update, .users, id: user.id.rawValue.uuidString), detail: "own-password")
        }
    }

    // MARK: - Administration

    /// Creates the first admin when there are no users; returns nil when users exist.
    public func bootstrapAdmin(email: String, password: String, mustChange: Bool) async throws -> User? {
        let now = clock.now
        let hash = try await passwords.hash(password)
        let user = User(id: User.ID(ids.next()), email: Self.normalisedEmail(email), displayName: "Administrator", role: .admin,
                        mustChangePassword: mustChange, createdAt: now)
        return try await store.write { tx in
            guard try await tx.userCount() == 0 else { return nil }
            try await tx.insert(user, passwordHash: hash)
            try await tx.appendAudit([AuditEvent(at: now, actorID: "", actorRole: "system", action: "create", resourceType: "users",
                                                 resourceID: user.id.rawValue.uuidString, outcome: .success, client: "", detail: "first-admin")],
                                     chain: self.chain)
            return user
        }
    }

    /// Adds a user (admin only; also used by the CLI with the system actor).
    public func createUser(_ form: NewUserForm, by actor: Actor, mustChangePassword: Bool = true) async throws -> User {
        try await require(actor, AccessRequest(.create, .users))
        var errors = FieldErrors()
        let email = Self.normalisedEmail(form.email)
        if !PatientForm.looksLikeEmail(email) || email.count > 200 { errors.add("email", "must be an e-mail address like name@example.org") }
        let name = form.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("displayName", "is required") }
        if name.count > 100 { errors.add("displayName", "must be at most 100 characters") }
        let role = Role(rawValue: form.role)
        if role == nil || !Role.staff.contains(role!) {
            errors.add("role", "must be one of \(Role.staff.map(\.rawValue).joined(separator: ", "))")
        }
        do { try checkPasswordPolicy(form.password, field: "password", email: email) } catch let ClinicError.invalid(list) {
            for e in list { errors.add(e.field, e.reason) }
        }
        try errors.throwIfAny()
        let hash = try await passwords.hash(form.password)
        let user = User(id: User.ID(ids.next()), email: email, displayName: name, role: role!,
                        mustChangePassword: mustChangePassword, createdAt: clock.now)
        return try await store.write { tx in
            if try await tx.user(email: email) != nil { throw ClinicError.invalid("email", "is already used by another account") }
            try await tx.insert(user, passwordHash: hash)
            try await self.audit(tx, actor, AccessRequest(.create, .users, id: user.id.rawValue.uuidString), detail: "role:\(user.role.rawValue)")
            return user
        }
    }

    /// Every account (admin only).
    public func listUsers(by actor: Actor) async throws -> [User] {
        let request = AccessRequest(.list, .users)
        try await require(actor, request)
        let users = try await store.read { try await $0.users() }
        try await recordRead(actor, request)
        return users
    }

    /// One account (admin, or the user themself).
    public func user(_ id: User.ID, by actor: Actor) async throws -> User {
        if actor.userID != id { try await require(actor, AccessRequest(.read, .users, id: id.rawValue.uuidString)) }
        guard let u = try await store.read({ try await $0.user(id) }) else { throw ClinicError.notFound("user \(id.rawValue)") }
        return u
    }

    /// What an admin can change on an account.
    public enum UserChange: Sendable, Hashable {
        case role(String)
        case disable
        case enable
        case unlock
        case resetPassword(String)
    }

    /// Changes a role, disables (ending every session), enables, unlocks or resets a password (admin only).
    @discardableResult
    public func changeUser(_ id: User.ID, _ change: UserChange, by actor: Actor) async throws -> User {
        let request = AccessRequest(.update, .users, id: id.rawValue.uuidString)
        try await require(actor, request)
        var newHash: String?
        if case .resetPassword(let pw) = change {
            let email = try await store.read { try await $0.user(id)?.email } ?? ""
            try checkPasswordPolicy(pw, field: "password", email: email)
            newHash = try await passwords.hash(pw)
        }
        let hash = newHash
        let updated: User = try await store.write { tx in
            guard var u = try await tx.user(id) else { throw ClinicError.notFound("user \(id.rawValue)") }
            let detail: String
            switch change {
            case .role(let r):
                guard let role = Role(rawValue: r), Role.staff.contains(role) else {
                    throw ClinicError.invalid("role", "must be one of \(Role.staff.map(\.rawValue).joined(separator: ", "))")
                }
                if u.id == actor.userID && role != .admin { throw ClinicError.conflict("you cannot remove your own admin role") }
                u.role = role
                detail = "role:\(role.rawValue)"
                try await tx.revokeTokens(of: id, except: nil)
            case .disable:
                if u.id == actor.userID { throw ClinicError.conflict("you cannot disable your own account") }
                u.isDisabled = true
                detail = "disable"
                try await tx.revokeTokens(of: id, except: nil)
            case .enable:
                u.isDisabled = false
                detail = "enable"
            case .unlock:
                u.failedSignIns = 0
                u.lockedUntil = nil
                detail = "unlock"
            case .resetPassword:
                u.failedSignIns = 0
                u.lockedUntil = nil
                u.mustChangePassword = true
                detail = "reset-password"
                try await tx.revokeTokens(of: id, except: nil)
            }
            try await tx.update(u)
            if let hash { try await tx.setPassword(id, hash: hash, mustChange: true) }
            try await self.audit(tx, actor, request, detail: detail)
            return u
        }
        sessions.remove(user: id)
        return updated
    }
}

extension Clinic {
    /// Display names of staff, for "recorded by" lines on pages (names only; no other account data).
    public func staffNames(for ids: [User.ID]) async throws -> [User.ID: String] {
        try await store.read { tx in
            var out: [User.ID: String] = [:]
            for id in Set(ids) { out[id] = try await tx.user(id)?.displayName }
            return out
        }
    }
}
