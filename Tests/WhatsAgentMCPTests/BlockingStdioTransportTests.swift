import Foundation
import Testing

@testable import WhatsAgentMCP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stdio transport over real pipes: framing, EOF, and descriptors left blocking.
@Suite struct BlockingStdioTransportTests {
    @Test func readsNewlineDelimitedMessagesAcrossPartialWritesUntilEOF() async throws {
        let input = Pipe()
        let transport = BlockingStdioTransport(input: input.fileHandleForReading.fileDescriptor, output: -1)
        try await transport.connect()

        input.fileHandleForWriting.write(Data(#"{"a":1}"#.utf8) + Data("\n".utf8) + Data(#"{"b""#.utf8))
        input.fileHandleForWriting.write(Data(":2}\r\n\n  \n".utf8) + Data(#"{"c":3}"#.utf8))
        try input.fileHandleForWriting.close()
        var received: [String] = []
        for try await message in await transport.receive() {
            received.append(String(decoding: message, as: UTF8.self))
        }

        #expect(received == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
    }

    @Test func writesEachMessageFollowedByANewline() async throws {
        let output = Pipe()
        let transport = BlockingStdioTransport(input: -1, output: output.fileHandleForWriting.fileDescriptor)

        try await transport.send(Data(#"{"id":1}"#.utf8))
        try await transport.send(Data(#"{"id":2}"#.utf8))
        try output.fileHandleForWriting.close()
        let written = try output.fileHandleForReading.readToEnd() ?? Data()

        #expect(String(decoding: written, as: UTF8.self) == "{\"id\":1}\n{\"id\":2}\n")
    }

    @Test func leavesTheDescriptorsBlocking() async throws {
        let input = Pipe()
        let output = Pipe()
        let transport = BlockingStdioTransport(
            input: input.fileHandleForReading.fileDescriptor,
            output: output.fileHandleForWriting.fileDescriptor
        )

        try await transport.connect()
        try await transport.send(Data("{}".utf8))
        let inputFlags = fcntl(input.fileHandleForReading.fileDescriptor, F_GETFL)
        let outputFlags = fcntl(output.fileHandleForWriting.fileDescriptor, F_GETFL)
        try input.fileHandleForWriting.close()
        for try await _ in await transport.receive() {}

        #expect(inputFlags & O_NONBLOCK == 0)
        #expect(outputFlags & O_NONBLOCK == 0)
    }

    @Test func aFailedWriteIsATransportError() async throws {
        let transport = BlockingStdioTransport(input: -1, output: -1)

        await #expect(throws: (any Error).self) {
            try await transport.send(Data("{}".utf8))
        }
    }
}
