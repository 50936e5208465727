import ClinicCore
import ClinicHL7
import ClinicTestSupport
@testable import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

extension TestWorld {
    /// The MLLP listener of this world's clinic on a free port of 127.0.0.1.
    func withListener(_ body: @Sendable (Int) async throws -> Void) async throws {
        let listener = try MLLPListener(host: "127.0.0.1", port: 0, clinic: clinic, metrics: app.metrics, logger: Logger(label: "test.mllp"))
        let port = try await listener.start()
        do {
            try await body(port)
        } catch {
            await listener.stop()
            throw error
        }
        await listener.stop()
    }

    /// A monitor registered at 127.0.0.1 as MON-1/TESTCLINIC, at `chair` (or at none).
    @discardableResult
    func registerMonitor(chair: Chair.ID?, application: String = "MON-1", address: String = "127.0.0.1") async throws -> MonitorDevice {
        try await clinic.saveMonitorDevice(nil, MonitorDeviceForm(name: "Bedside monitor \(application)", sourceAddress: address, sendingApplication: application,
                                                                 sendingFacility: "TESTCLINIC", chairID: chair?.rawValue.uuidString ?? ""),
                                           by: actor(.admin))
    }

    /// A patient checked in at a chair: the session record.
    func checkedInAtChair() async throws -> (SessionRecord, Patient, Chair.ID) {
        let (p, appointment) = try await bookedAppointment()
        let record = try await clinic.checkIn(appointment.id, by: actor(.nurse))
        return (record, p, appointment.chair)
    }

    /// A patient checked in now for a booking at least `days` days ahead (an early arrival, say): the session record.
    func checkedInForALaterBooking(days: Int) async throws -> (SessionRecord, Chair.ID) {
        let (_, plan) = try await activePlan()
        try await rosterNurse(days: days + 40)
        let proposal = try await clinic.proposeSeries(for: plan.id, earliest: clock.now.addingTimeInterval(Double(days) * 86_400), preferredMinute: 9 * 60,
                                                      by: actor(.frontDesk))
        let appointment = try await clinic.bookSeries(for: plan.id, slots: proposal.slots, by: actor(.frontDesk))[0]
        return (try await clinic.checkIn(appointment.id, by: actor(.nurse)), appointment.chair)
    }
}

extension HL7Message {
    var ackCode: String? { self["MSA", 1]?.text }
    var ackControlID: String? { self["MSA", 2]?.text }
    var ackText: String? { self["MSA", 3]?.text }
}

/// HL7 v2 over MLLP from bedside monitors (DESIGN §6): AA only after the commit, resends stored once, quarantine,
/// refusals, AR/AE, and a bad frame never closes the connection.
@Suite(.timeLimit(.minutes(10))) struct MonitorIngestTests {
    @Test func aMessageFromTheChairsMonitorIsFiledUnderItsSessionAndAResendIsStoredOnce() async throws {
        try await TestWorld.with { world, _ in
            // given a patient checked in at a chair with a registered monitor
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let client = try await MLLPTestClient.connect(port: port)
                // when the monitor sends numerics, then sends the same message again
                let text = oruMessage(controlID: "MSG-0001", heartRate: 74, spo2: 97, at: world.clock.now)
                let ack = try await client.send(text)
                let again = try await client.send(text)
                await client.close()
                // then both are acknowledged AA with MSA-2 = MSH-10, and the sender and receiver are swapped
                #expect(ack.ackCode == "AA")
                #expect(ack.ackControlID == "MSG-0001")
                #expect(ack["MSH", 3]?.text == "DEEPRELIEF")
                #expect(ack["MSH", 5]?.text == "MON-1")
                #expect(again.ackCode == "AA")
                // and the message is stored once, its observations filed under the session
                let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
                #expect(observations.map(\.parameter).sorted { $0.rawValue < $1.rawValue } == [.heartRate, .oxygenSaturation])
                #expect(observations.first { $0.parameter == .heartRate }?.value == 74)
                let stored = try await world.clinic.store.read { try await $0.vitalMessage(VitalMessageKey(sender: "MON-1|TESTCLINIC", controlID: "MSG-0001")) }
                #expect(stored?.status == .filed)
                #expect(stored?.sessionID == record.id)
                // and the device's write is on the audit trail
                let audit = try await world.clinic.store.read { try await $0.auditEntries(AuditQuery(resourceType: "vitals")) }
                #expect(audit.contains { $0.event.actorRole == "device" && $0.event.resourceID == record.id.rawValue.uuidString })
            }
        }
    }

    @Test func aPatientCheckedInForALaterDaysBookingIsStillInTheChairWhenTheMonitoringStateReloads() async throws {
        // The monitoring center reloads from storage every few seconds and whenever a monitor changes; it once read only
        // yesterday's to tomorrow's bookings, so an evening run of this suite (the test booking fell two days ahead)
        // quarantined every message. A session still in a chair must stay there whatever day it was planned for.
        try await TestWorld.with { world, _ in
            // given a patient checked in now for a booking five days ahead
            let (record, chair) = try await world.checkedInForALaterBooking(days: 5)
            #expect(CalendarDate(record.session.plannedStart, in: world.clinic.settings.timeZone) > world.clinic.today.adding(days: 1))
            // when a monitor is registered at the chair (which reloads the monitoring state) and sends numerics
            try await world.registerMonitor(chair: chair)
            try await world.clinic.loadMonitoring()
            try await world.withListener { port in
                let client = try await MLLPTestClient.connect(port: port)
                let ack = try await client.send(oruMessage(controlID: "EARLY-1", heartRate: 80, spo2: 97, at: world.clock.now))
                await client.close()
                // then the message is filed under that session, not quarantined
                #expect(ack.ackCode == "AA")
                let stored = try await world.clinic.store.read { try await $0.vitalMessage(VitalMessageKey(sender: "MON-1|TESTCLINIC", controlID: "EARLY-1")) }
                #expect(stored?.status == .filed)
                #expect(stored?.sessionID == record.id)
                // and the room board shows the patient in the chair
                let board = try await world.clinic.roomBoard(by: world.actor(.nurse))
                #expect(board.first { $0.chair.id == chair }?.occupancy?.sessionID == record.id)
            }
        }
    }

    @Test func aCuffReadingRepeatedInLaterMessagesIsStoredOnce() async throws {
        try await TestWorld.with { world, _ in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let client = try await MLLPTestClient.connect(port: port)
                // given three numerics messages that each carry the same cuff reading (same OBX-14), as monitors do
                let t = world.clock.now
                for n in 1...3 {
                    #expect(try await client.send(oruMessage(controlID: "R-\(n)", heartRate: 70 + n, spo2: 98, cuff: (128, 82), at: t)).ackCode == "AA")
                }
                await client.close()
                // then the heart rate is stored three times but the cuff reading once
                let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
                #expect(observations.filter { $0.parameter == .heartRate }.count == 3)
                #expect(observations.filter { $0.parameter == .systolic }.count == 1)
                #expect(observations.filter { $0.parameter == .diastolic }.count == 1)
            }
        }
    }

    /// The message `oruMessage` describes, as the listener hands it to the clinic.
    static func incoming(_ text: String, at time: Date) throws -> IncomingVitalMessage {
        let result = try ORUResult(HL7Message.parse(text), receivedAt: time)
        return IncomingVitalMessage(sourceAddress: "127.0.0.1", sendingApplication: result.header.sendingApplication?.namespaceID ?? "",
                                    sendingFacility: result.header.sendingFacility?.namespaceID ?? "", controlID: result.header.controlID ?? "",
                                    patientIdentifier: result.patient?.id, observations: result.observations, raw: text, receivedAt: time)
    }

    @Test func aCuffReadingStoredBeforeARestartIsNotStoredAgainWhenTheMonitorRepeatsIt() async throws {
        try await TestWorld.with { world, _ in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            let t = world.clock.now
            // given a cuff reading stored by the running server, whose monitoring state then reloads (as it does every 5 s)
            _ = try await world.clinic.fileVitalMessages([Self.incoming(oruMessage(controlID: "B-1", cuff: (131, 84), at: t), at: t)])
            try await world.clinic.loadMonitoring()
            _ = try await world.clinic.fileVitalMessages([Self.incoming(oruMessage(controlID: "B-2", cuff: (131, 84), at: t), at: t)])
            // when the server restarts (a new clinic on the same database) and the monitor repeats the reading
            let restarted = Clinic(store: world.db.store, auditKey: testAuditKey, passwords: BcryptPasswordHasher(cost: 4, threads: 1), clock: world.clock)
            let outcomes = try await restarted.fileVitalMessages([Self.incoming(oruMessage(controlID: "B-3", heartRate: 75, cuff: (131, 84), at: t), at: t)])
            #expect(outcomes == [.filed(record.id)])
            // then the heart rate of each message is stored, the cuff reading once
            let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
            #expect(observations.filter { $0.parameter == .heartRate }.count == 3)
            #expect(observations.filter { $0.parameter == .systolic }.count == 1)
        }
    }

    @Test func aCuffReadingAnotherInstanceStoredIsSeenWithinAMinute() async throws {
        try await TestWorld.with { world, _ in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            // given this server's monitoring state loaded, and a second server on the same database
            try await world.clinic.loadMonitoring()
            let other = Clinic(store: world.db.store, auditKey: testAuditKey, passwords: BcryptPasswordHasher(cost: 4, threads: 1), clock: world.clock)
            // when the monitor's cuff reading reaches the other server, and a minute later this server reloads (as every 5 s)
            let t = world.clock.now
            _ = try await other.fileVitalMessages([Self.incoming(oruMessage(controlID: "I-1", cuff: (133, 86), at: t), at: t)])
            world.clock.advance(by: 61)
            try await world.clinic.loadMonitoring()
            // then the monitor repeating that reading here does not store it again
            _ = try await world.clinic.fileVitalMessages([Self.incoming(oruMessage(controlID: "I-2", cuff: (133, 86), at: t), at: world.clock.now)])
            let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
            #expect(observations.filter { $0.parameter == .systolic }.count == 1)
        }
    }

    @Test func aCuffReadingFiledFromQuarantineIsNotStoredAgainWhenTheMonitorRepeatsIt() async throws {
        try await TestWorld.with { world, _ in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            let t = world.clock.now
            // given a message naming another patient, quarantined, and filed under the session by a nurse
            let first = try Self.incoming(oruMessage(controlID: "Q-1", patient: "DR-9999999", cuff: (150, 95), at: t), at: t)
            #expect(try await world.clinic.fileVitalMessages([first]).first.map { if case .quarantined = $0 { true } else { false } } == true)
            try await world.clinic.assignQuarantined(VitalMessageKey(sender: "MON-1|TESTCLINIC", controlID: "Q-1"), to: record.id,
                                                     observations: first.observations, by: world.actor(.nurse))
            // when the monitor repeats that cuff reading in its next message
            _ = try await world.clinic.fileVitalMessages([Self.incoming(oruMessage(controlID: "Q-2", cuff: (150, 95), at: t), at: t)])
            // then the reading is the session's once
            let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
            #expect(observations.filter { $0.parameter == .systolic }.count == 1)
            #expect(observations.filter { $0.parameter == .heartRate }.count == 2)
        }
    }

    @Test func aCuffReadingTheMonitorAlreadyRepeatedIsNotStoredAgainWhenANurseFilesItFromQuarantine() async throws {
        try await TestWorld.with { world, _ in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            let t = world.clock.now
            // given a quarantined message with a cuff reading, which the monitor then repeats under the session
            let first = try Self.incoming(oruMessage(controlID: "Q-1", patient: "DR-9999999", cuff: (150, 95), at: t), at: t)
            _ = try await world.clinic.fileVitalMessages([first])
            _ = try await world.clinic.fileVitalMessages([Self.incoming(oruMessage(controlID: "Q-2", cuff: (150, 95), at: t), at: t)])
            // when a nurse files the quarantined message under the session
            try await world.clinic.assignQuarantined(VitalMessageKey(sender: "MON-1|TESTCLINIC", controlID: "Q-1"), to: record.id,
                                                     observations: first.observations, by: world.actor(.nurse))
            // then the cuff reading is the session's once, and the heart rate of each message is kept
            let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
            #expect(observations.filter { $0.parameter == .systolic }.count == 1)
            #expect(observations.filter { $0.parameter == .diastolic }.count == 1)
            #expect(observations.filter { $0.parameter == .heartRate }.count == 2)
        }
    }

    @Test func theAuditLogNamesTheMonitorThatWrote() async throws {
        try await TestWorld.with { world, client in
            let (_, _, chair) = try await world.checkedInAtChair()
            let device = try await world.registerMonitor(chair: chair)
            let t = world.clock.now
            _ = try await world.clinic.fileVitalMessages([Self.incoming(oruMessage(controlID: "A-1", at: t), at: t)])
            let admin = try await world.browser(.admin)
            let page = try await client.page(.get, "/admin/audit?actorId=\(device.id.rawValue.uuidString)", cookie: admin.cookie).text
            #expect(page.contains("Bedside monitor MON-1</span>") && page.contains("device"))
            #expect(!page.contains(String(device.id.rawValue.uuidString.prefix(8)) + "…</span>"))
        }
    }

    @Test func aMonitorWithNoChairOrAPatientMismatchGoesToQuarantineNotToAnyonesVitals() async throws {
        try await TestWorld.with { world, _ in
            // given a checked-in patient at a chair with a monitor, and a second monitor assigned to no chair
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.registerMonitor(chair: nil, application: "MON-SPARE")
            try await world.withListener { port in
                let client = try await MLLPTestClient.connect(port: port)
                // when the spare monitor sends, and the chair's monitor sends a message naming another patient
                let spare = try await client.send(oruMessage(controlID: "S-1", application: "MON-SPARE", at: world.clock.now))
                let mismatch = try await client.send(oruMessage(controlID: "M-1", patient: "DR-9999999", at: world.clock.now))
                await client.close()
                // then both are stored and acknowledged (so the monitor does not resend forever) but quarantined
                #expect(spare.ackCode == "AA")
                #expect(spare.ackText?.contains("quarantine") == true)
                #expect(mismatch.ackCode == "AA")
                let quarantined = try await world.clinic.quarantinedMessages(by: world.actor(.nurse))
                #expect(Set(quarantined.map(\.controlID)) == ["S-1", "M-1"])
                #expect(quarantined.first { $0.controlID == "S-1" }?.reason.contains("not assigned to a chair") == true)
                #expect(quarantined.first { $0.controlID == "M-1" }?.reason.contains("another patient") == true)
                // and nothing was filed as the patient's vitals
                let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
                #expect(observations.isEmpty)
                // a nurse files the mismatched one after checking it, and it becomes the session's vitals
                let message = quarantined.first { $0.controlID == "M-1" }!
                let parsed = try ORUResult(HL7Message.parse(message.body), receivedAt: message.receivedAt)
                try await world.clinic.assignQuarantined(message.key, to: record.id, observations: parsed.observations, by: world.actor(.nurse))
                #expect(try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }.count == 2)
                // billing may not see the quarantine
                await #expect(throws: ClinicError.self) { _ = try await world.clinic.quarantinedMessages(by: world.actor(.billing)) }
            }
        }
    }

    @Test func aMessageWithTheCheckedInPatientsMRNIsFiled() async throws {
        try await TestWorld.with { world, _ in
            let (record, patient, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let client = try await MLLPTestClient.connect(port: port)
                let ack = try await client.send(oruMessage(controlID: "P-1", patient: patient.mrn.value, at: world.clock.now))
                await client.close()
                #expect(ack.ackCode == "AA")
                let stored = try await world.clinic.store.read { try await $0.vitalMessage(VitalMessageKey(sender: "MON-1|TESTCLINIC", controlID: "P-1")) }
                #expect(stored?.status == .filed)
                #expect(stored?.sessionID == record.id)
            }
        }
    }

    @Test func unsupportedTypesAreRejectedAndGarbageNeverClosesTheConnection() async throws {
        try await TestWorld.with { world, _ in
            let (_, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let client = try await MLLPTestClient.connect(port: port)
                // an ADT is not ours: AR with MSA-2 echoing its control id
                let adt = try await client.send(oruMessage(controlID: "ADT-1", at: world.clock.now, type: "ADT^A01^ADT_A01"))
                #expect(adt.ackCode == "AR")
                #expect(adt.ackControlID == "ADT-1")
                #expect(adt["ERR", 3]?.text.hasPrefix("200") == true)
                // a frame with no MSH at all: still a valid reply
                let garbage = try await client.send("this is not HL7\r")
                #expect(garbage.ackCode == "AR" || garbage.ackCode == "AE")
                // junk before a frame start is skipped; the framed message after it is filed
                try await client.sendRaw(Array("noise noise".utf8) + MLLP.frame(Array(oruMessage(controlID: "AFTER-JUNK", at: world.clock.now).utf8)))
                let afterJunk = try await client.nextAcknowledgment()
                #expect(afterJunk.ackCode == "AA")
                #expect(afterJunk.ackControlID == "AFTER-JUNK")
                // a message without MSH-10 cannot be acknowledged by id: AE
                let noID = try await client.send(oruMessage(controlID: "", at: world.clock.now))
                #expect(noID.ackCode == "AE")
                // and the connection still works
                #expect(try await client.send(oruMessage(controlID: "LAST", at: world.clock.now)).ackCode == "AA")
                await client.close()
            }
        }
    }

    @Test func aConnectionFromAnUnregisteredAddressIsRefused() async throws {
        try await TestWorld.with { world, _ in
            // given the only registered monitor connects from another address
            try await world.registerMonitor(chair: nil, address: "10.20.30.40")
            try await world.withListener { port in
                // when 127.0.0.1 connects, then the server closes the connection without reading anything
                let client = try await MLLPTestClient.connect(port: port)
                #expect(await client.isClosedByServer())
                #expect(world.app.metrics.exposition().contains("deeprelief_mllp_connections_refused_total"))
            }
        }
    }

    @Test func aHypertensiveCuffReadingRaisesAHighPriorityAlarmOnTheBoardAndANurseAcknowledgesIt() async throws {
        try await TestWorld.with { world, _ in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let events = world.clinic.monitoring.subscribe()
                let client = try await MLLPTestClient.connect(port: port)
                // when the cuff reads 190/125 (above the high-priority 180/120: ACC/AHA crisis via clinical-reference §3)
                let ack = try await client.send(oruMessage(controlID: "BP-1", heartRate: nil, spo2: nil, cuff: (190, 125), at: world.clock.now))
                await client.close()
                #expect(ack.ackCode == "AA")
                // then an alarm event is published at once, and the board shows it on that chair
                var raised: AlarmEvent?
                for await e in events {
                    if case .alarm(let a, let c) = e, a.kind == .raised, c == chair { raised = a; break }
                }
                #expect(raised?.priority == .high)
                let board = try await world.clinic.roomBoard(by: world.actor(.nurse))
                let cell = board.first { $0.chair.id == chair }
                #expect(cell?.occupancy?.sessionID == record.id)
                #expect(cell?.worstPriority == .high)
                #expect(cell?.latest.values[.systolic]?.value == 190)
                // and a nurse acknowledges it: who and when are recorded
                let alarm = try #require(cell?.activeAlarms.first)
                let acked = try await world.clinic.acknowledgeAlarm(session: record.id, sequence: alarm.id.sequence, by: world.actor(.nurse))
                #expect(acked.kind == .acknowledged)
                let after = try await world.clinic.roomBoard(by: world.actor(.nurse)).first { $0.chair.id == chair }
                #expect(after?.activeAlarms.first?.acknowledgement?.by == world.accounts[.nurse]!.id)
                // the systolic and diastolic alarms of that one cuff reading are acknowledged together
                #expect(after?.activeAlarms.filter { $0.priority == .high }.allSatisfy(\.isAcknowledged) == true)
                #expect(after?.activeAlarms.count ?? 0 >= 2)
                // front desk may not acknowledge alarms
                await #expect(throws: ClinicError.self) {
                    _ = try await world.clinic.acknowledgeAlarm(session: record.id, sequence: alarm.id.sequence, by: world.actor(.frontDesk))
                }
            }
        }
    }
}
