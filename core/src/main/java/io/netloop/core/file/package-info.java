/**
 * Files for a network server: {@link io.netloop.core.file.FileRoot} opens the files that
 * clients name beneath a directory and never outside it, {@link io.netloop.core.file.OpenFile}
 * is an open file that connections send without copying it ({@code TcpConnection.sendFile}),
 * {@link io.netloop.core.file.DescriptorLimit} is the descriptor limit that files and
 * sockets share.
 *
 * <p>Threading: a {@code FileRoot} from any thread; an {@code OpenFile} by one thread at a
 * time (the loop's, in practice); {@code DescriptorLimit} is a value.
 */
package io.netloop.core.file;
