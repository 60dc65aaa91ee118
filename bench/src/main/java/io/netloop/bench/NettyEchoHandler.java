package io.netloop.bench;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * Echo the idiomatic fast Netty way, as Netty's own {@code example/echo/EchoServerHandler}: each
 * buffer read is written back as it is (no copy; the write releases it), and the writes of one
 * read batch leave in one flush, at {@link #channelReadComplete}.
 *
 * <p>No back-pressure on writability: the ping-pong load keeps one message in flight per
 * connection, so what waits to be written is bounded by what the client sent.
 *
 * <p>Threading: {@link ChannelHandler.Sharable}: one instance serves every channel; it keeps no
 * state, and each call runs on the calling channel's event-loop thread.
 */
@ChannelHandler.Sharable
final class NettyEchoHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset when the load generator stops is the normal end of a run; anything else is worth a line.
        if (!(cause instanceof IOException)) System.err.println("netty-echo: " + cause);
        ctx.close();
    }
}
