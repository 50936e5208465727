import Foundation
import Testing
@testable import ClinicCore

/// The normal quantile z of the Kaplan–Meier band (Kalbfleisch & Prentice log(−log) CI as in lifelines, which takes
/// z from `scipy.stats.norm.ppf`); AS 241: Wichura MJ, Appl Stat 1988;37:477–484.
@Suite("Kaplan–Meier normal quantile (scipy.stats.norm.ppf as lifelines uses it; Wichura AS 241)")
struct KaplanMeierNormalQuantileTests {
    /// `scipy.stats.norm.ppf(p)`, scipy 1.17.1.
    static let scipy: [(p: Double, z: Double)] = [
        (0.5, 0.0), (0.6, 0.2533471031357997), (0.8, 0.8416212335729143), (0.9123, 1.3550551080371098),
        (0.95, 1.6448536269514722), (0.975, 1.959963984540054), (0.99, 2.3263478740408408),
        (0.999, 3.090232306167813), (0.9999, 3.719016485455709), (0.999999, 4.753424308817087),
        (1e-09, -5.9978070150076865), (0.025, -1.9599639845400545), (0.3, -0.5244005127080409),
        (0.999999999999, 7.0344869100478356),
    ]

    @Test("agrees with scipy to 1e-15 relative over the whole range")
    func matchesScipy() {
        for (p, z) in Self.scipy {
            // when
            let value = KaplanMeier.normalQuantile(p)
            // then
            #expect(abs(value - z) <= 1e-15 * max(1, abs(z)), "Φ⁻¹(\(p)) = \(value), scipy \(z)")
        }
    }

    @Test("the usual two-sided levels give scipy's exact double, computed as lifelines does: p = 1 − (1 − c)/2")
    func usualLevelsExact() {
        // given: scipy.stats.norm.ppf(1 - (1 - c) / 2)
        let levels: [(c: Double, z: Double)] = [
            (0.80, 1.2815515655446004), (0.90, 1.6448536269514722), (0.95, 1.959963984540054),
            (0.98, 2.3263478740408408), (0.99, 2.5758293035489004), (0.995, 2.807033768343811),
            (0.999, 3.2905267314919255),
        ]
        for (c, z) in levels {
            // when / then
            #expect(KaplanMeier.normalQuantile(1 - (1 - c) / 2) == z, "confidence \(c)")
            // AS 241 alone is within a few ulps of the same value
            #expect(abs(KaplanMeier.wichuraAS241(1 - (1 - c) / 2) - z) <= 1e-15 * z)
        }
    }
}
