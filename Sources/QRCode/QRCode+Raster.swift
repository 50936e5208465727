extension QRCode {
    /// A plain-text PBM (Netpbm P1) image: 1 for dark, `scale` pixels per module, `quietZone` light modules around
    /// the symbol (ISO/IEC 18004:2015 §5.3.7 asks for 4), rows of at most 70 characters.
    public func pbm(scale: Int = 4, quietZone: Int = 4) -> String {
        let width = (size + 2 * quietZone) * scale
        var out = "P1\n\(width) \(width)\n"
        for row in rasterRows(scale: scale, quietZone: quietZone) {
            var line = ""
            for (i, dark) in row.enumerated() {
                if i > 0 && i % 35 == 0 {
                    out += line + "\n"
                    line = ""
                } else if i > 0 {
                    line += " "
                }
                line += dark ? "1" : "0"
            }
            out += line + "\n"
        }
        return out
    }

    /// A PNG image (1-bit greyscale, dark modules black), `scale` pixels per module, `quietZone` light modules
    /// around the symbol. The image data is zlib with stored (uncompressed) deflate blocks (RFC 1950/1951),
    /// which every PNG reader accepts; chunks carry their CRC-32 (ISO/IEC 15948 / PNG 1.2).
    public func png(scale: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let width = (size + 2 * quietZone) * scale
        var raw: [UInt8] = []
        let rowBytes = (width + 7) / 8
        raw.reserveCapacity((rowBytes + 1) * width)
        for row in rasterRows(scale: scale, quietZone: quietZone) {
            raw.append(0)   // filter type 0: none
            var packed = [UInt8](repeating: 0, count: rowBytes)
            for (i, dark) in row.enumerated() where !dark { packed[i >> 3] |= 0x80 >> UInt8(i & 7) }   // 1 = white
            raw += packed
        }
        var ihdr: [UInt8] = []
        ihdr += PNGWriter.bigEndian(UInt32(width))
        ihdr += PNGWriter.bigEndian(UInt32(width))
        ihdr += [1, 0, 0, 0, 0]   // bit depth 1, greyscale, deflate, no filter method variants, not interlaced
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += PNGWriter.chunk("IHDR", ihdr)
        png += PNGWriter.chunk("IDAT", PNGWriter.zlibStored(raw))
        png += PNGWriter.chunk("IEND", [])
        return png
    }

    /// Each pixel row of the image, true for dark: the symbol scaled up and surrounded by the quiet zone.
    func rasterRows(scale: Int, quietZone: Int) -> [[Bool]] {
        precondition(scale > 0 && quietZone >= 0, "scale must be positive and quietZone not negative")
        let side = size + 2 * quietZone
        return (0..<(side * scale)).map { py in
            let y = py / scale - quietZone
            return (0..<(side * scale)).map { px in isDark(x: px / scale - quietZone, y: y) }
        }
    }
}

/// The few pieces of PNG and zlib a 1-bit image needs.
enum PNGWriter {
    /// A PNG chunk: length, type, data, then the CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc32(typeBytes + data))
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4) and the Adler-32 of the data.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]   // deflate, 32 KiB window, no dictionary, fastest; (0x7801 % 31 == 0)
        var start = 0
        repeat {
            let length = min(65_535, data.count - start)
            let final: UInt8 = start + length == data.count ? 1 : 0
            out.append(final)   // BFINAL, BTYPE 00 (stored)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<(start + length)]
            start += length
        } while start < data.count
        return out + bigEndian(adler32(data))
    }

    /// CRC-32 as PNG and zlib use it (reflected polynomial 0xEDB88320).
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// Adler-32 (RFC 1950 §8.2).
    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
