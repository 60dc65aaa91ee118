/**
 * A static site over TLS: files under a directory, HTTPS with a PEM certificate.
 *
 * <p>Threading: {@code main} starts the server and returns; its loop threads run the TLS
 * handshakes and send the files.
 */
package io.netloop.examples.tls;
