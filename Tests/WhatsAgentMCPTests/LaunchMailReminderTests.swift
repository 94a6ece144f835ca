import Foundation
import Logging
import MCP
import Testing
import WhatsAgentAPI

@testable import WhatsAgentMCP

/// Mail waiting at start is pushed at once and, if the client may have dropped that push (Claude Code registers its
/// channel handler only after it listed the tools), once more at the settle point — never held, never more than once.
@Suite struct LaunchMailReminderTests {
    static let first = ChannelNotification(.mail(count: 1, ids: ["m-1"], kinds: ["direct"]))!
    static let second = ChannelNotification(.mail(count: 2, ids: ["m-1", "m-2"], kinds: ["direct", "direct"]))!

    // MARK: Tests - the decision

    @Test func theLatestHintPushedBeforeTheSettlePointIsRepeatedOnce() async {
        let reminder = LaunchMailReminder()
        await reminder.pushed(Self.first)
        await reminder.pushed(Self.second)

        #expect(await reminder.settle() == Self.second)
        #expect(await reminder.settle() == nil)
    }

    @Test func checkMessagesAfterThePushCancelsTheRepeat() async {
        let reminder = LaunchMailReminder()
        await reminder.pushed(Self.first)
        await reminder.called("check_messages")

        #expect(await reminder.settle() == nil)
    }

    @Test func otherToolCallsDoNotCancelIt() async {
        let reminder = LaunchMailReminder()
        await reminder.pushed(Self.first)
        await reminder.called("whoami")

        #expect(await reminder.settle() == Self.first)
    }

    @Test func mailPushedAfterACheckIsRepeated() async {
        let reminder = LaunchMailReminder()
        await reminder.pushed(Self.first)
        await reminder.called("check_messages")
        await reminder.pushed(Self.second)

        #expect(await reminder.settle() == Self.second)
    }

    @Test func pushesAfterTheSettlePointAreNeverRepeated() async {
        let reminder = LaunchMailReminder()
        #expect(await reminder.settle() == nil)
        await reminder.pushed(Self.first)

        #expect(await reminder.settle() == nil)
    }

    // MARK: Tests - the wire

    @Test func aCheckMessagesCallOnTheWireReachesTheReminder() async throws {
        let reminder = LaunchMailReminder()
        await reminder.pushed(Self.first)
        let inner = RecordingTransport(inbound: [
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami","arguments":{}}}"#
        ])
        let wire = Self.decorator(inner, reminder)
        for try await _ in await wire.receive() {}
        #expect(await reminder.settle() == Self.first)

        let checking = LaunchMailReminder()
        await checking.pushed(Self.first)
        let checked = Self.decorator(
            RecordingTransport(inbound: [#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"check_messages"}}"#]),
            checking
        )
        for try await _ in await checked.receive() {}
        #expect(await checking.settle() == nil)
    }

    @Test func theSettleClockStartsWhenTheFirstToolsListAnswerIsWritten() async throws {
        let reminder = LaunchMailReminder()
        let inner = RecordingTransport(inbound: [#"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#])
        let wire = Self.decorator(inner, reminder)
        for try await _ in await wire.receive() {}

        try await wire.send(Data(#"{"jsonrpc":"2.0","method":"notifications/claude/channel","params":{"content":"tools","meta":{}}}"#.utf8))
        try await wire.send(Data(#"{"id":8,"jsonrpc":"2.0","result":{"tools":[]}}"#.utf8))
        #expect(await reminder.listed.isOpen == false)

        try await wire.send(Data(#"{"id":7,"jsonrpc":"2.0","result":{"tools":[]}}"#.utf8))
        #expect(await reminder.listed.isOpen)
    }

    // MARK: Tests - through the server

    @Test(.timeLimit(.minutes(1))) func mailWaitingAtStartIsPushedAtOnceAndAgainAfterTheClientListedTheTools() async throws {
        let backend = FakeAgentBackend()
        let settle = Gate()
        let mail = AgentEvent.mail(count: 1, ids: ["m-1"], kinds: ["direct"])

        let (first, second) = try await withMCPSession(backend: backend, server: testServer(backend: backend, settle: settle)) {
            session in
            backend.push(mail)
            let first = await session.nextNotification()
            _ = try await session.client.listTools()
            await settle.open()
            return (first, await session.nextNotification())
        }

        let expected = ReceivedNotification.channel(
            content: "1 WhatsAgent message waiting — call check_messages",
            meta: ["count": "1", "message_ids": "m-1", "kinds": "direct"]
        )
        #expect(first == expected)
        #expect(second == expected)
    }

    // MARK: Helpers

    static func decorator(_ inner: RecordingTransport, _ reminder: LaunchMailReminder) -> SessionTransport {
        let logger = Logger(label: "whatsagent.tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let backend = FakeAgentBackend()
        return SessionTransport(
            wrapping: inner,
            toolCalls: ToolCallPath(
                forwarder: ToolCallForwarder(backend: backend, retryDelays: [.zero], makeMessageID: { "id" }, logger: logger),
                reminder: reminder
            ),
            acknowledger: LeaseAcknowledger(backend: backend, retryDelays: [.zero], logger: logger),
            logger: logger
        )
    }
}
