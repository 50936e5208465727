import ClinicCore
import Foundation
import Hummingbird
import NIOCore
import OpenAPIRuntime
import Synchronization

/// `GET /api/v1/patients/{patientId}` — the hottest read — answered with the same access check, audit record and
/// generated response type as the OpenAPI handler (`ClinicAPI.getPatient`), but with the encoded JSON kept per
/// version of what it shows, so a repeated read of an unchanged chart costs no mapping and no JSON encoding.
///
/// The cache key holds everything the response is made of: the patient's id and revision (every edit bumps it), which
/// sections the role may see and the latest screening with its status as of now (status expires with time). The
/// bytes are those `ClinicAPI` would produce: same generated type, same encoder settings (compact, ISO 8601 dates) —
/// a test checks the two are the same JSON document for every role.
struct PatientChartFastPath: RouterMiddleware {
    typealias Context = ClinicRequestContext
    let clinic: Clinic
    let cache = EncodedChartCache()

    static let prefix = "/api/v1/patients/"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, let id = Self.patientID(in: request.uri.path), request.uri.query == nil else {
            return try await next(request, context)
        }
        let chart = try await clinic.chart(id, by: try context.actor(), withHistory: false)
        let key = EncodedChartCache.Key(chart)
        let body: ByteBuffer
        if let hit = cache.get(key) {
            body = hit
        } else {
            body = ByteBuffer(bytes: try Self.encode(chart))
            cache.put(key, body)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// The patient id when the path is exactly `/api/v1/patients/{uuid}`.
    static func patientID(in path: String) -> Patient.ID? {
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.utf8.dropFirst(prefix.utf8.count)
        guard rest.count == 36, let uuid = UUID(uuidString: String(Substring(rest))) else { return nil }
        return Patient.ID(uuid)
    }

    /// The chart as the generated API type, encoded as the OpenAPI runtime encodes it for `ClinicAPI` (no output
    /// formatting options, dates through the runtime's ISO 8601 transcoder).
    static func encode(_ chart: PatientChart) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = []
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try ISO8601DateTranscoder.iso8601.encode(date))
        }
        return try encoder.encode(Components.Schemas.PatientChart(chart))
    }
}

/// Encoded chart responses by what they show; bounded, cleared when full.
final class EncodedChartCache: Sendable {
    /// Everything `Components.Schemas.PatientChart.init(_:)` reads from a chart.
    struct Key: Hashable, Sendable {
        var patient: Patient.ID
        var revision: Int
        var updatedAt: Date
        var showsDiagnoses: Bool
        var showsClinical: Bool
        var screeningStatus: ScreeningStatus?
        var latestScreening: Screening.ID?

        init(_ chart: PatientChart) {
            patient = chart.patient.id
            revision = chart.patient.revision
            updatedAt = chart.patient.updatedAt
            showsDiagnoses = chart.diagnoses != nil
            showsClinical = chart.clinical != nil
            screeningStatus = chart.screeningStatus
            latestScreening = chart.screenings?.first?.id
        }
    }

    private let entries = Mutex<[Key: ByteBuffer]>([:])
    let capacity = 20_000

    func get(_ key: Key) -> ByteBuffer? { entries.withLock { $0[key] } }

    func put(_ key: Key, _ body: ByteBuffer) {
        entries.withLock { e in
            if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            e[key] = body
        }
    }
}
