package org.cameltaas.gateway.limits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's IP: the peer's address, or, when the peer is one of {@code TAAS_TRUSTED_PROXIES} (IPs or CIDRs),
 * the address it reports in {@code X-Forwarded-For}: the right-most entry that is not itself a trusted proxy
 * (entries further left were written by the client and can be anything).
 */
public final class ClientIps {

    private final List<Cidr> trusted;

    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((address[full] ^ network[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
        }
    }

    /** @param trustedProxies comma-separated IPs and CIDRs (v4 or v6); null or blank: none */
    public ClientIps(String trustedProxies) {
        List<Cidr> list = new ArrayList<>();
        if (trustedProxies != null) {
            for (String part : trustedProxies.split(",")) {
                String spec = part.trim();
                if (!spec.isEmpty()) {
                    list.add(cidr(spec));
                }
            }
        }
        trusted = List.copyOf(list);
    }

    /** The client IP for a peer address and the request's {@code X-Forwarded-For} (may be null). */
    public String resolve(SocketAddress peer, String forwardedFor) {
        String peerIp = peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "unknown";
        if (trusted.isEmpty() || forwardedFor == null || !isTrusted(peerIp)) {
            return peerIp;
        }
        String[] hops = forwardedFor.split(",");
        String client = peerIp;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!isLiteralIp(hop)) {
                break; // garbage or a name: stop at the last address we could trust
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    private boolean isTrusted(String ip) {
        byte[] address = literal(ip);
        if (address == null) {
            return false;
        }
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Cidr cidr(String spec) {
        int slash = spec.indexOf('/');
        byte[] network = literal(slash < 0 ? spec : spec.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("TAAS_TRUSTED_PROXIES: " + spec + " is not an IP address or CIDR");
        }
        int bits = slash < 0 ? network.length * 8 : Integer.parseInt(spec.substring(slash + 1));
        if (bits < 0 || bits > network.length * 8) {
            throw new IllegalArgumentException("TAAS_TRUSTED_PROXIES: " + spec + " has an invalid prefix length");
        }
        return new Cidr(network, bits);
    }

    private static boolean isLiteralIp(String text) {
        return literal(text) != null;
    }

    /** The bytes of an IP literal, never a DNS lookup; null for anything else. */
    private static byte[] literal(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
