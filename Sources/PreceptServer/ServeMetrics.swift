import Precept
import Prometheus
import Synchronization

/// The service's Prometheus metrics (text exposition at `/metrics`): requests by route and status,
/// request latency, decisions by rulebook and outcome, log write latency, and the loaded
/// rulebooks' digests as an info metric. One registry per server, not the process-wide one, so
/// several servers (tests) keep their own.
final class ServeMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  private let latencyBuckets: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)]
  private let infos = Mutex<[Gauge]>([])

  private static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "precept", metricName: "http_requests", unitName: "total",
                                                     helpText: "HTTP requests by route and status") }
  private static var latency: MetricNameDescriptor { MetricNameDescriptor(namespace: "precept", metricName: "http_request_duration", unitName: "seconds",
                                                    helpText: "Time to answer a request, by route") }
  private static var decisions: MetricNameDescriptor { MetricNameDescriptor(namespace: "precept", metricName: "decisions", unitName: "total",
                                                      helpText: "Decisions by rulebook and outcome") }
  private static var logWrites: MetricNameDescriptor { MetricNameDescriptor(namespace: "precept", metricName: "log_write_duration", unitName: "seconds",
                                                      helpText: "Time to make a group of log rows durable") }
  private static var logRows: MetricNameDescriptor { MetricNameDescriptor(namespace: "precept", metricName: "log_rows_written", unitName: "total",
                                                    helpText: "Rows appended to the decision log") }
  private static var info: MetricNameDescriptor { MetricNameDescriptor(namespace: "precept", metricName: "rulebook", unitName: "info",
                                                 helpText: "A loaded rulebook: id, version and digest") }
  private static var reloads: MetricNameDescriptor { MetricNameDescriptor(namespace: "precept", metricName: "reloads", unitName: "total",
                                                    helpText: "Rulebook reloads by result") }

  func request(route: String, status: Int, duration: Duration) {
    registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))]).increment()
    registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route)], buckets: latencyBuckets).record(duration)
  }

  func decision(rulebook: String, outcome: Outcome) {
    registry.makeCounter(descriptor: Self.decisions, labels: [("rulebook", rulebook), ("outcome", outcome.rawValue)]).increment()
  }

  func logWrite(rows: Int, seconds: Double) {
    registry.makeDurationHistogram(descriptor: Self.logWrites, labels: [], buckets: latencyBuckets)
      .record(.nanoseconds(Int64(seconds * 1e9)))
    registry.makeCounter(descriptor: Self.logRows, labels: []).increment(by: Int64(rows))
  }

  func reload(ok: Bool) {
    registry.makeCounter(descriptor: Self.reloads, labels: [("result", ok ? "ok" : "error")]).increment()
  }

  /// Replaces the info metric with the rulebooks now loaded.
  func loaded(_ books: [CompiledRulebook]) {
    infos.withLock { gauges in
      for g in gauges { registry.unregisterGauge(g) }
      gauges = books.map { b in
        let g = registry.makeGauge(descriptor: Self.info, labels: [("rulebook", b.id), ("version", b.version ?? ""), ("digest", b.digest)])
        g.set(to: 1.0)
        return g
      }
    }
  }

  /// The exposition text.
  func text() -> [UInt8] { registry.emitToBuffer() }
}
