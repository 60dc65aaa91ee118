package io.netloop.http.codec;

/**
 * Why a request was refused.
 *
 * <p>Threading: immutable; safe from any thread.
 *
 * @param status          the response status to send: 400, 413, 414, 431, 501 or 505
 * @param reason          a short phrase for logs; not meant for the response body verbatim
 * @param closeConnection whether the connection must close after the response. It is true
 *                        whenever the parser cannot tell where the next request starts: any
 *                        error in framing or syntax, and any request whose body it won't read.
 *                        When false, the refused request was complete and bodiless, and the
 *                        next {@link HttpParser#parse} call goes on with the next request.
 */
public record ParseError(int status, String reason, boolean closeConnection) {}
