import ClinicCore
import Foundation
import Hummingbird

/// The staff web pages: each handler makes one `Clinic` call, builds a page model and renders its template.
struct WebRoutes: Sendable {
    let clinic: Clinic
    let pages: PageRenderer
    let metrics: ClinicMetrics
    let secureCookies: Bool
    /// The address patients reach the app at, for follow-up links (nil: the request's host).
    var publicURL: String? = nil

    func register(on router: Router<ClinicRequestContext>) {
        router.get("/") { _, context in
            context.session == nil ? Response.redirect(to: "/sign-in") : Response.redirect(to: "/patients")
        }
        router.get("/static/app.css") { _, _ in Self.staticFile(StaticAssets.css, type: "text/css; charset=utf-8") }
        router.get("/static/app.js") { _, _ in Self.staticFile(StaticAssets.js, type: "text/javascript; charset=utf-8") }
        router.get("/static/board.js") { _, _ in Self.staticFile(StaticAssets.boardJS, type: "text/javascript; charset=utf-8") }

        router.get("/sign-in") { request, context in signInPage(next: request.uri.queryParameters["next"].map(String.init) ?? "/patients", email: "", error: "", context: context) }
        router.post("/sign-in") { request, context in try await signIn(request, context) }
        router.post("/sign-out") { request, context in try await signOut(request, context) }

        router.get("/patients") { request, context in try await patientList(request, context) }
        router.get("/patients/new") { _, context in try await patientForm(id: nil, form: PatientForm(), errors: [:], duplicates: [], context: context) }
        router.post("/patients/new") { request, context in try await createPatient(request, context) }
        router.get("/patients/{id}") { _, context in try await chartPage(context) }
        router.get("/patients/{id}/edit") { _, context in try await editPatientPage(context) }
        router.post("/patients/{id}/edit") { request, context in try await updatePatient(request, context) }
        router.get("/patients/{id}/screenings/new") { _, context in try await screeningFormPage(context, form: nil, errors: [:]) }
        router.post("/patients/{id}/screenings/new") { request, context in try await screen(request, context) }
        router.get("/screenings/{id}") { _, context in try await screeningPage(context, errors: [:], flash: "") }
        router.post("/screenings/{id}/clearances") { request, context in try await screeningStep(request, context, step: "clearance") }
        router.post("/screenings/{id}/sign-off") { request, context in try await screeningStep(request, context, step: "sign-off") }
        router.post("/screenings/{id}/override") { request, context in try await screeningStep(request, context, step: "override") }

        router.get("/patients/{id}/plans/new") { _, context in try await planFormPage(context) }
        router.post("/patients/{id}/plans/new") { request, context in try await createPlan(request, context) }
        router.get("/plans/{id}") { _, context in try await planPage(context) }
        router.post("/plans/{id}/sign") { request, context in try await signPlan(request, context) }
        router.get("/schedule") { request, context in try await dayBoardPage(request, context) }
        router.get("/schedule/week") { request, context in try await weekPage(request, context) }
        router.get("/schedule/setup") { _, context in try await setupPage(context) }
        router.post("/schedule/setup") { request, context in try await saveSetupPage(request, context) }
        router.post("/schedule/shifts") { request, context in try await addShiftPage(request, context) }
        router.post("/appointments/{id}") { request, context in try await changeAppointmentPage(request, context) }
        router.get("/plans/{id}/book") { request, context in try await bookPage(request, context) }
        router.post("/plans/{id}/book") { request, context in try await bookSeriesPage(request, context) }
        router.post("/appointments/{id}/check-in") { request, context in try await checkInPage(request, context) }
        router.get("/board") { _, context in try await boardPage(context) }
        router.get("/board/events") { request, context in try await boardEvents(request, context) }
        router.post("/board/alarms/acknowledge") { request, context in try await acknowledgeAlarmPage(request, context) }
        router.get("/monitoring/devices") { _, context in try await monitorsPage(context) }
        router.post("/monitoring/devices") { request, context in try await saveMonitorPage(request, context) }
        router.post("/monitoring/devices/{id}") { request, context in try await saveMonitorPage(request, context) }
        router.post("/monitoring/alarm-settings") { request, context in try await saveAlarmSettingsPage(request, context) }
        router.get("/monitoring/quarantine") { _, context in try await quarantinePage(context) }
        router.post("/monitoring/quarantine") { request, context in try await resolveQuarantinePage(request, context) }
        router.get("/sessions/{id}") { _, context in try await sessionPage(context) }
        router.post("/sessions/{id}/thresholds") { request, context in try await changeThresholdsPage(request, context) }
        router.get("/sessions/{id}/instructions") { _, context in try await instructionsPage(context) }
        for action in ["checklist", "start", "rate", "pause", "resume", "complete", "stop", "transfer", "vitals", "side-effect", "aldrete",
                       "leave-chair", "padss", "discharge", "amend", "preparation", "iv-site", "sedation", "dissociation", "deviation", "response", "waste"] {
            router.post(RouterPath("/sessions/{id}/\(action)")) { request, context in try await sessionAction(request, context, action: action) }
        }
        router.get("/register") { _, context in try await registerPage(context) }
        router.post("/register/receipts") { request, context in try await receiveVialsPage(request, context) }
        router.post("/register/settings") { request, context in try await saveRegisterSettingsPage(request, context) }
        router.post("/register/discrepancies/{id}/resolve") { request, context in try await resolveDiscrepancyPage(request, context) }
        router.get("/register/count") { _, context in try await countFormPage(context) }
        router.post("/register/count") { request, context in try await recordCountPage(request, context) }
        router.get("/register/counts/{id}") { request, context in try await countPage(request, context) }
        router.get("/register/vials/{id}") { _, context in try await vialPage(context) }
        router.post("/register/vials/{id}/waste") { request, context in try await wasteFromVialPage(request, context) }
        router.get("/register/log") { request, context in try await registerLogPage(request, context) }
        router.get("/protocols") { _, context in try await protocolListPage(context) }
        router.get("/protocols/{id}") { _, context in try await protocolPage(context) }
        router.post("/protocols/{id}") { request, context in try await reviseProtocol(request, context) }
        router.post("/protocols/{id}/thresholds") { request, context in try await changeProtocolThresholdsPage(request, context) }

        router.get("/admin/users") { _, context in try await usersPage(context, errors: [:], form: nil, flash: "") }
        router.post("/admin/users") { request, context in try await createUser(request, context) }
        router.post("/admin/users/{id}") { request, context in try await changeUser(request, context) }
        router.get("/admin/audit") { request, context in try await auditPage(request, context) }

        registerOutcomes(on: router)
        registerFollowUpForm(on: router)
        registerAnalytics(on: router)
        registerBilling(on: router)
        registerCoverage(on: router)
        registerRegisterForms(on: router)
        registerLetters(on: router)
        registerStatement(on: router)
        registerSelfPay(on: router)
        router.get("/account") { _, context in try await accountPage(context, errors: [:], flash: "") }
        router.get("/account/password") { _, context in try await accountPage(context, errors: [:], flash: "") }
        router.post("/account/password") { request, context in try await changePassword(request, context) }
    }

    static func staticFile(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func chrome(_ title: String, _ context: ClinicRequestContext, active: String, flash: String = "") -> PageChrome {
        PageChrome(title: title, session: context.session, csrf: context.session?.token.csrf ?? "", active: active, flash: flash)
    }

    func patientID(_ context: ClinicRequestContext) throws -> Patient.ID {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("patient") }
        return Patient.ID(uuid)
    }

    func screeningID(_ context: ClinicRequestContext) throws -> Screening.ID {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("screening") }
        return Screening.ID(uuid)
    }

    static func errorMap(_ error: ClinicError) -> [String: String]? {
        guard case .invalid(let list) = error else { return nil }
        var out: [String: String] = [:]
        for e in list { out[e.field] = out[e.field].map { $0 + "; " + e.reason } ?? e.reason }
        return out
    }

    // MARK: - Sign-in

    struct SignInPage {
        let chrome: PageChrome
        let next: String
        let email: String
        let error: String
    }

    func signInPage(next: String, email: String, error: String, context: ClinicRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let safeNext = Self.localPath(next)
        return pages.render("sign-in", SignInPage(chrome: PageChrome(title: "Sign in", session: nil, csrf: "", active: ""),
                                                  next: safeNext, email: email, error: error), status: status)
    }

    func signIn(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, context: context, checkCSRF: false)
        let next = Self.localPath(form["next"])
        do {
            let s = try await clinic.signIn(email: form["email"], password: form["password"], kind: .browser, client: context.client)
            var response = Response.redirect(to: s.user.mustChangePassword ? "/account/password" : next)
            response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: s.token, path: "/", secure: secureCookies,
                                      httpOnly: true, sameSite: .lax))
            return response
        } catch .unknownAccount {
            metrics.unknownAccountSignIn(client: context.client)
            return signInPage(next: next, email: form["email"], error: "The e-mail or password is not right.", context: context, status: .unauthorized)
        } catch .rejected(let e) {
            let message: String
            if case .accountLocked(let until) = e {
                message = "This account is locked after too many failed sign-ins. Try again after \(Self.time(until, clinic.settings.timeZone)) or ask an administrator to unlock it."
            } else {
                message = "The e-mail or password is not right."
            }
            return signInPage(next: next, email: form["email"], error: message, context: context, status: .unauthorized)
        }
    }

    func signOut(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        _ = try await WebForm.read(request, context: context)
        if let raw = context.rawToken { try await clinic.signOut(token: raw, actor: try context.actor()) }
        var response = Response.redirect(to: "/sign-in")
        response.setCookie(AuthenticationMiddleware.expiredCookie)
        return response
    }

    /// A path on this site to return to after sign-in, never another site (`//host`, `/\\host` or a scheme).
    static func localPath(_ next: String) -> String {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("://"),
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return "/patients" }
        return next
    }

    static func time(_ date: Date, _ tz: TimeZone, format: String = "yyyy-MM-dd HH:mm") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = tz
        f.dateFormat = format
        return f.string(from: date)
    }
}
