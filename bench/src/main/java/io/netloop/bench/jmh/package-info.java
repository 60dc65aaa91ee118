/**
 * JMH microbenchmarks of the pieces every request goes through: the HTTP parser, the Buffer and
 * the timing wheel. Run with {@code ./netloop bench jmh} (or
 * {@code java -cp bench/target/netloop-bench.jar org.openjdk.jmh.Main}).
 *
 * <p>Threading: JMH's; each benchmark state is per thread.
 */
package io.netloop.bench.jmh;
