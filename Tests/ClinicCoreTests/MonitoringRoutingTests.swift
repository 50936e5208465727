import Foundation
import Testing
@testable import ClinicCore

/// Which session a monitor message belongs to (DESIGN §6 and issue 4): only between a session's check-in and its end,
/// on the monitor's chair, and only if the patient identifier (when sent) is that session's patient.
@Suite struct MonitoringRoutingTests {
    let chair = Chair.ID(UUID())
    let t0 = Date(timeIntervalSince1970: 1_795_600_000)

    func device(chair: Chair.ID?, active: Bool = true) -> MonitorDevice {
        MonitorDevice(id: MonitorDevice.ID(UUID()), name: "Bay 1", sourceAddress: "10.0.0.5", sendingApplication: "MX", sendingFacility: "ICU",
                      chairID: chair, active: active, createdAt: t0, updatedAt: t0)
    }

    func occupancy(_ mrn: String, from: TimeInterval, to: TimeInterval?) -> ChairOccupancy {
        ChairOccupancy(sessionID: InfusionSession.ID(UUID()), patientID: Patient.ID(UUID()), mrn: mrn, patientName: "P \(mrn)", chairID: chair,
                       state: to == nil ? .infusing : .discharged, checkedInAt: t0.addingTimeInterval(from),
                       endedAt: to.map { t0.addingTimeInterval($0) }, infusionStartedAt: nil)
    }

    func message(at offset: TimeInterval, pid: String? = nil, address: String = "10.0.0.5") -> IncomingVitalMessage {
        IncomingVitalMessage(sourceAddress: address, sendingApplication: "MX", sendingFacility: "ICU", controlID: "C\(offset)",
                             patientIdentifier: pid, observations: [], raw: "", receivedAt: t0.addingTimeInterval(offset))
    }

    func center(_ devices: [MonitorDevice], _ occupancy: [ChairOccupancy]) -> MonitoringCenter {
        let c = MonitoringCenter()
        c.replace(devices: devices, occupancy: occupancy, monitors: [:], manualSeen: [:], at: t0)
        return c
    }

    @Test func aChairThatChangesPatientsBetweenSessionsFilesEachMessageUnderTheSessionOfItsTime() {
        // given patient A in the chair from 0 to 3600 s (discharged), patient B checked in at 3900 s
        let a = occupancy("DR-A", from: 0, to: 3600)
        let b = occupancy("DR-B", from: 3900, to: nil)
        let c = center([device(chair: chair)], [a, b])
        c.state.withLock { s in
            // then a message during A's session is A's, between the two is nobody's, after B's check-in is B's
            #expect(c.route(message(at: 1800), in: s).session?.sessionID == a.sessionID)
            #expect(c.route(message(at: 3600), in: s).session == nil)  // discharge ends it (half-open)
            let between = c.route(message(at: 3700), in: s)
            #expect(between.session == nil)
            #expect(between.reason.contains("No patient was checked in"))
            #expect(c.route(message(at: 4000), in: s).session?.sessionID == b.sessionID)
            // and a message naming A after B sat down is quarantined, not filed under B
            let wrong = c.route(message(at: 4000, pid: "DR-A"), in: s)
            #expect(wrong.session == nil)
            #expect(wrong.reason.contains("another patient"))
            #expect(c.route(message(at: 4000, pid: "dr-b"), in: s).session?.sessionID == b.sessionID)
        }
    }

    @Test func unknownSendersRetiredMonitorsAndMonitorsWithoutAChairAreQuarantinedWithTheirReason() {
        let c = center([device(chair: nil)], [occupancy("DR-A", from: 0, to: nil)])
        c.state.withLock { s in
            #expect(c.route(message(at: 10), in: s).reason.contains("not assigned to a chair"))
            var other = message(at: 10)
            other.sendingApplication = "OTHER"
            #expect(c.route(other, in: s).reason.contains("No monitor registered"))
        }
        let retired = center([device(chair: chair, active: false)], [occupancy("DR-A", from: 0, to: nil)])
        retired.state.withLock { s in #expect(retired.route(message(at: 10), in: s).reason.contains("retired")) }
        // IPv4-mapped IPv6 is the same address
        let mapped = center([device(chair: chair)], [occupancy("DR-A", from: 0, to: nil)])
        #expect(mapped.isRegistered(address: "::ffff:10.0.0.5"))
        #expect(!mapped.isRegistered(address: "10.0.0.6"))
    }

    @Test(arguments: [("10.0.0.5", "10.0.0.5"), ("010.000.000.005", "10.0.0.5"), ("::FFFF:10.0.0.5", "10.0.0.5"), ("fe80::1", "fe80::1"),
                      ("[::1]", "::1")])
    func addressesAreNormalised(_ text: String, _ expected: String) {
        #expect(IPAddressText.normalised(text) == expected)
    }

    @Test(arguments: ["10.0.0.256", "10.0.0", "host.example", "1::2::3", "", "10.0.0.5.6"])
    func notAddresses(_ text: String) {
        #expect(IPAddressText.normalised(text) == nil)
    }
}
