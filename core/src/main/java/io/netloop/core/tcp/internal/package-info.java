/**
 * The parts of TCP servers and connections that need no connection: the acceptor (with the
 * spare descriptor for EMFILE), the output queue, the budgeted read, file ranges, the serial
 * executor for handlers off the loop. Not exported: they can change.
 *
 * <p>Threading: the owning loop's thread, but for the serial executor, which any thread may
 * hand a task.
 */
package io.netloop.core.tcp.internal;
