package io.netloop.http.codec;

/**
 * Reason phrases of the status codes this server sends (RFC 9110 §15), and which statuses
 * carry no content.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Status {
    private Status() {}

    /** The reason phrase of {@code status}; for a code without one, the name of its class. */
    public static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default ->
                status < 200
                        ? "Informational"
                        : status < 300
                                ? "Success"
                                : status < 400 ? "Redirection" : status < 500 ? "Client Error" : "Server Error";
        };
    }

    /** RFC 9110 §6.4.1: 1xx, 204 and 304 responses never have content (and 204 no Content-Length). */
    public static boolean hasNoContent(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    /** What a client can do about an error status, for the text of generated error responses. */
    public static String advice(int status) {
        return switch (status) {
            case 400 -> "The request is malformed; check its request line, headers and framing.";
            case 403 -> "The resource is outside what this server serves.";
            case 404 -> "No resource at this path; check the URL.";
            case 405 -> "This method is not allowed here; the Allow header lists the ones that are.";
            case 408 -> "The request took too long to arrive; send it again, promptly.";
            case 413 -> "The request body is larger than this server accepts; send a smaller one.";
            case 414 -> "The request target is longer than this server accepts; shorten the URL.";
            case 416 -> "The requested range lies outside the resource; Content-Range gives its length.";
            case 431 -> "The request header section is too large; send fewer or shorter header fields.";
            case 500 -> "The server failed while handling the request; its log has the details.";
            case 501 -> "The server does not implement what the request needs (a transfer coding or method).";
            case 503 -> "The server is busy or shutting down; try again shortly.";
            case 505 -> "Only HTTP/1.0 and HTTP/1.1 are served; send HTTP/1.1.";
            default -> "";
        };
    }
}
