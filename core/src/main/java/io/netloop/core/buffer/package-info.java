/**
 * {@link io.netloop.core.buffer.Buffer}: a growable byte buffer on a heap array with separate
 * read and write positions, which sockets read into and write from without a copy.
 *
 * <p>Threading: not thread-safe; a connection's buffers belong to its loop thread.
 */
package io.netloop.core.buffer;
