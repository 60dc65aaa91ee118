package io.netloop.examples.lines;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One connection of the {@link LineServer}: splits what arrives into lines and answers each.
 * Bytes arrive in whatever pieces TCP makes, so a line may come in two reads, or two lines in
 * one: the input buffer keeps the unfinished rest for the next read.
 *
 * <p>Owned by its connection. Threading: its loop thread.
 */
final class CommandHandler implements ConnectionHandler {
    /** A line longer than this is refused: a peer that never sends a newline must not fill the heap. */
    static final int MAX_LINE = 1024;

    @Override
    public void onOpen(TcpConnection connection) {
        connection.send("HELLO commands: PING, ECHO text, UPPER text, QUIT\n");
    }

    /** After QUIT or a refused line: what else arrives is dropped while the connection ends. */
    private boolean ending;

    @Override
    public void onData(TcpConnection connection, Buffer input) {
        for (int eol; !ending && (eol = input.indexOf((byte) '\n')) >= 0; ) {
            String line = input.readString(eol + 1, StandardCharsets.UTF_8).strip();
            ending = !answer(connection, line);
        }
        if (!ending && input.readableBytes() > MAX_LINE) {
            connection.send("ERR line longer than " + MAX_LINE + " bytes\n");
            connection.shutdownOutput();
            ending = true;
        }
        if (ending) input.clear();
    }

    /** @return false once the connection is ending */
    private static boolean answer(TcpConnection connection, String line) {
        int space = line.indexOf(' ');
        String command = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        switch (command) {
            case "PING" -> connection.send("PONG\n");
            case "ECHO" -> connection.send(argument + "\n");
            case "UPPER" -> connection.send(argument.toUpperCase(Locale.ROOT) + "\n");
            case "QUIT" -> {
                connection.send("BYE\n");
                connection.shutdownOutput(); // sends what is queued, then FIN
                return false;
            }
            default -> connection.send("ERR unknown command: " + command + "\n");
        }
        return true;
    }
}
