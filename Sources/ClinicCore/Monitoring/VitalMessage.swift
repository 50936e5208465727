import Foundation

/// A vital-signs message as it arrived from a monitor, already parsed by the ingest layer (ClinicHL7).
public struct IncomingVitalMessage: Sendable, Hashable {
    /// The IP address of the connection it came on.
    public var sourceAddress: String
    /// MSH-3 namespace id.
    public var sendingApplication: String
    /// MSH-4 namespace id.
    public var sendingFacility: String
    /// MSH-10: with the sender, the key that makes a resend a duplicate.
    public var controlID: String
    /// PID-3's first identifier, when the message names the patient.
    public var patientIdentifier: String?
    /// The mapped observations (ORU^R01 OBX segments).
    public var observations: [VitalObservation]
    /// The message text as received, stored with it.
    public var raw: String
    /// When the server received it.
    public var receivedAt: Date

    public init(sourceAddress: String, sendingApplication: String, sendingFacility: String, controlID: String,
                patientIdentifier: String?, observations: [VitalObservation], raw: String, receivedAt: Date) {
        self.sourceAddress = sourceAddress
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.controlID = controlID
        self.patientIdentifier = patientIdentifier
        self.observations = observations
        self.raw = raw
        self.receivedAt = receivedAt
    }

    /// MSH-3|MSH-4, stored beside the control id.
    public var sender: String { MonitorDevice.senderKey(application: sendingApplication, facility: sendingFacility) }
}

/// What happened to one incoming message.
public enum VitalFilingOutcome: Sendable, Hashable {
    /// Stored and filed under the session of the patient in the monitor's chair.
    case filed(InfusionSession.ID)
    /// Stored, not shown as anyone's vitals, and flagged for staff.
    case quarantined(String)
    /// A resend of a message already stored: acknowledged again, not stored twice.
    case duplicate
}

/// Where a stored message stands.
public enum VitalMessageStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Filed under a session.
    case filed
    /// Waiting for staff: no registered device or chair, no session, or a patient mismatch.
    case quarantined
    /// Quarantined, then filed by staff under a session.
    case assigned
    /// Quarantined, then set aside by staff with a reason (e.g. a test message).
    case dismissed
}

/// A message as stored.
public struct StoredVitalMessage: Sendable, Hashable {
    public var sender: String
    public var controlID: String
    public var deviceID: MonitorDevice.ID?
    public var sourceAddress: String
    public var receivedAt: Date
    public var sessionID: InfusionSession.ID?
    public var status: VitalMessageStatus
    /// Why it was quarantined, dismissed or assigned (who and why), in words without patient data.
    public var reason: String
    /// The HL7 text.
    public var body: String

    public init(sender: String, controlID: String, deviceID: MonitorDevice.ID?, sourceAddress: String, receivedAt: Date,
                sessionID: InfusionSession.ID?, status: VitalMessageStatus, reason: String, body: String) {
        self.sender = sender
        self.controlID = controlID
        self.deviceID = deviceID
        self.sourceAddress = sourceAddress
        self.receivedAt = receivedAt
        self.sessionID = sessionID
        self.status = status
        self.reason = reason
        self.body = body
    }

    /// The de-duplication key.
    public var key: VitalMessageKey { VitalMessageKey(sender: sender, controlID: controlID) }
}

/// A message's identity: its sender (MSH-3|MSH-4) and control id (MSH-10).
public struct VitalMessageKey: Sendable, Hashable {
    public var sender: String
    public var controlID: String
    public init(sender: String, controlID: String) {
        self.sender = sender
        self.controlID = controlID
    }
}

/// One observation filed under a session, with the message it came from.
public struct StoredVitalObservation: Sendable, Hashable {
    public var sessionID: InfusionSession.ID
    public var observation: VitalObservation
    public var key: VitalMessageKey

    public init(sessionID: InfusionSession.ID, observation: VitalObservation, key: VitalMessageKey) {
        self.sessionID = sessionID
        self.observation = observation
        self.key = key
    }
}
