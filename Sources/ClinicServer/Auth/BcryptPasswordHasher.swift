import ClinicCore
import HummingbirdBcrypt
import NIOPosix

/// Bcrypt on a small thread pool of its own, never the one that runs SQLite (DESIGN §4).
public final class BcryptPasswordHasher: PasswordHasher {
    let pool: NIOThreadPool
    let cost: UInt8

    /// Cost 12 in production; tests pass a lower cost to stay fast.
    public init(cost: UInt8 = 12, threads: Int = 2) {
        self.cost = cost
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    deinit { pool.shutdownGracefully { _ in } }
}
