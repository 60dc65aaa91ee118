/**
 * Test support shared by every module's tests: the descriptor and thread leak check, and
 * blocking JDK clients that share no code with the servers they test.
 *
 * <p>Threading: each helper says; the leak check runs on JUnit's thread.
 */
package io.netloop.testing;
