import Foundation

/// One line of the results table.
struct TableRow {
    var what: String
    var measured: String
    var goal: String
    var gap: String

    /// A row the product cannot be measured on yet: no number, never a fake one.
    static func missing(_ what: String, goal: String, issue: Int) -> TableRow {
        TableRow(what: what, measured: "not implemented yet (issue \(issue))", goal: goal, gap: "—")
    }

    /// A "≤ goal" row: `values` are the per-run results, the median is compared.
    static func atMost(_ what: String, _ values: [Double], goal: Double, unit: Unit) -> TableRow {
        let median = Stats.median(values)
        let gap =
            median <= goal
            ? "meets (\(unit.format(goal - median)) under)"
            : "misses: +\(unit.format(median - goal)) (\(String(format: "%.1f", median / goal))× the goal)"
        return TableRow(what: what, measured: self.measured(median, values, unit), goal: "≤ \(unit.format(goal))", gap: gap)
    }

    /// A "≥ goal" row.
    static func atLeast(_ what: String, _ values: [Double], goal: Double, unit: Unit) -> TableRow {
        let median = Stats.median(values)
        let gap =
            median >= goal
            ? "meets (\(unit.format(median - goal)) over)"
            : "misses: −\(unit.format(goal - median)) (\(String(format: "%.0f", median / goal * 100))% of the goal)"
        return TableRow(what: what, measured: self.measured(median, values, unit), goal: "≥ \(unit.format(goal))", gap: gap)
    }

    /// A row with no SPEC goal, reported for context (issue 4 asks for search p99 and listing).
    static func info(_ what: String, _ values: [Double], unit: Unit) -> TableRow {
        TableRow(what: what, measured: self.measured(Stats.median(values), values, unit), goal: "—", gap: "(no goal)")
    }

    private static func measured(_ median: Double, _ values: [Double], _ unit: Unit) -> String {
        guard values.count > 1, let low = values.min(), let high = values.max() else { return unit.format(median) }
        return "\(unit.format(median)) (runs \(unit.number(low))–\(unit.number(high)))"
    }

    enum Unit {
        case milliseconds
        /// Decimal megabytes (10⁶ bytes), as the SPEC's goals are written.
        case megabytes
        case perSecond
        /// Bytes per second, shown as decimal megabytes per second.
        case megabytesPerSecond
        /// A plain count per operation (write transactions per send).
        case count

        func number(_ value: Double) -> String {
            switch self {
            case .milliseconds: String(format: value < 10 ? "%.2f" : "%.1f", value)
            case .megabytes, .megabytesPerSecond: String(format: "%.1f", value / 1e6)
            case .perSecond: Self.grouped(Int(value.rounded()))
            case .count: String(format: "%.2f", value)
            }
        }

        /// 12345 → "12,345".
        static func grouped(_ value: Int) -> String {
            var digits = String(abs(value))
            var groups: [String] = []
            while digits.count > 3 {
                groups.insert(String(digits.suffix(3)), at: 0)
                digits.removeLast(3)
            }
            groups.insert(digits, at: 0)
            return (value < 0 ? "-" : "") + groups.joined(separator: ",")
        }

        func format(_ value: Double) -> String {
            switch self {
            case .milliseconds: "\(self.number(value)) ms"
            case .megabytes: "\(self.number(value)) MB"
            case .perSecond: "\(self.number(value)) msg/s"
            case .megabytesPerSecond: "\(self.number(value)) MB/s"
            case .count: self.number(value)
            }
        }
    }
}

/// Renders rows as a Markdown table (it reads well in a terminal and pastes into docs/benchmarks.md).
enum Table {
    static func render(_ rows: [TableRow]) -> String {
        let header = TableRow(what: "What (SPEC §14)", measured: "Measured (median over runs)", goal: "Goal", gap: "Gap")
        let all = [header] + rows
        let widths = [\TableRow.what, \.measured, \.goal, \.gap].map { path in all.map { $0[keyPath: path].count }.max() ?? 0 }
        func line(_ row: TableRow) -> String {
            let cells = [row.what, row.measured, row.goal, row.gap].enumerated().map { index, cell in
                cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return "| " + cells.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
