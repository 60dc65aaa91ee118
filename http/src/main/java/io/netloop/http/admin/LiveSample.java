package io.netloop.http.admin;

import io.netloop.core.loop.LoopStats;
import io.netloop.http.HttpLoopStats;
import io.netloop.http.HttpStats;
import java.util.Locale;

/**
 * What the dashboard draws, computed from two {@link HttpStats} a moment apart: connections
 * open, requests per second, latency p50 and p99 over the interval (from the histogram's
 * difference), and each loop's load (the share of the interval it spent working rather
 * than waiting) and requests per second. Rendered as one JSON object for a
 * server-sent event.
 *
 * <p>Threading: each subscriber has its own; used on the loop that serves it.
 */
final class LiveSample {
    private HttpStats previous;
    private long previousNanos;

    LiveSample(HttpStats first, long nanos) {
        this.previous = first;
        this.previousNanos = nanos;
    }

    /** The JSON for the interval from the previous call (or the start) to {@code now}. */
    String next(HttpStats now, long nanos, ProcessStats process) {
        double seconds = Math.max(1e-3, (nanos - previousNanos) / 1e9);
        HttpLoopStats.Snapshot total = now.http();
        HttpLoopStats.Snapshot delta = total.minus(previous.http());
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":").append(System.currentTimeMillis());
        b.append(",\"ready\":").append(now.ready());
        b.append(",\"connections\":").append(total.open());
        b.append(",\"requests\":").append(total.requests());
        b.append(",\"rps\":").append(fixed(delta.requests() / seconds));
        b.append(",\"errorsPerSec\":").append(fixed(delta.byClass()[4] / seconds));
        b.append(",\"p50ms\":").append(fixed(delta.latencyQuantile(0.5) * 1e3));
        b.append(",\"p99ms\":").append(fixed(delta.latencyQuantile(0.99) * 1e3));
        LoopStats.Snapshot io = now.io();
        LoopStats.Snapshot before = previous.io();
        b.append(",\"bytesInPerSec\":").append(fixed((io.bytesIn() - before.bytesIn()) / seconds));
        b.append(",\"bytesOutPerSec\":").append(fixed((io.bytesOut() - before.bytesOut()) / seconds));
        b.append(",\"heapUsed\":").append(process.heapUsed());
        b.append(",\"openFds\":").append(process.openFds());
        b.append(",\"loops\":[");
        for (int i = 0; i < now.loops().size(); i++) {
            HttpStats.Loop l = now.loops().get(i);
            HttpStats.Loop p = i < previous.loops().size() ? previous.loops().get(i) : l;
            if (i > 0) b.append(',');
            b.append("{\"name\":\"")
                    .append(l.name().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
            b.append(",\"connections\":").append(l.http().open());
            b.append(",\"rps\":").append(fixed((l.http().requests() - p.http().requests()) / seconds));
            b.append(",\"wakeupsPerSec\":").append(fixed((l.io().wakeups() - p.io().wakeups()) / seconds));
            b.append(",\"tasksPerSec\":").append(fixed((l.io().tasks() - p.io().tasks()) / seconds));
            b.append(",\"busy\":")
                    .append(fixed(Math.min(1, (l.io().busyNanos() - p.io().busyNanos()) / 1e9 / seconds)));
            b.append('}');
        }
        b.append("]}");
        previous = now;
        previousNanos = nanos;
        return b.toString();
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
