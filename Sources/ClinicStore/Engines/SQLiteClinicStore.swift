import ClinicCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded store: one SQLite file in WAL mode. Writes go through a single connection, one transaction at a
/// time (`BEGIN IMMEDIATE`); reads share a small pool of connections that WAL lets run beside the writer (DESIGN §5).
public final class SQLiteClinicStore: ClinicStore {
    public let path: String
    public var engine: String { "sqlite" }
    let writer: SQLiteConnection
    let readers: [SQLiteConnection]
    let writeLock = SerialLock()
    /// A connection of its own for the background WAL checkpoints.
    let checkpointer: SQLiteConnection
    let checkpoints: Task<Void, Never>
    let nextReader = Atomic<Int>(0)
    /// The audit chain head as this process last committed it (the writer's appends need not read it first).
    let auditHeads = SQLiteAuditHeadCache()

    /// Opens (creating if needed) the database file and applies the per-connection settings.
    public static func open(path: String, readers readerCount: Int = 4, logger: Logger = Logger(label: "deeprelief.sqlite")) async throws -> SQLiteClinicStore {
        let writer = try await openConnection(path: path, logger: logger)
        // A new database gets pages of `newDatabasePageSize`; an existing one keeps its own (in WAL mode SQLite ignores
        // the pragma, and changing it would need a VACUUM).
        _ = try await writer.query("PRAGMA page_size=\(newDatabasePageSize)")
        // WAL is a property of the file; set it once from the writer.
        _ = try await writer.query("PRAGMA journal_mode=WAL")
        // Checkpoints run beside the writer (see `checkpointEvery`); the writer's own automatic checkpoint stays as a
        // backstop, at 10,000 pages, and then finds almost everything already copied.
        _ = try await writer.query("PRAGMA wal_autocheckpoint=\(writerCheckpointPages)")
        var readers: [SQLiteConnection] = []
        for _ in 0..<max(readerCount, 1) { readers.append(try await openConnection(path: path, logger: logger)) }
        let checkpointer = try await openConnection(path: path, logger: logger)
        return SQLiteClinicStore(path: path, writer: writer, readers: readers, checkpointer: checkpointer)
    }

    /// The page size of a database this store creates (SQLite's default is 4,096). Monitor ingest commits thousands of
    /// rows at a time, and with 16 KiB pages it writes a quarter of the WAL frames (each a header, a checksum and a
    /// system call), which measured 10–13 % more messages per second at 100 monitor connections; the audited chart read
    /// and the staff pages measured the same as with 4 KiB pages (BENCHMARKS.md, 2026-12-07).
    static let newDatabasePageSize = 16_384
    /// WAL pages after which the writer checkpoints itself (SQLite's default is 1,000).
    static let writerCheckpointPages = 10_000
    /// How often the checkpointer copies committed pages from the WAL into the database file.
    static let checkpointEvery: Duration = .milliseconds(500)

    static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let c = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        // Every connection, when it opens (DESIGN §5). busy_timeout replaces sqlite-nio's retry-forever handler,
        // so a second process holding the write lock makes us wait at most 15 s (SQLite's busy handler is not fair: a store committing back to back can keep another waiting for seconds under load), never forever.
        // A larger page cache and memory-mapped reads keep list and search pages out of the kernel's read path.
        // Statement journals (a multi-row INSERT's undo log within its transaction) stay in memory instead of a
        // temporary file: they never need to outlive the statement, and writing them cost a syscall per page.
        for pragma in ["PRAGMA busy_timeout=15000", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                       "PRAGMA cache_size=-32768", "PRAGMA mmap_size=268435456", "PRAGMA temp_store=MEMORY"] {
            _ = try await c.query(pragma)
        }
        return c
    }

    init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection], checkpointer: SQLiteConnection) {
        self.path = path
        self.writer = writer
        self.readers = readers
        self.checkpointer = checkpointer
        // A passive checkpoint copies what is committed without waiting for, or blocking, the writer or readers, so
        // the copying (and the database file's fsync) is no longer done inside whichever commit crossed SQLite's
        // 1,000-page threshold: that commit — an acknowledged monitor batch or a batch of audited reads — used to wait
        // for it (tens of milliseconds after heavy ingest).
        checkpoints = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.checkpointEvery)
                if Task.isCancelled { break }
                _ = try? await checkpointer.query("PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
    }

    var writerSQL: any SQLDatabase { writer.sql() }

    public func write<T: Sendable>(_ work: @Sendable (any ClinicRecords) async throws -> T) async throws -> T {
        let db = writerSQL
        let writer = self.writer
        let auditHeads = self.auditHeads
        return try await writeLock.withLock {
            var attempt = 0
            while true {
                attempt += 1
                try await Self.beginImmediate(db)
                let heads = SQLiteTransactionAuditHead(cache: auditHeads)
                do {
                    let result = try await work(SQLRecords(db: db, dialect: .sqlite, sqlite: writer, auditHeads: heads))
                    try await db.raw("COMMIT").run()
                    if let latest = heads.latest { auditHeads.set(latest) }
                    return result
                } catch is StaleAuditHead where attempt == 1 {
                    // Another process appended to the audit chain since our last commit: again, from the stored head.
                    try? await db.raw("ROLLBACK").run()
                    auditHeads.set(nil)
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    /// Opens the write transaction. Another process on the same file (the CLI beside the server) may hold the write lock
    /// longer than `busy_timeout` under load, and SQLite's busy handler is not fair; since nothing has been done yet,
    /// trying again is safe, so a busy start is retried with a short pause (off the thread pool) for up to a minute.
    static func beginImmediate(_ db: any SQLDatabase) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                try await db.raw("BEGIN IMMEDIATE").run()
                return
            } catch let e as SQLiteError where [.busy, .busyTimeout, .locked].contains(e.reason) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...25)))
            }
        }
    }

    public func read<T: Sendable>(_ work: @Sendable (any ClinicRecords) async throws -> T) async throws -> T {
        let i = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        let conn = readers[abs(i) % readers.count]
        return try await work(SQLRecords(db: conn.sql(), dialect: .sqlite, sqlite: conn))
    }

    /// Applies pending migrations (under the write lock).
    public func migrate() async throws {
        let db = writerSQL
        try await writeLock.withLock {
            try await Migrator(db: db, dialect: .sqlite).migrate()
            auditHeads.set(nil)
        }
    }

    public func isHealthy() async -> Bool {
        (try? await readers[0].sql().raw("SELECT 1 AS ok").first()) != nil
    }

    /// Closes every connection.
    public func close() async throws {
        checkpoints.cancel()
        await checkpoints.value
        try await checkpointer.close()
        for r in readers { try await r.close() }
        try await writer.close()
    }
}

extension SQLiteClinicStore {
    /// Runs raw SQL on the writer connection, outside any domain rule. For operators' repair scripts and tests only.
    public func executeRaw(_ sql: String) async throws {
        let db = writerSQL
        try await writeLock.withLock {
            try await db.raw(SQLQueryString(sql)).run()
            auditHeads.set(nil)
        }
    }
}
