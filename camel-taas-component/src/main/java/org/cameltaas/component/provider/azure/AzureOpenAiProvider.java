package org.cameltaas.component.provider.azure;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.provider.UpstreamRequest;
import org.cameltaas.component.provider.openai.OpenAiProvider;

/**
 * Azure OpenAI: OpenAI's wire format (bodies, streams and errors pass through as they do for OpenAI) on Azure's
 * URLs, with the key in {@code api-key}. The endpoint's {@code apiVersion} says which of Azure's two URL styles:
 * <ul>
 * <li>with one (base URL {@code https://<resource>.openai.azure.com/openai}, {@code apiVersion=2024-10-21}):
 *     deployment URLs, {@code /openai/deployments/<deployment>/chat/completions?api-version=2024-10-21}, the
 *     deployment being the request's model (the catalog's upstream model);</li>
 * <li>without ({@code https://<resource>.openai.azure.com/openai/v1}): Azure's v1 API, OpenAI's paths with the
 *     deployment named by the body's {@code model}.</li>
 * </ul>
 * A key that starts with {@code Bearer } is a Microsoft Entra ID token: it goes in {@code Authorization} instead.
 */
public class AzureOpenAiProvider extends OpenAiProvider {

    public static final String NAME = "azure";

    @Override
    public String name() {
        return NAME;
    }

    /** Azure has no URL common to every customer: the endpoint must name its resource. */
    @Override
    public String defaultBaseUrl() {
        return "https://set-the-azure-resource-base-url.invalid/openai/v1";
    }

    @Override
    public boolean supports(TaasOperation operation) {
        return super.supports(operation) && operation != TaasOperation.rerank;
    }

    @Override
    public UpstreamRequest toUpstream(TaasRequest request, String baseUrl, String apiKey) {
        String apiVersion = request.apiVersion();
        String root = UpstreamRequest.trimSlash(baseUrl);
        UpstreamRequest openAi = super.toUpstream(request, root, null);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(openAi.headers());
        if (apiKey != null && !apiKey.isEmpty() && !headers.containsKey("api-key") && !headers.containsKey("Authorization")) {
            if (apiKey.regionMatches(true, 0, "Bearer ", 0, 7)) {
                headers.put("Authorization", apiKey);
            } else {
                headers.put("api-key", apiKey);
            }
        }
        String path = request.operation().path();
        URI uri = apiVersion == null ? URI.create(root + path)
                : URI.create(root + "/deployments/" + encode(request.model()) + path + "?api-version="
                        + java.net.URLEncoder.encode(apiVersion, java.nio.charset.StandardCharsets.UTF_8));
        return new UpstreamRequest(openAi.method(), uri, headers, openAi.body());
    }

    private static String encode(String deployment) {
        if (deployment == null || deployment.isBlank()) {
            throw new IllegalArgumentException("Azure OpenAI deployment URLs need a model (the deployment name)");
        }
        return java.net.URLEncoder.encode(deployment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
