/// Arithmetic in GF(2⁸) with the QR code's field polynomial x⁸ + x⁴ + x³ + x² + 1, 0x11D
/// (ISO/IEC 18004:2015 §7.5.2).
enum GaloisField {
    /// αⁱ for i in 0..<255 (α = 2), repeated once so products of two logarithms need no modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var x = 1
        for i in 0..<255 {
            table[i] = UInt8(x)
            table[i + 255] = UInt8(x)
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        return table
    }()

    /// log_α(x) for x in 1…255 (index 0 unused).
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    /// The product of two field elements.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }
}

/// Reed–Solomon error-correction codewords for one block (ISO/IEC 18004:2015 §7.5.2).
struct ReedSolomonEncoder: Sendable {
    /// The generator polynomial's coefficients below its leading 1, highest degree first:
    /// g(x) = (x − α⁰)(x − α¹)…(x − α^(n−1)).
    let generator: [UInt8]

    /// An encoder that appends `degree` error-correction codewords.
    init(degree: Int) {
        precondition((1...255).contains(degree), "Reed–Solomon degree out of range")
        // Coefficients of the monic product, highest degree first, leading 1 included.
        var poly: [UInt8] = [1]
        for i in 0..<degree {
            let root = GaloisField.exp[i]
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for (j, c) in poly.enumerated() {
                next[j] ^= c                                    // c·x
                next[j + 1] ^= GaloisField.multiply(c, root)    // −c·root (minus is plus in GF(2⁸))
            }
            poly = next
        }
        generator = Array(poly.dropFirst())
    }

    /// The remainder of data(x)·xⁿ divided by g(x): the block's error-correction codewords.
    func errorCorrection(for data: some Sequence<UInt8>) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            if factor != 0 {
                for i in remainder.indices { remainder[i] ^= GaloisField.multiply(generator[i], factor) }
            }
        }
        return remainder
    }
}
