/**
 * The I/O-model lab (seed 003's tour, seed 002's road): one tiny HTTP server on every I/O model
 * netloop can show, and a holder of idle connections, for {@code bench/iomodels.sh}. Every model
 * answers the same bytes ({@link io.netloop.bench.lab.PlainResponder}) so that only the way of
 * waiting for the network differs.
 *
 * <p>Threading: each {@link io.netloop.bench.lab.LabServer} model documents its threads; the
 * event-driven ones are netloop's own loops (one loop, so every model has one core's worth of
 * event handling), the blocking ones a thread per connection.
 */
package io.netloop.bench.lab;
