import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// SPEC §14 board row and issue 4's additions: full-text search over a board of `taskCount` tasks (a fixed query set:
/// one rare word, one common word, a prefix, an id) and listing 1,000 tasks, through the real REST API on the socket.
///
/// The board is seeded once per benchmark through `board import` (the real import path); then every round runs each
/// query `repeats` times. Latency is the client's round trip: request, routing, the FTS5 query, JSON encoding.
enum BoardSearch {
    /// The fixed query set, with what each exercises; the id is one about a third into the board.
    static func queries(taskCount: Int) -> [(label: String, text: String)] {
        [
            ("rare word", Corpus.rareWord),
            ("common word", Corpus.commonWord),
            ("prefix", Corpus.prefix),
            ("id", "WA-\(taskCount / 3 + 37)"),
        ]
    }

    struct Run: Sendable {
        /// Every search round trip, all queries together (ms).
        var search: [Double]
        /// Per query label, its round trips (ms).
        var byQuery: [String: [Double]]
        /// Listing the first 1,000 tasks (ms).
        var list: [Double]
    }

    struct Seeded: Sendable {
        var tasks: Int
        var comments: Int
        var importSeconds: Double
        var exportBytes: Int
    }

    /// Starts a daemon, seeds the board, and measures `rounds` rounds.
    static func run(binary: String, taskCount: Int, rounds: Int, repeats: Int) async throws -> (Seeded, [Run]) {
        try await DaemonHarness.with(binary: binary) { daemon in
            let client = DaemonClient(socketPath: daemon.info.socket)
            try await daemon.cli(["workspace", "add", "board", "--rbac-mode", "enforce"])
            let repo = daemon.home + "/repo"
            try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
            try await daemon.cli(["repo", "add", repo, "--name", "api"])
            for agent in ["api:a0", "api:a1"] { try await daemon.cli(["agent", "add", agent]) }

            let export = Corpus.export(tasks: taskCount)
            let body = try WireJSON.encoder().encode(export)
            let begin = ContinuousClock.now
            let imported = try await client.importBoard(workspace: "board", export)
            let seconds = (ContinuousClock.now - begin).milliseconds / 1_000
            guard imported.tasks == taskCount else {
                throw BenchError.unexpected("the import stored \(imported.tasks) tasks, expected \(taskCount)")
            }
            let seeded = Seeded(tasks: taskCount, comments: export.comments.count, importSeconds: seconds, exportBytes: body.count)

            // Every query must find something, or the row measures nothing.
            let queries = self.queries(taskCount: taskCount)
            for query in queries {
                let result = try await client.search(BoardTasks.self, workspace: "board", BoardSearchQueryParameters(query: query.text, limit: 20))
                guard result.total > 0 else { throw BenchError.unexpected("the \(query.label) query '\(query.text)' found nothing") }
            }
            var runs: [Run] = []
            for _ in 0..<rounds {
                var run = Run(search: [], byQuery: [:], list: [])
                for _ in 0..<repeats {
                    for query in queries {
                        let start = ContinuousClock.now
                        _ = try await client.search(BoardTasks.self, workspace: "board", BoardSearchQueryParameters(query: query.text, limit: 20))
                        let elapsed = (ContinuousClock.now - start).milliseconds
                        run.search.append(elapsed)
                        run.byQuery[query.label, default: []].append(elapsed)
                    }
                    let start = ContinuousClock.now
                    let listed = try await client.items(BoardTasks.self, workspace: "board", BoardListQuery(limit: 1_000))
                    run.list.append((ContinuousClock.now - start).milliseconds)
                    guard listed.tasks.count == 1_000 else {
                        throw BenchError.unexpected("listing returned \(listed.tasks.count) tasks, expected 1000")
                    }
                }
                runs.append(run)
            }
            return (seeded, runs)
        }
    }

    /// A deterministic board: titles and details drawn from a Zipf-like vocabulary, so there are common and rare
    /// words as on a real board; one word appears in a handful of tasks only.
    enum Corpus {
        static let commonWord = "deploy"
        static let rareWord = "zanzibar"
        static let prefix = "migrat"
        static let rareCount = 7

        static func export(tasks count: Int) -> BoardExport {
            var random = SplitMix(seed: 0x5EED)
            let vocabulary = self.vocabulary(&random, size: 4_000)
            let created = Date(timeIntervalSince1970: 1_790_000_000)
            let statuses = BoardStatusValue.allCases
            let priorities = BoardPriorityValue.allCases
            let efforts = BoardEffortValue.allCases
            var tasks: [BoardTaskResponse] = []
            var comments: [BoardCommentResponse] = []
            tasks.reserveCapacity(count)
            let rareEvery = max(count / self.rareCount, 1)
            for index in 1...count {
                func words(_ n: Int) -> [String] { (0..<n).map { _ in vocabulary[self.zipf(&random, vocabulary.count)] } }
                var title = words(4 + Int(random.next() % 5))
                if random.next() % 10 < 3 { title.insert(self.commonWord, at: 0) }
                if random.next() % 20 == 0 { title.append(["migrate", "migration", "migrating"][Int(random.next() % 3)]) }
                if index % rareEvery == 0 && index / rareEvery <= self.rareCount { title.append(self.rareWord) }
                let details = words(18 + Int(random.next() % 12)).joined(separator: " ")
                let displayID = String(format: "WA-%03d", index)
                let status = statuses[Int(random.next() % UInt64(statuses.count))]
                let at = created.addingTimeInterval(Double(index))
                tasks.append(
                    BoardTaskResponse(
                        id: Int64(index),
                        displayId: displayID,
                        sequence: index,
                        title: title.joined(separator: " "),
                        details: details,
                        status: status,
                        priority: priorities[Int(random.next() % 4)],
                        effort: efforts[Int(random.next() % 5)],
                        assignee: index % 2 == 0 ? "api:a0" : "api:a1",
                        creator: "api:a0",
                        githubUrl: nil,
                        githubNumber: nil,
                        githubTitle: nil,
                        epicId: nil,
                        dependsOnTaskIds: [],
                        createdAt: at,
                        updatedAt: at,
                        completedAt: status == .completed ? at : nil,
                        archivedAt: nil,
                        archivedBy: nil
                    )
                )
                if index % 10 == 0 {
                    comments.append(
                        BoardCommentResponse(
                            id: Int64(comments.count + 1),
                            itemKind: .task,
                            itemId: displayID,
                            author: "api:a1",
                            type: .progress,
                            body: words(12).joined(separator: " "),
                            createdAt: at
                        )
                    )
                }
            }
            return BoardExport(
                version: 1,
                taskPrefix: "WA",
                epicPrefix: "EP",
                taskSequence: count,
                epicSequence: 0,
                tasks: tasks,
                epics: [],
                comments: comments,
                dependencies: [],
                activity: []
            )
        }

        /// Pronounceable pseudo-words; none equals the fixed query words.
        static func vocabulary(_ random: inout SplitMix, size: Int) -> [String] {
            let onsets = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl"]
            let vowels = ["a", "e", "i", "o", "u", "ai", "ou"]
            var words: Set<String> = []
            var ordered: [String] = []
            while ordered.count < size {
                let syllables = 2 + Int(random.next() % 3)
                let word = (0..<syllables).map { _ in
                    onsets[Int(random.next() % UInt64(onsets.count))] + vowels[Int(random.next() % UInt64(vowels.count))]
                }.joined()
                let reserved = [commonWord, rareWord].contains(word) || word.hasPrefix(prefix)
                if !reserved && words.insert(word).inserted { ordered.append(word) }
            }
            return ordered
        }

        /// An index in 0..<n, skewed towards small indexes (rank ∝ 1/u²).
        static func zipf(_ random: inout SplitMix, _ n: Int) -> Int {
            let u = Double(random.next() % 1_000_000 + 1) / 1_000_000
            return min(Int(Double(n) * u * u * u), n - 1)
        }
    }
}

/// A small deterministic generator (SplitMix64), so every benchmark run searches the same board.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
