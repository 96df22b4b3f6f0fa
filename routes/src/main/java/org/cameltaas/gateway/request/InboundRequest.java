package org.cameltaas.gateway.request;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.error.GatewayException;

/**
 * Reads one surface's request: checks the content type and size, parses the body once, applies the surface's rules,
 * resolves the model (and whether this token may use it) and the session. The body stays the client's bytes, so
 * what the client sent reaches the upstream untouched.
 */
public class InboundRequest implements Processor {

    /** OpenAI's own limit for audio uploads. */
    static final int MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
    static final int MAX_JSON_BYTES = 20 * 1024 * 1024;

    private final TaasOperation operation;
    private final String defaultModel;
    private final boolean codex;
    private volatile Boolean sessionFromUser;

    public InboundRequest(TaasOperation operation) {
        this(operation, null, false);
    }

    /**
     * @param defaultModel the model when a multipart request names none (the seeds' transcription default)
     * @param codex        the native Codex surface: Codex request semantics, Codex-capable deployments only
     */
    public InboundRequest(TaasOperation operation, String defaultModel, boolean codex) {
        this.operation = operation;
        this.defaultModel = defaultModel;
        this.codex = codex;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        exchange.setProperty(GatewayHeaders.OPERATION, operation.name());
        message.setHeader("CamelTaasOperation", operation.name());
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        byte[] body = message.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        String model;
        ObjectNode json = null;
        if (operation.payload() == TaasOperation.Payload.MULTIPART) {
            model = readMultipart(contentType, body);
        } else {
            json = readJson(contentType, body);
            model = Json.textOf(json, "model");
            if ((model == null || model.isBlank()) && defaultModel != null) {
                model = defaultModel; // moderations: OpenAI's default model when the client names none
            }
            if (model == null || model.isBlank()) {
                if (operation == TaasOperation.messages || operation == TaasOperation.messagesCountTokens) {
                    throw GatewayException.badRequest("invalid_request_error", "model", "model: Field required");
                }
                throw GatewayException.unprocessable("model", "model is required: one of the ids from GET /v1/models");
            }
            exchange.setProperty(GatewayHeaders.REQUEST_JSON, json);
        }
        checkModelName(model);
        message.setBody(body);
        exchange.setProperty(GatewayHeaders.MODEL, model);
        if (codex) {
            exchange.setProperty(GatewayHeaders.CODEX, true);
        }
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        if (principal != null && (!principal.mayUse(model) || !registeredMayUse(exchange, principal, model))) {
            throw new GatewayException(403, "permission_error", "model_not_allowed", "model",
                    "This token may not use the model " + model);
        }
        exchange.setProperty(GatewayHeaders.SESSION_ID, Sessions.resolve(message, json, principal, model,
                sessionFromUser(exchange)));
    }

    /** A registered deployment's models are its project's (and the master key's): docs/connectors.md. */
    private boolean registeredMayUse(Exchange exchange, Principal principal, String model) {
        java.util.Optional<org.cameltaas.gateway.connector.RegisteredDeployments> known = registered;
        if (known == null) {
            // looked up once, not on every request
            known = java.util.Optional.ofNullable(exchange.getContext().getRegistry()
                    .lookupByNameAndType(org.cameltaas.gateway.connector.GatewayConnectors.REGISTERED,
                            org.cameltaas.gateway.connector.RegisteredDeployments.class));
            registered = known;
        }
        return known.isEmpty() || known.get().mayUse(principal, model);
    }

    private volatile java.util.Optional<org.cameltaas.gateway.connector.RegisteredDeployments> registered;

    /** TAAS_SESSION_FROM_USER (the property taas.sessions.fromUser), read once. */
    private boolean sessionFromUser(Exchange exchange) {
        Boolean known = sessionFromUser;
        if (known == null) {
            known = "true".equalsIgnoreCase(exchange.getContext().getPropertiesComponent()
                    .resolveProperty("taas.sessions.fromUser").orElse("false"));
            sessionFromUser = known;
        }
        return known;
    }

    private ObjectNode readJson(String contentType, byte[] body) {
        if (contentType != null && !contentType.toLowerCase().contains("json")) {
            throw new GatewayException(415, "invalid_request_error", "unsupported_media_type", null,
                    "Content-Type " + contentType + " is not supported here: send application/json");
        }
        if (body.length > MAX_JSON_BYTES) {
            throw new GatewayException(413, "invalid_request_error", "request_too_large", null,
                    "The request body is larger than " + MAX_JSON_BYTES / (1024 * 1024) + " MB");
        }
        if (body.length == 0) {
            throw GatewayException.badRequest("invalid_json", null, "The request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (JsonProcessingException e) {
            throw GatewayException.badRequest("invalid_json", null, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw GatewayException.badRequest("invalid_json", null, "The request body must be a JSON object");
        }
        RequestRules.check(operation, object);
        if (codex) {
            RequestRules.codex(object);
        }
        return object;
    }

    private String readMultipart(String contentType, byte[] body) {
        String boundary = MultipartForm.boundaryOf(contentType);
        if (boundary == null) {
            throw new GatewayException(415, "invalid_request_error", "unsupported_media_type", null,
                    "Content-Type " + contentType + " is not supported here: send multipart/form-data with a file part");
        }
        if (body.length > MAX_UPLOAD_BYTES + 64 * 1024) {
            throw new GatewayException(413, "invalid_request_error", "file_too_large", "file",
                    "The upload is larger than 25 MB");
        }
        MultipartForm form;
        try {
            form = MultipartForm.parse(body, boundary);
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("invalid_multipart", null, "The multipart body cannot be read: " + e.getMessage());
        }
        String fileField = operation == TaasOperation.imagesEdits || operation == TaasOperation.imagesVariations ? "image" : "file";
        if (!form.hasFile(fileField)) {
            throw GatewayException.unprocessable(fileField, fileField + " is required: the " + fileField + " to upload");
        }
        String model = form.value("model");
        if (model == null || model.isBlank()) {
            if (defaultModel == null) {
                throw GatewayException.unprocessable("model", "model is required");
            }
            model = defaultModel;
        }
        return model;
    }

    /** Longest model name taken: names go into headers, logs and metric labels. */
    static final int MAX_MODEL_LENGTH = 256;

    /** A model name is bounded and printable; it is checked before it is used anywhere, and never echoed when bad. */
    static void checkModelName(String model) {
        if (model.length() > MAX_MODEL_LENGTH) {
            throw GatewayException.unprocessable("model", "model must be at most " + MAX_MODEL_LENGTH + " characters");
        }
        for (int i = 0; i < model.length(); i++) {
            char c = model.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw GatewayException.unprocessable("model", "model must not contain control characters");
            }
        }
    }

    /** A fresh id for a request that has none yet. */
    static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
