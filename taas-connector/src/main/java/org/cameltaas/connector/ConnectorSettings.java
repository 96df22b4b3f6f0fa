package org.cameltaas.connector;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.cameltaas.connector.protocol.Tunnel;

/**
 * What the connector is told: the gateway to dial, its connector token(s), the OpenAI-compatible server it serves,
 * and optionally that server's own API key. From the command line, the token also from {@code TAAS_CONNECTOR_TOKEN}.
 */
public record ConnectorSettings(List<URI> gateways, List<String> tokens, URI target, String targetApiKey,
                                java.nio.file.Path caFile) {

    public static final String USAGE = """
            Usage: bin/connector --gateway <url> --token <connector token> --target <OpenAI-compatible base URL>
              --gateway      the gateway, e.g. https://gateway.example.com (http/https or ws/wss); several,
                             comma-separated (each replica of a gateway), get a tunnel each
              --token        the connector token from POST /admin/v1/deployments/{id}/connector-tokens (or set
                             TAAS_CONNECTOR_TOKEN); several, comma-separated, serve several deployments
              --target       the model server next to the connector, e.g. http://127.0.0.1:11434/v1
              --target-key   an API key the target wants (or TAAS_TARGET_API_KEY); none by default
              --ca-file      PEM certificates to trust for an https/wss gateway (or TAAS_CONNECTOR_CA_FILE), e.g. a
                             private CA's; the JDK's trust store by default. The gateway's name is always verified""";

    public ConnectorSettings {
        gateways = List.copyOf(gateways);
        tokens = List.copyOf(tokens);
    }

    /** The first gateway. */
    public URI gateway() {
        return gateways.get(0);
    }

    /** The WebSocket address of the first gateway's tunnel endpoint. */
    public URI tunnelUri() {
        return tunnelUri(gateway());
    }

    /** The WebSocket address of a gateway's tunnel endpoint. */
    public static URI tunnelUri(URI gateway) {
        String scheme = switch (gateway.getScheme().toLowerCase()) {
            case "https", "wss" -> "wss";
            default -> "ws";
        };
        int port = gateway.getPort() > 0 ? gateway.getPort() : "wss".equals(scheme) ? 443 : 80;
        return URI.create(scheme + "://" + gateway.getHost() + ":" + port + Tunnel.PATH);
    }

    public static ConnectorSettings parse(String[] args, Map<String, String> env) {
        String gateway = null;
        String token = env.get("TAAS_CONNECTOR_TOKEN");
        String target = null;
        String targetKey = env.get("TAAS_TARGET_API_KEY");
        String caFile = env.get("TAAS_CONNECTOR_CA_FILE");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            } else if (i + 1 < args.length && arg.startsWith("--") && !arg.equals("--help")) {
                value = args[++i];
            }
            switch (arg) {
                case "--gateway" -> gateway = value;
                case "--token" -> token = value;
                case "--target" -> target = value;
                case "--target-key" -> targetKey = value;
                case "--ca-file" -> caFile = value;
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
            }
        }
        if (gateway == null || gateway.isBlank()) {
            throw new IllegalArgumentException("--gateway is required\n" + USAGE);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--token (or TAAS_CONNECTOR_TOKEN) is required\n" + USAGE);
        }
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("--target is required\n" + USAGE);
        }
        List<String> tokens = new ArrayList<>();
        Arrays.stream(token.split(",")).map(String::strip).filter(t -> !t.isEmpty()).forEach(tokens::add);
        List<URI> gateways = new ArrayList<>();
        for (String each : gateway.split(",")) {
            if (!each.isBlank()) {
                gateways.add(url(each, "--gateway", List.of("http", "https", "ws", "wss")));
            }
        }
        return new ConnectorSettings(gateways, tokens,
                url(target.endsWith("/") ? target.substring(0, target.length() - 1) : target, "--target",
                        List.of("http", "https")), targetKey == null || targetKey.isBlank() ? null : targetKey,
                caFile == null || caFile.isBlank() ? null : caFile(caFile.strip()));
    }

    private static java.nio.file.Path caFile(String name) {
        java.nio.file.Path file = java.nio.file.Path.of(name);
        if (!java.nio.file.Files.isReadable(file)) {
            throw new IllegalArgumentException("--ca-file " + name + " cannot be read\n" + USAGE);
        }
        return file;
    }

    private static URI url(String text, String option, List<String> schemes) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is not a URL: " + text);
        }
        if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase()) || uri.getHost() == null) {
            throw new IllegalArgumentException(option + " must be a " + String.join("/", schemes) + " URL with a host, not " + text);
        }
        return uri;
    }

    @Override
    public String toString() {
        return "gateway " + gateways.stream().map(URI::toString).collect(java.util.stream.Collectors.joining(", ")) + ", target " + target + ", " + tokens.size() + " token(s)"; // never the tokens
    }
}
