package org.cameltaas.gateway.http.inbound;

import java.util.UUID;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.cameltaas.gateway.error.ErrorResponder;

/** Replies the HTTP layer makes itself, before a request reaches the routes: always an error envelope, then a close. */
public final class Refusals {

    private Refusals() {
    }

    public static FullHttpResponse of(int status, String code, String message, String path) {
        String type = switch (status) {
            case 408 -> "timeout_error";
            case 429 -> "rate_limit_error";
            case 503 -> "service_unavailable";
            case 500 -> "server_error";
            default -> "invalid_request_error";
        };
        boolean anthropic = path != null && path.startsWith("/v1/messages");
        byte[] body = ErrorResponder.body(status, type, code, message, anthropic);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set("x-request-id", UUID.randomUUID().toString());
        return response;
    }
}
