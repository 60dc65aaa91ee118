package io.netloop.core.loop;

import io.netloop.core.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N {@link EventLoop}s, one thread each: one loop per thread, spread over the cores.
 *
 * <p>Threading: immutable after construction; {@link #next()} and {@link #close()} from any
 * thread.
 */
public final class EventLoopGroup implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final List<EventLoop> loops;
    private final AtomicInteger next = new AtomicInteger();

    /** {@code threads} loops on {@code io}'s transport; 0 means one per available processor. */
    public EventLoopGroup(int threads, IoMode io) throws IOException {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Transport transport = io.transport();
        int id = IDS.incrementAndGet();
        List<EventLoop> list = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) list.add(new EventLoop("g" + id + "-" + i, transport));
        } catch (IOException | RuntimeException e) {
            list.forEach(EventLoop::close);
            throw e;
        }
        this.loops = List.copyOf(list);
    }

    public List<EventLoop> loops() {
        return loops;
    }

    public int size() {
        return loops.size();
    }

    public Transport transport() {
        return loops.getFirst().transport();
    }

    /** Round-robin: each call the next loop (muduo's way of spreading connections). */
    public EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /** The sum of every loop's counters. */
    public LoopStats.Snapshot stats() {
        LoopStats.Snapshot sum = new LoopStats.Snapshot(0, 0, 0, 0, 0, 0);
        for (EventLoop l : loops) sum = sum.plus(l.stats().snapshot());
        return sum;
    }

    /** Stops every loop and waits for them. */
    @Override
    public void close() {
        loops.forEach(EventLoop::shutdown);
        for (EventLoop l : loops) {
            if (l.inLoop()) continue; // closed from one of its own loops: that one stops after this task
            try {
                if (!l.awaitTermination(Duration.ofSeconds(30))) {
                    System.getLogger(EventLoopGroup.class.getName())
                            .log(System.Logger.Level.WARNING, l + " did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
