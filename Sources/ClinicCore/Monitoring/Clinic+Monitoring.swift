import Foundation

/// One chair on the live room board.
public struct RoomBoardChair: Sendable, Hashable {
    public var chair: Chair
    public var roomName: String
    public var device: MonitorDevice?
    public var occupancy: ChairOccupancy?
    public var latest: LatestVitals
    public var activeAlarms: [Alarm]
    public var prompts: [AlarmPrompt]
    /// The suggested actions the alarms show (the clinic's, local policy).
    public var actions: AlarmActions = .standard

    /// The highest priority among active alarms, if any.
    public var worstPriority: AlarmPriority? { activeAlarms.map(\.priority).max() }
}

/// A session's monitored record: every filed observation and its alarm record.
public struct SessionMonitoringRecord: Sendable, Hashable {
    public var observations: [VitalObservation]
    public var alarms: [Alarm]
    public var prompts: [AlarmPrompt]
    public var thresholds: AlarmThresholds
    public var actions: AlarmActions = .standard
}

extension Clinic {
    // MARK: - Loading the live state

    /// Reads monitors, chairs, yesterday's to tomorrow's sessions and every session still in a chair, with their alarm
    /// records, into the monitoring center.
    /// Runs at start, after a monitor changes, and every few seconds from `monitoringTick`.
    public func loadMonitoring() async throws {
        let now = clock.now
        let today = CalendarDate(now, in: settings.timeZone)
        let days = today.adding(days: -1) ... today.adding(days: 1)
        // The last stored cuff reading per session: filing keeps it in memory, so it is read from the store when a session
        // is new to this process and then once every `intermittentRefresh` (a reading filed by another instance), not on
        // every reload — reading it scans the session's every observation.
        let intermittentKnown = monitoring.state.withLock { s in
            s.intermittentLoadedAt.filter { now.timeIntervalSince($0.value) < Self.intermittentRefresh }
        }
        let (devices, sessions, patients, alarmDocs, latestIntermittent) = try await store.read { tx in
            let devices = try await tx.all(MonitorDevice.self, from: .monitorDevices, DocumentQuery())
            var sessions = try await tx.all(SessionRecord.self, from: .infusionSessions, DocumentQuery(days: days.lowerBound.description ... days.upperBound.description))
            // A patient still in a chair belongs on the board whatever day the appointment was planned for (checked in
            // early for a later booking, or a session left open past midnight).
            var seen = Set(sessions.map(\.id))
            for state in SessionState.allCases where state != .scheduled && !state.isFinal {
                for r in try await tx.all(SessionRecord.self, from: .infusionSessions, DocumentQuery(status: state.rawValue)) where seen.insert(r.id).inserted {
                    sessions.append(r)
                }
            }
            sessions = sessions.filter { $0.chairID != nil && $0.session.state != .scheduled && $0.session.state != .noShow }
            var patients: [Patient.ID: Patient] = [:]
            for id in Set(sessions.map(\.session.patientID)) { patients[id] = try await tx.patient(id) }
            var alarmDocs: [InfusionSession.ID: SessionAlarmMonitor] = [:]
            var latest: [InfusionSession.ID: [VitalParameter: Date]] = [:]
            for r in sessions where !r.session.state.isFinal {
                alarmDocs[r.id] = try await tx.get(SessionAlarmMonitor.self, from: .sessionAlarms, id: r.id.rawValue.uuidString)
                if intermittentKnown[r.id] == nil {
                    latest[r.id] = try await tx.latestObservationTimes(session: r.id).filter { $0.key.measurement == .intermittent }
                }
            }
            return (devices, sessions, patients, alarmDocs, latest)
        }
        let monitoredChairs = Set(devices.filter(\.active).compactMap(\.chairID))
        let policy = try await alarmPolicy()
        var thresholds: [InfusionSession.ID: AlarmThresholds] = [:]
        for r in sessions where !r.session.state.isFinal && alarmDocs[r.id] == nil {
            thresholds[r.id] = try await sessionThresholds(r)
        }
        var occupancy: [ChairOccupancy] = []
        var monitors: [InfusionSession.ID: SessionAlarmMonitor] = [:]
        var manualSeen: [InfusionSession.ID: Int] = [:]
        for r in sessions {
            guard let chair = r.chairID, let o = occupancyOf(r, chair: chair, patient: patients[r.session.patientID]) else { continue }
            occupancy.append(o)
            if !r.session.state.isFinal {
                monitors[r.id] = alarmDocs[r.id] ?? newAlarmMonitor(r, thresholds: thresholds[r.id] ?? .clinicalReferenceDefaults,
                                                                    policy: policy, hasMonitor: monitoredChairs.contains(chair), at: now)
                manualSeen[r.id] = alarmDocs[r.id] == nil ? 0 : r.session.vitals.count
            }
        }
        let active = Set(sessions.filter { !$0.session.state.isFinal }.map(\.id))
        monitoring.replace(devices: devices, occupancy: occupancy, monitors: monitors, manualSeen: manualSeen, at: now) { s in
            // In the same lock as the new room, so no batch files under a new session before its last cuff reading is known.
            for (session, times) in latestIntermittent {
                s.noteIntermittent(times, session: session)
                s.intermittentLoadedAt[session] = now
            }
            s.intermittentLoadedAt = s.intermittentLoadedAt.filter { active.contains($0.key) }
            s.lastIntermittent = s.lastIntermittent.filter { active.contains($0.key) }
        }
        monitoring.state.withLock { $0.policy = policy }
        monitoring.publish(Set(occupancy.map(\.chairID)).map { .chairChanged($0) })
    }

    /// How long the last stored cuff reading of a session, read from the store, is trusted before it is read again (a
    /// reading another instance filed meanwhile; this process's own filing keeps it current).
    static let intermittentRefresh: TimeInterval = 60

    func occupancyOf(_ r: SessionRecord, chair: Chair.ID, patient: Patient?) -> ChairOccupancy? {
        guard let checkedIn = r.session.transitions.first(where: { $0.to == .checkedIn })?.at else { return nil }
        let ended = r.session.state.isFinal ? r.session.transitions.last(where: { $0.to.isFinal })?.at ?? r.session.transitions.last?.at : nil
        return ChairOccupancy(sessionID: r.id, patientID: r.session.patientID, mrn: patient?.mrn.value ?? "",
                              patientName: patient.map { "\($0.demographics.givenName) \($0.demographics.familyName)" } ?? "",
                              chairID: chair, state: r.session.state, checkedInAt: checkedIn, endedAt: ended,
                              infusionStartedAt: r.session.infusionStartedAt, protocolID: r.protocolID)
    }

    func newAlarmMonitor(_ r: SessionRecord, thresholds: AlarmThresholds, policy: AlarmPolicy, hasMonitor: Bool, at now: Date) -> SessionAlarmMonitor {
        let baseline = r.session.baselineVitals.map { AlarmBaseline(systolic: $0.systolic.map(Double.init), diastolic: $0.diastolic.map(Double.init)) }
        return SessionAlarmMonitor(sessionID: r.id, thresholds: thresholds, policy: policy, baseline: baseline,
                                   hasMonitor: hasMonitor, state: r.session.state, startedAt: now)
    }

    /// Called after every committed change to a session: the chair's occupant, the alarm monitor's state and any
    /// manual vitals reading go to the monitoring center at once.
    func sessionChanged(_ r: SessionRecord) async {
        guard let chair = r.chairID else { return }
        let now = clock.now
        // The patient's name and MRN and the session's alarm limits (protocol and patient layers) are read once, when the session first shows up here; every
        // later step of the session only updates its state.
        let (known, hasMonitor) = monitoring.state.withLock { s in
            (s.occupancy[chair]?.first { $0.sessionID == r.id }, s.monitors[r.id] != nil)
        }
        let patient = known == nil ? try? await store.read { try await $0.patient(r.session.patientID) } : nil
        guard var o = occupancyOf(r, chair: chair, patient: patient) else { return }
        if let known {
            o.mrn = known.mrn
            o.patientName = known.patientName
        }
        let thresholds = hasMonitor || r.session.state.isFinal ? .clinicalReferenceDefaults
            : (try? await sessionThresholds(r)) ?? .clinicalReferenceDefaults
        let events: [AlarmEvent] = monitoring.state.withLock { s in
            var list = s.occupancy[chair] ?? []
            list.removeAll { $0.sessionID == r.id }
            list.append(o)
            s.occupancy[chair] = list.sorted { $0.checkedInAt < $1.checkedInAt }
            var events: [AlarmEvent] = []
            if s.monitors[r.id] == nil && !r.session.state.isFinal {
                let hasMonitor = s.devices.contains { $0.active && $0.chairID == chair }
                s.monitors[r.id] = newAlarmMonitor(r, thresholds: thresholds, policy: s.policy, hasMonitor: hasMonitor, at: now)
                s.manualReadingsSeen[r.id] = 0
            }
            if var m = s.monitors[r.id] {
                if m.state != r.session.state { events += m.sessionStateChanged(to: r.session.state, at: now) }
                let seen = s.manualReadingsSeen[r.id] ?? 0
                for entry in r.session.vitals.dropFirst(seen) { events += m.recordManualVitals(entry.value, receivedAt: entry.at) }
                s.manualReadingsSeen[r.id] = r.session.vitals.count
                s.monitors[r.id] = m
                if !events.isEmpty { s.dirty.insert(r.id) }
                if r.session.state.isFinal { s.dirty.insert(r.id) }
            }
            return events
        }
        monitoring.publish([.chairChanged(chair)] + events.map { .alarm($0, chair: chair) })
    }

    // MARK: - Registered monitors

    /// Every registered monitor (admin, physician, nurse).
    public func monitorDevices(by actor: Actor) async throws -> [MonitorDevice] {
        let request = AccessRequest(.list, .monitorDevices)
        try await require(actor, request)
        let all = try await store.read { try await $0.all(MonitorDevice.self, from: .monitorDevices, DocumentQuery()) }
        try await recordRead(actor, request, detail: "devices:\(all.count)")
        return all.sorted { ($0.active ? 0 : 1, $0.name) < ($1.active ? 0 : 1, $1.name) }
    }

    /// Registers a monitor, or changes one when `id` is given (admin).
    public func saveMonitorDevice(_ id: MonitorDevice.ID?, _ form: MonitorDeviceForm, by actor: Actor) async throws -> MonitorDevice {
        try await require(actor, AccessRequest(id == nil ? .create : .update, .monitorDevices, id: id?.rawValue.uuidString ?? ""))
        let now = clock.now
        let device: MonitorDevice = try await store.write { tx in
            let setup = try await self.loadSetup(tx)
            let others = try await tx.all(MonitorDevice.self, from: .monitorDevices, DocumentQuery()).filter { $0.id != id }
            let v = try form.validated(chairs: setup.chairs, others: others)
            var d: MonitorDevice
            if let id {
                guard let existing = try await tx.get(MonitorDevice.self, from: .monitorDevices, id: id.rawValue.uuidString) else {
                    throw ClinicError.notFound("monitor \(id.rawValue)")
                }
                d = existing
                d.updatedAt = now
            } else {
                d = MonitorDevice(id: MonitorDevice.ID(self.ids.next()), name: v.name, sourceAddress: v.address, sendingApplication: v.application,
                                  sendingFacility: v.facility, chairID: v.chair, active: v.active, createdAt: now, updatedAt: now)
            }
            d.name = v.name
            d.sourceAddress = v.address
            d.sendingApplication = v.application
            d.sendingFacility = v.facility
            d.chairID = v.chair
            d.active = v.active
            try await tx.put(d, in: .monitorDevices, id: d.id.rawValue.uuidString,
                             index: DocumentIndex(refID: d.chairID?.rawValue.uuidString, status: d.active ? "active" : "retired"))
            try await self.audit(tx, actor, AccessRequest(id == nil ? .create : .update, .monitorDevices, id: d.id.rawValue.uuidString),
                                 detail: id == nil ? "registered" : "changed")
            return d
        }
        try await loadMonitoring()
        return device
    }

    // MARK: - Filing messages from monitors

    /// Files a batch of monitor messages in one transaction: each is stored once (a resend is a duplicate), filed under
    /// the session of the patient in the monitor's chair or quarantined with its reason, and audited per monitor and
    /// session each minute. Returns one outcome per message, in order, only after the commit — the caller may then
    /// acknowledge (AA). Alarm monitors see the new values right after the commit.
    public func fileVitalMessages(_ messages: [IncomingVitalMessage]) async throws -> [VitalFilingOutcome] {
        if monitoring.state.withLock({ $0.loadedAt == nil }) { try await loadMonitoring() }
        return try await filing.run { try await fileSerially(messages) }
    }

    private func fileSerially(_ messages: [IncomingVitalMessage]) async throws -> [VitalFilingOutcome] {
        let now = clock.now
        let minute = Int64(now.timeIntervalSince1970 / 60)
        var rows: [StoredVitalMessage] = []
        var routed: [(key: VitalMessageKey, session: ChairOccupancy?, reason: String)] = []
        var auditCandidates: [String: AuditEvent] = [:]
        var seenInBatch = Set<VitalMessageKey>()
        var filedObservations: [VitalMessageKey: [VitalObservation]] = [:]
        var lastIntermittent: [InfusionSession.ID: [VitalParameter: Date]] = [:]
        // Made once per batch, not once per message: each source address normalised, each (monitor, session) audit key.
        var addresses: [String: String] = [:]
        var auditKeys: [AuditPair: String] = [:]
        monitoring.state.withLock { s in
            lastIntermittent = s.lastIntermittent
            for m in messages {
                let address: String
                if let known = addresses[m.sourceAddress] {
                    address = known
                } else {
                    address = IPAddressText.normalised(m.sourceAddress) ?? m.sourceAddress
                    addresses[m.sourceAddress] = address
                }
                let r = monitoring.route(m, in: s, address: address)
                let key = VitalMessageKey(sender: m.sender, controlID: m.controlID)
                routed.append((key, r.session, r.reason))
                guard seenInBatch.insert(key).inserted else { continue }
                if let session = r.session?.sessionID {
                    // A cuff reading repeated in later messages (same or older time) is the same reading: kept once.
                    var last = lastIntermittent[session] ?? [:]
                    filedObservations[key] = m.observations.filter { o in
                        guard o.parameter.measurement == .intermittent else { return true }
                        if let seen = last[o.parameter], o.observedAt <= seen { return false }
                        last[o.parameter] = o.observedAt
                        return true
                    }
                    lastIntermittent[session] = last
                }
                rows.append(StoredVitalMessage(sender: key.sender, controlID: key.controlID, deviceID: r.device?.id, sourceAddress: m.sourceAddress,
                                               receivedAt: m.receivedAt, sessionID: r.session?.sessionID,
                                               status: r.session == nil ? .quarantined : .filed, reason: r.reason, body: m.raw))
                let pair = AuditPair(device: r.device?.id, sender: r.device == nil ? key.sender : "", session: r.session?.sessionID)
                let auditKey: String
                if let known = auditKeys[pair] {
                    auditKey = known
                } else {
                    auditKey = (r.device?.id.rawValue.uuidString ?? key.sender) + "|" + (r.session?.sessionID.rawValue.uuidString ?? "quarantine")
                    auditKeys[pair] = auditKey
                }
                if s.audited[auditKey] != minute, auditCandidates[auditKey] == nil {
                    let who = r.device?.id.rawValue.uuidString ?? key.sender
                    auditCandidates[auditKey] = AuditEvent(at: now, actorID: who, actorRole: Role.device.rawValue, action: AccessAction.create.rawValue,
                                                           resourceType: r.session == nil ? ResourceKind.vitalsQuarantine.rawValue : ResourceKind.vitals.rawValue,
                                                           resourceID: r.session?.sessionID.rawValue.uuidString ?? key.sender, outcome: .success,
                                                           client: m.sourceAddress, detail: r.session == nil ? "quarantined" : "hl7")
                }
            }
        }
        let observationsByKey = filedObservations
        let dirtyAlarms = takeDirtyAlarmMonitors()
        let audits = Array(auditCandidates.values)
        let rowsToStore = rows
        let stored: Set<VitalMessageKey>
        do {
            stored = try await store.write { tx in
                let stored = try await tx.insertVitalMessages(rowsToStore)
                var observations: [StoredVitalObservation] = []
                // Each stored message once (a resend inside the batch has one row), only those filed under a session.
                for row in rowsToStore where stored.contains(row.key) {
                    guard let session = row.sessionID else { continue }
                    for o in observationsByKey[row.key] ?? [] { observations.append(StoredVitalObservation(sessionID: session, observation: o, key: row.key)) }
                }
                try await tx.insertVitalObservations(observations)
                try await self.audit(tx, audits)
                try await self.storeAlarmMonitors(tx, dirtyAlarms)
                return stored
            }
        } catch {
            markAlarmMonitorsDirty(dirtyAlarms.map(\.sessionID))
            throw error
        }
        // After the commit: outcomes, alarm monitors, board.
        var outcomes: [VitalFilingOutcome] = []
        var firstSeen = Set<VitalMessageKey>()
        var perSession: [InfusionSession.ID: [VitalObservation]] = [:]
        var quarantined = 0
        for (key, session, reason) in routed {
            let isNew = stored.contains(key) && firstSeen.insert(key).inserted
            if !isNew { outcomes.append(.duplicate); continue }
            if let session {
                outcomes.append(.filed(session.sessionID))
                perSession[session.sessionID, default: []] += observationsByKey[key] ?? []
            } else {
                outcomes.append(.quarantined(reason))
                quarantined += 1
            }
        }
        var events: [MonitoringEvent] = []
        monitoring.state.withLock { s in
            // Only readings of messages stored now count as seen (a resend of an unstored message brings them again).
            for (sessionID, observations) in perSession {
                s.noteIntermittent(observations, session: sessionID)
            }
            for k in auditCandidates.keys { s.audited[k] = minute }
            if s.audited.count > 10_000 { s.audited = s.audited.filter { $0.value == minute } }
            var chairs = Set<Chair.ID>()
            for (sessionID, observations) in perSession {
                var latest = s.latest[sessionID] ?? LatestVitals()
                for o in observations { latest.add(o) }
                s.latest[sessionID] = latest
                let chair = s.occupancy.first { $0.value.contains { $0.sessionID == sessionID } }?.key
                if let chair { chairs.insert(chair) }
                if var m = s.monitors[sessionID] {
                    let alarmEvents = m.observe(observations, receivedAt: now)
                    s.monitors[sessionID] = m
                    if !alarmEvents.isEmpty {
                        s.dirty.insert(sessionID)
                        events += alarmEvents.map { .alarm($0, chair: chair) }
                    }
                }
            }
            events += chairs.map { .chairChanged($0) }
        }
        if quarantined > 0 { events.append(.quarantined(count: quarantined)) }
        monitoring.publish(events)
        return outcomes
    }

    /// A reading's identity within a session: the same parameter at the same time is the same cuff reading.
    private struct VitalObservationKey: Hashable {
        var parameter: VitalParameter
        /// To the microsecond, as stored.
        var observedMicroseconds: Int64
        init(_ o: VitalObservation) {
            parameter = o.parameter
            observedMicroseconds = Int64(o.observedAt.microsecondsSince1970)
        }
    }

    /// Who wrote and under what, for the per-minute audit entry of monitor writes.
    private struct AuditPair: Hashable {
        var device: MonitorDevice.ID?
        /// The sender, when no registered monitor matched.
        var sender: String
        var session: InfusionSession.ID?
    }

    func takeDirtyAlarmMonitors() -> [SessionAlarmMonitor] {
        monitoring.state.withLock { s in
            let list = s.dirty.compactMap { s.monitors[$0] }
            for id in s.dirty where s.monitors[id].map({ SessionAlarmMonitor.isFinal($0.state) }) == true { s.monitors[id] = nil }
            s.dirty.removeAll()
            return list
        }
    }

    func markAlarmMonitorsDirty(_ ids: [InfusionSession.ID]) {
        monitoring.state.withLock { s in for id in ids { s.dirty.insert(id) } }
    }

    func storeAlarmMonitors(_ tx: any ClinicRecords, _ monitors: [SessionAlarmMonitor]) async throws {
        for m in monitors {
            try await tx.put(m, in: .sessionAlarms, id: m.sessionID.rawValue.uuidString,
                             index: DocumentIndex(status: SessionAlarmMonitor.isFinal(m.state) ? "ended" : "active"))
        }
    }

    /// Once a second: confirmations, "no data", escalations and manual-vitals prompts; stores changed alarm records;
    /// re-reads the room from the store every `reloadEvery` seconds.
    public func monitoringTick(reloadEvery: TimeInterval = 5) async {
        let now = clock.now
        if let loaded = monitoring.state.withLock({ $0.loadedAt }), now.timeIntervalSince(loaded) < reloadEvery {
            // fresh enough
        } else {
            try? await loadMonitoring()
        }
        var events: [MonitoringEvent] = []
        monitoring.state.withLock { s in
            let chairOf = Dictionary(s.occupancy.flatMap { chair, list in list.map { ($0.sessionID, chair) } }, uniquingKeysWith: { a, _ in a })
            for (id, var m) in s.monitors {
                let e = m.tick(at: now)
                s.monitors[id] = m
                if !e.isEmpty {
                    s.dirty.insert(id)
                    events += e.map { .alarm($0, chair: chairOf[id]) }
                    if let c = chairOf[id] { events.append(.chairChanged(c)) }
                }
            }
        }
        let dirty = takeDirtyAlarmMonitors()
        if !dirty.isEmpty {
            do { try await store.write { tx in try await self.storeAlarmMonitors(tx, dirty) } } catch { markAlarmMonitorsDirty(dirty.map(\.sessionID)) }
        }
        monitoring.publish(events)
    }

    // MARK: - Room board

    /// Every chair with its monitor, patient, state, latest values and alarms (audited once per call).
    public func roomBoard(by actor: Actor) async throws -> [RoomBoardChair] {
        let request = AccessRequest(.list, .vitals, id: "room-board")
        try await require(actor, request)
        let setup = try await store.read { try await self.loadSetup($0) }
        if monitoring.state.withLock({ $0.loadedAt == nil }) { try await loadMonitoring() }
        let now = clock.now
        let board = monitoring.state.withLock { s in
            setup.rooms.flatMap { room in
                room.chairs.filter(\.isActive).map { chair in boardChair(chair, room: room.name, in: s, at: now) }
            }
        }
        try await recordRead(actor, request, detail: "chairs:\(board.count)")
        return board
    }

    /// One chair of the board from the live state (no store access: the board's event stream calls it often; the
    /// stream itself is audited when it opens).
    public func roomBoardChair(_ chairID: Chair.ID, setup: ClinicSetup) -> RoomBoardChair? {
        let now = clock.now
        for room in setup.rooms {
            if let chair = room.chairs.first(where: { $0.id == chairID }) {
                return monitoring.state.withLock { boardChair(chair, room: room.name, in: $0, at: now) }
            }
        }
        return nil
    }

    func boardChair(_ chair: Chair, room: String, in s: MonitoringCenter.State, at now: Date) -> RoomBoardChair {
        let occupant = s.occupancy[chair.id]?.last(where: { !$0.state.isFinal && $0.covers(now) })
        let monitor = occupant.flatMap { s.monitors[$0.sessionID] }
        return RoomBoardChair(chair: chair, roomName: room, device: s.devices.first { $0.active && $0.chairID == chair.id }, occupancy: occupant,
                              latest: occupant.flatMap { s.latest[$0.sessionID] } ?? LatestVitals(),
                              activeAlarms: monitor?.activeAlarms ?? [], prompts: monitor?.prompts ?? [], actions: monitor?.policy.actions ?? s.policy.actions)
    }

    /// The clinic set-up (for the board's stream, which redraws chairs by id).
    public func boardSetup(by actor: Actor) async throws -> ClinicSetup {
        try await require(actor, AccessRequest(.list, .vitals, id: "room-board"))
        return try await store.read { try await self.loadSetup($0) }
    }

    // MARK: - A session's monitoring record and its alarms

    /// Every filed observation of a session and its alarm record (audited read).
    public func sessionMonitoring(_ id: InfusionSession.ID, by actor: Actor) async throws -> SessionMonitoringRecord {
        guard let r = try await store.read({ try await $0.get(SessionRecord.self, from: .infusionSessions, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("session \(id.rawValue)")
        }
        let request = AccessRequest(.read, .vitals, patient: r.session.patientID, id: id.rawValue.uuidString)
        try await require(actor, request)
        let observations = try await store.read { try await $0.vitalObservations(session: id, since: nil) }
        var monitor = monitoring.state.withLock { $0.monitors[id] }
        if monitor == nil { monitor = try await store.read { try await $0.get(SessionAlarmMonitor.self, from: .sessionAlarms, id: id.rawValue.uuidString) } }
        try await recordRead(actor, request, detail: "observations:\(observations.count)")
        return SessionMonitoringRecord(observations: observations, alarms: monitor?.history ?? [], prompts: monitor?.promptHistory ?? [],
                                       thresholds: monitor?.thresholds ?? .clinicalReferenceDefaults, actions: monitor?.policy.actions ?? .standard)
    }

    /// Acknowledges an alarm (nurse, physician): who and when go into the alarm record and the audit trail.
    public func acknowledgeAlarm(session id: InfusionSession.ID, sequence: Int, by actor: Actor) async throws -> AlarmEvent {
        guard let r = try await store.read({ try await $0.get(SessionRecord.self, from: .infusionSessions, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("session \(id.rawValue)")
        }
        let request = AccessRequest(.update, .alarms, patient: r.session.patientID, id: id.rawValue.uuidString)
        try await require(actor, request)
        let now = clock.now
        let (event, snapshot): (AlarmEvent, SessionAlarmMonitor) = try monitoring.state.withLock { s in
            guard var m = s.monitors[id] else { throw ClinicError.conflict("This session's alarms are no longer live (the session has ended).") }
            let e = try m.acknowledge(AlarmID(session: id, sequence: sequence), by: actor.userID, at: now)
            // One cuff reading raises a systolic and a diastolic alarm: acknowledging one acknowledges the other
            // pressure alarms waiting on the same cuff, since the nurse answers the reading, not each number.
            let cuff: Set<VitalParameter> = [.systolic, .diastolic, .meanPressure]
            if let acked = m.history.first(where: { $0.id.sequence == sequence }), cuff.contains(acked.parameter) {
                for other in m.activeAlarms where other.id.sequence != sequence && cuff.contains(other.parameter)
                    && other.priority.needsAcknowledgement && !other.isAcknowledged {
                    _ = try? m.acknowledge(other.id, by: actor.userID, at: now)
                }
            }
            s.monitors[id] = m
            return (e, m)
        }
        try await store.write { tx in
            try await self.storeAlarmMonitors(tx, [snapshot])
            try await self.audit(tx, actor, request, detail: "acknowledged-alarm:\(sequence)")
        }
        monitoring.publish([.alarm(event, chair: r.chairID)] + (r.chairID.map { [.chairChanged($0)] } ?? []))
        return event
    }

    // MARK: - Quarantine

    /// Messages waiting for staff, newest first.
    public func quarantinedMessages(limit: Int = 200, by actor: Actor) async throws -> [StoredVitalMessage] {
        let request = AccessRequest(.list, .vitalsQuarantine)
        try await require(actor, request)
        let list = try await store.read { try await $0.vitalMessages(status: .quarantined, limit: limit) }
        try await recordRead(actor, request, detail: "messages:\(list.count)")
        return list
    }

    /// Files a quarantined message under a session (nurse, physician): its observations become that session's vitals.
    public func assignQuarantined(_ key: VitalMessageKey, to sessionID: InfusionSession.ID, observations: [VitalObservation],
                                  by actor: Actor) async throws {
        guard let r = try await store.read({ try await $0.get(SessionRecord.self, from: .infusionSessions, id: sessionID.rawValue.uuidString) }) else {
            throw ClinicError.invalid("sessionID", "No such session.")
        }
        let request = AccessRequest(.update, .vitalsQuarantine, patient: r.session.patientID, id: key.sender + "/" + key.controlID)
        try await require(actor, request)
        // In turn with the monitors' batches, so that a cuff reading is stored once whichever comes first: the monitor
        // repeating a reading filed here, or a reading the monitor already repeated under the session.
        try await filing.run {
            try await store.write { tx in
                guard let m = try await tx.vitalMessage(key), m.status == .quarantined else {
                    throw ClinicError.conflict("This message is no longer in quarantine.")
                }
                let cuff = observations.filter { $0.parameter.measurement == .intermittent }
                var stored = Set<VitalObservationKey>()
                if let earliest = cuff.map(\.observedAt).min() {
                    for o in try await tx.vitalObservations(session: sessionID, since: earliest) where o.parameter.measurement == .intermittent {
                        stored.insert(VitalObservationKey(o))
                    }
                }
                let new = observations.filter { $0.parameter.measurement != .intermittent || !stored.contains(VitalObservationKey($0)) }
                try await tx.updateVitalMessage(key, status: .assigned, sessionID: sessionID, reason: m.reason + " — filed by staff")
                try await tx.insertVitalObservations(new.map { StoredVitalObservation(sessionID: sessionID, observation: $0, key: key) })
                try await self.audit(tx, actor, request, detail: "assigned")
            }
            // A cuff reading filed by staff is seen: the monitor repeating it in later messages does not store it again.
            monitoring.state.withLock { $0.noteIntermittent(observations, session: sessionID) }
        }
        monitoring.publish([.quarantined(count: 0)] + (r.chairID.map { [.chairChanged($0)] } ?? []))
    }

    /// Sets a quarantined message aside with a reason (e.g. a test message); it stays stored.
    public func dismissQuarantined(_ key: VitalMessageKey, reason: String, by actor: Actor) async throws {
        let request = AccessRequest(.update, .vitalsQuarantine, id: key.sender + "/" + key.controlID)
        try await require(actor, request)
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw ClinicError.invalid("reason", "Say why this message is set aside.") }
        try await store.write { tx in
            guard let m = try await tx.vitalMessage(key), m.status == .quarantined else {
                throw ClinicError.conflict("This message is no longer in quarantine.")
            }
            try await tx.updateVitalMessage(key, status: .dismissed, sessionID: nil, reason: m.reason + " — set aside: " + why)
            try await self.audit(tx, actor, request, detail: "dismissed")
        }
        monitoring.publish([.quarantined(count: 0)])
    }

    /// How many messages wait in quarantine (for the banner staff see).
    public func quarantineCount() async throws -> Int {
        try await store.read { try await $0.countVitalMessages(status: .quarantined) }
    }
}

extension Clinic {
    /// How long a monitor's API token lives (a device has no one to sign in again; an admin reissues or retires it).
    public static let deviceTokenLifetime: TimeInterval = 365 * 86_400

    /// Issues a JSON API token for a monitor (admin): the monitor's `device` account is made on first use, every
    /// earlier token of it is revoked, and the new token is returned once (only its hash is stored).
    public func issueMonitorToken(_ id: MonitorDevice.ID, by actor: Actor) async throws -> String {
        let request = AccessRequest(.update, .monitorDevices, id: id.rawValue.uuidString)
        try await require(actor, request)
        let now = clock.now
        let raw = Self.newToken()
        let accountID = User.ID(ids.next())
        let account: User.ID? = try await store.write { tx in
            guard var device = try await tx.get(MonitorDevice.self, from: .monitorDevices, id: id.rawValue.uuidString) else {
                throw ClinicError.notFound("monitor \(id.rawValue)")
            }
            guard device.active else { throw ClinicError.conflict("\(device.name) is retired: put it back in service first.") }
            if let existing = device.accountID {
                try await tx.revokeTokens(of: existing, except: nil)
            } else {
                // A device account cannot sign in with a password: its hash is not a bcrypt hash.
                let user = User(id: accountID, email: "monitor-\(id.rawValue.uuidString.lowercased())@devices.invalid", displayName: device.name,
                                role: .device, createdAt: now)
                try await tx.insert(user, passwordHash: "!device")
                device.accountID = accountID
                try await tx.put(device, in: .monitorDevices, id: device.id.rawValue.uuidString,
                                 index: DocumentIndex(refID: device.chairID?.rawValue.uuidString, status: device.active ? "active" : "retired"))
            }
            try await tx.insert(AuthToken(hash: Self.tokenHash(raw), userID: device.accountID!, kind: .api, csrf: Self.newToken(),
                                          createdAt: now, lastSeenAt: now, expiresAt: now.addingTimeInterval(Self.deviceTokenLifetime)))
            try await self.audit(tx, actor, request, detail: "issued-api-token")
            return device.accountID
        }
        // Earlier tokens stop working on this instance at once (the sign-in cache forgets them).
        if let account { sessions.remove(user: account) }
        try await loadMonitoring()
        return raw
    }

    /// Vitals posted to the JSON API by a monitor with its `device` token: filed exactly as if they came over MLLP
    /// from that monitor (same routing, quarantine, de-duplication by control id, alarms).
    public func postVitals(controlID: String, patientIdentifier: String?, observations: [VitalObservation], raw: String,
                           by actor: Actor) async throws -> VitalFilingOutcome {
        try await require(actor, AccessRequest(.create, .vitals))
        var errors = FieldErrors()
        let id = controlID.trimmingCharacters(in: .whitespaces)
        if id.isEmpty || id.count > 199 { errors.add("controlId", "Give each message its own id (1 to 199 characters); a resend keeps it.") }
        if observations.isEmpty { errors.add("observations", "Send at least one observation.") }
        for (i, o) in observations.enumerated() where !o.value.isFinite || abs(o.value) > 100_000 {
            errors.add("observations[\(i)].value", "Must be a finite number.")
        }
        try errors.throwIfAny()
        guard let device = monitoring.state.withLock({ s in s.devices.first { $0.accountID == actor.userID } }) else {
            throw ClinicError.forbidden("This token belongs to no registered monitor.")
        }
        let message = IncomingVitalMessage(sourceAddress: device.sourceAddress, sendingApplication: device.sendingApplication,
                                           sendingFacility: device.sendingFacility, controlID: id, patientIdentifier: patientIdentifier,
                                           observations: observations, raw: raw, receivedAt: clock.now)
        return try await fileVitalMessages([message])[0]
    }
}
