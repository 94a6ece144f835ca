import Foundation

/// The web UI page-load rows (no SPEC goal): `bench/web_page_load.py` drives headless Chromium through Playwright
/// against its own release daemon and prints one JSON object; see that script and docs/benchmarks.md for the method.
enum WebPageLoad {
    struct Result: Decodable, Sendable {
        var skipped: String?
        var agents: Int?
        var live: Int?
        var agentRuns: [Double]?
        var tasks: Int?
        var boardRuns: [Double]?
        var chromium: String?
    }

    /// Runs the script with `python`; nil script means the row was not asked for.
    static func run(python: String, script: String, binary: String, runs: Int, boardRuns: Int) async throws -> Result {
        let output = try await Subprocess.checked(
            python,
            [script, "--json", "--whatsagent", binary, "--runs", String(runs), "--board-runs", String(boardRuns)]
        )
        do {
            return try JSONDecoder().decode(Result.self, from: output)
        } catch {
            throw BenchError.unexpected("\(script) printed something else: \(String(decoding: output, as: UTF8.self))")
        }
    }

    /// p50 and p95 rows per page, or one row saying why they were skipped.
    static func rows(_ result: Result?, skipReason: String) -> [TableRow] {
        guard let result, result.skipped == nil, let agentRuns = result.agentRuns, !agentRuns.isEmpty else {
            let reason = result?.skipped ?? skipReason
            return [TableRow(what: "web: agents / board page load (headless Chromium)", measured: "skipped: \(reason)", goal: "—", gap: "—")]
        }
        let agents = "web: agents page load, \(result.agents ?? 0) agents (\(result.live ?? 0) live), navigation → last row"
        var rows = [
            TableRow.info("\(agents), p50 (\(agentRuns.count) loads)", [Stats.percentile(agentRuns, 50)], unit: .milliseconds),
            TableRow.info("\(agents), p95", [Stats.percentile(agentRuns, 95)], unit: .milliseconds),
        ]
        if let boardRuns = result.boardRuns, !boardRuns.isEmpty {
            let board = "web: board page load, \(TableRow.Unit.grouped(result.tasks ?? 0)) tasks, navigation → last card"
            rows += [
                TableRow.info("\(board), p50 (\(boardRuns.count) loads)", [Stats.percentile(boardRuns, 50)], unit: .milliseconds),
                TableRow.info("\(board), p95", [Stats.percentile(boardRuns, 95)], unit: .milliseconds),
            ]
        }
        return rows
    }
}
