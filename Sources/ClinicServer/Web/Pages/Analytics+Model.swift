import ClinicCore
import Foundation
import Hummingbird

/// Clinic analytics for physicians and administrators: responder rates, the Kaplan–Meier curve of duration of relief,
/// side-effect incidence and opioid change, with filters and a CSV export of every table.
extension WebRoutes {
    func registerAnalytics(on router: Router<ClinicRequestContext>) {
        router.get("/analytics") { request, context in try await analyticsPage(request, context) }
        router.get("/analytics/{table}") { request, context in try await analyticsCSV(request, context) }
    }

    static let analyticsTables = ["responders-by-condition", "responders-by-protocol", "relief-survival", "side-effects", "opioids"]

    struct AnalyticsPage {
        struct RateRow {
            let group: String
            let patients: Int
            let assessed: Int
            let responders: Int
            let rate: String
        }
        struct SurvivalRow {
            let group: String
            let episodes: Int
            let events: Int
            let nonResponders: Int
            let median: String
        }
        struct EffectRow {
            let kind: String
            let count: Int
            let per100: String
        }
        struct Export {
            let href: String
            let label: String
        }
        let chrome: PageChrome
        let fields: [FormField]
        let overall: RateRow
        let byCondition: [RateRow]
        let byProtocol: [RateRow]
        let survivalChart: String
        let survival: [SurvivalRow]
        let hasSurvival: Bool
        let infusions: Int
        let effects: [EffectRow]
        let hasEffects: Bool
        let mme: String
        let mmeNote: String
        let definitions: [String]
        let exports: [Export]
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    static func rateRow(_ r: ResponderRate) -> AnalyticsPage.RateRow {
        AnalyticsPage.RateRow(group: r.group, patients: r.patients, assessed: r.assessed, responders: r.responders,
                              rate: r.rate.map { Format.decimal($0 * 100, places: 0) + " %" } ?? "–")
    }

    static func medianText(_ t: KaplanMeierTable) -> String {
        t.median.map { "\($0) days" } ?? "not reached"
    }

    func analyticsFilter(_ request: Request) throws -> (AnalyticsFilter, [String: String]) {
        let q = request.uri.queryParameters
        let values = ["from": q["from"].map(String.init) ?? "", "to": q["to"].map(String.init) ?? "", "protocol": q["protocol"].map(String.init) ?? ""]
        return (try AnalyticsFilter.parse(from: values["from"]!, to: values["to"]!, protocolID: values["protocol"]!), values)
    }

    func analyticsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        var errors: [String: String] = [:]
        var filter = AnalyticsFilter()
        let q = request.uri.queryParameters
        let values = ["from": q["from"].map(String.init) ?? "", "to": q["to"].map(String.init) ?? "", "protocol": q["protocol"].map(String.init) ?? ""]
        do { filter = try analyticsFilter(request).0 } catch let e as ClinicError { errors = Self.errorMap(e) ?? [:] }
        let a = try await clinic.clinicAnalytics(filter, by: actor)
        let protocols = try await clinic.protocols(by: actor)
        let query = errors.isEmpty ? values.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&") : ""
        let model = AnalyticsPage(
            chrome: chrome("Clinic analytics", context, active: "analytics"),
            fields: [
                FormField("from", "First infusion from", value: values["from"]!, type: "date", errors: errors),
                FormField("to", "to", value: values["to"]!, type: "date", errors: errors),
                FormField("protocol", "Protocol", value: values["protocol"]!, errors: errors,
                          options: [("", "All protocols")] + protocols.map { ($0.id.rawValue.uuidString, $0.name) }),
            ],
            overall: Self.rateRow(a.overall), byCondition: a.byCondition.map(Self.rateRow), byProtocol: a.byProtocol.map(Self.rateRow),
            survivalChart: OutcomeChartBuilder.survival(a.survival),
            survival: a.survival.map { s in
                AnalyticsPage.SurvivalRow(group: s.group, episodes: s.episodes, events: s.table.totalEvents, nonResponders: s.nonResponders,
                                          median: Self.medianText(s.table))
            },
            hasSurvival: !a.survival.isEmpty, infusions: a.infusions,
            effects: a.sideEffects.map { AnalyticsPage.EffectRow(kind: $0.kind, count: $0.count, per100: Format.decimal($0.per100Infusions, places: 1)) },
            hasEffects: !a.sideEffects.isEmpty,
            mme: a.mme.meanChange.map { c in
                "Mean \(Format.decimal(a.mme.meanBaseline!, places: 1)) → \(Format.decimal(a.mme.meanLatest!, places: 1)) MME/day (\(c >= 0 ? "+" : "")\(Format.decimal(c, places: 1))) across \(a.mme.patients) patient(s) taking opioids at baseline"
            } ?? "No patient with opioids at baseline in this selection.",
            mmeNote: a.mme.withUncounted > 0 ? "\(a.mme.withUncounted) patient(s) also take an opioid with no CDC conversion factor: it is left out of their totals, never counted as 0." : "",
            definitions: a.definitions,
            exports: Self.analyticsTables.map { AnalyticsPage.Export(href: "/analytics/\($0).csv" + (query.isEmpty ? "" : "?" + query), label: $0) },
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty)
        return pages.render("analytics", model, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func analyticsCSV(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        guard let file = context.parameters.get("table"), file.hasSuffix(".csv"),
              Self.analyticsTables.contains(String(file.dropLast(4))) else { throw ClinicError.notFound("analytics table") }
        let table = String(file.dropLast(4))
        let a = try await clinic.clinicAnalytics(try analyticsFilter(request).0, by: actor)
        let csv = Self.analyticsCSV(table, a)
        return Self.csvResponse(csv, filename: "deeprelief-\(table).csv")
    }

    /// One analytics table as RFC 4180 CSV (CRLF line ends; fields with commas, quotes or line breaks quoted).
    static func analyticsCSV(_ table: String, _ a: ClinicAnalytics) -> String {
        func field(_ s: String) -> String { csvField(s) }
        var rows: [[String]] = []
        switch table {
        case "responders-by-condition", "responders-by-protocol":
            rows.append(["group", "patients", "assessed", "responders", "responder_rate"])
            for r in (table == "responders-by-condition" ? a.byCondition : a.byProtocol) + [a.overall] {
                rows.append([r.group, "\(r.patients)", "\(r.assessed)", "\(r.responders)", r.rate.map { "\($0)" } ?? ""])
            }
        case "relief-survival":
            rows.append(["group", "time_days", "at_risk", "events", "censored", "survival", "lower_95", "upper_95"])
            for s in a.survival {
                let t = s.table
                for i in t.times.indices {
                    rows.append([s.group, "\(t.times[i])", "\(t.atRisk[i])", "\(t.events[i])", "\(t.censored[i])", "\(t.survival[i])", "\(t.lower[i])", "\(t.upper[i])"])
                }
            }
        case "side-effects":
            rows.append(["kind", "count", "per_100_infusions", "infusions"])
            for e in a.sideEffects { rows.append([e.kind, "\(e.count)", "\(e.per100Infusions)", "\(a.infusions)"]) }
        default:
            rows.append(["patients", "mean_baseline_mme_per_day", "mean_latest_mme_per_day", "mean_change", "patients_with_uncounted_opioids"])
            rows.append(["\(a.mme.patients)", a.mme.meanBaseline.map { "\($0)" } ?? "", a.mme.meanLatest.map { "\($0)" } ?? "",
                         a.mme.meanChange.map { "\($0)" } ?? "", "\(a.mme.withUncounted)"])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
