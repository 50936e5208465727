import ClinicCore
import Foundation
import NIOCore
import Synchronization

/// Group commit for monitor messages: every message that arrives while a batch is being written goes into the next
/// batch, written by `Clinic.fileVitalMessages` with one multi-row statement per table. Each completion runs only
/// after its batch committed (or failed), so the listener acknowledges nothing that is not durable.
final class VitalsBatcher: Sendable {
    typealias Completion = @Sendable (Result<VitalFilingOutcome, any Error>) -> Void
    /// Where a completion runs: on its connection's event loop. A batch hands each event loop all of its completions
    /// in one task, then flushes each channel they wrote to once — not one cross-thread hop and one write system call
    /// per message.
    struct Delivery: Sendable {
        var loop: any EventLoop
        var channel: any Channel
    }
    struct Pending: Sendable {
        var message: IncomingVitalMessage
        var completion: Completion
        var delivery: Delivery?
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

    /// Queues a message; `completion` runs once its batch has committed (or failed): on `delivery`'s event loop when
    /// given, else on the task that wrote the batch.
    func submit(_ message: IncomingVitalMessage, delivery: Delivery? = nil, completion: @escaping Completion) {
        let start = state.withLock { s -> Bool in
            s.pending.append(Pending(message: message, completion: completion, delivery: delivery))
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
                if s.pending.count <= maxBatch {
                    defer { s.pending = [] }
                    return s.pending
                }
                let batch = Array(s.pending.prefix(maxBatch))
                s.pending.removeFirst(maxBatch)
                return batch
            }
            if batch.isEmpty { return }
            let clock = ContinuousClock()
            let started = clock.now
            do {
                let outcomes = try await clinic.fileVitalMessages(batch.map(\.message))
                onBatch(batch.count, clock.now - started)
                deliver(batch) { .success(outcomes[$0]) }
            } catch {
                deliver(batch) { _ in .failure(error) }
            }
        }
    }

    /// Runs each completion with its result: those without a delivery here, the others grouped by event loop.
    private func deliver(_ batch: [Pending], _ result: (Int) -> Result<VitalFilingOutcome, any Error>) {
        struct Group {
            var loop: any EventLoop
            var items: [(Completion, Result<VitalFilingOutcome, any Error>)] = []
            var channels: [any Channel] = []
            var seen = Set<ObjectIdentifier>()
        }
        var groups: [ObjectIdentifier: Group] = [:]
        for (index, p) in batch.enumerated() {
            let r = result(index)
            guard let d = p.delivery else {
                p.completion(r)
                continue
            }
            let id = ObjectIdentifier(d.loop)
            if groups[id] == nil { groups[id] = Group(loop: d.loop) }
            groups[id]!.items.append((p.completion, r))
            if groups[id]!.seen.insert(ObjectIdentifier(d.channel)).inserted { groups[id]!.channels.append(d.channel) }
        }
        for group in groups.values {
            let items = group.items
            let channels = group.channels
            group.loop.execute {
                for (completion, r) in items { completion(r) }
                for channel in channels { channel.flush() }
            }
        }
    }
}
