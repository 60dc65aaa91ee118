/**
 * multipart/form-data (RFC 7578) read as a stream: a form's parts are handed over piece by
 * piece as the request body arrives, so an uploaded file is never held whole in memory, and
 * limits per part, on the part headers and in total are answered with 413 or 400.
 *
 * <pre>{@code
 * server.post("/upload", MultipartForm.handler(MultipartLimits.DEFAULT, req -> new PartHandler() { ... }))
 *         .streamBody()
 *         .maxBodySize(1L << 30);
 * }</pre>
 *
 * <p>Threading: a form is read on its connection's loop thread; a {@link
 * io.netloop.http.multipart.PartHandler}'s calls must not block.
 */
package io.netloop.http.multipart;
