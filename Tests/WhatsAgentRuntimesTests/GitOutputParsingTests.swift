import Foundation
import Testing

@testable import WhatsAgentRuntimes

/// The parsers of git's machine-readable output behind agent worktrees (issue 23), on fixed text.
@Suite struct GitOutputParsingTests {
    @Test func leftRightCountReadsBothSides() throws {
        let counts = try #require(GitOutputParsing.leftRightCount("3\t12\n"))
        #expect(counts.left == 3 && counts.right == 12)
        #expect(GitOutputParsing.leftRightCount("") == nil)
        #expect(GitOutputParsing.leftRightCount("fatal: bad revision\n") == nil)
    }

    @Test func statusCountsEntriesAndSkipsRenameSources() {
        // Modified, untracked, a rename (its source path is a field of its own), a staged and modified file.
        let porcelain = " M shared.txt\0?? new.txt\0R  renamed.txt\0old.txt\0MM both.txt\0"
        #expect(GitOutputParsing.statusEntryCount(Data(porcelain.utf8)) == 4)
        #expect(GitOutputParsing.statusEntryCount(Data()) == 0)
        // A file name with a space and a newline is one entry (-z never quotes).
        #expect(GitOutputParsing.statusEntryCount(Data(" M a b\nc.txt\0".utf8)) == 1)
    }

    @Test func numstatReadsCountsBinaryFilesAndRenames() {
        let output = "1\t1\tshared.txt\0-\t-\tlogo.png\0" + "4\t0\t\0old name.txt\0new name.txt\0" + "10\t2\tdir/a.swift\0"
        let files = GitOutputParsing.numstat(Data(output.utf8))
        #expect(files.map(\.path) == ["shared.txt", "logo.png", "old name.txt → new name.txt", "dir/a.swift"])
        #expect(files.map(\.added) == [1, nil, 4, 10])
        #expect(files.map(\.removed) == [1, nil, 0, 2])
        #expect(GitOutputParsing.numstat(Data()).isEmpty)
    }

    @Test func worktreeListGivesEachEntrysPath() {
        let output = """
            worktree /src/api
            HEAD 3f2c0e1
            branch refs/heads/main

            worktree /home/u/.whatsagent/workspaces/abc/worktrees/api/dev1
            HEAD 9a8b7c6
            branch refs/heads/wa/dev1
            prunable gitdir file points to non-existent location

            """
        #expect(GitOutputParsing.worktreePaths(output) == ["/src/api", "/home/u/.whatsagent/workspaces/abc/worktrees/api/dev1"])
    }

    @Test func nulSeparatedPaths() {
        #expect(GitOutputParsing.nulSeparated(Data("new.txt\0dir/other file.txt\0".utf8)) == ["new.txt", "dir/other file.txt"])
    }

    @Test func aGitCallThatFailsCarriesItsStderrAndOneThatHangsTimesOut() async throws {
        let git = GitClient(timeout: .seconds(10))
        try #require(git.executable != nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            _ = try await git.run(["rev-parse", "HEAD"], in: folder)
            Issue.record("rev-parse outside a repository succeeded")
        } catch let error as GitError {
            guard case .failed(_, _, let code, let stderr) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(code == 128)
            #expect(stderr.contains("not a git repository"))
            #expect(error.description.contains("`git rev-parse HEAD` in \(folder) failed with exit code 128: fatal: not a git repository"))
        }
        // A call that hangs (an alias to a shell command that sleeps) is killed at the timeout.
        let slow = GitClient(timeout: .milliseconds(300))
        let started = ContinuousClock.now
        await #expect(throws: GitError.self) {
            _ = try await slow.run(["-c", "alias.wait=!sleep 600", "wait"], in: folder)
        }
        // Killed at its timeout, long before the sleep would end (generous: a loaded 2-core machine ran it 43 s late).
        #expect(ContinuousClock.now - started < .seconds(300))
    }

    /// The daemon's git calls take no optional lock (issue 23): a `git status` in an agent's worktree while the agent
    /// runs git itself must not write the index (it would hold `index.lock` and the agent's `git add` would fail).
    @Test func aStatusCallLeavesAStaleIndexUnwritten() async throws {
        let git = GitClient(timeout: .seconds(10))
        try #require(git.executable != nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = "\(folder)/a.txt"
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: file))
        _ = try await git.run(["init", "-q"], in: folder)
        _ = try await git.run(["add", "a.txt"], in: folder)
        _ = try await git.run(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "a"], in: folder)
        // Same content, another modification time: the index's stat data is stale, and a locking status would refresh it.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: file)
        let index = URL(fileURLWithPath: "\(folder)/.git/index")
        let before = try Data(contentsOf: index)

        let status = try await git.run(["status", "--porcelain=v1", "-z"], in: folder)

        #expect(status.stdout.isEmpty, "nothing changed: \(status.text)")
        #expect(try Data(contentsOf: index) == before, "git status rewrote the index")
    }
}
