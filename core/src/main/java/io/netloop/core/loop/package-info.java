/**
 * The reactor: {@link io.netloop.core.loop.EventLoop} (one thread, its
 * {@link io.netloop.core.transport.Poller}, timers, a {@link io.netloop.core.loop.TimingWheel}
 * and a task queue), {@link io.netloop.core.loop.Channel} (one watched source: a socket, an
 * eventfd, a pipe, a terminal), {@link io.netloop.core.loop.DescriptorInput} (input from a
 * descriptor the loop does not own), {@link io.netloop.core.loop.EventLoopGroup},
 * {@link io.netloop.core.loop.WorkerPool} for handlers that block, and
 * {@link io.netloop.core.loop.FailureRule}, the one rule for what user code throws.
 * {@link io.netloop.core.loop.IoMode} chooses the transport a loop runs on.
 *
 * <p>Threading: one loop per thread. A channel and everything registered with a loop is
 * touched only by that loop's thread; other threads hand work over with
 * {@link io.netloop.core.loop.EventLoop#execute}. Each public type's Javadoc says which of its
 * methods are exceptions to that rule.
 */
package io.netloop.core.loop;
