package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/** Turns a request plus its script into a {@link Reply}: scripted errors first, then routing by method and path. */
final class ReplyRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyRouter.class);

    private final Ids ids = new Ids();
    private final AtomicLong requestIds = new AtomicLong();
    private final Supplier<String> baseUrl;

    ReplyRouter(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    Reply reply(RecordedRequest request, Script script) {
        Provider provider = Provider.forPath(request.path());
        Reply reply = build(request, script, provider);
        reply.header(provider.requestIdHeader(), "req_" + requestIds.incrementAndGet());
        if (provider == Provider.OPENAI) {
            reply.header("openai-processing-ms", "1");
        }
        for (Map.Entry<String, String> h : script.headers()) {
            reply.header(h.getKey(), h.getValue());
        }
        return reply;
    }

    private Reply build(RecordedRequest request, Script script, Provider provider) {
        if (script.rawBody() != null) {
            return Reply.bytes(script.statusCode(), Reply.JSON, script.rawBody().getBytes(StandardCharsets.UTF_8));
        }
        if (script.isError()) {
            return ErrorReplies.forStatus(provider, script.statusCode(), script.errorMessage());
        }
        try {
            Reply reply = route(request, script);
            if (reply == null) {
                return ErrorReplies.forStatus(provider, 404,
                        "Invalid URL (" + request.method() + " " + request.path() + ")");
            }
            return reply.status() == 200 ? reply.status(script.statusCode()) : reply;
        } catch (BadRequestException e) {
            return ErrorReplies.forStatus(provider, 400, e.getMessage(), e.param());
        } catch (RuntimeException e) {
            LOG.warn("fake upstream failed to build a reply for {}", request, e);
            return ErrorReplies.forStatus(provider, 500, "fake upstream error: " + e);
        }
    }

    /**
     * Azure OpenAI's paths mean OpenAI's: {@code /openai/deployments/<deployment>/chat/completions?api-version=...}
     * (a deployment URL without its api-version is a 404, as on Azure) and the v1 API's {@code /openai/v1/...}.
     */
    static String openAiPath(RecordedRequest request) {
        String path = request.path();
        if (path.startsWith("/openai/v1/")) {
            return path.substring("/openai".length());
        }
        if (path.startsWith("/openai/deployments/")) {
            int slash = path.indexOf('/', "/openai/deployments/".length());
            if (slash < 0 || request.query("api-version") == null) {
                return null;
            }
            return "/v1" + path.substring(slash);
        }
        return path;
    }

    /** Null when nothing serves this method and path. */
    private Reply route(RecordedRequest request, Script script) {
        String path = openAiPath(request);
        if (path == null) {
            return null;
        }
        if (request.method().equals("GET")) {
            if (path.equals("/v1/models")) {
                return ModelListReplies.reply();
            }
            if (path.equals("/v1beta/models")) {
                return GeminiReplies.models();
            }
            if (path.startsWith(ImageReplies.FILES_PREFIX) && path.endsWith(".png")) {
                return ImageReplies.file();
            }
            return null;
        }
        if (!request.method().equals("POST")) {
            return null;
        }
        switch (path) {
            case "/v1/chat/completions":
                return withJson(request, script, OpenAiChatReplies::reply);
            case "/v1/responses":
                return withJson(request, script, OpenAiResponsesReplies::reply);
            case "/v1/embeddings":
                return withJson(request, script, EmbeddingReplies::reply);
            case "/v1/rerank":
                return withJson(request, script, RerankReplies::reply);
            case "/v1/audio/speech":
                return withJson(request, script, AudioReplies::speech);
            case "/v1/audio/transcriptions":
                return AudioReplies.transcription(withForm(request, script), false);
            case "/v1/audio/translations":
                return AudioReplies.transcription(withForm(request, script), true);
            case "/v1/images/generations":
                return withJson(request, script, ImageReplies::generations);
            case "/v1/images/edits":
                return ImageReplies.fromForm(withForm(request, script), "image");
            case "/v1/images/variations":
                return ImageReplies.fromForm(withForm(request, script), "image");
            case "/v1/messages":
                return withJson(request, script, AnthropicReplies::reply);
            case "/v1/completions":
                return withJson(request, script, LegacyReplies::completions);
            case "/v1/moderations":
                return withJson(request, script, LegacyReplies::moderations);
            case "/v1/messages/count_tokens":
                return withJson(request, script, AnthropicReplies::countTokens);
            default:
                if (BedrockReplies.isConverse(path)) {
                    return withJson(request, script, BedrockReplies::reply);
                }
                return GeminiReplies.isGeminiAction(path) ? withJson(request, script, GeminiReplies::action) : null;
        }
    }

    private Reply withJson(RecordedRequest request, Script script, Function<ReplyContext, Reply> builder) {
        JsonNode json = request.bodyJsonOrNull();
        if (json == null || !json.isObject()) {
            throw new BadRequestException("We could not parse the JSON body of your request. "
                    + "(HINT: This likely means you aren't using your HTTP library correctly.)");
        }
        return builder.apply(new ReplyContext(request, json, script, ids, baseUrl.get()));
    }

    private ReplyContext withForm(RecordedRequest request, Script script) {
        return new ReplyContext(request, Json.object(), script, ids, baseUrl.get());
    }
}
