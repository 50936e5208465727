import ArgumentParser
import Foundation
import QRCode

/// `deeprelief qr`: a text as a QR code image from our own encoder, for discharge sheets and checks.
struct QRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Write TEXT as a QR code (ISO/IEC 18004) image: SVG, PBM or PNG.",
        discussion: """
        The smallest version (1–40) that holds TEXT at the chosen error-correction level, in the most compact mode \
        (numeric, alphanumeric or UTF-8 bytes). Writes to standard output unless --output is given. \
        Put -- before a TEXT that starts with a dash.
        """)

    enum Level: String, ExpressibleByArgument, CaseIterable {
        case L, M, Q, H
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case svg, pbm, png
    }

    @Option(name: .customLong("ec"), help: "Error-correction level: L (7 %), M (15 %), Q (25 %) or H (30 %).") var level: Level = .M
    @Option(help: "Image format: svg, pbm or png.") var format: Format = .svg
    @Option(help: "Pixels per module (in SVG, the width and height in pixels per module).") var scale = 4
    @Option(name: .customLong("quiet-zone"), help: "Light modules around the code (the standard asks for 4).") var quietZone = 4
    @Option(help: "An accessible title for the SVG.") var title: String?
    @Option(help: "Write the image to this file instead of standard output.") var output: String?
    @Argument(help: "The text to encode.") var text: String

    func validate() throws {
        guard (1...100).contains(scale) else { throw ValidationError("--scale must be 1–100.") }
        guard (0...40).contains(quietZone) else { throw ValidationError("--quiet-zone must be 0–40.") }
    }

    func run() throws {
        let code: QRCode
        do {
            code = try QRCode.encode(text, errorCorrection: ErrorCorrectionLevel(letter: level.rawValue)!)
        } catch let error as QRCodeError {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let image: Data = switch format {
        case .svg: Data(code.svg(moduleSize: scale, quietZone: quietZone, title: title).utf8)
        case .pbm: Data(code.pbm(scale: scale, quietZone: quietZone).utf8)
        case .png: Data(code.png(scale: scale, quietZone: quietZone))
        }
        if let output {
            try image.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(image)
        }
    }
}
