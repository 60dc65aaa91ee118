/**
 * The {@code netloop} command line (picocli): parses options and starts servers, nothing
 * more. Every command has {@code --help}.
 *
 * <p>Threading: the main thread parses and then waits; servers run on their loops.
 */
package io.netloop.cli;
