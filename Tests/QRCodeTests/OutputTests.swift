import Testing
@testable import QRCode

@Suite("Images: SVG, PBM and PNG")
struct OutputTests {
    static let code = try! QRCode.encode("HELLO WORLD")

    /// Every dark module of the code, with the quiet zone added to its coordinates.
    static func darkModules(_ q: QRCode, quietZone: Int) -> Set<[Int]> {
        var set = Set<[Int]>()
        for y in 0..<q.size { for x in 0..<q.size where q.isDark(x: x, y: y) { set.insert([x + quietZone, y + quietZone]) } }
        return set
    }

    @Test("SVG: viewBox in modules with the quiet zone, pixel size, crisp edges, one path that covers exactly the dark modules")
    func svg() throws {
        // given / when
        let svg = Self.code.svg(moduleSize: 5, quietZone: 4)
        // then
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" width="145" height="145" viewBox="0 0 29 29" shape-rendering="crispEdges">"#))
        #expect(svg.ranges(of: "<path").count == 1)
        #expect(!svg.contains("<title"))
        // the path's subpaths are runs "Mx yhNv1h-Nz": expand them back into modules
        let d = try #require(svg.split(separator: "d=\"").last?.split(separator: "\"").first)
        var covered = Set<[Int]>()
        for run in d.split(separator: "M") {
            let parts = run.split(whereSeparator: { " hvz".contains($0) })
            let x = Int(parts[0])!, y = Int(parts[1])!, n = Int(parts[2])!
            for i in 0..<n { #expect(covered.insert([x + i, y]).inserted, "module drawn twice") }
        }
        #expect(covered == Self.darkModules(Self.code, quietZone: 4))
    }

    @Test("SVG title: escaped, labelled for screen readers")
    func svgTitle() {
        let svg = Self.code.svg(title: #"Follow-up <Ana & "Bo"'s> link"#)
        let escaped = "Follow-up &lt;Ana &amp; &quot;Bo&quot;&#39;s&gt; link"
        #expect(svg.contains(#"role="img" aria-label="\#(escaped)"><title>\#(escaped)</title>"#))
        #expect(!svg.contains("<Ana"))
    }

    @Test("PBM (P1): header, scaled pixels with the quiet zone, lines of at most 70 characters")
    func pbm() {
        // given / when: scale 2, quiet zone 1 → (21 + 2) × 2 = 46 pixels a side
        let pbm = Self.code.pbm(scale: 2, quietZone: 1)
        let lines = pbm.split(separator: "\n")
        #expect(lines[0] == "P1" && lines[1] == "46 46")
        #expect(lines.allSatisfy { $0.count <= 70 })
        let pixels = lines.dropFirst(2).flatMap { $0.split(separator: " ") }.map { $0 == "1" }
        #expect(pixels.count == 46 * 46)
        // then: every pixel is its module's colour
        for py in 0..<46 {
            for px in 0..<46 { #expect(pixels[py * 46 + px] == Self.code.isDark(x: px / 2 - 1, y: py / 2 - 1)) }
        }
    }

    @Test("CRC-32 and Adler-32 check values: \"123456789\" → CBF43926 (PNG, ISO 3309), \"Wikipedia\" → 11E60398 (RFC 1950)")
    func checksums() {
        #expect(PNGWriter.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGWriter.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test("PNG: signature, IHDR 1-bit greyscale, chunk CRCs, stored zlib blocks that inflate to the module rows")
    func png() throws {
        // given: v40 at scale 3 is 555 px wide, so the image data needs several 64 KiB stored blocks
        let big = try CapacityTests.symbol(version: 40, level: .low)
        let png = big.png(scale: 3, quietZone: 4)
        #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // when: the chunks are read back
        var chunks: [(String, [UInt8])] = []
        var at = 8
        func u32(_ i: Int) -> Int { Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3]) }
        while at < png.count {
            let length = u32(at)
            let type = String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self)
            let body = Array(png[(at + 8)..<(at + 8 + length)])
            #expect(UInt32(u32(at + 8 + length)) == PNGWriter.crc32(Array(png[(at + 4)..<(at + 8 + length)])), "\(type) CRC")
            chunks.append((type, body))
            at += 12 + length
        }
        // then
        #expect(chunks.map(\.0) == ["IHDR", "IDAT", "IEND"])
        let width = (177 + 8) * 3
        #expect(chunks[0].1 == PNGWriter.bigEndian(UInt32(width)) + PNGWriter.bigEndian(UInt32(width)) + [1, 0, 0, 0, 0])
        let zlib = chunks[1].1
        #expect(zlib[0] == 0x78 && (Int(zlib[0]) << 8 | Int(zlib[1])) % 31 == 0)
        var raw: [UInt8] = []
        var p = 2
        var final = false
        while !final {
            final = zlib[p] & 1 == 1
            #expect(zlib[p] >> 1 == 0)   // BTYPE 00: stored
            let len = Int(zlib[p + 1]) | Int(zlib[p + 2]) << 8
            let nlen = Int(zlib[p + 3]) | Int(zlib[p + 4]) << 8
            #expect(len ^ nlen == 0xFFFF)
            raw += zlib[(p + 5)..<(p + 5 + len)]
            p += 5 + len
        }
        #expect(Array(zlib[p..<(p + 4)]) == PNGWriter.bigEndian(PNGWriter.adler32(raw)))
        let rowBytes = (width + 7) / 8
        #expect(raw.count == width * (rowBytes + 1))
        for py in stride(from: 0, to: width, by: 7) {
            #expect(raw[py * (rowBytes + 1)] == 0)   // filter: none
            for px in 0..<width {
                let white = raw[py * (rowBytes + 1) + 1 + px / 8] & (0x80 >> UInt8(px % 8)) != 0
                #expect(white == !big.isDark(x: px / 3 - 4, y: py / 3 - 4))
            }
        }
    }
}
