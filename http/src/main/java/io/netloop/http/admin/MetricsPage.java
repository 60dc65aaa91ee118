package io.netloop.http.admin;

import io.netloop.http.HttpLoopStats;
import io.netloop.http.HttpStats;
import java.util.function.ToDoubleFunction;

/**
 * The {@code /metrics} page: an {@link HttpStats} and the {@link ProcessStats} in the
 * Prometheus text format, one sample per loop (label {@code loop}) where the server counts
 * per loop. The metric names are listed in docs/operations.md.
 *
 * <p>Threading: stateless; called on the loop that serves the request.
 */
final class MetricsPage {
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private MetricsPage() {}

    /** A family with one sample per loop, labelled with the loop's name. */
    private static void perLoop(
            PrometheusText p,
            HttpStats stats,
            String name,
            String type,
            String help,
            ToDoubleFunction<HttpStats.Loop> value) {
        p.family(name, type, help);
        for (HttpStats.Loop l : stats.loops()) p.sample(value.applyAsDouble(l), "loop", l.name());
    }

    static String render(HttpStats stats, ProcessStats process) {
        PrometheusText p = new PrometheusText();
        p.family(
                        "netloop_ready",
                        "gauge",
                        "1 while the server takes new work; 0 once a drain has begun (what /readyz reports).")
                .sample(stats.ready() ? 1 : 0);
        p.family("netloop_draining", "gauge", "1 once a graceful stop has begun.")
                .sample(stats.draining() ? 1 : 0);

        perLoop(
                p,
                stats,
                "netloop_connections_open",
                "gauge",
                "HTTP connections open now, per event loop.",
                l -> l.http().open());
        perLoop(
                p,
                stats,
                "netloop_connections_accepted_total",
                "counter",
                "HTTP connections accepted since start, per event loop.",
                l -> l.http().opened());
        p.family(
                        "netloop_connections_rejected_total",
                        "counter",
                        "Connections over the connection limit since start (answered 503, or closed at once).")
                .sample(stats.connectionsRejected());

        p.family(
                "netloop_http_requests_total",
                "counter",
                "Responses sent, by status class (code=\"2xx\"...), per event loop.");
        for (HttpStats.Loop l : stats.loops()) {
            long[] byClass = l.http().byClass();
            for (int c = 0; c < CLASSES.length; c++) p.sample(byClass[c], "loop", l.name(), "code", CLASSES[c]);
        }
        p.family(
                "netloop_http_request_duration_seconds",
                "histogram",
                "Time from a request's complete head to its response fully queued, per event loop.");
        double[] bounds = HttpLoopStats.latencyBounds();
        for (HttpStats.Loop l : stats.loops()) {
            p.histogram(bounds, l.http().latencyBuckets(), l.http().latencySumSeconds(), "loop", l.name());
        }

        perLoop(
                p,
                stats,
                "netloop_bytes_received_total",
                "counter",
                "Bytes read from connections, per event loop.",
                l -> l.io().bytesIn());
        perLoop(
                p,
                stats,
                "netloop_bytes_sent_total",
                "counter",
                "Bytes written to connections, per event loop.",
                l -> l.io().bytesOut());
        perLoop(
                p,
                stats,
                "netloop_socket_writes_total",
                "counter",
                "Write system calls made for connections (pipelined responses share one), per event loop.",
                l -> l.io().writes());
        perLoop(
                p,
                stats,
                "netloop_loop_wakeups_total",
                "counter",
                "Returns from the poller's wait (epoll_wait), per event loop.",
                l -> l.io().wakeups());
        perLoop(
                p,
                stats,
                "netloop_loop_events_total",
                "counter",
                "Ready channels dispatched, per event loop.",
                l -> l.io().events());
        perLoop(
                p,
                stats,
                "netloop_loop_tasks_total",
                "counter",
                "Tasks run (handed over by other threads, or deferred), per event loop.",
                l -> l.io().tasks());
        perLoop(
                p,
                stats,
                "netloop_loop_timers_fired_total",
                "counter",
                "Timers and timeouts that ran, per event loop.",
                l -> l.io().timersFired());
        perLoop(
                p,
                stats,
                "netloop_loop_busy_seconds_total",
                "counter",
                "Time a loop spent working (not waiting in the poller); its rate is the loop's load, 1 for a saturated"
                        + " loop.",
                l -> l.io().busyNanos() / 1e9);
        p.family(
                        "netloop_worker_queue_depth",
                        "gauge",
                        "Handler tasks waiting for a worker thread (routes in WORKERS mode).")
                .sample(stats.workerQueueDepth());

        if (process.openFds() >= 0)
            p.family("process_open_fds", "gauge", "Open file descriptors.").sample(process.openFds());
        if (process.maxFds() >= 0)
            p.family("process_max_fds", "gauge", "The limit on open file descriptors (soft).")
                    .sample(process.maxFds());
        p.family("netloop_heap_used_bytes", "gauge", "Java heap in use, including garbage not yet collected.")
                .sample(process.heapUsed());
        p.family("netloop_heap_committed_bytes", "gauge", "Java heap held from the system.")
                .sample(process.heapCommitted());
        p.family("netloop_heap_max_bytes", "gauge", "The most the Java heap may grow to.")
                .sample(process.heapMax());
        return p.toString();
    }
}
