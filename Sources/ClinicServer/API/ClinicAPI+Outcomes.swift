import ClinicCore
import Foundation

extension ClinicAPI {
    func getPatientOutcomes(_ input: Operations.GetPatientOutcomes.Input) async throws -> Operations.GetPatientOutcomes.Output {
        let o = try await clinic.patientOutcomes(try patientID(input.path.patientId), by: try actor())
        let r = o.relief
        return .ok(.init(body: .json(.init(
            patientId: o.patient.id.rawValue.uuidString, baselinePain: r.baseline, responder: r.responder, onset: r.onset,
            reliefDays: r.duration?.days, reliefEnded: r.duration?.ended, latestChangePercent: r.latestChangePercent,
            latestBand: r.latestBand?.rawValue, explanation: r.explanation, definitions: o.settings.relief.summary,
            booster: .init(advice: o.booster.advice.rawValue, title: o.booster.advice.title, plannedDate: o.booster.plannedDate?.description,
                           suggestedDate: o.booster.suggestedDate?.description, acceptedDate: o.acceptedBooster?.date.description,
                           reasons: o.booster.reasons),
            records: o.records.map { Components.Schemas.OutcomeRecord($0) },
            due: o.due.map { d in
                .init(timepoint: d.timepoint.key, timepointLabel: d.timepoint.label, instruments: d.instruments.map(\.rawValue),
                      dueOn: d.dueOn.description, status: .init(rawValue: d.status.rawValue) ?? .upcoming)
            },
            openTasks: o.tasks.filter(\.isOpen).count))))
    }

    func recordOutcomes(_ input: Operations.RecordOutcomes.Input) async throws -> Operations.RecordOutcomes.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        var answers: [Instrument: [String: String]] = [:]
        var errors = FieldErrors()
        for (key, items) in b.answers.additionalProperties {
            guard let instrument = Instrument(rawValue: key) else {
                errors.add("answers.\(key)", "Unknown instrument; use one of \(Instrument.allCases.map(\.rawValue).joined(separator: ", ")).")
                continue
            }
            answers[instrument] = items.additionalProperties.mapValues(String.init)
        }
        try errors.throwIfAny()
        let takenAt = b.takenAt.map { d -> String in
            let tz = clinic.settings.timeZone
            var c = Calendar(identifier: .gregorian)
            c.timeZone = tz
            let p = c.dateComponents([.hour, .minute], from: d)
            return "\(CalendarDate(d, in: tz))T\(String(format: "%02d:%02d", p.hour ?? 0, p.minute ?? 0))"
        } ?? ""
        let form = OutcomeEntryForm(timepoint: b.timepoint, takenAt: takenAt, source: b.source.flatMap { OutcomeRecord.Source(rawValue: $0.rawValue) } ?? .clinic,
                                    sessionID: try b.sessionId.map { guard let u = UUID(uuidString: $0) else { throw ClinicError.invalid("sessionId", "Not a session id.") }; return InfusionSession.ID(u) },
                                    answers: answers)
        let record = try await clinic.recordOutcomes(for: try patientID(input.path.patientId), form, by: try actor())
        return .created(.init(body: .json(.init(record))))
    }

    func issueFollowUpLink(_ input: Operations.IssueFollowUpLink.Input) async throws -> Operations.IssueFollowUpLink.Output {
        var timepoint: String?
        if case .json(let b)? = input.body { timepoint = b.timepoint }
        let issued = try await clinic.issueFollowUpLink(for: try patientID(input.path.patientId), timepoint: timepoint, by: try actor())
        return .created(.init(body: .json(.init(id: issued.link.id.rawValue.uuidString, path: issued.path, token: issued.token,
                                                 timepoint: issued.link.timepoint.key, instruments: issued.link.instruments.map(\.rawValue),
                                                 expiresAt: issued.link.expiresAt))))
    }

    func listOpenTasks(_ input: Operations.ListOpenTasks.Input) async throws -> Operations.ListOpenTasks.Output {
        .ok(.init(body: .json(try await clinic.openClinicianTasks(by: try actor()).map { Components.Schemas.ClinicianTask($0.0) })))
    }

    func acknowledgeTask(_ input: Operations.AcknowledgeTask.Input) async throws -> Operations.AcknowledgeTask.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let uuid = UUID(uuidString: input.path.taskId) else { throw ClinicError.notFound("task \(input.path.taskId)") }
        let task = try await clinic.acknowledgeClinicianTask(ClinicianTask.ID(uuid), note: b.note, by: try actor())
        return .ok(.init(body: .json(.init(task))))
    }

    func getReliefAnalytics(_ input: Operations.GetReliefAnalytics.Input) async throws -> Operations.GetReliefAnalytics.Output {
        let q = input.query
        let filter = try AnalyticsFilter.parse(from: q.from ?? "", to: q.to ?? "", protocolID: q._protocol ?? "")
        let a = try await clinic.clinicAnalytics(filter, by: try actor())
        func rate(_ r: ResponderRate) -> Components.Schemas.ResponderRate {
            .init(group: r.group, patients: r.patients, assessed: r.assessed, responders: r.responders, rate: r.rate)
        }
        return .ok(.init(body: .json(.init(
            byCondition: a.byCondition.map(rate), byProtocol: a.byProtocol.map(rate), overall: rate(a.overall),
            survival: a.survival.map { s in
                .init(group: s.group, episodes: s.episodes, nonResponders: s.nonResponders, medianDays: s.table.median,
                      times: s.table.times, atRisk: s.table.atRisk, events: s.table.events, censored: s.table.censored,
                      survival: s.table.survival, lower: s.table.lower, upper: s.table.upper)
            },
            infusions: a.infusions, definitions: a.definitions))))
    }
}

extension Components.Schemas.OutcomeRecord {
    init(_ r: OutcomeRecord) {
        self.init(id: r.id.rawValue.uuidString, patientId: r.patientID.rawValue.uuidString, timepoint: r.timepoint.key, timepointLabel: r.timepoint.label,
                  takenAt: r.takenAt, source: .init(rawValue: r.source.rawValue) ?? .clinic, sessionId: r.sessionID?.rawValue.uuidString,
                  scores: r.scores.map { s in
                      .init(instrument: s.instrument.rawValue, total: s.total, band: s.band, complete: s.isComplete,
                            requiresSafetyAssessment: s.requiresSafetyAssessment, notes: s.notes)
                  })
    }
}

extension Components.Schemas.ClinicianTask {
    init(_ t: ClinicianTask) {
        self.init(id: t.id.rawValue.uuidString, patientId: t.patientID.rawValue.uuidString, kind: t.kind.rawValue, title: t.kind.title, detail: t.detail,
                  createdAt: t.createdAt, open: t.isOpen, escalatedAt: t.escalatedAt, acknowledgedAt: t.acknowledgedAt,
                  acknowledgedBy: t.acknowledgedBy?.rawValue.uuidString, note: t.acknowledgementNote)
    }
}
