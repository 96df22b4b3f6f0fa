package org.cameltaas.gateway.http.inbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import org.cameltaas.gateway.files.SpooledUploads;

/**
 * {@code POST /v1/files} bodies go to disk as they arrive instead of into the aggregator's memory: Netty's multipart
 * decoder runs on a small executor (never on the event loop), one upload's chunks in order, writing the file part to
 * the spool directory. While more than {@link #PAUSE_BYTES} wait for the disk, the connection stops reading (autoRead
 * off), so a fast client cannot fill memory. At the end the routes get the request's head with an empty body and the
 * upload's key in {@link SpooledUploads#HEADER}; that header is removed from every request a client sends.
 * The size limit ({@code TAAS_FILES_MAX_MB}) is the guard's, which knows this path.
 */
final class UploadSpooler extends ChannelDuplexHandler {

    static final long PAUSE_BYTES = 4L * 1024 * 1024;
    static final long RESUME_BYTES = 1024 * 1024;

    private final SpooledUploads uploads;
    private final Executor disk;

    // event loop only
    private HttpRequest head;
    private HttpPostMultipartRequestDecoder decoder;
    private DefaultHttpDataFactory factory;
    private CompletableFuture<Void> tail;
    private boolean paused;
    /** Whether the request being read is an upload (its body goes to the decoder, not on). */
    private boolean spooling;
    private final AtomicLong pending = new AtomicLong();
    /** Why the current upload's body cannot be decoded, set and read on the executor only (one per upload). */
    private String[] problem;

    UploadSpooler(SpooledUploads uploads, Executor disk) {
        this.uploads = uploads;
        this.disk = disk;
    }

    static boolean isUpload(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            return false;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        return path.equals("/v1/files") && type.toLowerCase().startsWith("multipart/form-data");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            request.headers().remove(SpooledUploads.HEADER); // only this handler may name an upload
            if (isUpload(request)) {
                start(ctx, request);
                if (msg instanceof HttpContent content) {
                    chunk(ctx, content);
                }
                return;
            }
        } else if (msg instanceof HttpContent content && spooling) {
            chunk(ctx, content);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request) {
        if (HttpUtil.is100ContinueExpected(request)) {
            request.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.CONTINUE));
        }
        head = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
        factory = new DefaultHttpDataFactory(16 * 1024); // fields in memory, the file part on disk past 16 KB
        factory.setBaseDir(uploads.spoolDir().toString());
        factory.setDeleteOnExit(false);
        factory.setMaxLimit(uploads.maxUploadBytes());
        problem = new String[1];
        HttpRequest forDecoder = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                request.headers().copy());
        try {
            decoder = new HttpPostMultipartRequestDecoder(factory, forDecoder, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            decoder = null; // no boundary, say: the body is read and dropped, the routes answer 400
            problem[0] = e.getMessage() == null ? "malformed multipart body" : e.getMessage();
        }
        spooling = true;
        // the token first, on the upload threads: an unknown one writes nothing to disk (its body is dropped)
        String[] failed = problem;
        tail = CompletableFuture.runAsync(() -> {
            if (failed[0] == null && !uploads.knowsTokenOf(forDecoder.headers())) {
                failed[0] = "unauthenticated"; // no chunk is offered to the decoder from here on
            }
        }, disk);
    }

    private void chunk(ChannelHandlerContext ctx, HttpContent content) {
        HttpPostMultipartRequestDecoder current = decoder;
        String[] failed = problem;
        boolean last = content instanceof LastHttpContent;
        int size = content.content().readableBytes();
        if (pending.addAndGet(size) > PAUSE_BYTES && !paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
        tail = tail.thenRunAsync(() -> {
            try {
                if (failed[0] == null && current != null) {
                    current.offer(content);
                }
            } catch (RuntimeException e) {
                failed[0] = e.getMessage() == null ? "malformed multipart body" : e.getMessage();
            } finally {
                content.release();
                if (pending.addAndGet(-size) < RESUME_BYTES) {
                    ctx.executor().execute(() -> resume(ctx));
                }
            }
        }, disk);
        if (last) {
            HttpRequest request = head;
            DefaultHttpDataFactory data = factory;
            decoder = null;
            head = null;
            factory = null;
            spooling = false;
            tail.thenApplyAsync(ignored -> finish(current, data, failed[0]), disk)
                    .whenComplete((upload, failure) -> ctx.executor().execute(() -> forward(ctx, request, upload, failure)));
        }
    }

    private void resume(ChannelHandlerContext ctx) {
        if (paused && pending.get() < RESUME_BYTES) {
            paused = false;
            if (ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
        }
    }

    /** On the executor: the decoded parts as an upload, its file part moved to a spool file of its own. */
    private SpooledUploads.Upload finish(HttpPostMultipartRequestDecoder done, DefaultHttpDataFactory data, String problem) {
        try {
            if (problem != null) {
                return new SpooledUploads.Upload(null, null, null, null, false, problem);
            }
            String purpose = null;
            FileUpload file = null;
            for (InterfaceHttpData part : done.getBodyHttpDatas()) {
                if (part instanceof Attribute field && "purpose".equals(field.getName()) && purpose == null) {
                    purpose = field.getValue();
                } else if (part instanceof FileUpload upload && "file".equals(upload.getName()) && file == null) {
                    file = upload;
                }
            }
            if (file == null) {
                return new SpooledUploads.Upload(null, null, null, purpose, false, null);
            }
            Path spooled = Files.createTempFile(uploads.spoolDir(), "upload-", ".part");
            if (file.isInMemory()) {
                Files.write(spooled, file.get());
            } else if (!file.renameTo(spooled.toFile())) {
                Files.deleteIfExists(spooled);
                throw new IOException("the spooled upload could not be moved");
            }
            return new SpooledUploads.Upload(spooled, file.getFilename(), file.getContentType(), purpose, true, null);
        } catch (IOException | RuntimeException e) {
            return new SpooledUploads.Upload(null, null, null, null, false,
                    e.getMessage() == null ? "malformed multipart body" : e.getMessage());
        } finally {
            if (done != null) {
                done.destroy();
            }
            data.cleanAllHttpData();
        }
    }

    /** On the event loop: the routes get the head, an empty body and the upload's key. */
    private void forward(ChannelHandlerContext ctx, HttpRequest request, SpooledUploads.Upload upload, Throwable failure) {
        if (failure != null || upload == null) {
            upload = new SpooledUploads.Upload(null, null, null, null, false, "the upload could not be stored");
        }
        String key = uploads.put(upload);
        if (!ctx.channel().isActive()) {
            uploads.discard(key);
            return;
        }
        request.headers().set(SpooledUploads.HEADER, key);
        request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.fireChannelRead(request);
        ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        abandon();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        abandon();
    }

    /** The client went away mid-upload: the decoder's files are removed once its pending chunks are done. */
    private void abandon() {
        HttpPostMultipartRequestDecoder current = decoder;
        DefaultHttpDataFactory data = factory;
        boolean was = spooling;
        decoder = null;
        head = null;
        factory = null;
        spooling = false;
        if (was) {
            tail.thenRunAsync(() -> {
                if (current != null) {
                    current.destroy();
                }
                data.cleanAllHttpData();
            }, disk);
        }
    }

}
