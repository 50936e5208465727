import ClinicCore
import Foundation

/// Medical-necessity letters through the JSON API: the same `Clinic` calls as the pages.
extension ClinicAPI {
    func letterID(_ text: String) throws -> UUID {
        guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("letter \(text)") }
        return uuid
    }

    func listNecessityLetters(_ input: Operations.ListNecessityLetters.Input) async throws -> Operations.ListNecessityLetters.Output {
        let letters = try await clinic.necessityLetters(for: try patientID(input.path.patientId), by: try actor())
        return .ok(.init(body: .json(letters.map(Components.Schemas.NecessityLetter.init))))
    }

    func draftNecessityLetter(_ input: Operations.DraftNecessityLetter.Input) async throws -> Operations.DraftNecessityLetter.Output {
        var to = ""
        if case .json(let b)? = input.body { to = b.to ?? "" }
        let l = try await clinic.draftNecessityLetter(for: try patientID(input.path.patientId), to: to, by: try actor())
        return .created(.init(body: .json(.init(l))))
    }

    func getNecessityLetter(_ input: Operations.GetNecessityLetter.Input) async throws -> Operations.GetNecessityLetter.Output {
        .ok(.init(body: .json(.init(try await clinic.necessityLetter(try letterID(input.path.letterId), by: try actor()).letter))))
    }

    func editNecessityLetter(_ input: Operations.EditNecessityLetter.Input) async throws -> Operations.EditNecessityLetter.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let l = try await clinic.editNecessityLetter(try letterID(input.path.letterId), body: b.body, to: b.to ?? "", by: try actor())
        return .ok(.init(body: .json(.init(l))))
    }

    func signNecessityLetter(_ input: Operations.SignNecessityLetter.Input) async throws -> Operations.SignNecessityLetter.Output {
        .ok(.init(body: .json(.init(try await clinic.signNecessityLetter(try letterID(input.path.letterId), by: try actor())))))
    }

    func reviseNecessityLetter(_ input: Operations.ReviseNecessityLetter.Input) async throws -> Operations.ReviseNecessityLetter.Output {
        let source: NecessityLetterRevisionSource = input.query.source == .chart ? .chart : .signedText
        return .created(.init(body: .json(.init(try await clinic.reviseNecessityLetter(try letterID(input.path.letterId), from: source, by: try actor())))))
    }
}

extension Components.Schemas.NecessityLetter {
    init(_ l: NecessityLetter) {
        self.init(id: l.id.uuidString, patientId: l.patientID.rawValue.uuidString, seriesId: l.seriesID.uuidString, version: l.version,
                  status: l.isSigned ? .signed : .draft, to: l.to, body: l.body, diagnosisCodes: l.facts.diagnoses.map(\.code.value),
                  mmePerDay: l.facts.mmePerDay, createdAt: l.createdAt, revisedFrom: l.revisedFrom?.uuidString, signedAt: l.signature?.signedAt,
                  signedOn: l.signature?.signedOn.description, signedBy: l.signature?.signedBy.rawValue.uuidString, signerName: l.signature?.name,
                  signerNpi: l.signature?.npi)
    }
}
