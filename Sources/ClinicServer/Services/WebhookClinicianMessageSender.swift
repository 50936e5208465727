import ClinicCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends clinician messages to the clinic's pager or chat webhook (`--clinician-webhook URL` or
/// `DEEPRELIEF_CLINICIAN_WEBHOOK`) as a small JSON document: who it is for, why, the text and the task id — no
/// patient name or clinical value, so the message can cross a third-party service. Any answer other than 2xx is a
/// failed delivery, recorded on the message; the in-app copy and the task stay either way.
struct WebhookClinicianMessageSender: ClinicianMessageSender {
    let url: URL
    let session: URLSession
    var route: String { "webhook" }

    init(url: URL, timeout: TimeInterval = 10) {
        self.url = url
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        self.session = URLSession(configuration: configuration)
    }

    struct Payload: Encodable {
        let messageId: String
        let to: String
        let reason: String
        let text: String
        let taskId: String
        let createdAt: Date
    }

    func send(_ message: ClinicianMessage) async throws {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        request.httpBody = try encoder.encode(Payload(messageId: message.id.rawValue.uuidString, to: message.to.rawValue.uuidString,
                                                      reason: message.reason.rawValue, text: message.text,
                                                      taskId: message.taskID.rawValue.uuidString, createdAt: message.createdAt))
        let (_, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
            throw ClinicError.conflict("webhook answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
    }
}
