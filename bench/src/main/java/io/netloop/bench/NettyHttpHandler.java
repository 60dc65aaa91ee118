package io.netloop.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The two routes of the HTTP benchmark, written the way a Netty user who cares about speed
 * would: {@code GET /plaintext} answers a shared read-only "Hello, World!" buffer, and
 * {@code GET /static/NAME} sends {@code <root>/static/NAME} as a {@link DefaultFileRegion}
 * (sendfile on epoll and NIO, splice on io_uring), opened per request as nginx does without
 * {@code open_file_cache}. Everything else is 404; methods other than GET and HEAD are 405.
 *
 * <p>Responses carry Content-Length and keep the connection open unless the request said
 * otherwise (HTTP/1.0 without keep-alive, or {@code Connection: close}). They are written
 * without flushing and flushed once per read batch ({@link #channelReadComplete}), so that
 * pipelined requests leave in one write.
 *
 * <p>Threading: {@link ChannelHandler.Sharable}: one instance serves every channel; it keeps
 * no per-connection state, and each call runs on the calling channel's event-loop thread.
 */
@ChannelHandler.Sharable
final class NettyHttpHandler extends SimpleChannelInboundHandler<HttpObject> {
    private static final String STATIC_PREFIX = "/static/";
    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    // Unreleasable so that the encoder's release of each response leaves the shared bytes alone.
    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer(13)
            .writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII))
            .asReadOnly());
    private static final AsciiString HELLO_LENGTH = AsciiString.of(Integer.toString(HELLO.readableBytes()));
    // The header names and values here are constants known to be valid: checking them per response is waste.
    private static final HttpHeadersFactory HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS =
            DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private final Path root;

    /** {@code root} must be absolute and normalized, as {@link NettyHttpOptions} makes it. */
    NettyHttpHandler(Path root) {
        this.root = root;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        // A GET's body parts (an empty LastHttpContent) need nothing: the superclass releases them.
        if (!(msg instanceof HttpRequest request)) return;
        if (request.decoderResult().isFailure()) {
            sendStatus(ctx, HttpResponseStatus.BAD_REQUEST, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod method = request.method();
        boolean head = method.equals(HttpMethod.HEAD);
        if (!head && !method.equals(HttpMethod.GET)) {
            sendStatus(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, keepAlive);
        } else if (request.uri().equals("/plaintext")) {
            sendPlaintext(ctx, request, head, keepAlive);
        } else if (request.uri().startsWith(STATIC_PREFIX)) {
            sendFile(ctx, request, head, keepAlive);
        } else {
            sendStatus(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset when the load generator stops is the normal end of a run; anything else is worth a line.
        if (!(cause instanceof IOException)) System.err.println("netty-http: " + cause);
        ctx.close();
    }

    private static void sendPlaintext(ChannelHandlerContext ctx, HttpRequest request, boolean head, boolean keepAlive) {
        ByteBuf body = head ? Unpooled.EMPTY_BUFFER : HELLO.duplicate();
        var response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body, HEADERS, TRAILERS);
        commonHeaders(response.headers(), request, keepAlive)
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, HELLO_LENGTH);
        write(ctx, response, keepAlive);
    }

    private void sendFile(ChannelHandlerContext ctx, HttpRequest request, boolean head, boolean keepAlive) {
        Path file = resolve(request.uri());
        if (file == null) {
            sendStatus(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
            return;
        }
        FileChannel channel;
        long length;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            length = channel.size();
        } catch (NoSuchFileException e) {
            sendStatus(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
            return;
        } catch (IOException e) {
            // Opening a directory reads as "Is a directory" here; nginx also answers 404 for that without a slash.
            sendStatus(
                    ctx,
                    Files.isDirectory(file) ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    keepAlive);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, HEADERS);
        commonHeaders(response.headers(), request, keepAlive)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        ctx.write(response);
        if (head) {
            closeQuietly(channel);
        } else {
            // Closes the file once sent or failed: the encoder releases the region either way.
            ctx.write(new DefaultFileRegion(channel, 0, length));
        }
        write(ctx, LastHttpContent.EMPTY_LAST_CONTENT, keepAlive);
    }

    /** The file a {@code /static/...} URI names under root, or null when it points outside. */
    private Path resolve(String uri) {
        String path = new QueryStringDecoder(uri).path(); // percent-decoded, query dropped
        if (path.indexOf('\0') >= 0) return null;
        Path file = root.resolve(path.substring(1)).normalize();
        return file.startsWith(root.resolve("static")) ? file : null;
    }

    private static void sendStatus(ChannelHandlerContext ctx, HttpResponseStatus status, boolean keepAlive) {
        var response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS);
        response.headers()
                .set(HttpHeaderNames.SERVER, SERVER)
                .set(HttpHeaderNames.DATE, HttpDate.now())
                .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO)
                // Said out loud, since a 1.0 request (or a bad one) may not say which it expects.
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        write(ctx, response, keepAlive);
    }

    private static HttpHeaders commonHeaders(HttpHeaders headers, HttpRequest request, boolean keepAlive) {
        headers.set(HttpHeaderNames.SERVER, SERVER).set(HttpHeaderNames.DATE, HttpDate.now());
        // As Netty's own HttpHelloWorldServerHandler does. The response is HTTP/1.1, which means keep-alive
        // unless it says close: a closing exchange must say so whatever the request's version, or the client
        // (wrk among them) sends its next request into a connection being closed and counts a read error.
        // A 1.0 client that asked for keep-alive is told it got it.
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return headers;
    }

    /** Writes the last part of a response; a closing one is flushed now and the channel closed after it. */
    private static void write(ChannelHandlerContext ctx, Object last, boolean keepAlive) {
        if (keepAlive) {
            ctx.write(last);
        } else {
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only: nothing was buffered that a failed close could lose.
        }
    }
}
