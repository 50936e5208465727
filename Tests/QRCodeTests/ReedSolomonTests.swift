import Testing
@testable import QRCode

@Suite("Reed–Solomon error correction (ISO/IEC 18004:2015 §7.5.2)")
struct ReedSolomonTests {
    @Test("GF(256) with x⁸+x⁴+x³+x²+1 (0x11D): α⁸ = 0x1D, α²⁵⁵ = 1, every non-zero element has an inverse")
    func fieldArithmetic() {
        #expect(GaloisField.exp[8] == 0x1D)
        #expect(GaloisField.exp[255] == 1)
        #expect(Set(GaloisField.exp[0..<255]).count == 255)   // α generates the whole multiplicative group
        for a in 1...255 {
            let inverse = GaloisField.exp[255 - GaloisField.log[a]]
            #expect(GaloisField.multiply(UInt8(a), inverse) == 1)
        }
        #expect(GaloisField.multiply(0, 0x53) == 0)
    }

    @Test("ISO/IEC 18004:2015 Annex I example: \"01234567\" at 1-M — 16 data codewords give these 10 EC codewords")
    func isoAnnexExample() {
        // given: the data codewords of the annex's example
        let data: [UInt8] = [0b0001_0000, 0b0010_0000, 0b0000_1100, 0b0101_0110, 0b0110_0001, 0b1000_0000,
                             0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        // when
        let ec = ReedSolomonEncoder(degree: 10).errorCorrection(for: data)
        // then
        #expect(ec == [0b1010_0101, 0b0010_0100, 0b1101_0100, 0b1100_0001, 0b1110_1101,
                       0b0011_0110, 0b1100_0111, 0b1000_0111, 0b0010_1100, 0b0101_0101])
    }

    @Test("Thonky's QR tutorial: \"HELLO WORLD\" at 1-M — data codewords and their 10 EC codewords")
    func helloWorld1M() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomonEncoder(degree: 10).errorCorrection(for: data) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test("Thonky's QR tutorial: \"HELLO WORLD\" at 1-Q — 13 data codewords and 13 EC codewords")
    func helloWorld1Q() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236]
        #expect(ReedSolomonEncoder(degree: 13).errorCorrection(for: data)
                == [168, 72, 22, 82, 217, 54, 156, 0, 46, 15, 180, 122, 16])
    }

    @Test("Thonky's QR tutorial: 5-Q, group 1 block 1 — 15 data codewords and 18 EC codewords")
    func version5QFirstBlock() {
        let data: [UInt8] = [67, 85, 70, 134, 87, 38, 85, 194, 119, 50, 6, 18, 6, 103, 38]
        #expect(ReedSolomonEncoder(degree: 18).errorCorrection(for: data)
                == [213, 199, 11, 45, 115, 247, 241, 223, 229, 248, 154, 117, 154, 111, 86, 161, 111, 39])
    }

    @Test("A codeword (data + EC) is a multiple of the generator: it vanishes at α⁰…α⁹")
    func codewordHasGeneratorRoots() {
        let data: [UInt8] = Array("deeprelief follow-up".utf8)
        let codeword = data + ReedSolomonEncoder(degree: 10).errorCorrection(for: data)
        for i in 0..<10 {
            let root = GaloisField.exp[i]
            let value = codeword.reduce(UInt8(0)) { GaloisField.multiply($0, root) ^ $1 }   // Horner
            #expect(value == 0, "root α^\(i)")
        }
    }
}
