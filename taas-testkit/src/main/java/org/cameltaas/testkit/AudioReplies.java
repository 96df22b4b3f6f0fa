package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** /v1/audio/speech (binary audio) and /v1/audio/transcriptions|translations (multipart in, text out). */
final class AudioReplies {

    private AudioReplies() {
    }

    static Reply speech(ReplyContext ctx) {
        if (!ctx.json().path("input").isTextual()) {
            throw new BadRequestException("Missing required parameter: 'input'.", "input");
        }
        String input = ctx.json().path("input").asText();
        if ("wav".equals(ctx.json().path("response_format").asText())) {
            return Reply.bytes(200, "audio/wav", FakeMedia.wav(input));
        }
        return Reply.bytes(200, "audio/mpeg", FakeMedia.mp3(input));
    }

    static Reply transcription(ReplyContext ctx, boolean translate) {
        MultipartForm form = ctx.request().form();
        byte[] file = form.file("file");
        if (file == null) {
            throw new BadRequestException("Missing required parameter: 'file'.", "file");
        }
        String text = printableText(file);
        if (text == null) {
            text = "fake transcription of " + file.length + " bytes";
        }
        String format = form.value("response_format");
        format = format == null ? "json" : format.toLowerCase(Locale.ROOT);
        switch (format) {
            case "text":
                return plain(text + "\n");
            case "srt":
                return plain("1\n00:00:00,000 --> 00:00:01,000\n" + text + "\n\n");
            case "vtt":
                return plain("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n" + text + "\n\n");
            case "verbose_json":
                ObjectNode verbose = Json.object();
                verbose.put("task", translate ? "translate" : "transcribe");
                verbose.put("language", translate ? "english" : languageOr(form, "english"));
                verbose.put("duration", 1.0);
                verbose.put("text", text);
                verbose.putArray("segments");
                return Reply.json(200, verbose);
            default:
                return Reply.json(200, Json.object().put("text", text));
        }
    }

    private static String languageOr(MultipartForm form, String fallback) {
        String language = form.value("language");
        return language != null ? language : fallback;
    }

    private static Reply plain(String text) {
        return Reply.bytes(200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes as text when they are valid UTF-8 without control characters (tabs and newlines allowed). */
    private static String printableText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean printable = text.chars()
                .allMatch(c -> c == '\n' || c == '\r' || c == '\t' || !Character.isISOControl(c));
        return printable && !text.isEmpty() ? text : null;
    }
}
