import ArgumentParser
import ClinicCore
import Foundation

struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks of the domain's computations (see Benchmarks/ and BENCHMARKS.md).",
        subcommands: [KaplanMeierBenchmark.self])

    struct KaplanMeierBenchmark: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kaplan-meier",
            abstract: "Time the Kaplan–Meier fit of relief episodes read from a binary file; write the table as CSV.",
            discussion: """
            Input (little-endian): the episode count as Int64, then that many Int32 durations in whole days, then that \
            many UInt8 event flags (1: relief ended, 0: censored).
            Only the fit is timed (ContinuousClock), from the in-memory arrays to the full table, after one untimed \
            warm-up fit; reading and writing the files are not. Output: CSV with the header \
            time,at_risk,events,censored,survival,lower,upper (doubles in Swift's shortest round-trip form).
            Prints the timing as one JSON object on standard output.
            """)
        @Option(help: "The binary input file.") var input: String
        @Option(help: "Where to write the table (CSV).") var output: String
        @Option(help: "How many timed fits.") var `repeat` = 10
        @Option(help: "Confidence level of the band.") var confidence = 0.95

        func validate() throws {
            guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1.") }
        }

        func run() throws {
            let (durations, events) = try Self.read(URL(fileURLWithPath: input))
            let clock = ContinuousClock()
            var table = try KaplanMeier.fit(durations: durations, events: events, confidence: confidence)
            var runs: [Duration] = []
            runs.reserveCapacity(`repeat`)
            for _ in 0..<`repeat` {
                let start = clock.now
                let fitted = try KaplanMeier.fit(durations: durations, events: events, confidence: confidence)
                runs.append(clock.now - start)
                table = fitted
            }
            try Data(Self.csv(table).utf8).write(to: URL(fileURLWithPath: output))
            print(Self.json(table, runs: runs))
        }

        /// Reads the episode file: Int64 count, Int32 durations, UInt8 flags, all little-endian.
        static func read(_ url: URL) throws -> (durations: [Int], events: [Bool]) {
            let data = try Data(contentsOf: url)
            return try data.withUnsafeBytes { raw in
                guard raw.count >= 8 else { throw ValidationError("\(url.path): shorter than its 8-byte header") }
                let count = Int(Int64(littleEndian: raw.loadUnaligned(as: Int64.self)))
                guard count >= 0, raw.count == 8 + 5 * count else {
                    throw ValidationError("\(url.path): \(raw.count) bytes, expected 8 + 5 × \(count)")
                }
                let durations = [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
                    for i in 0..<count {
                        buffer[i] = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 8 + 4 * i, as: Int32.self)))
                    }
                    initialized = count
                }
                let flags = raw[(8 + 4 * count)...]
                let events = [Bool](unsafeUninitializedCapacity: count) { buffer, initialized in
                    for (i, flag) in flags.enumerated() { buffer[i] = flag != 0 }
                    initialized = count
                }
                return (durations, events)
            }
        }

        /// The table as CSV; `"\(double)"` is Swift's shortest representation that reads back to the same double.
        static func csv(_ table: KaplanMeierTable) -> String {
            var text = "time,at_risk,events,censored,survival,lower,upper\n"
            for i in 0..<table.count {
                text += "\(table.times[i]),\(table.atRisk[i]),\(table.events[i]),\(table.censored[i]),"
                text += "\(table.survival[i]),\(table.lower[i]),\(table.upper[i])\n"
            }
            return text
        }

        static func json(_ table: KaplanMeierTable, runs: [Duration]) -> String {
            func ms(_ d: Duration) -> Double {
                Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
            }
            func day(_ value: Int?) -> String { value.map(String.init) ?? "null" }
            let sorted = runs.map(ms).sorted()
            let middle = sorted.count / 2
            let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            return """
            {"benchmark": "kaplan-meier", "subjects": \(table.subjects), "total_events": \(table.totalEvents), \
            "rows": \(table.count), "confidence": \(table.confidence), "repeat": \(runs.count), \
            "best_ms": \(sorted[0]), "median_ms": \(median), "runs_ms": [\(runs.map { "\(ms($0))" }.joined(separator: ", "))], \
            "median": \(day(table.median)), "median_lower": \(day(table.medianLower)), "median_upper": \(day(table.medianUpper))}
            """
        }
    }
}
