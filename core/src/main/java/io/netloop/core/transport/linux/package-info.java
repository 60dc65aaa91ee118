/**
 * The native transports: raw descriptors through the kernel bindings, watched by epoll
 * (level- or edge-triggered, one-shot), and, for the I/O-model lab, by poll(2), select(2) and
 * signal-driven I/O (O_ASYNC, a realtime signal read from a signalfd); an eventfd wakes each
 * poller from other threads. The socket options of a descriptor ({@code DescriptorOptions}) are
 * shared with the io_uring transport. Not exported.
 *
 * <p>Threading: each poller and socket belongs to one loop thread; a poller's wake-up may be
 * signalled from any.
 */
package io.netloop.core.transport.linux;
