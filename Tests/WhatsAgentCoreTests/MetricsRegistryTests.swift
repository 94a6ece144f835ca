import Foundation
import Testing

@testable import WhatsAgentCore

/// The metrics registry and its Prometheus text exposition (format 0.0.4).
@Suite struct MetricsRegistryTests {
    @Test func theExpositionMatchesTheGoldenText() {
        let registry = MetricsRegistry()
        let requests = registry.counter("demo_requests_total", help: "Requests.\nSecond line with a \\ backslash.", labels: ["method", "path"])
        let queued = registry.gauge("demo_queued", help: "Waiting items.")
        let latency = registry.histogram("demo_latency_seconds", help: "Latency.", labels: ["kind"], buckets: [0.005, 0.01, 1])

        requests.increment(["GET", "/a"])
        requests.increment(["GET", "/a"], by: 2)
        requests.increment(["POST", "/say \"hi\"\\\n"])
        queued.set(7)
        queued.add(-2)
        for value in [0.001, 0.005, 0.007, 0.5, 3] { latency.observe(value, ["direct"]) }

        let expected = """
            # HELP demo_requests_total Requests.\\nSecond line with a \\\\ backslash.
            # TYPE demo_requests_total counter
            demo_requests_total{method="GET",path="/a"} 3
            demo_requests_total{method="POST",path="/say \\"hi\\"\\\\\\n"} 1
            # HELP demo_queued Waiting items.
            # TYPE demo_queued gauge
            demo_queued 5
            # HELP demo_latency_seconds Latency.
            # TYPE demo_latency_seconds histogram
            demo_latency_seconds_bucket{kind="direct",le="0.005"} 2
            demo_latency_seconds_bucket{kind="direct",le="0.01"} 3
            demo_latency_seconds_bucket{kind="direct",le="1"} 4
            demo_latency_seconds_bucket{kind="direct",le="+Inf"} 5
            demo_latency_seconds_sum{kind="direct"} 3.513
            demo_latency_seconds_count{kind="direct"} 5

            """
        #expect(registry.render() == expected)
    }

    @Test func familiesWithoutSamplesStillDeclareThemselves() {
        let registry = MetricsRegistry()
        _ = registry.counter("demo_total", help: "Nothing yet.", labels: ["kind"])

        #expect(registry.render() == "# HELP demo_total Nothing yet.\n# TYPE demo_total counter\n")
    }

    @Test func numbersAreFormattedForPrometheus() {
        #expect(PrometheusText.format(3) == "3")
        #expect(PrometheusText.format(-2) == "-2")
        #expect(PrometheusText.format(0.25) == "0.25")
        #expect(PrometheusText.format(.infinity) == "+Inf")
        #expect(PrometheusText.format(-.infinity) == "-Inf")
        #expect(PrometheusText.format(.nan) == "NaN")
        #expect(PrometheusText.format(1e20) == "1e+20")
    }

    @Test func replacingAGaugeDropsSeriesThatAreGone() {
        let registry = MetricsRegistry()
        let gauge = registry.gauge("demo_waiting", help: "Waiting.", labels: ["kind"])
        gauge.replaceAll([["direct"]: 2, ["kanban"]: 1])
        gauge.replaceAll([["direct"]: 4])

        #expect(registry.render().contains("demo_waiting{kind=\"direct\"} 4\n"))
        #expect(!registry.render().contains("kanban"))
    }

    @Test func concurrentRecordingLosesNothing() async {
        let registry = MetricsRegistry()
        let counter = registry.counter("demo_total", help: "Concurrent.", labels: ["kind"])
        let histogram = registry.histogram("demo_seconds", help: "Concurrent.", buckets: [0.5])

        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<1_000 {
                        counter.increment([task.isMultiple(of: 2) ? "even" : "odd"])
                        histogram.observe(Double(task % 2))
                    }
                }
            }
        }

        #expect(counter.value(["even"]) == 4_000 && counter.value(["odd"]) == 4_000)
        #expect(histogram.snapshot()?.count == 8_000)
        #expect(histogram.snapshot()?.counts == [4_000, 4_000])
    }
}
