package io.netloop.core.file;

/**
 * What the kernel says of an open file ({@link OpenFile#stat}).
 *
 * <p>Threading: immutable.
 *
 * @param inode the file's inode number: with size and mtime, enough for a strong validator
 * @param mtimeNanos last modification, nanoseconds since the epoch
 */
public record FileStat(boolean regularFile, boolean directory, long inode, long size, long mtimeNanos) {}
