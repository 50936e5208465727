import ClinicCore
import Foundation

extension ClinicAPI {
    func listProtocols(_ input: Operations.ListProtocols.Input) async throws -> Operations.ListProtocols.Output {
        .ok(.init(body: .json(try await clinic.protocols(by: try actor()).map(Components.Schemas._Protocol.init))))
    }

    func listProtocolVersions(_ input: Operations.ListProtocolVersions.Input) async throws -> Operations.ListProtocolVersions.Output {
        let id = try protocolID(input.path.protocolId)
        return .ok(.init(body: .json(try await clinic.protocolHistory(id, by: try actor()).map(Components.Schemas._Protocol.init))))
    }

    func reviseProtocol(_ input: Operations.ReviseProtocol.Input) async throws -> Operations.ReviseProtocol.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let id = try protocolID(input.path.protocolId)
        let a = try actor()
        let current = try await clinic.protocolHistory(id, by: a).last!
        var form = ProtocolForm(current)
        func text(_ v: Double?) -> String { v.map(Format.shortest) ?? "" }
        form.name = b.name
        form.dosingKind = b.dosingKind.rawValue
        form.doseValue = Format.shortest(b.doseValue)
        form.doseOverMinutes = b.doseOverMinutes.map(String.init) ?? ""
        form.absoluteRateCapMgPerHour = text(b.absoluteRateCapMgPerHour)
        form.durationMinutes = String(b.durationMinutes)
        form.inductionInfusions = String(b.inductionInfusions)
        form.minimumSpacingHours = b.minimumSpacingHours.map(String.init) ?? ""
        form.boosterIntervalDays = b.boosterIntervalDays.map(String.init) ?? ""
        let l = b.limits
        form.softRateMgPerKgPerHour = text(l?.softRateMgPerKgPerHour)
        form.hardRateMgPerKgPerHour = text(l?.hardRateMgPerKgPerHour)
        form.softRateMgPerHour = text(l?.softRateMgPerHour)
        form.hardRateMgPerHour = text(l?.hardRateMgPerHour)
        form.softTotalMgPerKg = text(l?.softTotalMgPerKg)
        form.hardTotalMgPerKg = text(l?.hardTotalMgPerKg)
        form.softTotalMg = text(l?.softTotalMg)
        form.hardTotalMg = text(l?.hardTotalMg)
        form.reason = b.reason
        let next = try await clinic.reviseProtocol(id, form, expectedVersion: b.expectedVersion, by: a)
        return .ok(.init(body: .json(.init(next))))
    }

    func protocolID(_ text: String) throws -> InfusionProtocol.ID {
        guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("protocol \(text)") }
        return InfusionProtocol.ID(uuid)
    }
}

extension Components.Schemas._Protocol {
    init(_ p: InfusionProtocol) {
        let form = ProtocolForm(p)
        func mg(_ s: String) -> Double? { Double(s) }
        self.init(
            id: p.id.rawValue.uuidString, version: p.version, name: p.name,
            dosingKind: .init(rawValue: form.dosingKind) ?? .weightBasedRate, doseValue: mg(form.doseValue) ?? 0,
            doseOverMinutes: Int(form.doseOverMinutes), dosingSummary: p.dosing.summary,
            absoluteRateCapMgPerHour: mg(form.absoluteRateCapMgPerHour), durationMinutes: p.durationMinutes,
            inductionInfusions: p.inductionInfusions, minimumSpacingHours: p.minimumSpacingHours, seriesPattern: p.seriesPattern.rawValue,
            boosterIntervalDays: p.boosterIntervalDays,
            limits: .init(softRateMgPerKgPerHour: mg(form.softRateMgPerKgPerHour), hardRateMgPerKgPerHour: mg(form.hardRateMgPerKgPerHour),
                          softRateMgPerHour: mg(form.softRateMgPerHour), hardRateMgPerHour: mg(form.hardRateMgPerHour),
                          softTotalMgPerKg: mg(form.softTotalMgPerKg), hardTotalMgPerKg: mg(form.hardTotalMgPerKg),
                          softTotalMg: mg(form.softTotalMg), hardTotalMg: mg(form.hardTotalMg)),
            changedBy: p.revision?.changedBy.rawValue.uuidString, changedAt: p.revision?.changedAt, changeReason: p.revision?.reason,
            changedSettings: p.revision?.changedSettings.map(\.rawValue), signedOffBy: p.revision?.signOff?.by.rawValue.uuidString)
    }
}
