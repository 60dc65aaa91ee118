/** The {@code netloop} command: parses options and wires the servers, nothing more. */
module io.netloop.cli {
    requires io.netloop.apps;
    requires io.netloop.chat;
    requires io.netloop.http;
    requires info.picocli;
    requires jdk.unsupported; // sun.misc.Signal: SIGTERM and SIGINT stop the servers gracefully

    // picocli reads the commands' annotated fields and methods by reflection.
    opens io.netloop.cli to
            info.picocli;
}
