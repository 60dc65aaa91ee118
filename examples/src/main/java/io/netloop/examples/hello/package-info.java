/**
 * Hello world: an HTTP server with one route.
 *
 * <p>Threading: {@code main} starts the server and returns; the server's loop threads keep the
 * process alive and run the handler.
 */
package io.netloop.examples.hello;
