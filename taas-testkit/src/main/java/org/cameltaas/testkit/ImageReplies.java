package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;

/** /v1/images/generations (JSON) and /v1/images/edits|variations (multipart): n tiny PNGs, inline or as URLs. */
final class ImageReplies {

    static final String FILES_PREFIX = "/files/";

    private ImageReplies() {
    }

    static Reply generations(ReplyContext ctx) {
        if (!ctx.json().path("prompt").isTextual()) {
            throw new BadRequestException("Missing required parameter: 'prompt'.", "prompt");
        }
        return images(ctx, ctx.json().path("n").asInt(1), ctx.json().path("response_format").asText("b64_json"));
    }

    /** Edits and variations arrive as multipart forms. */
    static Reply fromForm(ReplyContext ctx, String requiredFile) {
        MultipartForm form = ctx.request().form();
        if (form.file(requiredFile) == null) {
            throw new BadRequestException("Missing required parameter: '" + requiredFile + "'.", requiredFile);
        }
        String n = form.value("n");
        String format = form.value("response_format");
        return images(ctx, n == null ? 1 : parseCount(n), format == null ? "b64_json" : format);
    }

    private static int parseCount(String n) {
        try {
            return Integer.parseInt(n.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException("'n' must be an integer", "n");
        }
    }

    private static Reply images(ReplyContext ctx, int n, String responseFormat) {
        ObjectNode root = Json.object();
        root.put("created", ReplyContext.nowSeconds());
        ArrayNode data = root.putArray("data");
        for (int i = 1; i <= Math.max(1, n); i++) {
            if ("url".equals(responseFormat)) {
                data.addObject().put("url", ctx.baseUrl() + FILES_PREFIX + "img-" + i + ".png");
            } else {
                data.addObject().put("b64_json", Base64.getEncoder().encodeToString(FakeMedia.png()));
            }
        }
        return Reply.json(200, root);
    }

    /** GET /files/*.png: the image behind a returned URL. */
    static Reply file() {
        return Reply.bytes(200, "image/png", FakeMedia.png());
    }
}
