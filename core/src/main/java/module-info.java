/**
 * netloop's core: the kernel through FFM at the bottom, the reactor on top of it, TCP and
 * UDP servers and clients, TLS and the PROXY protocol as filters. Depends on nothing but the
 * JDK, and is the only netloop module that calls the kernel: grant it native access with
 * {@code --enable-native-access=io.netloop.core}.
 *
 * <p>Layers, each using only those below it:
 * <pre>
 * tls, proxy          filters between a connection's socket and its handler
 * tcp, udp            servers, clients, connections, datagram sockets (tcp.internal: their parts)
 * loop                EventLoop, Channel, timers, the timing wheel, worker pools, IoMode
 * transport           the Poller and socket contracts (transport.linux, transport.nio: implementations)
 * file, buffer        files beneath a root, byte buffers
 * sys                 errno and its exception (sys.linux: the system calls themselves)
 * </pre>
 */
module io.netloop.core {
    requires jdk.net;

    exports io.netloop.core.buffer;
    exports io.netloop.core.file;
    exports io.netloop.core.loop;
    exports io.netloop.core.proxy;
    exports io.netloop.core.sys;
    exports io.netloop.core.tcp;
    exports io.netloop.core.tls;
    exports io.netloop.core.transport;
    exports io.netloop.core.udp;
}
