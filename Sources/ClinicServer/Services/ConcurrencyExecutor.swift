import Foundation
import NIOCore
import NIOPosix

extension ServerBuilder {
    /// Runs Swift Concurrency's jobs on NIO's event-loop threads (the singleton group that serves HTTP, MLLP and
    /// sqlite-nio's futures) instead of a second pool of threads. On the audited chart read every request hops
    /// event loop → task → audit group commit → thread pool → task → event loop; with one pool fewer, those hops
    /// mostly stay on the thread they are on. `DEEPRELIEF_TASKS_ON_EVENT_LOOPS=0` keeps Swift's own pool.
    /// Call once, before serving; returns whether it took effect.
    @discardableResult
    public static func runTasksOnEventLoops(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard environment["DEEPRELIEF_TASKS_ON_EVENT_LOOPS"] != "0" else { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
