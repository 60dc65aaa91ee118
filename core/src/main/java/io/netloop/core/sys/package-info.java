/**
 * What a failed system call tells: {@link io.netloop.core.sys.ErrnoException} names the call
 * and the errno ({@code accept4: EMFILE (Too many open files)}), {@link io.netloop.core.sys.Errno}
 * the values netloop reacts to. The system calls themselves are in a package no other module
 * sees.
 *
 * <p>Threading: immutable values and stateless functions; any thread.
 */
package io.netloop.core.sys;
