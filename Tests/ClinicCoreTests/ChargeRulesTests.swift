import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

/// Charge capture (issue 6 §2): infusion codes from the recorded running time (clinical-reference §8: 96365 first hour,
/// 96366 each additional hour, descriptors unverified; the drug as J3490 with its NDC). The first-hour minimum and the
/// partial-hour rule are not in the reference: they are settings, and these tests check each rule on and around every
/// hour boundary.
@Suite struct ChargeRulesTests {
    static let settings = ChargeSettings.standard
    static func units(_ seconds: Int64, _ rule: PartialHourRule = .moreThanHalf) -> [Int] {
        var s = settings
        s.partialHourRule = rule
        let u = ChargeRules.infusionUnits(seconds: seconds, settings: s)
        return [u.initial, u.additional]
    }
    static func m(_ minutes: Int64, _ seconds: Int64 = 0) -> Int64 { minutes * 60 + seconds }

    @Test("the first hour needs more than the set minimum (15 min by default)")
    func firstHourMinimum() {
        #expect(Self.units(0) == [0, 0])
        #expect(Self.units(Self.m(15)) == [0, 0])
        #expect(Self.units(Self.m(15, 1)) == [1, 0])
        #expect(Self.units(Self.m(40)) == [1, 0])
        var s = Self.settings
        s.initialHourMoreThanMinutes = 0
        #expect(ChargeRules.infusionUnits(seconds: 1, settings: s).initial == 1)
    }

    @Test("more than half: an additional hour needs more than 30 minutes beyond the last whole hour", arguments: [
        (Self.m(59, 59), [1, 0]), (Self.m(60), [1, 0]), (Self.m(60, 1), [1, 0]), (Self.m(90), [1, 0]), (Self.m(90, 1), [1, 1]),
        (Self.m(119, 59), [1, 1]), (Self.m(120), [1, 1]), (Self.m(150), [1, 1]), (Self.m(150, 1), [1, 2]), (Self.m(240), [1, 3]),
        (Self.m(270, 1), [1, 4]),
    ])
    func moreThanHalf(seconds: Int64, expected: [Int]) {
        #expect(Self.units(seconds) == expected)
    }

    @Test("any part: every started hour after the first counts", arguments: [
        (Self.m(60), [1, 0]), (Self.m(60, 1), [1, 1]), (Self.m(120), [1, 1]), (Self.m(120, 1), [1, 2]),
    ])
    func anyPart(seconds: Int64, expected: [Int]) {
        #expect(Self.units(seconds, .anyPart) == expected)
    }

    @Test("whole hours only: a partial hour never counts", arguments: [
        (Self.m(119, 59), [1, 0]), (Self.m(120), [1, 1]), (Self.m(179, 59), [1, 1]), (Self.m(180), [1, 2]),
    ])
    func wholeHoursOnly(seconds: Int64, expected: [Int]) {
        #expect(Self.units(seconds, .wholeHoursOnly) == expected)
    }

    static let stock = StockKey(ndc: NationalDrugCode("0409-2051-05")!, lot: "L1")
    static func facts(running: Int64, paused: Int64 = 0, mg: Int64 = 42) -> BillableFacts {
        BillableFacts(runningSeconds: running, pausedSeconds: paused, administered: DrugAmount(micrograms: mg * 1_000), stock: stock,
                      microgramsPerMillilitre: 50_000)
    }

    @Test("pauses are left out of the running time by default, and count when the setting says so")
    func pauses() {
        var s = Self.settings
        let f = Self.facts(running: Self.m(80), paused: Self.m(15))
        #expect(ChargeRules.items(for: f, settings: s).map(\.code) == ["96365", "J3490"])
        s.excludePauses = false
        #expect(ChargeRules.items(for: f, settings: s).map(\.code) == ["96365", "96366", "J3490"])
    }

    @Test("the drug line: J3490, one unit, the NDC, mL given (exact thousandths) and the fee per mg rounded half up to the cent")
    func drugLine() throws {
        var s = Self.settings
        s.fees = [CodeFee(code: "J3490", cents: 333)]
        let f = BillableFacts(runningSeconds: Self.m(40), pausedSeconds: 0, administered: DrugAmount(micrograms: 37_505), stock: Self.stock,
                              microgramsPerMillilitre: 50_000)
        let drug = try #require(ChargeRules.items(for: f, settings: s).first { $0.code == "J3490" })
        #expect(drug.units == 1)
        #expect(drug.ndc?.digits == "00409205105")
        #expect(drug.ndcMillilitres == 750)  // 37.505 mg ÷ 50 mg/mL = 0.7501 mL → 0.750
        #expect(drug.drugMicrograms == 37_505)
        #expect(drug.amountCents == 12_489)  // 37.505 mg × $3.33 = $124.89165 → $124.89
        #expect(ChargeRules.drugCents(DrugAmount(micrograms: 1_500), centsPerMilligram: 1) == 2)  // 1.5 ¢ rounds half up
        #expect(ChargeRules.drugCents(DrugAmount(micrograms: 1_499), centsPerMilligram: 1) == 1)
    }

    @Test("no drug given and no running time: no lines")
    func nothingToBill() {
        #expect(ChargeRules.items(for: Self.facts(running: 0, mg: 0), settings: Self.settings).isEmpty)
    }

    @Test("fees multiply by units; a code without a fee charges 0")
    func fees() {
        var s = Self.settings
        s.fees = [CodeFee(code: "96365", cents: 45_000), CodeFee(code: "96366", cents: 12_500)]
        let items = ChargeRules.items(for: Self.facts(running: Self.m(151), mg: 0), settings: s)
        #expect(items.map(\.amountCents) == [45_000, 25_000])
    }

    static func lines(_ items: [ChargeRules.Item]) -> [ChargeLine] {
        items.map {
            ChargeLine(id: UUID(), kind: .original, serviceDate: CalendarDate(year: 2026, month: 12, day: 1)!, code: $0.code,
                       description: $0.description, units: $0.units, unitFeeCents: $0.unitFeeCents, amountCents: $0.amountCents, ndc: $0.ndc,
                       ndcMillilitres: $0.ndcMillilitres, drugMicrograms: $0.drugMicrograms, diagnosisCodes: ["G90.512"], placeOfService: "11",
                       renderingProvider: "Dr", renderingNPI: nil, createdAt: Date(timeIntervalSince1970: 0), createdBy: User.ID(UUID()))
        }
    }

    @Test("an amendment that lengthens the running time adds the missing hour as an adjustment; nothing else changes")
    func adjustmentAddsAnHour() {
        var s = Self.settings
        s.fees = [CodeFee(code: "96365", cents: 45_000), CodeFee(code: "96366", cents: 12_500), CodeFee(code: "J3490", cents: 200)]
        let original = Self.lines(ChargeRules.items(for: Self.facts(running: Self.m(62)), settings: s))
        let adjustments = ChargeRules.adjustments(from: original, to: ChargeRules.items(for: Self.facts(running: Self.m(95)), settings: s))
        #expect(adjustments.map(\.code) == ["96366"])
        #expect(adjustments.first?.units == 1)
        #expect(adjustments.first?.amountCents == 12_500)
    }

    @Test("an amendment that shortens it below the first-hour minimum takes the hour back with negative units")
    func adjustmentTakesBack() {
        var s = Self.settings
        s.fees = [CodeFee(code: "96365", cents: 45_000)]
        let original = Self.lines(ChargeRules.items(for: Self.facts(running: Self.m(30), mg: 0), settings: s))
        let adjustments = ChargeRules.adjustments(from: original, to: ChargeRules.items(for: Self.facts(running: Self.m(10), mg: 0), settings: s))
        #expect(adjustments.map(\.units) == [-1])
        #expect(adjustments.map(\.amountCents) == [-45_000])
    }

    /// Random corrections, one after another: the original lines plus every adjustment always net to exactly what the
    /// latest facts charge, per code (units and cents), and a correction to the same facts adds nothing.
    @Test func randomCorrectionsAlwaysNetToTheLatestFacts() async {
        let gen = zip(Gen.int(in: 0...20_000), Gen.int(in: 0...3_000), Gen.int(in: 0...200_000)).array(of: 1...8)
        await propertyCheck(input: gen) { steps in
            var s = Self.settings
            s.fees = [CodeFee(code: "96365", cents: 45_000), CodeFee(code: "96366", cents: 12_500), CodeFee(code: "J3490", cents: 317)]
            var lines: [ChargeLine] = []
            var target: [ChargeRules.Item] = []
            for (running, paused, ug) in steps {
                let f = BillableFacts(runningSeconds: Int64(running), pausedSeconds: Int64(paused), administered: DrugAmount(micrograms: Int64(ug)),
                                      stock: Self.stock, microgramsPerMillilitre: 50_000)
                target = ChargeRules.items(for: f, settings: s)
                lines += Self.lines(ChargeRules.adjustments(from: lines, to: target))
                #expect(ChargeRules.adjustments(from: lines, to: target).isEmpty)
            }
            let net = Dictionary(grouping: lines, by: \.code).mapValues { ($0.reduce(0) { $0 + $1.units }, $0.reduce(Int64(0)) { $0 + $1.amountCents }) }
            for item in target {
                #expect(net[item.code]?.0 == item.units)
                #expect(net[item.code]?.1 == item.amountCents)
            }
            for (code, value) in net where !target.contains(where: { $0.code == code }) {
                #expect(value.0 == 0 && value.1 == 0, "a code no longer charged nets to nothing")
            }
        }
    }

    @Test("NPIs carry a Luhn check digit over the 80840 prefix (CMS NPI standard)")
    func npiCheckDigit() {
        #expect(ChargeSettings.isValidNPI("1234567893"))
        #expect(!ChargeSettings.isValidNPI("1234567890"))
        #expect(!ChargeSettings.isValidNPI("123456789"))
        #expect(!ChargeSettings.isValidNPI("12345678a3"))
    }

    @Test("money as integer cents: parsed exactly, printed with two decimals")
    func money() {
        #expect(Money.parse("450")?.cents == 45_000)
        #expect(Money.parse("$1,234.5")?.cents == 123_450)
        #expect(Money.parse("0.07")?.cents == 7)
        #expect(Money.parse("1.234")?.cents == nil)
        #expect(Money.parse("abc")?.cents == nil)
        #expect(Money.parse("")?.cents == nil)
        #expect(Money(cents: 123_456_789).groupedText == "1,234,567.89")
        #expect(Money(cents: -5).groupedText == "-0.05")
        #expect(Money(cents: 100_000).groupedText == "1,000.00")
    }
}
