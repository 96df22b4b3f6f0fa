package org.cameltaas.component;

/**
 * The inference operations of the component, one per OpenAI-style endpoint. The path is relative to the
 * provider's base URL (which, as in the OpenAI SDKs, includes {@code /v1}).
 */
public enum TaasOperation {
    models("GET", "/models", Payload.NONE, false),
    chatCompletions("POST", "/chat/completions", Payload.JSON, true),
    responses("POST", "/responses", Payload.JSON, true),
    messages("POST", "/messages", Payload.JSON, true),
    /** Anthropic's token count; estimated in process (o200k tokenizer) for providers without it. */
    messagesCountTokens("POST", "/messages/count_tokens", Payload.JSON, false),
    /** The legacy text completions API, passed through to OpenAI-compatible servers. */
    completions("POST", "/completions", Payload.JSON, true),
    moderations("POST", "/moderations", Payload.JSON, false),
    embeddings("POST", "/embeddings", Payload.JSON, false),
    rerank("POST", "/rerank", Payload.JSON, false),
    audioSpeech("POST", "/audio/speech", Payload.JSON, false),
    audioTranscriptions("POST", "/audio/transcriptions", Payload.MULTIPART, false),
    audioTranslations("POST", "/audio/translations", Payload.MULTIPART, false),
    imagesGenerations("POST", "/images/generations", Payload.JSON, false),
    imagesEdits("POST", "/images/edits", Payload.MULTIPART, false),
    imagesVariations("POST", "/images/variations", Payload.MULTIPART, false);

    /** How the request body travels upstream. */
    public enum Payload {
        NONE,
        JSON,
        MULTIPART
    }

    private final String method;
    private final String path;
    private final Payload payload;
    private final boolean streamable;

    TaasOperation(String method, String path, Payload payload, boolean streamable) {
        this.method = method;
        this.path = path;
        this.payload = payload;
        this.streamable = streamable;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Payload payload() {
        return payload;
    }

    /** Whether the upstream can answer this operation as a server-sent event stream. */
    public boolean streamable() {
        return streamable;
    }
}
