/**
 * Test support shared by every module's tests: the descriptor and thread leak check, the
 * transport matrix ({@link io.netloop.testing.AllTransports}), blocking JDK clients that share
 * no code with the servers they test, child JVMs laid out as the test's own, raw descriptors
 * made with the JDK alone, and a test certificate. Depends on no netloop module.
 *
 * <p>Threading: each helper says; the leak check runs on JUnit's thread.
 */
package io.netloop.testing;
