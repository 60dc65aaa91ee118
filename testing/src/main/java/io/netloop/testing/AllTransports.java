package io.netloop.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Runs a test once per I/O model, the test's first parameter being the {@code IoMode}:
 * epoll level-triggered, epoll edge-triggered, io_uring and the JDK's NIO selector by default,
 * the transports a server runs on. A machine without io_uring fails the io_uring runs with the
 * reason (what is missing), it does not skip them. Every transport keeps the same contract, so a test of that
 * contract runs on all of them:
 *
 * <pre>
 * &#64;AllTransports
 * void echoesWhatItReceives(IoMode io) { ... }
 *
 * &#64;AllTransports(pollers = true)          // also poll(2) and select(2), the lab's multiplexers
 * &#64;AllTransports(edgeTriggered = false)   // where edge triggering changes nothing the test sees
 * </pre>
 *
 * <p>The modes are given by name and converted by JUnit, so this module needs no netloop
 * module (core's own tests use it). Threading: an annotation.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "{0}")
@ArgumentsSource(TransportArguments.class)
public @interface AllTransports {
    /** Also epoll edge-triggered (EPOLL_ET). */
    boolean edgeTriggered() default true;

    /** Also poll(2) and select(2) (POLL, SELECT), which the I/O-model lab runs servers on. */
    boolean pollers() default false;
}
