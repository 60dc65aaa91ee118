package io.netloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code netloop} command. It only wires options to the servers.
 *
 * <p>Threading: runs on the main thread, which waits while the servers' loops work.
 */
@Command(
        name = "netloop",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Event-driven network servers on epoll (through FFM) or JDK NIO.",
        subcommands = {
            ServeCommand.class,
            EchoCommand.class,
            PeerCommand.class,
            UdpEchoCommand.class,
            UdpSendCommand.class,
            ChatCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With {@code factory} making the commands (tests hand a command its streams this way). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(io.netloop.core.loop.IoMode.class, io.netloop.core.loop.IoMode::parse);
        cl.registerConverter(io.netloop.core.tcp.AcceptMode.class, io.netloop.core.tcp.AcceptMode::parse);
        cl.registerConverter(io.netloop.core.tcp.HandlerMode.class, io.netloop.core.tcp.HandlerMode::parse);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("netloop " + cmd.getCommandName() + ": " + e.getMessage());
            return 1;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            // The modular jar's module version (jar --module-version: the pom's); none in a build tree
            // or on the class path.
            var module = Main.class.getModule().getDescriptor();
            String v = module != null && module.rawVersion().isPresent()
                    ? module.rawVersion().get()
                    : Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "netloop " + (v != null ? v : "(development build)"),
                "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch")
            };
        }
    }
}
