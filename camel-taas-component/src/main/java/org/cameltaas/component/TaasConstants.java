package org.cameltaas.component;

import org.apache.camel.spi.Metadata;

/** Message headers the taas component reads and writes. */
public final class TaasConstants {

    @Metadata(label = "producer", description = "The operation to call; overrides the endpoint's operation (one endpoint per upstream can then serve every operation its provider supports).",
              javaType = "org.cameltaas.component.TaasOperation")
    public static final String OPERATION = "CamelTaasOperation";
    @Metadata(label = "producer", description = "Model to call; overrides the endpoint's model option and the body's model field.",
              javaType = "String")
    public static final String MODEL = "CamelTaasModel";
    @Metadata(label = "producer", description = "Whether to stream the answer as server-sent events; overrides the endpoint's stream option and the body's stream field.",
              javaType = "Boolean")
    public static final String STREAM = "CamelTaasStream";
    @Metadata(label = "producer", description = "Extra HTTP headers for this upstream request, added to the endpoint's upstreamHeader.* options.",
              javaType = "java.util.Map<String, Object>")
    public static final String UPSTREAM_HEADERS = "CamelTaasUpstreamHeaders";
    @Metadata(label = "producer", description = "Headers of the caller's own client request offered for forwarding (a gateway passes on what its client sent, e.g. anthropic-beta): each provider forwards only its own, by allow-list (anthropic-beta and anthropic-version to Anthropic, OpenAI-Beta, OpenAI-Organization and OpenAI-Project to OpenAI-compatible servers, x-goog-user-project to Gemini); the rest is dropped.",
              javaType = "java.util.Map<String, Object>")
    public static final String CLIENT_HEADERS = "CamelTaasClientHeaders";

    @Metadata(label = "producer", description = "A CompletionStage that completes when the caller goes away (e.g. its connection closed): the upstream call is then abandoned and its connection closed, before or after the reply began.",
              javaType = "java.util.concurrent.CompletionStage")
    public static final String CANCELLATION = "CamelTaasCancellation";

    @Metadata(label = "producer", description = "The model the upstream reports having used (the reply's model field).",
              javaType = "String")
    public static final String MODEL_USED = "CamelTaasModelUsed";
    @Metadata(label = "producer", description = "HTTP status of the upstream reply.", javaType = "Integer")
    public static final String UPSTREAM_STATUS = "CamelTaasUpstreamStatus";
    @Metadata(label = "producer", description = "The upstream's own request id (x-request-id, request-id, x-goog-request-id), for support tickets.",
              javaType = "String")
    public static final String UPSTREAM_REQUEST_ID = "CamelTaasUpstreamRequestId";
    @Metadata(label = "producer", description = "Input (prompt) tokens of a non-streamed reply.", javaType = "Integer")
    public static final String PROMPT_TOKENS = "CamelTaasPromptTokens";
    @Metadata(label = "producer", description = "Output (completion) tokens of a non-streamed reply.", javaType = "Integer")
    public static final String COMPLETION_TOKENS = "CamelTaasCompletionTokens";
    @Metadata(label = "producer", description = "Total tokens of a non-streamed reply.", javaType = "Integer")
    public static final String TOTAL_TOKENS = "CamelTaasTotalTokens";
    @Metadata(label = "producer", description = "The full usage of a non-streamed reply (cached and reasoning tokens included); for a stream, see TaasStream.completion().",
              javaType = "org.cameltaas.component.TaasUsage")
    public static final String USAGE = "CamelTaasUsage";
    @Metadata(label = "producer", description = "True when the body is a TaasStream (a Flow.Publisher of server-sent events).",
              javaType = "Boolean")
    public static final String STREAMING = "CamelTaasStreaming";
    @Metadata(label = "producer", description = "Milliseconds from sending upstream to the reply (for a stream: to its first content event), for measuring the gateway's own overhead.",
              javaType = "Double")
    public static final String UPSTREAM_MILLIS = "CamelTaasUpstreamMillis";
    @Metadata(label = "producer", description = "Name of the provider that served the request.", javaType = "String")
    public static final String PROVIDER = "CamelTaasProvider";
    @Metadata(label = "producer", description = "True when the request travelled upstream as chat completions and its reply was translated back (a responses or messages request to a provider that does not speak it); false for a native call.",
              javaType = "Boolean")
    public static final String TRANSLATED = "CamelTaasTranslated";

    private TaasConstants() {
    }
}
