import ClinicCore
import Foundation
import Testing
@testable import ClinicHL7

@Suite struct ORUResultTests {
    func read(_ text: String, receivedAt: Date = SampleMessages.receivedAt) throws -> ORUResult {
        try ORUResult(HL7Message.parse(text), receivedAt: receivedAt)
    }

    func oru(_ segments: String..., header: String = "MSH|^~\\&|GW|WARD|DEEPRELIEF|CLINIC|20260315143005||ORU^R01|C1|P|2.6") -> String {
        ([header] + segments).joined(separator: "\r")
    }

    // MARK: IHE PCD-01 with MDC codes

    @Test func mapsEveryMDCVitalOfAPCD01Message() throws {
        // when
        let result = try read(SampleMessages.pcd01)
        // then
        let values = result.observations.map { [$0.parameter.rawValue: $0.value] }
        #expect(result.observations.map(\.parameter) == [
            .heartRate, .oxygenSaturation, .pulseRate, .systolic, .diastolic, .meanPressure, .respiratoryRate, .endTidalCO2,
        ])
        #expect(Array(values.prefix(7)) == [["heartRate": 72], ["oxygenSaturation": 97], ["pulseRate": 74],
                                             ["systolic": 128], ["diastolic": 82], ["meanPressure": 97], ["respiratoryRate": 14]])
        // MDC_DIM_KILO_PASCAL: 5.1 kPa × 7.50062 = 38.25 mmHg
        let etco2 = try #require(result.observations.last)
        #expect(abs(etco2.value - 38.2531) < 0.001)
    }

    @Test func takesTimesFromOBX14ElseOBR7() throws {
        // when
        let result = try read(SampleMessages.pcd01)
        // then
        let times = Dictionary(result.observations.map { ($0.parameter, $0.observedAt) }, uniquingKeysWith: { a, _ in a })
        #expect(times[.heartRate] == SampleMessages.pcdVitalsTime)
        #expect(times[.systolic] == SampleMessages.pcdCuffTime)
        #expect(times[.respiratoryRate] == SampleMessages.pcdRequestTime)  // no OBX-14: OBR-7
    }

    @Test func keepsTheDeviceRowAsUnmapped() throws {
        // when
        let result = try read(SampleMessages.pcd01)
        // then
        #expect(result.unmapped.count == 1)
        let device = try #require(result.unmapped.first)
        #expect(device.code == HL7CodedElement(identifier: "69965", text: "MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS", codingSystem: "MDC"))
        #expect(device.location == HL7Location(segment: "OBX", segmentIndex: 5, sequence: 1))
        #expect(device.equipment == "0123456789ABCDEF")
        #expect(result.skipped.isEmpty)
    }

    @Test func extractsThePatientAndHeaderFacts() throws {
        // when
        let result = try read(SampleMessages.pcd01)
        // then
        #expect(result.patient == PatientIdentifier(id: "MRN-1001", assigningAuthority: "RELIEF", typeCode: "MR"))
        #expect(result.header.controlID == "MSG00042")
        #expect(result.header.version == "2.6")
        #expect(result.header.timestamp == SampleMessages.pcdMessageTime)
        #expect(result.header.sendingApplication?.namespaceID == "BEDSIDE_GW")
    }

    // MARK: LOINC feed

    @Test func mapsLOINCCodesAndConvertsUnits() throws {
        // when
        let result = try read(SampleMessages.loincVitals)
        // then
        #expect(result.observations.map(\.parameter) == [.heartRate, .temperature, .systolic, .oxygenSaturation, .meanPressure])
        let values = result.observations.map(\.value)
        #expect(values[0] == 64)
        #expect(abs(values[1] - 37.0) < 0.000_1)       // 98.6 °F
        #expect(abs(values[2] - 120.0098) < 0.001)     // 16 kPa
        #expect(values[3] == 95)
        #expect(values[4] == 90)
    }

    @Test func handlesSeveralOBRGroupsAndTheirTimes() throws {
        // when
        let result = try read(SampleMessages.loincVitals)
        // then
        let times = result.observations.map(\.observedAt)
        #expect(times[0] == SampleMessages.loincFirstGroupTime)
        #expect(times[3] == SampleMessages.loincOBXTime)           // OBX-14 in group 2
        #expect(times[4] == SampleMessages.loincSecondGroupTime)   // OBR-7 of group 2
        #expect(result.unmapped.map(\.group) == [1])
    }

    @Test func reportsSkippedAndUnmappedItemsWithReasons() throws {
        // when
        let result = try read(SampleMessages.loincVitals)
        // then
        #expect(result.skipped.map(\.parameter) == [.oxygenSaturation, .respiratoryRate])
        #expect(result.skipped.map(\.reason) == [.nonNumericValue, .resultStatus])
        #expect(result.skipped.map(\.item.location.sequence) == [4, 5])
        #expect(result.unmapped.map(\.code?.identifier) == ["29463-7"])  // body weight is not a vital sign here
    }

    @Test func takesTheFirstPID3Repetition() throws {
        // when
        let result = try read(SampleMessages.loincVitals)
        // then
        #expect(result.patient == PatientIdentifier(id: "4711", assigningAuthority: "RELIEF", typeCode: "MR"))
    }

    // MARK: codes, units, values

    @Test(arguments: [
        ("8867-4", "LN", VitalParameter.heartRate), ("8480-6", "LN", .systolic), ("8462-4", "LN", .diastolic),
        ("8478-0", "LN", .meanPressure), ("59408-5", "LN", .oxygenSaturation), ("2708-6", "LN", .oxygenSaturation),
        ("9279-1", "LN", .respiratoryRate), ("8310-5", "LN", .temperature), ("19889-5", "LN", .endTidalCO2),
        ("147842", "MDC", .heartRate), ("149530", "MDC", .pulseRate), ("150021", "MDC", .systolic),
        ("150022", "MDC", .diastolic), ("150023", "MDC", .meanPressure), ("150456", "MDC", .oxygenSaturation),
        ("151562", "MDC", .respiratoryRate), ("151708", "MDC", .endTidalCO2), ("150344", "MDC", .temperature),
        ("150456", "IEEE", .oxygenSaturation), ("150456", "ISO 11073-10101", .oxygenSaturation),
        ("8867-4", "LOINC", .heartRate),
    ])
    func mapsEveryListedCode(code: String, system: String, parameter: VitalParameter) {
        #expect(VitalParameter(observationCode: HL7CodedElement(identifier: code, codingSystem: system)) == parameter)
    }

    @Test func recognisesMDCByItsReferenceIDWhenTheSystemIsEmpty() {
        #expect(VitalParameter(observationCode: HL7CodedElement(identifier: "150456", text: "MDC_PULS_OXIM_SAT_O2")) == .oxygenSaturation)
    }

    @Test(arguments: [
        HL7CodedElement(identifier: "8867-4", codingSystem: "MDC"),   // a LOINC code under the wrong system
        HL7CodedElement(identifier: "150456", codingSystem: "LN"),
        HL7CodedElement(identifier: "150456", text: "SpO2", codingSystem: ""),
        HL7CodedElement(identifier: "8867-4", codingSystem: "L"),
        HL7CodedElement(identifier: "99999", codingSystem: "MDC"),
    ])
    func leavesOtherCodesUnmapped(code: HL7CodedElement) {
        #expect(VitalParameter(observationCode: code) == nil)
    }

    @Test(arguments: [
        ("98.6", "[degF]", VitalParameter.temperature, 37.0),
        ("212", "°F", .temperature, 100.0),
        ("36.6", "Cel", .temperature, 36.6),
        ("37.1", "^MDC_DIM_DEGC^MDC", .temperature, 37.1),
        ("5.0", "kPa", .endTidalCO2, 37.503_1),
        ("38", "mm[Hg]", .endTidalCO2, 38.0),
        ("16", "MDC_DIM_KILO_PASCAL", .diastolic, 120.009_8),
        ("120", "266016^MDC_DIM_MMHG^MDC", .systolic, 120.0),
        ("120", "mmHg", .systolic, 120.0),
        ("60", "264864^MDC_DIM_BEAT_PER_MIN^MDC", .heartRate, 60.0),
        ("60", "{beats}/min", .pulseRate, 60.0),
        ("12", "{breaths}/min", .respiratoryRate, 12.0),
        ("98", "262688^MDC_DIM_PERCENT^MDC", .oxygenSaturation, 98.0),
        ("98", "%", .oxygenSaturation, 98.0),
    ])
    func convertsUnits(value: String, units: String, parameter: VitalParameter, expected: Double) throws {
        // given
        let code = Self.code(for: parameter)
        // when
        let result = try read(oru("OBX|1|NM|\(code)||\(value)|\(units)|||||F"))
        // then
        let observation = try #require(result.observations.first)
        #expect(observation.parameter == parameter)
        #expect(abs(observation.value - expected) < 0.001)
    }

    @Test(arguments: [
        ("72", "", VitalParameter.heartRate, nil as SkippedObservation.Reason?),
        ("97", "", .oxygenSaturation, nil),
        ("120", "", .systolic, nil),
        ("37", "", .temperature, .missingUnit),
        ("38", "", .endTidalCO2, .missingUnit),
        ("5", "%", .endTidalCO2, .unsupportedUnit),
        ("37", "K", .temperature, .unsupportedUnit),
        ("72", "mm[Hg]", .heartRate, .unsupportedUnit),
        ("97", "265987^^MDC", .oxygenSaturation, .unsupportedUnit),  // an unverified MDC_DIM number alone is not trusted
    ])
    func decidesWhenAUnitIsMissingOrWrong(value: String, units: String, parameter: VitalParameter, reason: SkippedObservation.Reason?) throws {
        // when
        let result = try read(oru("OBX|1|NM|\(Self.code(for: parameter))||\(value)|\(units)|||||F"))
        // then
        #expect(result.skipped.first?.reason == reason)
        #expect(result.observations.count == (reason == nil ? 1 : 0))
    }

    @Test(arguments: [
        ("NM", "7x"), ("NM", "1e3"), ("NM", "nan"), ("NM", "inf"), ("NM", "1.2.3"), ("NM", "-"), ("NM", "."),
        ("CWE", "72"), ("NA", "72^73"), ("SN", "<^5"), ("SN", "^5^-^7"), ("TX", "72"),
    ])
    func skipsNonNumericValues(type: String, value: String) throws {
        // when
        let result = try read(oru("OBX|1|\(type)|8867-4^HR^LN||\(value)|/min|||||F"))
        // then
        #expect(result.observations.isEmpty)
        #expect(result.skipped.map(\.reason) == [.nonNumericValue])
    }

    @Test(arguments: [
        ("NM", "72", 72.0), ("NM", "+72", 72.0), ("NM", "-1.5", -1.5), ("NM", " 72 ", 72.0), ("NM", ".5", 0.5),
        ("NM", "72.", 72.0), ("ST", "72", 72.0), ("", "72", 72.0), ("SN", "^72", 72.0), ("SN", "=^72", 72.0),
    ])
    func readsNumericValueTypes(type: String, value: String, expected: Double) throws {
        // when
        let result = try read(oru("OBX|1|\(type)|8867-4^HR^LN||\(value)|/min|||||F"))
        // then
        #expect(result.observations.first?.value == expected)
    }

    @Test(arguments: ["X", "W", "D", "N", "x"])
    func skipsUnusableResultStatuses(status: String) throws {
        // when
        let result = try read(oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||\(status)"))
        // then
        #expect(result.observations.isEmpty)
        #expect(result.skipped.first?.reason == .resultStatus)
        #expect(result.skipped.first?.item.resultStatus == status.uppercased())
    }

    @Test(arguments: ["F", "R", "C", "P", ""])
    func acceptsUsableResultStatuses(status: String) throws {
        #expect(try read(oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||\(status)")).observations.count == 1)
    }

    @Test func skipsAnEmptyValue() throws {
        #expect(try read(oru("OBX|1|NM|8867-4^HR^LN|||/min|||||F")).skipped.map(\.reason) == [.missingValue])
    }

    // MARK: times

    @Test func fallsBackToMSH7ThenToReceipt() throws {
        // given
        let withHeaderTime = oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F")
        let withoutAnyTime = oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F", header: "MSH|^~\\&|GW||||||ORU^R01|C1|P|2.6")
        // when
        let first = try read(withHeaderTime)
        let second = try read(withoutAnyTime)
        // then
        #expect(first.observations.first?.observedAt == SampleMessages.pcdMessageTime)
        #expect(second.observations.first?.observedAt == SampleMessages.receivedAt)
    }

    @Test func anInvalidOBX14CountsAsAbsent() throws {
        // when
        let result = try read(oru("OBR|1|||x|||20260315143000", "OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||2026-03-15"))
        // then
        #expect(result.observations.first?.observedAt == SampleMessages.pcdRequestTime)
    }

    @Test func readsTimesWithoutOffsetInTheGivenZone() throws {
        // given
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let message = try HL7Message.parse(oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||20260315102958"))
        // when
        let result = try ORUResult(message, receivedAt: SampleMessages.receivedAt, defaultTimeZone: zone)
        // then
        #expect(result.observations.first?.observedAt == SampleMessages.pcdVitalsTime)
    }

    // MARK: message kinds

    @Test(arguments: [
        ("ADT^A01", ORUError.unsupportedMessageType, HL7ErrorCode.unsupportedMessageType),
        ("ORU^R30", .unsupportedEvent, .unsupportedEventCode),
        ("", .unsupportedMessageType, .unsupportedMessageType),
    ])
    func refusesOtherMessageTypesWithAnAR(type: String, error: ORUError, code: HL7ErrorCode) throws {
        // given
        let message = try HL7Message.parse("MSH|^~\\&|GW||||||\(type)|C1|P|2.6\r")
        // when / then
        let thrown = try #require(throws: ORUError.self) { try ORUResult(message, receivedAt: SampleMessages.receivedAt) }
        #expect(thrown == error)
        #expect(thrown.acknowledgment.code == .reject)
        #expect(thrown.acknowledgment.error?.code == code)
    }

    @Test(arguments: ["2.2", "2.9", "3.0", "", "two", "2.10"])
    func refusesVersionsOutside23To28(version: String) throws {
        // given
        let message = try HL7Message.parse("MSH|^~\\&|GW||||||ORU^R01|C1|P|\(version)\r")
        // when / then
        let thrown = try #require(throws: ORUError.self) { try ORUResult(message, receivedAt: SampleMessages.receivedAt) }
        #expect(thrown == .unsupportedVersion)
        #expect(thrown.acknowledgment == .reject(.unsupportedVersionID, at: HL7Location(segment: "MSH", segmentIndex: 1, field: 12), message: "HL7 versions 2.3 to 2.8 are accepted"))
    }

    @Test(arguments: ["2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.2"])
    func acceptsVersions23To28(version: String) throws {
        let message = try HL7Message.parse("MSH|^~\\&|GW||||||ORU^R01|C1|P|\(version)\r")
        #expect(throws: Never.self) { _ = try ORUResult(message, receivedAt: SampleMessages.receivedAt) }
    }

    @Test func aMissingControlIDIsAnApplicationError() throws {
        // given
        let message = try HL7Message.parse("MSH|^~\\&|GW||||||ORU^R01||P|2.6\r")
        // when / then
        let thrown = try #require(throws: ORUError.self) { try ORUResult(message, receivedAt: SampleMessages.receivedAt) }
        #expect(thrown == .requiredFieldMissing(HL7Location(segment: "MSH", segmentIndex: 1, field: 10)))
        #expect(thrown.acknowledgment.code == .error)
        #expect(thrown.acknowledgment.error?.code == .requiredFieldMissing)
    }

    @Test func aMessageWithoutPIDHasNoPatient() throws {
        #expect(try read(oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F")).patient == nil)
        #expect(try read(oru("PID|1||", "OBX|1|NM|8867-4^HR^LN||72|/min|||||F")).patient == nil)
    }

    static func code(for parameter: VitalParameter) -> String {
        switch parameter {
        case .heartRate: "8867-4^HR^LN"
        case .pulseRate: "149530^MDC_PULS_OXIM_PULS_RATE^MDC"
        case .systolic: "8480-6^SBP^LN"
        case .diastolic: "8462-4^DBP^LN"
        case .meanPressure: "8478-0^MAP^LN"
        case .oxygenSaturation: "59408-5^SpO2^LN"
        case .respiratoryRate: "9279-1^RR^LN"
        case .temperature: "8310-5^Temp^LN"
        case .endTidalCO2: "151708^MDC_AWAY_CO2_ET^MDC"
        }
    }
}
