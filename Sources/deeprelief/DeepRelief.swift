import ArgumentParser
import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import Logging

/// Writes a line to standard output at once (unbuffered), also when it is redirected to a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Opens the clinic for one command and always closes its database afterwards.
func withClinic<T: Sendable>(_ config: AppConfig, _ body: (Clinic) async throws -> T) async throws -> T {
    let clinic = try await ServerBuilder.makeClinic(config, logger: Logger(label: "deeprelief"))
    do {
        let result = try await body(clinic)
        try await clinic.store.close()
        return result
    } catch {
        try? await clinic.store.close()
        throw error
    }
}

@main
struct DeepRelief: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deeprelief",
        abstract: "DeepRelief: a ketamine infusion program for chronic pain.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, AuditCommand.self, Simulate.self, Benchmark.self, QRCommand.self],
        defaultSubcommand: Serve.self)
}

struct DatabaseOption: ParsableArguments {
    @Option(help: "A SQLite file path or a postgres:// URL (default: DATABASE_URL, else deeprelief.sqlite).")
    var database: String?

    func config() -> AppConfig {
        var c = AppConfig()
        c.applyEnvironment()
        if let database { c.database = database }
        return c
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the clinic app.")
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var db: DatabaseOption
    @Flag(help: "Fill an empty database with a synthetic demo clinic.") var demo = false
    @Option(name: .customLong("demo-patients"), help: "How many demo patients (with --demo).") var demoPatients = 48
    @Option(name: .customLong("mllp-port"), help: "Port of the MLLP listener for bedside monitors (0 turns it off).") var mllpPort = 2575
    @Option(name: .customLong("mllp-host"), help: "Address the MLLP listener binds (default: the same as --host).") var mllpHost: String?
    @Option(name: .customLong("mllp-tls-cert"), help: "MLLP over TLS: the server's certificate chain (PEM).") var mllpTLSCert: String?
    @Option(name: .customLong("mllp-tls-key"), help: "MLLP over TLS: the server's private key (PEM).") var mllpTLSKey: String?
    @Option(name: .customLong("public-url"), help: "The address patients reach the app at, for follow-up links and QR codes (default: DEEPRELIEF_PUBLIC_URL, else the staff request's host).") var publicURL: String?
    @Option(name: .customLong("clinician-webhook"), help: "Also post urgent-task messages for clinicians to this URL (a pager or chat webhook; default: DEEPRELIEF_CLINICIAN_WEBHOOK).") var clinicianWebhook: String?
    @Option(name: .customLong("mllp-tls-client-ca"), help: "MLLP over TLS: the CA that signs the monitors' client certificates (PEM); required with TLS.") var mllpTLSClientCA: String?

    func run() async throws {
        var config = db.config()
        config.host = host
        config.port = port
        config.mllpPort = mllpPort
        config.mllpHost = mllpHost ?? host
        if let publicURL { config.publicURL = publicURL }
        if let clinicianWebhook { config.clinicianWebhook = clinicianWebhook }
        switch (mllpTLSCert, mllpTLSKey, mllpTLSClientCA) {
        case (nil, nil, nil): break
        case let (cert?, key?, ca?): config.mllpTLS = MLLPTLSFiles(certificate: cert, privateKey: key, clientCA: ca)
        default: throw ValidationError("MLLP over TLS needs --mllp-tls-cert, --mllp-tls-key and --mllp-tls-client-ca together.")
        }
        config.demo = demo
        config.demoPatients = demoPatients
        var logger = Logger(label: "deeprelief")
        logger.logLevel = config.logLevel
        let mllp = mllpPort
        let address = "http://\(host):\(port)"
        let engine = config.isPostgres ? "PostgreSQL" : config.database
        let mllpAddress = "\(config.mllpHost):\(mllpPort)" + (config.mllpTLS == nil ? "" : " (TLS, client certificates required)")
        try await ServerBuilder.serve(config, logger: logger, print: { say($0) }, started: {
            say("DeepRelief is serving at \(address) (database: \(engine))")
            if mllp > 0 { say("Bedside monitors (HL7 v2 over MLLP): \(mllpAddress)") }
        })
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")
    @OptionGroup var db: DatabaseOption

    func run() async throws {
        let store = try await StoreOpener.open(db.config().database, logger: Logger(label: "deeprelief"))
        try await store.close()
        print("Migrations applied.")
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a staff account; the password is read from a prompt or standard input.")
        @Option var email: String
        @Option(help: "admin, physician, nurse, frontDesk or billing") var role: String
        @Option(help: "Display name (default: the e-mail).") var name: String?
        @OptionGroup var db: DatabaseOption

        func run() async throws {
            let password: String
            if isatty(0) != 0 {
                guard let p = getpass("Password for \(email): ").map({ String(cString: $0) }) else { throw ExitCode.failure }
                password = p
            } else {
                password = readLine(strippingNewline: true) ?? ""
            }
            // The command line acts as the operator of the machine, recorded as the all-zero account id.
            let cli = Actor(userID: User.ID(UUID(uuidString: "00000000-0000-0000-0000-000000000000")!), role: .admin, client: "cli")
            do {
                let u = try await withClinic(db.config()) { clinic in
                    try await clinic.createUser(NewUserForm(email: email, displayName: name ?? email, role: role, password: password),
                                                by: cli, mustChangePassword: false)
                }
                print("Added \(u.email) as \(u.role.title).")
            } catch ClinicError.invalid(let errors) {
                for e in errors { FileHandle.standardError.write(Data("\(e.field): \(e.reason)\n".utf8)) }
                throw ExitCode.failure
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every link of the audit chain, its head and its count.")
        @OptionGroup var db: DatabaseOption

        func run() async throws {
            let report = try await withClinic(db.config()) { try await $0.verifyAuditChain() }
            if let failure = report.failure {
                FileHandle.standardError.write(Data("FAILED: \(failure.description)\n".utf8))
                throw ExitCode(2)
            }
            print("Audit chain intact: \(report.entriesChecked) entries verified.")
        }
    }
}
