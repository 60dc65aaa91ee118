/**
 * Load generators for the benchmarks, and the peers netloop is measured against
 * ({@link io.netloop.bench.NettyHttpServer}). Not tests: nothing here asserts a timing.
 *
 * <p>Threading: each generator documents its own threads.
 */
package io.netloop.bench;
