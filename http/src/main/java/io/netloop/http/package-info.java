/**
 * HTTP/1.1 on the reactor.
 *
 * <p>Threading: parsers and connection state belong to their connection's loop thread.
 */
package io.netloop.http;
