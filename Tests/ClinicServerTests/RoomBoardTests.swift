import ClinicCore
import ClinicHL7
import ClinicTestSupport
@testable import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

/// Reads an HTTP response as raw text, as it streams (for Server-Sent Events).
final class RawHTTPStream: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncStream<String>.Continuation
    init(_ c: AsyncStream<String>.Continuation) { continuation = c }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { continuation.yield(String(buffer: unwrapInboundIn(data))) }
    func channelInactive(context: ChannelHandlerContext) { continuation.finish() }

    /// Opens `path` with a session cookie and returns the channel and the text as it arrives.
    static func open(port: Int, path: String, cookie: String) async throws -> (any Channel, AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(RawHTTPStream(continuation)) } }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: localhost\r\nCookie: dr_session=\(cookie)\r\nAccept: text/event-stream\r\n\r\n"))
        return (channel, stream)
    }
}

/// The live room board: every chair with its patient, values and alarms; live updates over Server-Sent Events;
/// acknowledging from the board.
// A stream that never delivers its event would otherwise wait forever: fail instead, well inside CI's limit.
@Suite(.timeLimit(.minutes(10))) struct RoomBoardTests {
    @Test func theBoardShowsEachChairWithItsPatientValuesAndAlarmsAndANurseAcknowledges() async throws {
        try await TestWorld.with { world, client in
            // given a patient in a monitored chair whose cuff reads 190/125
            let (record, patient, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let mllp = try await MLLPTestClient.connect(port: port)
                _ = try await mllp.send(oruMessage(controlID: "B-1", heartRate: 88, spo2: 97, cuff: (190, 125), at: world.clock.now))
                await mllp.close()
            }
            let nurse = try await world.browser(.nurse)
            // when the nurse opens the board
            let page = try await client.page(.get, "/board", cookie: nurse.cookie)
            // then the chair shows the patient, the values and a high-priority alarm with an Acknowledge button
            #expect(page.status == .ok)
            #expect(page.text.contains(patient.demographics.familyName))
            #expect(page.text.contains("190/125"))
            #expect(page.text.contains("alarm-high"))
            #expect(page.text.contains("Acknowledge"))
            #expect(page.text.contains("/static/board.js"))
            // and acknowledging from the board records it and the button goes away
            let board = try await world.clinic.roomBoard(by: world.actor(.nurse))
            let alarm = try #require(board.first { $0.chair.id == chair }?.activeAlarms.first { $0.parameter == .systolic })
            let ack = try await client.page(.post, "/board/alarms/acknowledge", cookie: nurse.cookie,
                                            form: ["csrf": nurse.csrf, "session": record.id.rawValue.uuidString, "alarm": String(alarm.id.sequence)])
            #expect(ack.status == .found)
            let after = try await world.clinic.roomBoard(by: world.actor(.nurse)).first { $0.chair.id == chair }
            #expect(after?.activeAlarms.first { $0.id == alarm.id }?.isAcknowledged == true)
            // a form without the CSRF token is refused
            let forged = try await client.page(.post, "/board/alarms/acknowledge", cookie: nurse.cookie,
                                               form: ["session": record.id.rawValue.uuidString, "alarm": String(alarm.id.sequence)])
            #expect(forged.status == .forbidden)
        }
    }

    @Test func frontDeskAndBillingDoNotSeeTheBoard() async throws {
        try await TestWorld.with { world, client in
            for role in [Role.frontDesk, .billing] {
                let b = try await world.browser(role)
                #expect(try await client.page(.get, "/board", cookie: b.cookie).status == .forbidden, "\(role)")
            }
            // without a sign-in the board redirects to the sign-in page
            #expect(try await client.page(.get, "/board").status == .seeOther)
        }
    }

    @Test func aNewReadingReachesTheBoardStreamAsARenderedChairCard() async throws {
        // given a live server (the stream needs a real connection) and a monitored, occupied chair
        try await TestDatabase.with { db in
            let world = try await TestWorld.make(db)
            let (_, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            let nurse = try await world.browser(.nurse)
            let application = Application(router: try world.app.router())
            try await application.test(.live) { client in
                let httpPort = try #require(client.port)
                let (channel, text) = try await RawHTTPStream.open(port: httpPort, path: "/board/events", cookie: nurse.cookie)
                var received = ""
                var iterator = text.makeAsyncIterator()
                // the stream opens
                while !received.contains("retry:"), let chunk = await iterator.next() { received += chunk }
                #expect(received.contains("text/event-stream"))
                // when the monitor sends a 190/125 reading
                try await world.withListener { port in
                    let mllp = try await MLLPTestClient.connect(port: port)
                    _ = try await mllp.send(oruMessage(controlID: "SSE-1", heartRate: 80, spo2: 98, cuff: (190, 125), at: world.clock.now))
                    await mllp.close()
                }
                // then a chair event arrives with that chair's card, showing the alarm
                while !(received.contains("event: chair") && received.contains("alarm-high")), let chunk = await iterator.next() { received += chunk }
                #expect(received.contains(chair.rawValue.uuidString))
                #expect(received.contains("190\\/125") || received.contains("190/125"))
                try await channel.close()
            }
        }
    }
}
