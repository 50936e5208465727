import Foundation

/// Charge capture as pure functions: the lines a finished session's recorded facts produce under the clinic's settings,
/// and the adjustment lines that take a charge from one set of facts to another.
public enum ChargeRules {
    /// The units of the first-hour and the additional-hour codes for a running time in seconds.
    ///
    /// The first hour needs more than `initialHourMoreThanMinutes`; each further hour counts by the partial-hour rule.
    public static func infusionUnits(seconds: Int64, settings: ChargeSettings) -> (initial: Int, additional: Int) {
        guard seconds > Int64(settings.initialHourMoreThanMinutes) * 60 else { return (0, 0) }
        let beyond = seconds - 3_600
        guard beyond > 0 else { return (1, 0) }
        let whole = Int(beyond / 3_600), rest = beyond % 3_600
        switch settings.partialHourRule {
        case .moreThanHalf: return (1, whole + (rest > 1_800 ? 1 : 0))
        case .anyPart: return (1, whole + (rest > 0 ? 1 : 0))
        case .wholeHoursOnly: return (1, whole)
        }
    }

    /// Cents for a drug amount at a fee per milligram, rounded half up to the cent.
    public static func drugCents(_ amount: DrugAmount, centsPerMilligram: Int64) -> Int64 {
        let product = amount.micrograms * centsPerMilligram
        return (product * 2 + 1_000) / 2_000
    }

    /// What one line is, before it gets an id, a date and an author.
    public struct Item: Sendable, Hashable {
        public var code: String
        public var description: String
        public var units: Int
        public var unitFeeCents: Int64
        public var amountCents: Int64
        public var ndc: NationalDrugCode?
        public var ndcMillilitres: Int64?
        public var drugMicrograms: Int64?
    }

    /// The items the facts produce: the first hour, the additional hours, and the drug (when any was given).
    public static func items(for facts: BillableFacts, settings: ChargeSettings) -> [Item] {
        var out: [Item] = []
        let (initial, additional) = infusionUnits(seconds: facts.billedSeconds(excludingPauses: settings.excludePauses), settings: settings)
        if initial > 0 {
            let fee = settings.fee(settings.initialHourCode)
            out.append(Item(code: settings.initialHourCode, description: "Intravenous infusion, first hour", units: initial,
                            unitFeeCents: fee, amountCents: fee * Int64(initial)))
        }
        if additional > 0 {
            let fee = settings.fee(settings.additionalHourCode)
            out.append(Item(code: settings.additionalHourCode, description: "Intravenous infusion, each additional hour", units: additional,
                            unitFeeCents: fee, amountCents: fee * Int64(additional)))
        }
        if facts.administered.micrograms > 0 {
            let fee = settings.fee(settings.drugCode)
            out.append(Item(code: settings.drugCode,
                            description: "Ketamine hydrochloride (unclassified drug), \(DoseText.milligrams(facts.administered.micrograms)) mg",
                            units: 1, unitFeeCents: fee, amountCents: drugCents(facts.administered, centsPerMilligram: fee),
                            ndc: facts.stock?.ndc, ndcMillilitres: facts.administeredThousandthsOfMillilitre,
                            drugMicrograms: facts.administered.micrograms))
        }
        return out
    }

    /// The adjustment items that take the charges from what the lines already say to what `target` says: per code, the
    /// difference in units, amount, mL and micrograms; codes that agree get none.
    public static func adjustments(from lines: [ChargeLine], to target: [Item]) -> [Item] {
        struct Net { var units = 0; var cents: Int64 = 0; var ml: Int64 = 0; var ug: Int64 = 0; var ndc: NationalDrugCode?; var description = ""; var fee: Int64 = 0 }
        var order: [String] = []
        var have: [String: Net] = [:], want: [String: Net] = [:]
        for l in lines {
            if have[l.code] == nil, !order.contains(l.code) { order.append(l.code) }
            var n = have[l.code, default: Net()]
            n.units += l.units; n.cents += l.amountCents; n.ml += l.ndcMillilitres ?? 0; n.ug += l.drugMicrograms ?? 0
            n.ndc = n.ndc ?? l.ndc; n.description = l.description; n.fee = l.unitFeeCents
            have[l.code] = n
        }
        for i in target {
            if !order.contains(i.code) { order.append(i.code) }
            var n = want[i.code, default: Net()]
            n.units += i.units; n.cents += i.amountCents; n.ml += i.ndcMillilitres ?? 0; n.ug += i.drugMicrograms ?? 0
            n.ndc = n.ndc ?? i.ndc; n.description = i.description; n.fee = i.unitFeeCents
            want[i.code] = n
        }
        return order.compactMap { code in
            let h = have[code] ?? Net(), w = want[code] ?? Net()
            guard h.units != w.units || h.cents != w.cents || h.ml != w.ml || h.ug != w.ug else { return nil }
            let isDrug = w.ug != 0 || h.ug != 0
            return Item(code: code, description: want[code] != nil ? w.description : h.description, units: w.units - h.units,
                        unitFeeCents: want[code] != nil ? w.fee : h.fee, amountCents: w.cents - h.cents, ndc: w.ndc ?? h.ndc,
                        ndcMillilitres: isDrug ? w.ml - h.ml : nil, drugMicrograms: isDrug ? w.ug - h.ug : nil)
        }
    }
}
