import ClinicCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension WebRoutes {
    /// One chair card of the room board (also rendered alone for the board's event stream).
    struct BoardChairCard {
        struct Value {
            let label: String
            let value: String
            let unit: String
            let cls: String
        }
        /// One active alarm with its acknowledge form (the `alarm-list` partial, on the board and the session screen).
        struct AlarmLine {
            let sessionID: String
            let back: String
            let sequence: Int
            let priority: String
            let cls: String
            let message: String
            let action: String
            let since: String
            let acknowledged: String
            let escalated: String
            let needsAck: Bool
            let canAcknowledge: Bool
            let csrf: String

            init(_ a: Alarm, session: String, actions: AlarmActions, timeZone tz: TimeZone, acknowledgedBy: String?, back: String,
                 canAcknowledge: Bool, csrf: String) {
                sessionID = session
                self.back = back
                sequence = a.id.sequence
                priority = a.priority.rawValue
                cls = "alarm-" + a.priority.rawValue
                message = a.message
                action = actions.text(for: a.kind, parameter: a.parameter, priority: a.priority)
                since = WebRoutes.clock(a.raisedAt, tz)
                acknowledged = a.acknowledgement.map { "acknowledged \(WebRoutes.clock($0.at, tz))" + (acknowledgedBy.map { " by \($0)" } ?? "") } ?? ""
                escalated = a.escalatedAt.map { "Escalated \(WebRoutes.clock($0, tz)): charge nurse and physician on duty alerted" } ?? ""
                needsAck = a.priority.needsAcknowledgement && !a.isAcknowledged
                self.canAcknowledge = canAcknowledge
                self.csrf = csrf
            }
        }
        let id: String
        let chair: String
        let room: String
        let device: String
        let hasPatient: Bool
        let patient: String
        let mrn: String
        let sessionHref: String
        let sessionID: String
        let state: String
        let infusionStartedMs: String
        let elapsed: String
        let values: [Value]
        let sparkHeart: String
        let sparkSpO2: String
        let sparkSystolic: String
        let alarms: [AlarmLine]
        let prompts: [String]
        let hasAlarms: Bool
        let hasPrompts: Bool
        let alarmClass: String
        let lastSeen: String
        let canAcknowledge: Bool
        let csrf: String
    }

    struct BoardPage {
        let chrome: PageChrome
        let chairs: [BoardChairCard]
        let quarantined: Int
        let hasQuarantine: Bool
        let canSeeQuarantine: Bool
    }

    /// The live room board: every chair with its patient, state, latest vitals, trend, alarms and elapsed time.
    func boardPage(_ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let board = try await clinic.roomBoard(by: actor)
        let canQuarantine = clinic.access.allows(actor, AccessRequest(.list, .vitalsQuarantine))
        let quarantined = canQuarantine ? try await clinic.quarantineCount() : 0
        let csrf = context.session?.token.csrf ?? ""
        let canAck = clinic.access.allows(actor, AccessRequest(.update, .alarms))
        let model = BoardPage(chrome: chrome("Room board", context, active: "board"),
                              chairs: board.map { card($0, canAcknowledge: canAck, csrf: csrf) },
                              quarantined: quarantined, hasQuarantine: quarantined > 0, canSeeQuarantine: canQuarantine)
        return pages.render("board", model)
    }

    /// A chair's card from the live state.
    func card(_ c: RoomBoardChair, canAcknowledge: Bool, csrf: String) -> BoardChairCard {
        let now = clinic.clock.now
        let tz = clinic.settings.timeZone
        func num(_ p: VitalParameter) -> String {
            guard let v = c.latest.values[p]?.value else { return "–" }
            return v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
        }
        var values = [
            BoardChairCard.Value(label: "HR", value: num(.heartRate), unit: "/min", cls: cls(.heartRate, c)),
            BoardChairCard.Value(label: "SpO₂", value: num(.oxygenSaturation), unit: "%", cls: cls(.oxygenSaturation, c)),
            BoardChairCard.Value(label: "RR", value: num(.respiratoryRate), unit: "/min", cls: cls(.respiratoryRate, c)),
            BoardChairCard.Value(label: "BP", value: num(.systolic) + "/" + num(.diastolic), unit: "mmHg", cls: cls(.systolic, c) + " wide"),
        ]
        if c.latest.values[.endTidalCO2] != nil {
            values.append(.init(label: "EtCO₂", value: num(.endTidalCO2), unit: "mmHg", cls: cls(.endTidalCO2, c)))
        }
        let latestAt = c.latest.values.values.map(\.observedAt).max()
        let started = c.occupancy?.infusionStartedAt
        let session = c.occupancy?.sessionID.rawValue.uuidString ?? ""
        let alarms = c.activeAlarms.sorted { ($0.priority, $0.raisedAt) > ($1.priority, $1.raisedAt) }.map { a in
            BoardChairCard.AlarmLine(a, session: session, actions: c.actions, timeZone: tz, acknowledgedBy: nil, back: "board",
                                     canAcknowledge: canAcknowledge, csrf: csrf)
        }
        return BoardChairCard(
            id: c.chair.id.rawValue.uuidString, chair: c.chair.name, room: c.roomName, device: c.device?.name ?? "no monitor",
            hasPatient: c.occupancy != nil, patient: c.occupancy?.patientName ?? "", mrn: c.occupancy?.mrn ?? "",
            sessionHref: c.occupancy.map { "/sessions/\($0.sessionID.rawValue.uuidString)" } ?? "",
            sessionID: c.occupancy?.sessionID.rawValue.uuidString ?? "", state: c.occupancy?.state.title ?? "free",
            infusionStartedMs: started.map { String(Int64($0.timeIntervalSince1970 * 1000)) } ?? "",
            elapsed: started.map { Self.elapsed(now.timeIntervalSince($0)) } ?? "",
            values: values,
            sparkHeart: Sparkline.svg(c.latest.trends[.heartRate] ?? [], label: "heart rate trend"),
            sparkSpO2: Sparkline.svg(c.latest.trends[.oxygenSaturation] ?? [], label: "SpO₂ trend"),
            sparkSystolic: Sparkline.svg(c.latest.trends[.systolic] ?? [], label: "systolic trend"),
            alarms: alarms, prompts: c.prompts.map(\.message), hasAlarms: !alarms.isEmpty, hasPrompts: !c.prompts.isEmpty,
            alarmClass: c.worstPriority.map { "chair-" + $0.rawValue } ?? "",
            lastSeen: latestAt.map { "last value " + Self.clock($0, tz) } ?? (c.device == nil ? "" : "no values yet"),
            canAcknowledge: canAcknowledge, csrf: csrf)
    }

    func cls(_ p: VitalParameter, _ c: RoomBoardChair) -> String {
        let related: Set<VitalParameter> = p == .systolic ? [.systolic, .diastolic, .meanPressure] : [p]
        guard let worst = c.activeAlarms.filter({ related.contains($0.parameter) }).map(\.priority).max() else { return "" }
        return "v-" + worst.rawValue
    }

    static func clock(_ d: Date, _ tz: TimeZone) -> String { time(d, tz, format: "HH:mm:ss") }

    static func elapsed(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    /// Acknowledges an alarm from the board or the session screen, then goes back there.
    func acknowledgeAlarmPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, context: context)
        guard let session = UUID(uuidString: form["session"]), let sequence = Int(form["alarm"]) else {
            throw ClinicError.invalid("alarm", "Choose an alarm to acknowledge.")
        }
        _ = try await clinic.acknowledgeAlarm(session: InfusionSession.ID(session), sequence: sequence, by: try context.actor())
        let back = form["back"] == "session" ? "/sessions/\(session.uuidString)" : "/board"
        return .redirect(to: back, type: .found)
    }

    /// Server-Sent Events for the board: a rendered chair card whenever that chair changes (alarms at once, values at
    /// most four times a second per chair), and a heartbeat every 15 s that also ends the stream if the sign-in ended.
    func boardEvents(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let setup = try await clinic.boardSetup(by: actor)
        _ = try await clinic.roomBoard(by: actor)   // the audited read that opens the stream
        let canAck = clinic.access.allows(actor, AccessRequest(.update, .alarms))
        let csrf = context.session?.token.csrf ?? ""
        let token = context.rawToken ?? ""
        let clinic = self.clinic
        let routes = self
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        enum Tick: Sendable { case event(MonitoringEvent), tick }
        let (merged, input) = AsyncStream<Tick>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let events = clinic.monitoring.subscribe()
        let forward = Task { for await e in events { input.yield(.event(e)) }; input.finish() }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                input.yield(.tick)
            }
        }
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer {
                forward.cancel()
                ticker.cancel()
                input.finish()
            }
            func send(_ chair: Chair.ID) async throws {
                guard let c = clinic.roomBoardChair(chair, setup: setup) else { return }
                let html = routes.pages.library.render(routes.card(c, canAcknowledge: canAck, csrf: csrf), withTemplate: "board-chair") ?? ""
                let payload = try JSONSerialization.data(withJSONObject: ["id": chair.rawValue.uuidString, "html": html])
                try await writer.write(ByteBuffer(string: "event: chair\ndata: " + String(decoding: payload, as: UTF8.self) + "\n\n"))
            }
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var pending = Set<Chair.ID>()
            var lastSent: [Chair.ID: ContinuousClock.Instant] = [:]
            var lastBeat = ContinuousClock.now
            let clock = ContinuousClock()
            stream: for await item in merged {
                switch item {
                case .event(.alarm(_, let chair?)):
                    pending.remove(chair)
                    lastSent[chair] = clock.now
                    try await send(chair)
                case .event(.chairChanged(let chair)):
                    if let last = lastSent[chair], clock.now - last < .milliseconds(250) {
                        pending.insert(chair)
                    } else {
                        lastSent[chair] = clock.now
                        try await send(chair)
                    }
                case .event(.quarantined):
                    try await writer.write(ByteBuffer(string: "event: quarantine\ndata: {}\n\n"))
                case .event(.alarm(_, nil)):
                    break
                case .tick:
                    for chair in pending {
                        lastSent[chair] = clock.now
                        try await send(chair)
                    }
                    pending.removeAll()
                    if clock.now - lastBeat > .seconds(15) {
                        lastBeat = clock.now
                        // The stream lives only as long as the sign-in behind it.
                        guard (try? await clinic.authenticate(token: token)) ?? nil != nil else { break stream }
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    }
                }
            }
            try await writer.finish(nil)
        })
    }
}

/// A trend line as a small SVG the server draws itself (numbers only; the label is escaped).
enum Sparkline {
    static func svg(_ values: [Double], label: String, width: Double = 120, height: Double = 28) -> String {
        guard values.count >= 2, let lo = values.min(), let hi = values.max() else {
            return "<svg class=\"spark\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label)): not enough values yet\"></svg>"
        }
        let span = max(hi - lo, 1)
        let step = width / Double(values.count - 1)
        let points = values.enumerated().map { i, v in
            String(format: "%.1f,%.1f", Double(i) * step, height - 2 - (v - lo) / span * (height - 4))
        }.joined(separator: " ")
        return "<svg class=\"spark\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
            + "<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"\(points)\"/></svg>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
