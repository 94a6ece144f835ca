import Foundation
import Testing
import WhatsAgentRuntimes
import WhatsAgentTerminal

/// Detection and spawning resolve a command to the same file: the daemon's one `ExecutableLookup` finds it, and the
/// pty runs exactly that path (it searches no `PATH` of its own).
@Suite struct ExecutableResolutionTests {
    /// A scratch tree: `work` is the child's working directory. The file a shell would run is a link to `/bin/true`,
    /// the others to `/bin/false` (links, not written scripts: exec of a file still open for writing by a
    /// concurrently forked child fails with ETXTBSY).
    struct Tree {
        let root: URL
        var work: String { self.root.appendingPathComponent("work").path }

        init() throws {
            self.root = FileManager.default.temporaryDirectory.appendingPathComponent("wa-exe-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(atPath: self.work, withIntermediateDirectories: true)
        }

        /// Links `relative` (under the root) to `/bin/true` when it is the one to run, else to `/bin/false`.
        @discardableResult
        func executable(_ relative: String, runs: Bool) throws -> String {
            let url = self.root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: runs ? "/bin/true" : "/bin/false")
            return url.path
        }

        /// Writes `relative` as a regular file without the execute bit.
        func plainFile(_ relative: String) throws {
            let url = self.root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "#!/bin/sh\n".write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
        }

        func directory(_ relative: String) throws {
            try FileManager.default.createDirectory(at: self.root.appendingPathComponent(relative), withIntermediateDirectories: true)
        }
    }

    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case emptyEntry, relativeEntry, dotSlash, directoryNamedLikeTheCommand, nonExecutableFileEarlier
        var testDescription: String { self.rawValue }
    }

    /// Lays out `trickyCase`: the `PATH` to search, the command, and the file a shell would run.
    static func arrange(_ trickyCase: Case, in tree: Tree) throws -> (path: String, command: String, expected: String) {
        let other = tree.root.appendingPathComponent("other").path
        let first = tree.root.appendingPathComponent("first").path
        switch trickyCase {
        case .emptyEntry:
            // `:…/other`: the empty entry is the working directory, searched first.
            try tree.executable("other/cmd", runs: false)
            return (":" + other, "cmd", try tree.executable("work/cmd", runs: true))
        case .relativeEntry:
            // `bin` is relative to the child's working directory, not the daemon's.
            try tree.executable("other/cmd", runs: false)
            return ("bin:" + other, "cmd", try tree.executable("work/bin/cmd", runs: true))
        case .dotSlash:
            try tree.executable("other/cmd", runs: false)
            return (other, "./cmd", try tree.executable("work/cmd", runs: true))
        case .directoryNamedLikeTheCommand:
            try tree.directory("first/cmd")
            return (first + ":" + other, "cmd", try tree.executable("other/cmd", runs: true))
        case .nonExecutableFileEarlier:
            try tree.plainFile("first/cmd")
            return (first + ":" + other, "cmd", try tree.executable("other/cmd", runs: true))
        }
    }

    @Test(arguments: Case.allCases)
    func detectionAndSpawningRunTheSameFile(_ trickyCase: Case) async throws {
        let tree = try Tree()
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let (path, command, expected) = try Self.arrange(trickyCase, in: tree)

        let detected = try #require(ExecutableLookup(path: path, workingDirectory: tree.work).resolve(command))
        #expect(detected == expected)

        let process = try PTYProcess.spawn(
            PTYProcess.Configuration(command: detected, environment: ["PATH": path], workingDirectory: tree.work)
        ) { _ in }
        #expect(process.executablePath == expected)
        #expect(await process.waitForExit().code == 0)  // `/bin/true`: the file detection chose is the one that ran
    }

    @Test func thePtyRefusesANameItWouldHaveToLookUp() throws {
        let tree = try Tree()
        defer { try? FileManager.default.removeItem(at: tree.root) }
        try tree.executable("work/cmd", runs: true)
        for command in ["cmd", "./cmd"] {
            #expect(throws: TerminalError.commandNotFound(command)) {
                _ = try PTYProcess.spawn(PTYProcess.Configuration(command: command, environment: ["PATH": ":"], workingDirectory: tree.work)) { _ in }
            }
        }
    }
}
