import Foundation
import QRCode

/// The QR code printed on a follow-up slip: our own encoder (ISO/IEC 18004), level M, as an SVG the server drew.
enum FollowUpQR {
    static func svg(_ url: String) -> String {
        guard let code = try? QRCode.encode(url, errorCorrection: .medium) else {
            return "<p class=\"warn-text\">The link is too long for a QR code; copy it instead.</p>"
        }
        return code.svg(moduleSize: 4, quietZone: 4, title: "QR code of the follow-up link")
    }
}
