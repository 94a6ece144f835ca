import Foundation

/// The Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` lines, then one sample per line,
/// `name{label="value",…} number`.
public enum PrometheusText {
    /// The content type of a scrape response.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func header(_ name: String, _ help: String, type: String, into output: inout String) {
        output += "# HELP \(name) \(self.escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    static func sample(_ name: String, _ labels: [(String, String)], _ value: Double, into output: inout String) {
        output += name
        if !labels.isEmpty {
            output += "{" + labels.map { "\($0.0)=\"\(self.escapeLabelValue($0.1))\"" }.joined(separator: ",") + "}"
        }
        output += " " + self.format(value) + "\n"
    }

    static func pairs(_ names: [String], _ values: [String]) -> [(String, String)] {
        Array(zip(names, values))
    }

    /// HELP text: backslash and newline are escaped.
    public static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Label values: backslash, double quote and newline are escaped.
    public static func escapeLabelValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Whole numbers without a fraction (`3`), others as Swift prints them (`0.0025`), and `+Inf`, `-Inf`, `NaN`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }

    /// A series must give one value per label name; a mismatch is a programming error, caught in debug builds and
    /// dropped (never recorded under the wrong labels) in release builds.
    static func checkLabels(_ values: [String], _ names: [String], _ metric: String) -> Bool {
        assert(values.count == names.count, "metric \(metric) takes labels \(names), got \(values)")
        return values.count == names.count
    }
}
