import ClinicCore
import Foundation
import Synchronization

/// Group commit for monitor messages: every message that arrives while a batch is being written goes into the next
/// batch, written by `Clinic.fileVitalMessages` with one multi-row statement per table. Each completion runs only
/// after its batch committed (or failed), so the listener acknowledges nothing that is not durable.
final class VitalsBatcher: Sendable {
    typealias Completion = @Sendable (Result<VitalFilingOutcome, any Error>) -> Void
    struct Pending: Sendable {
        var message: IncomingVitalMessage
        var completion: Completion
    }
    struct State: Sendable {
        var pending: [Pending] = []
        var flushing = false
    }

    let clinic: Clinic
    let maxBatch: Int
    private let state = Mutex(State())
    /// Called after each batch with its size and how long the write took (metrics).
    let onBatch: @Sendable (Int, Duration) -> Void

    init(clinic: Clinic, maxBatch: Int = 4000, onBatch: @escaping @Sendable (Int, Duration) -> Void = { _, _ in }) {
        self.clinic = clinic
        self.maxBatch = maxBatch
        self.onBatch = onBatch
    }

    /// Queues a message; `completion` runs once its batch has committed (or failed).
    func submit(_ message: IncomingVitalMessage, completion: @escaping Completion) {
        let start = state.withLock { s -> Bool in
            s.pending.append(Pending(message: message, completion: completion))
            if s.flushing { return false }
            s.flushing = true
            return true
        }
        if start { Task { await self.flush() } }
    }

    /// Files a message and waits for its outcome (for the JSON API and tests).
    func file(_ message: IncomingVitalMessage) async throws -> VitalFilingOutcome {
        try await withCheckedThrowingContinuation { c in submit(message) { c.resume(with: $0) } }
    }

    private func flush() async {
        while true {
            let batch: [Pending] = state.withLock { s in
                guard !s.pending.isEmpty else {
                    s.flushing = false
                    return []
                }
                let n = min(s.pending.count, maxBatch)
                let batch = Array(s.pending.prefix(n))
                s.pending.removeFirst(n)
                return batch
            }
            if batch.isEmpty { return }
            let clock = ContinuousClock()
            let started = clock.now
            do {
                let outcomes = try await clinic.fileVitalMessages(batch.map(\.message))
                onBatch(batch.count, clock.now - started)
                for (p, o) in zip(batch, outcomes) { p.completion(.success(o)) }
            } catch {
                for p in batch { p.completion(.failure(error)) }
            }
        }
    }
}
