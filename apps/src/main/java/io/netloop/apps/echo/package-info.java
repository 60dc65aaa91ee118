/**
 * The echo server: every byte back, bounded memory per peer, half-close honoured.
 *
 * <p>Threading: handlers run on their connection's loop thread.
 */
package io.netloop.apps.echo;
