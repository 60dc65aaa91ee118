/**
 * Load generators for the benchmarks. Not tests: nothing here asserts a timing.
 *
 * <p>Threading: each generator documents its own threads.
 */
package io.netloop.bench;
