import ClinicCore
import Foundation

extension ClinicAPI {
    func monitorID(_ text: String) throws -> MonitorDevice.ID {
        guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("monitor \(text)") }
        return MonitorDevice.ID(uuid)
    }

    static func form(_ b: Components.Schemas.MonitorInput) -> MonitorDeviceForm {
        MonitorDeviceForm(name: b.name, sourceAddress: b.sourceAddress, sendingApplication: b.sendingApplication,
                          sendingFacility: b.sendingFacility, chairID: b.chairId ?? "", active: b.active ?? true)
    }

    func listMonitors(_ input: Operations.ListMonitors.Input) async throws -> Operations.ListMonitors.Output {
        .ok(.init(body: .json(try await clinic.monitorDevices(by: try actor()).map(Components.Schemas.Monitor.init))))
    }

    func registerMonitor(_ input: Operations.RegisterMonitor.Input) async throws -> Operations.RegisterMonitor.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        return .created(.init(body: .json(.init(try await clinic.saveMonitorDevice(nil, Self.form(b), by: try actor())))))
    }

    func updateMonitor(_ input: Operations.UpdateMonitor.Input) async throws -> Operations.UpdateMonitor.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let id = try monitorID(input.path.monitorId)
        return .ok(.init(body: .json(.init(try await clinic.saveMonitorDevice(id, Self.form(b), by: try actor())))))
    }

    func issueMonitorToken(_ input: Operations.IssueMonitorToken.Input) async throws -> Operations.IssueMonitorToken.Output {
        let token = try await clinic.issueMonitorToken(try monitorID(input.path.monitorId), by: try actor())
        return .created(.init(body: .json(.init(token: token))))
    }

    func postVitals(_ input: Operations.PostVitals.Input) async throws -> Operations.PostVitals.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let now = clinic.clock.now
        let observations = b.observations.map { o in
            VitalObservation(VitalParameter(rawValue: o.parameter.rawValue) ?? .heartRate, o.value, at: o.observedAt ?? now)
        }
        let raw = (try? String(decoding: JSONEncoder().encode(b), as: UTF8.self)) ?? ""
        let outcome = try await clinic.postVitals(controlID: b.controlId, patientIdentifier: b.patientIdentifier, observations: observations,
                                                  raw: raw, by: try actor())
        switch outcome {
        case .filed(let session): return .ok(.init(body: .json(.init(outcome: .filed, sessionId: session.rawValue.uuidString))))
        case .quarantined(let reason): return .ok(.init(body: .json(.init(outcome: .quarantined, reason: reason))))
        case .duplicate: return .ok(.init(body: .json(.init(outcome: .duplicate))))
        }
    }

    func getRoomBoard(_ input: Operations.GetRoomBoard.Input) async throws -> Operations.GetRoomBoard.Output {
        .ok(.init(body: .json(try await clinic.roomBoard(by: try actor()).map(Components.Schemas.BoardChair.init))))
    }

    func listQuarantine(_ input: Operations.ListQuarantine.Input) async throws -> Operations.ListQuarantine.Output {
        .ok(.init(body: .json(try await clinic.quarantinedMessages(by: try actor()).map {
            .init(sender: $0.sender, controlId: $0.controlID, sourceAddress: $0.sourceAddress, receivedAt: $0.receivedAt, reason: $0.reason)
        })))
    }

    func getSessionMonitoring(_ input: Operations.GetSessionMonitoring.Input) async throws -> Operations.GetSessionMonitoring.Output {
        let record = try await clinic.sessionMonitoring(try sessionID(input.path.sessionId), by: try actor())
        return .ok(.init(body: .json(.init(observations: record.observations.map(Components.Schemas.Observation.init),
                                           alarms: record.alarms.map(Components.Schemas.Alarm.init)))))
    }

    func acknowledgeAlarm(_ input: Operations.AcknowledgeAlarm.Input) async throws -> Operations.AcknowledgeAlarm.Output {
        let id = try sessionID(input.path.sessionId)
        _ = try await clinic.acknowledgeAlarm(session: id, sequence: input.path.sequence, by: try actor())
        let record = try await clinic.sessionMonitoring(id, by: try actor())
        guard let alarm = record.alarms.first(where: { $0.id.sequence == input.path.sequence }) else { throw ClinicError.notFound("alarm") }
        return .ok(.init(body: .json(.init(alarm))))
    }
}

extension Components.Schemas.Monitor {
    init(_ d: MonitorDevice) {
        self.init(id: d.id.rawValue.uuidString, name: d.name, sourceAddress: d.sourceAddress, sendingApplication: d.sendingApplication,
                  sendingFacility: d.sendingFacility, chairId: d.chairID?.rawValue.uuidString, active: d.active, hasApiToken: d.accountID != nil)
    }
}

extension Components.Schemas.Observation {
    init(_ o: VitalObservation) {
        self.init(parameter: .init(rawValue: o.parameter.rawValue) ?? .heartRate, value: o.value, observedAt: o.observedAt)
    }
}

extension Components.Schemas.Alarm {
    init(_ a: Alarm) {
        self.init(sequence: a.id.sequence, kind: a.kind.rawValue, parameter: .init(rawValue: a.parameter.rawValue) ?? .heartRate,
                  priority: .init(rawValue: a.priority.rawValue) ?? .high, message: a.message, value: a.value, raisedAt: a.raisedAt,
                  active: a.isActive, acknowledged: a.isAcknowledged, acknowledgedAt: a.acknowledgement?.at,
                  acknowledgedBy: a.acknowledgement?.by.rawValue.uuidString, escalatedAt: a.escalatedAt, clearedAt: a.clearedAt)
    }
}

extension Components.Schemas.BoardChair {
    init(_ c: RoomBoardChair) {
        self.init(chairId: c.chair.id.rawValue.uuidString, chairName: c.chair.name, room: c.roomName, monitorId: c.device?.id.rawValue.uuidString,
                  sessionId: c.occupancy?.sessionID.rawValue.uuidString, patientId: c.occupancy?.patientID.rawValue.uuidString,
                  patientName: c.occupancy?.patientName, mrn: c.occupancy?.mrn, state: c.occupancy?.state.rawValue,
                  infusionStartedAt: c.occupancy?.infusionStartedAt,
                  latest: c.latest.values.values.sorted { $0.parameter.rawValue < $1.parameter.rawValue }.map(Components.Schemas.Observation.init),
                  alarms: c.activeAlarms.map(Components.Schemas.Alarm.init))
    }
}
