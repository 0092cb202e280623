import Prometheus

/// What `GET /metrics` shows, in Prometheus text: push and pull latency, the numbering lock's
/// wait, how late cross-instance notifications arrive, and the listener's reconnects.
struct ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let pushLatency: DurationHistogram
    let pullLatency: DurationHistogram
    let lockWait: DurationHistogram
    let notifyLag: DurationHistogram
    let listenerReconnects: Counter
    let pushesRateLimited: Counter
    let connectionsRefused: Counter

    init() {
        let latency: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                   .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                   .seconds(2.5), .seconds(5), .seconds(10), .seconds(30)]
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "gloss", metricName: metric, unitName: unit, helpText: help)
        }
        pushLatency = registry.makeDurationHistogram(
            descriptor: name("push", "seconds", "Time to answer a push, from its body read to its answer."), buckets: latency)
        pullLatency = registry.makeDurationHistogram(
            descriptor: name("pull", "seconds", "Time to answer a pull, a long poll's wait included."), buckets: latency)
        lockWait = registry.makeDurationHistogram(
            descriptor: name("numbering_lock_wait", "seconds", "Time a push waited for its workspace's numbering lock (PostgreSQL store)."),
            buckets: latency)
        notifyLag = registry.makeDurationHistogram(
            descriptor: name("notify_lag", "seconds", "From a push's commit on any instance to this instance hearing of it (PostgreSQL store)."),
            buckets: latency)
        listenerReconnects = registry.makeCounter(
            descriptor: name("listener_reconnects", "total", "Times the PostgreSQL LISTEN connection was re-established."))
        pushesRateLimited = registry.makeCounter(
            descriptor: name("pushes_rate_limited", "total", "Pushes refused with 429 for a member's or a workspace's push quota."))
        connectionsRefused = registry.makeCounter(
            descriptor: name("connections_refused", "total", "Connections closed on accept: over the per-address or the global cap."))
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
