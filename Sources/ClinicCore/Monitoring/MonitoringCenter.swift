import Foundation
import Synchronization

/// Something on the room board changed; subscribers (the board's Server-Sent Events) redraw that chair.
public enum MonitoringEvent: Sendable, Hashable {
    /// New values, a new state or a new patient at a chair.
    case chairChanged(Chair.ID)
    /// An alarm or prompt was raised, escalated, acknowledged or cleared.
    case alarm(AlarmEvent, chair: Chair.ID?)
    /// Messages went to quarantine: staff should look.
    case quarantined(count: Int)
}

/// Who sits in a chair: one session from check-in until it ends.
public struct ChairOccupancy: Sendable, Hashable {
    public var sessionID: InfusionSession.ID
    public var patientID: Patient.ID
    public var mrn: String
    public var patientName: String
    public var chairID: Chair.ID
    public var state: SessionState
    public var checkedInAt: Date
    /// Discharge, transfer or cancellation: messages after this belong to no one.
    public var endedAt: Date?
    public var infusionStartedAt: Date?
    /// The protocol the session runs under (its alarm limits include the protocol's layer).
    public var protocolID: InfusionProtocol.ID? = nil

    /// Whether a message received at `t` belongs to this session (DESIGN: between check-in and discharge).
    public func covers(_ t: Date) -> Bool { t >= checkedInAt && (endedAt.map { t < $0 } ?? true) }
}

/// The latest value of each parameter of a session, and a short trend for the board's sparklines.
public struct LatestVitals: Sendable, Hashable {
    public var values: [VitalParameter: VitalObservation] = [:]
    /// The last values of heart rate, SpO₂ and systolic pressure, oldest first (at most `trendLength`).
    public var trends: [VitalParameter: [Double]] = [:]
    public static let trendLength = 60
    public static let trended: Set<VitalParameter> = [.heartRate, .oxygenSaturation, .systolic]

    mutating func add(_ o: VitalObservation) {
        if let current = values[o.parameter], current.observedAt > o.observedAt { return }
        values[o.parameter] = o
        if LatestVitals.trended.contains(o.parameter) {
            var t = trends[o.parameter] ?? []
            t.append(o.value)
            if t.count > LatestVitals.trendLength { t.removeFirst(t.count - LatestVitals.trendLength) }
            trends[o.parameter] = t
        }
    }
}

/// The live state of the room, held in memory by this instance: registered monitors, who sits in which chair, each
/// session's alarm monitor and latest values. Filled from the store at start and kept current by `Clinic`'s writes;
/// re-read from the store every few seconds so another instance's check-ins show up.
public final class MonitoringCenter: Sendable {
    struct State: Sendable {
        var loadedAt: Date?
        var devices: [MonitorDevice] = []
        var devicesByAddress: [String: [MonitorDevice]] = [:]
        var occupancy: [Chair.ID: [ChairOccupancy]] = [:]
        var monitors: [InfusionSession.ID: SessionAlarmMonitor] = [:]
        var latest: [InfusionSession.ID: LatestVitals] = [:]
        /// Manual readings already given to the alarm monitor, per session.
        var manualReadingsSeen: [InfusionSession.ID: Int] = [:]
        /// Monitors whose alarm record changed and is not stored yet.
        var dirty: Set<InfusionSession.ID> = []
        /// (sender or device, session or quarantine) → the minute last audited.
        var audited: [String: Int64] = [:]
        /// The time of the last intermittent reading (cuff) filed per session and parameter: a monitor repeats its last
        /// cuff reading in every numerics message, and it is one reading, stored and alarmed on once.
        var lastIntermittent: [InfusionSession.ID: [VitalParameter: Date]] = [:]
        /// When each active session's last stored cuff reading was last read from the store (filing keeps
        /// `lastIntermittent` current in between).
        var intermittentLoadedAt: [InfusionSession.ID: Date] = [:]
        /// The clinic's alarm settings that new alarm monitors start with.
        var policy: AlarmPolicy = .standard
    }

    let state = Mutex(State())
    private let subscribers = Mutex<[UUID: AsyncStream<MonitoringEvent>.Continuation]>([:])

    init() {}

    // MARK: Subscriptions

    /// A stream of board events for one subscriber; it ends when the subscriber stops reading.
    public func subscribe() -> AsyncStream<MonitoringEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<MonitoringEvent>.makeStream(bufferingPolicy: .bufferingNewest(512))
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { $0[id] = nil } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Whether the room has been read from the store at least once.
    public var isLoaded: Bool { state.withLock { $0.loadedAt != nil } }

    /// The registered monitors' names by id (as last loaded, retired ones too): who wrote, in the audit log.
    public func deviceNames() -> [String: String] {
        state.withLock { Dictionary($0.devices.map { ($0.id.rawValue.uuidString, $0.name) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// How many board streams are open (for metrics and tests).
    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    func publish(_ events: [MonitoringEvent]) {
        guard !events.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for c in targets { for e in events { c.yield(e) } }
    }

    // MARK: Routing

    /// Whether any registered monitor connects from this address (connections from others are refused).
    public func isRegistered(address: String) -> Bool {
        guard let a = IPAddressText.normalised(address) else { return false }
        return state.withLock { $0.devicesByAddress[a] != nil }
    }

    /// Where a message goes: a session, or quarantine with the reason in words (no patient data in the reason).
    /// `address`: `m.sourceAddress` normalised, when the caller already has it (a batch normalises each address once).
    func route(_ m: IncomingVitalMessage, in s: State, address: String? = nil) -> (device: MonitorDevice?, session: ChairOccupancy?, reason: String) {
        let address = address ?? IPAddressText.normalised(m.sourceAddress) ?? m.sourceAddress
        guard let device = s.devicesByAddress[address]?.first(where: {
            $0.sendingApplication == m.sendingApplication && $0.sendingFacility == m.sendingFacility
        }) else {
            return (nil, nil, "No monitor registered at \(address) sends as \(m.sendingApplication)/\(m.sendingFacility).")
        }
        guard device.active else { return (device, nil, "\(device.name) is retired.") }
        guard let chair = device.chairID else { return (device, nil, "\(device.name) is not assigned to a chair.") }
        guard let session = s.occupancy[chair]?.last(where: { $0.covers(m.receivedAt) }) else {
            return (device, nil, "No patient was checked in at \(device.name)'s chair when the message arrived.")
        }
        if let pid = m.patientIdentifier?.trimmingCharacters(in: .whitespaces), !pid.isEmpty,
           pid.caseInsensitiveCompare(session.mrn) != .orderedSame,
           pid.caseInsensitiveCompare(session.patientID.rawValue.uuidString) != .orderedSame {
            return (device, nil, "The message names another patient than the one checked in at \(device.name)'s chair.")
        }
        return (device, session, "")
    }

    // MARK: Loading

    func replace(devices: [MonitorDevice], occupancy: [ChairOccupancy], monitors: [InfusionSession.ID: SessionAlarmMonitor],
                 manualSeen: [InfusionSession.ID: Int], at now: Date, also: (inout State) -> Void = { _ in }) {
        state.withLock { s in
            also(&s)
            s.devices = devices
            s.devicesByAddress = Dictionary(grouping: devices, by: { IPAddressText.normalised($0.sourceAddress) ?? $0.sourceAddress })
            s.occupancy = Dictionary(grouping: occupancy, by: \.chairID).mapValues { $0.sorted { $0.checkedInAt < $1.checkedInAt } }
            // Keep the running monitors (their confirmation windows); add those not running yet.
            for (id, m) in monitors where s.monitors[id] == nil {
                s.monitors[id] = m
                s.manualReadingsSeen[id] = manualSeen[id] ?? 0
            }
            s.loadedAt = now
        }
    }
}

extension MonitoringCenter.State {
    /// Records the intermittent (cuff) readings among `observations` as seen for `session`: the latest time per parameter.
    mutating func noteIntermittent(_ observations: [VitalObservation], session: InfusionSession.ID) {
        for o in observations where o.parameter.measurement == .intermittent {
            noteIntermittent(o.parameter, at: o.observedAt, session: session)
        }
    }

    /// Records these latest times per parameter as seen for `session`, keeping any later one already known.
    mutating func noteIntermittent(_ times: [VitalParameter: Date], session: InfusionSession.ID) {
        for (p, t) in times { noteIntermittent(p, at: t, session: session) }
    }

    /// Records one reading's time as seen, unless a later one of the parameter is already known.
    mutating func noteIntermittent(_ parameter: VitalParameter, at time: Date, session: InfusionSession.ID) {
        if (lastIntermittent[session]?[parameter]).map({ $0 < time }) ?? true {
            lastIntermittent[session, default: [:]][parameter] = time
        }
    }
}
