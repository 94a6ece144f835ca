import Foundation

/// Why the benchmark itself failed (a missed goal is not a failure: the table shows it).
enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case command(arguments: [String], status: Int32, stderr: String)
    case unexpected(String)
    case timeout(String)

    var description: String {
        switch self {
        case .usage(let message):
            message
        case .command(let arguments, let status, let stderr):
            "`\(arguments.joined(separator: " "))` exited with \(status): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .unexpected(let message):
            message
        case .timeout(let what):
            "timed out: \(what)"
        }
    }
}
