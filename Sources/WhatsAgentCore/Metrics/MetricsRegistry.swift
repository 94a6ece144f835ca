import Foundation

/// A small, dependency-free metrics registry: counters, gauges and histograms with fixed buckets, each with labels,
/// rendered in the Prometheus text exposition format 0.0.4 (SPEC §13).
///
/// Thread-safe: every family guards its values with its own lock, so recording is one short critical section (a
/// dictionary update) and never waits for a scrape of another family. `NSLock` rather than `Synchronization.Mutex`,
/// which would need macOS 15 while the package still targets macOS 14.
///
/// ```swift
/// let registry = MetricsRegistry()
/// let sent = registry.counter("whatsagent_messages_sent_total", help: "Messages stored.", labels: ["kind"])
/// sent.increment(["direct"])
/// print(registry.render())
/// ```
public final class MetricsRegistry: Sendable {
    private let families = MetricLock<[any MetricFamily]>([])

    public init() {}

    /// Registers a counter family (a value that only goes up; by convention its name ends in `_total`).
    public func counter(_ name: String, help: String, labels: [String] = []) -> CounterFamily {
        self.register(CounterFamily(name: name, help: help, labels: labels))
    }

    /// Registers a gauge family (a value that goes up and down, or is set at scrape time).
    public func gauge(_ name: String, help: String, labels: [String] = []) -> GaugeFamily {
        self.register(GaugeFamily(name: name, help: help, labels: labels))
    }

    /// Registers a histogram family with fixed, increasing upper bounds (`+Inf` is implied).
    public func histogram(_ name: String, help: String, labels: [String] = [], buckets: [Double]) -> HistogramFamily {
        self.register(HistogramFamily(name: name, help: help, labels: labels, buckets: buckets))
    }

    /// Every family in registration order, in the text exposition format 0.0.4.
    public func render() -> String {
        var output = ""
        for family in self.families.withLock({ $0 }) {
            family.render(into: &output)
        }
        return output
    }

    private func register<Family: MetricFamily>(_ family: Family) -> Family {
        self.families.withLock { families in
            precondition(!families.contains { $0.name == family.name }, "metric \(family.name) is registered twice")
            families.append(family)
        }
        return family
    }
}

/// A registered metric: renders its HELP, TYPE and sample lines.
protocol MetricFamily: Sendable {
    var name: String { get }
    func render(into output: inout String)
}

/// A counter with labels. Label values are given in the order of the family's label names.
public final class CounterFamily: MetricFamily {
    let name: String
    let help: String
    let labels: [String]
    private let values = MetricLock<[[String]: Double]>([:])

    init(name: String, help: String, labels: [String]) {
        self.name = name
        self.help = help
        self.labels = labels
    }

    /// Adds `amount` (≥ 0) to the series with these label values.
    public func increment(_ labelValues: [String] = [], by amount: Double = 1) {
        guard amount >= 0, PrometheusText.checkLabels(labelValues, self.labels, self.name) else { return }
        self.values.withLock { $0[labelValues, default: 0] += amount }
    }

    /// The current value of one series (0 when never incremented).
    public func value(_ labelValues: [String] = []) -> Double {
        self.values.withLock { $0[labelValues] ?? 0 }
    }

    /// Raises the series to `total` when it is higher: for a count kept elsewhere and read at scrape time. A counter
    /// never goes down, so a lower `total` is ignored.
    public func advance(to total: Double, _ labelValues: [String] = []) {
        guard PrometheusText.checkLabels(labelValues, self.labels, self.name) else { return }
        self.values.withLock { $0[labelValues] = max($0[labelValues] ?? 0, total) }
    }

    func render(into output: inout String) {
        PrometheusText.header(self.name, self.help, type: "counter", into: &output)
        for (labelValues, value) in self.values.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            PrometheusText.sample(self.name, PrometheusText.pairs(self.labels, labelValues), value, into: &output)
        }
    }
}

/// A gauge with labels.
public final class GaugeFamily: MetricFamily {
    let name: String
    let help: String
    let labels: [String]
    private let values = MetricLock<[[String]: Double]>([:])

    init(name: String, help: String, labels: [String]) {
        self.name = name
        self.help = help
        self.labels = labels
    }

    public func set(_ value: Double, _ labelValues: [String] = []) {
        guard PrometheusText.checkLabels(labelValues, self.labels, self.name) else { return }
        self.values.withLock { $0[labelValues] = value }
    }

    public func add(_ amount: Double, _ labelValues: [String] = []) {
        guard PrometheusText.checkLabels(labelValues, self.labels, self.name) else { return }
        self.values.withLock { $0[labelValues, default: 0] += amount }
    }

    /// Replaces every series at once (for gauges computed at scrape time: series that are gone disappear).
    public func replaceAll(_ series: [[String]: Double]) {
        let checked = series.filter { PrometheusText.checkLabels($0.key, self.labels, self.name) }
        self.values.withLock { $0 = checked }
    }

    public func value(_ labelValues: [String] = []) -> Double {
        self.values.withLock { $0[labelValues] ?? 0 }
    }

    func render(into output: inout String) {
        PrometheusText.header(self.name, self.help, type: "gauge", into: &output)
        for (labelValues, value) in self.values.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            PrometheusText.sample(self.name, PrometheusText.pairs(self.labels, labelValues), value, into: &output)
        }
    }
}

/// A histogram with fixed buckets and labels: per series, cumulative bucket counts, the sum and the count.
public final class HistogramFamily: MetricFamily {
    /// One series' observations.
    public struct Snapshot: Equatable, Sendable {
        /// Observations per bucket (not cumulative), one per upper bound, then the `+Inf` overflow.
        public var counts: [UInt64]
        public var sum: Double
        public var count: UInt64
    }

    let name: String
    let help: String
    let labels: [String]
    /// Increasing upper bounds, without `+Inf`.
    public let buckets: [Double]
    private let series = MetricLock<[[String]: Snapshot]>([:])

    init(name: String, help: String, labels: [String], buckets: [Double]) {
        precondition(zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "histogram \(name): buckets must increase")
        self.name = name
        self.help = help
        self.labels = labels
        self.buckets = buckets.filter(\.isFinite)
    }

    /// Records one observation.
    public func observe(_ value: Double, _ labelValues: [String] = []) {
        guard !value.isNaN, PrometheusText.checkLabels(labelValues, self.labels, self.name) else { return }
        let index = self.buckets.firstIndex { value <= $0 } ?? self.buckets.count
        let empty = Snapshot(counts: Array(repeating: 0, count: self.buckets.count + 1), sum: 0, count: 0)
        self.series.withLock { series in
            series[labelValues, default: empty].counts[index] += 1
            series[labelValues, default: empty].sum += value
            series[labelValues, default: empty].count += 1
        }
    }

    /// One series (nil when nothing was observed).
    public func snapshot(_ labelValues: [String] = []) -> Snapshot? {
        self.series.withLock { $0[labelValues] }
    }

    func render(into output: inout String) {
        PrometheusText.header(self.name, self.help, type: "histogram", into: &output)
        for (labelValues, snapshot) in self.series.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let pairs = PrometheusText.pairs(self.labels, labelValues)
            var cumulative: UInt64 = 0
            for (bound, count) in zip(self.buckets + [.infinity], snapshot.counts) {
                cumulative += count
                PrometheusText.sample(
                    self.name + "_bucket",
                    pairs + [("le", PrometheusText.format(bound))],
                    Double(cumulative),
                    into: &output
                )
            }
            PrometheusText.sample(self.name + "_sum", pairs, snapshot.sum, into: &output)
            PrometheusText.sample(self.name + "_count", pairs, Double(snapshot.count), into: &output)
        }
    }
}

/// A value behind an `NSLock`.
final class MetricLock<Value>: @unchecked Sendable {
    // `@unchecked Sendable`: `value` is only touched inside `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.value)
    }
}
