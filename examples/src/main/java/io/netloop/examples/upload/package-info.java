/**
 * A form upload: multipart/form-data read as a stream, each file digested as it arrives.
 *
 * <p>Threading: the form's parts are read on the connection's loop thread; nothing there
 * blocks.
 */
package io.netloop.examples.upload;
