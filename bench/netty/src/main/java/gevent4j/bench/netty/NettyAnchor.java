package gevent4j.bench.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The Netty anchor for bench/http: {@code http PORT} answers every request with "Hello world!"
 * (12 bytes, text/plain, keep-alive unless the client asks to close); {@code echo PORT} writes
 * back every byte it reads. Both bind 127.0.0.1 and run on ONE event-loop thread that both
 * accepts and serves (epoll when available, else NIO; {@code --nio} forces NIO).
 */
public final class NettyAnchor {
    private static final byte[] HELLO = "Hello world!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || !(args[0].equals("http") || args[0].equals("echo"))) {
            System.err.println("usage: java -jar netty-anchor.jar http|echo PORT [--nio]");
            System.exit(2);
        }
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        boolean epoll = Epoll.isAvailable() && !(args.length > 2 && args[2].equals("--nio"));
        EventLoopGroup loop = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (mode.equals("http")) {
                                ch.pipeline().addLast(new HttpServerCodec(), new HelloHandler());
                            } else {
                                ch.pipeline().addLast(new EchoHandler());
                            }
                        }
                    });
            Channel server = b.bind("127.0.0.1", port).sync().channel();
            System.err.println("netty-anchor " + mode + " on " + server.localAddress()
                    + " (" + (epoll ? "epoll" : "nio") + ", 1 event-loop thread)");
            server.closeFuture().sync();
        } finally {
            loop.shutdownGracefully();
        }
    }

    /** Hello world! for every request; flushes once per read batch (pipelining-friendly). */
    static final class HelloHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) {
                    boolean keepAlive = HttpUtil.isKeepAlive(req);
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(HELLO));
                    res.headers()
                            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, HELLO.length);
                    if (keepAlive) {
                        if (!req.protocolVersion().isKeepAliveDefault()) {
                            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                        }
                        ctx.write(res);
                    } else {
                        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        ctx.write(res).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes back what it reads. */
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write((ByteBuf) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
