package io.netloop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The modes of an {@link AllTransports}: {@code IoMode} names, which JUnit turns into the enum.
 *
 * <p>Threading: JUnit's; one instance per annotated method.
 */
public final class TransportArguments implements ArgumentsProvider, AnnotationConsumer<AllTransports> {
    private final List<String> modes = new ArrayList<>();

    @Override
    public void accept(AllTransports a) {
        modes.add("EPOLL");
        if (a.edgeTriggered()) modes.add("EPOLL_ET");
        modes.add("IO_URING");
        modes.add("NIO");
        if (a.pollers()) {
            modes.add("POLL");
            modes.add("SELECT");
        }
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        return modes.stream().map(Arguments::of);
    }
}
