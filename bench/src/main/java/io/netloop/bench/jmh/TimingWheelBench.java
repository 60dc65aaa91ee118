package io.netloop.bench.jmh;

import io.netloop.core.loop.TimingWheel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The timing wheel as idle timeouts use it: every request on a keep-alive connection moves its
 * connection's timeout (reschedule), with N other timeouts pending; and a tick that finds
 * nothing due.
 *
 * <p>Threading: JMH runs each benchmark thread with its own state ({@code Scope.Thread}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TimingWheelBench {
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long IDLE = TimeUnit.SECONDS.toNanos(60);

    @Param({"1000", "100000"})
    public int pending;

    private TimingWheel wheel;
    private TimingWheel.Timeout[] timeouts;
    private long now;
    private int next;

    @Setup
    public void setUp() {
        now = 0;
        wheel = new TimingWheel(TICK, 1024, now);
        timeouts = new TimingWheel.Timeout[pending];
        for (int i = 0; i < pending; i++) {
            timeouts[i] = wheel.schedule(() -> {}, IDLE + (i % 600) * TICK, now);
        }
    }

    /** One request's worth of work: push one connection's idle deadline back. */
    @Benchmark
    public int rescheduleOnActivity() {
        TimingWheel.Timeout t = timeouts[next];
        next = (next + 1 == pending) ? 0 : next + 1;
        wheel.reschedule(t, IDLE, now);
        return wheel.size();
    }

    /** A tick with nothing due (every deadline is far ahead). */
    @Benchmark
    public int advanceWithNothingDue() {
        return wheel.advance(now);
    }
}
