import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

/// Invariants of the product-limit estimate (Kaplan & Meier 1958; Greenwood 1926; Kalbfleisch & Prentice (log(−log)
/// CI) as in lifelines) on random episodes with many ties and censorings.
@Suite("Kaplan–Meier properties (Kaplan & Meier 1958; Greenwood 1926; Kalbfleisch & Prentice (log(−log) CI) as in lifelines)")
struct KaplanMeierPropertyTests {
    /// 1–60 episodes on days 0–30 (so ties are common), each ended or censored.
    static let episodes = zip(Gen.int(in: 0...30), Gen.bool).array(of: 1...60)

    @Test func survivalFallsTheBandHoldsItAndTheRiskSetShrinksByWhatLeaves() async {
        await propertyCheck(input: Self.episodes) { episodes in
            // given
            let durations = episodes.map(\.0)
            let events = episodes.map(\.1)

            // when
            let table = try KaplanMeier.fit(durations: durations, events: events)

            // then
            #expect(table.times.first == 0)
            #expect(zip(table.times, table.times.dropFirst()).allSatisfy { $0 < $1 })
            #expect(table.atRisk.first == durations.count)
            for i in 0..<table.count {
                // one ulp of slack: the band is exp(−exp(·)) of log(Ŝ), not Ŝ itself
                #expect(table.lower[i] <= table.survival[i] + 1e-15)
                #expect(table.survival[i] <= table.upper[i] + 1e-15)
                #expect((0...1).contains(table.lower[i]) && (0...1).contains(table.upper[i]))
                if i > 0 {
                    #expect(table.survival[i] <= table.survival[i - 1])
                    #expect(table.atRisk[i] == table.atRisk[i - 1] - table.events[i - 1] - table.censored[i - 1])
                }
            }
            #expect(table.events.reduce(0, +) == table.totalEvents)
            #expect(table.totalEvents == events.filter { $0 }.count)
            #expect(table.removed.reduce(0, +) == durations.count)
            if let median = table.median {
                #expect(table.survival(atDay: median) <= 0.5)
                #expect(table.survival(atDay: median - 1) > 0.5)
            } else {
                #expect(table.survival.last! > 0.5)
            }
            // the sort path (for widely spread days) and the histogram give the same table
            let sorted = try KaplanMeier.fit(durations: durations, events: events, confidence: 0.95, denseDayLimit: 0)
            #expect(sorted == table)
        }
    }
}
