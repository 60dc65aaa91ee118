package io.netloop.core.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class EventLoopTest {

    @AllTransports(pollers = true)
    void tasksFromManyThreadsAllRunOnTheLoopThreadWithNoLostWakeups(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            int threads = 4, perThread = 5_000;
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger offThread = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(threads * perThread);
            List<Thread> producers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        loop.execute(() -> {
                            if (!loop.inLoop()) offThread.incrementAndGet();
                            ran.incrementAndGet();
                            done.countDown();
                        });
                        if (i % 500 == 0) Thread.onSpinWait();
                    }
                }));
            }
            for (Thread p : producers) p.join();
            assertThat(done.await(10, TimeUnit.SECONDS)).as("every task ran").isTrue();
            assertThat(ran.get()).isEqualTo(threads * perThread);
            assertThat(offThread.get()).isZero();
        }
    }

    @AllTransports(edgeTriggered = false, pollers = true)
    void aSingleTaskWakesASleepingLoop(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            for (int i = 0; i < 200; i++) {
                CompletableFuture<Boolean> f = new CompletableFuture<>();
                loop.execute(() -> f.complete(loop.inLoop()));
                assertThat(f.get(5, TimeUnit.SECONDS)).isTrue();
                if (i % 20 == 0) Thread.sleep(2); // let the loop fall asleep between some of them
            }
        }
    }

    @AllTransports(edgeTriggered = false, pollers = true)
    void anIdleLoopSleepsInsteadOfSpinning(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            CompletableFuture<Long> id = new CompletableFuture<>();
            loop.execute(() -> id.complete(Thread.currentThread().threadId()));
            long tid = id.get(5, TimeUnit.SECONDS);
            var mx = ManagementFactory.getThreadMXBean();
            long before = mx.getThreadCpuTime(tid);
            Thread.sleep(500);
            long used = mx.getThreadCpuTime(tid) - before;
            // A spinning loop burns ~500 ms here; a sleeping one, close to nothing.
            assertThat(used).as("loop CPU ns in 500 ms idle").isLessThan(50_000_000L);
        }
    }

    @AllTransports(edgeTriggered = false, pollers = true)
    void aTimerFiresOnTheLoopNoEarlierThanItsDelay(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            long start = System.nanoTime();
            CompletableFuture<Long> fired = new CompletableFuture<>();
            loop.schedule(() -> fired.complete(loop.inLoop() ? System.nanoTime() : -1L), 50, TimeUnit.MILLISECONDS);
            long at = fired.get(5, TimeUnit.SECONDS);
            assertThat(at).isPositive();
            assertThat(at - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @AllTransports(edgeTriggered = false)
    void aCancelledTimerNeverFires(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            AtomicBoolean fired = new AtomicBoolean();
            Timer t = loop.schedule(() -> fired.set(true), 30, TimeUnit.MILLISECONDS);
            loop.cancel(t);
            CompletableFuture<Void> later = new CompletableFuture<>();
            loop.schedule(() -> later.complete(null), 120, TimeUnit.MILLISECONDS);
            later.get(5, TimeUnit.SECONDS);
            assertThat(fired).isFalse();
            assertThat(t.isCancelled()).isTrue();
        }
    }

    @AllTransports(edgeTriggered = false)
    void timersFireInDeadlineOrder(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(3);
            loop.execute(() -> {
                loop.schedule(
                        () -> {
                            order.add(3);
                            done.countDown();
                        },
                        60,
                        TimeUnit.MILLISECONDS);
                loop.schedule(
                        () -> {
                            order.add(1);
                            done.countDown();
                        },
                        20,
                        TimeUnit.MILLISECONDS);
                loop.schedule(
                        () -> {
                            order.add(2);
                            done.countDown();
                        },
                        40,
                        TimeUnit.MILLISECONDS);
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly(1, 2, 3);
        }
    }

    @AllTransports(edgeTriggered = false)
    void aFixedRateTimerRepeatsUntilCancelled(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch five = new CountDownLatch(5);
            Timer t = loop.scheduleAtFixedRate(
                    () -> {
                        runs.incrementAndGet();
                        five.countDown();
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);
            assertThat(five.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> atCancel = new CompletableFuture<>();
            loop.execute(() -> {
                t.cancel();
                atCancel.complete(runs.get());
            });
            int n = atCancel.get(5, TimeUnit.SECONDS);
            Thread.sleep(60);
            assertThat(runs.get()).isEqualTo(n);
        }
    }

    @AllTransports(edgeTriggered = false)
    void aThrowingTaskDoesNotStopTheLoop(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            loop.execute(() -> {
                throw new IllegalStateException("a bad task (expected in this test)");
            });
            CompletableFuture<Boolean> after = new CompletableFuture<>();
            loop.execute(() -> after.complete(true));
            assertThat(after.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The failure rule for tasks, timers and readiness handlers: Errors short of OOM and InternalError too. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"stack", "assertion", "linkage", "initializer"})
    void aTaskTimerOrChannelHandlerThrowingAnErrorDoesNotStopTheLoop(String kind) throws Exception {
        java.util.function.Supplier<Error> error = () -> switch (kind) {
            case "stack" -> new StackOverflowError("expected in this test");
            case "assertion" -> new AssertionError("expected in this test");
            case "linkage" -> new NoClassDefFoundError("expected/in/ThisTest");
            default -> new ExceptionInInitializerError("expected in this test");
        };
        try (EventLoop loop = EventLoop.open(IoMode.EPOLL)) {
            loop.execute(() -> {
                throw error.get();
            });
            loop.schedule(
                    () -> {
                        throw error.get();
                    },
                    1,
                    TimeUnit.MILLISECONDS);
            loop.execute(() -> loop.wheel()
                    .schedule(
                            () -> {
                                throw error.get();
                            },
                            1,
                            loop.nowNanos()));
            CompletableFuture<Boolean> after = new CompletableFuture<>();
            loop.schedule(() -> after.complete(true), 300, TimeUnit.MILLISECONDS); // after the wheel's tick
            assertThat(after.get(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> stillRunning = new CompletableFuture<>();
            loop.execute(() -> stillRunning.complete(!loop.isShutdown()));
            assertThat(stillRunning.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @AllTransports(edgeTriggered = false)
    void shutdownClosesWhatTheLoopOwnsAndThenRejectsTasks(IoMode io) throws Exception {
        EventLoop loop = EventLoop.open(io);
        AtomicInteger closed = new AtomicInteger();
        CompletableFuture<Void> owned = new CompletableFuture<>();
        loop.execute(() -> {
            loop.own(closed::incrementAndGet);
            owned.complete(null);
        });
        owned.get(5, TimeUnit.SECONDS);
        loop.close();
        assertThat(loop.isTerminated()).isTrue();
        assertThat(closed.get()).isEqualTo(1);
        assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    @AllTransports(edgeTriggered = false)
    void loopOnlyCallsFailFastFromOtherThreads(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            assertThatThrownBy(() -> loop.runLater(() -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("use loop.execute");
        }
    }

    @AllTransports(edgeTriggered = false)
    void runLaterRunsAfterTheCurrentBatchWithoutSleeping(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            AtomicLong at = new AtomicLong();
            CompletableFuture<Long> done = new CompletableFuture<>();
            loop.execute(() -> {
                at.set(System.nanoTime());
                loop.runLater(() -> done.complete(System.nanoTime() - at.get()));
            });
            assertThat(done.get(5, TimeUnit.SECONDS))
                    .isLessThan(Duration.ofSeconds(1).toNanos());
        }
    }
}
