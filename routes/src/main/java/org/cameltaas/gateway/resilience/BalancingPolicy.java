package org.cameltaas.gateway.resilience;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The order in which a request tries a model's deployments. Every policy returns all of them: the first is the
 * choice, the rest are the fallbacks in order.
 */
public enum BalancingPolicy {

    /** As declared: a fallback chain. */
    ORDERED {
        @Override
        List<String> order(List<String> deployments, List<Integer> weights, DeploymentStats stats) {
            return new ArrayList<>(deployments);
        }
    },
    /** The first drawn at random in proportion to the weights, the others by descending weight. */
    WEIGHTED {
        @Override
        List<String> order(List<String> deployments, List<Integer> weights, DeploymentStats stats) {
            int total = 0;
            for (int i = 0; i < deployments.size(); i++) {
                total += weight(weights, i);
            }
            int draw = ThreadLocalRandom.current().nextInt(Math.max(total, 1));
            int first = 0;
            for (int i = 0, seen = 0; i < deployments.size(); i++) {
                seen += weight(weights, i);
                if (draw < seen) {
                    first = i;
                    break;
                }
            }
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < deployments.size(); i++) {
                if (i != first) {
                    indexes.add(i);
                }
            }
            indexes.sort(Comparator.comparingInt((Integer i) -> weight(weights, i)).reversed());
            List<String> order = new ArrayList<>();
            order.add(deployments.get(first));
            indexes.forEach(i -> order.add(deployments.get(i)));
            return order;
        }
    },
    /** Fewest requests in flight first. */
    LEAST_IN_FLIGHT {
        @Override
        List<String> order(List<String> deployments, List<Integer> weights, DeploymentStats stats) {
            List<String> order = new ArrayList<>(deployments);
            order.sort(Comparator.comparingInt((String d) -> stats.of(d).inFlight()).thenComparing(deployments::indexOf));
            return healthyFirst(order, stats);
        }
    },
    /** Lowest recent latency (EWMA) first; a deployment not measured yet is tried first, to measure it. */
    LOWEST_LATENCY {
        @Override
        List<String> order(List<String> deployments, List<Integer> weights, DeploymentStats stats) {
            List<String> order = new ArrayList<>(deployments);
            order.sort(Comparator.comparingDouble((String d) -> stats.of(d).latencyMillis()).thenComparing(deployments::indexOf));
            return healthyFirst(order, stats);
        }
    };

    abstract List<String> order(List<String> deployments, List<Integer> weights, DeploymentStats stats);

    public static BalancingPolicy parse(String name) {
        return switch (name == null ? "" : name.trim()) {
            case "", "ordered", "fallback" -> ORDERED;
            case "weighted" -> WEIGHTED;
            case "leastInFlight", "least-in-flight" -> LEAST_IN_FLIGHT;
            case "lowestLatency", "lowest-latency", "ewma" -> LOWEST_LATENCY;
            default -> throw new IllegalArgumentException("Unknown balancing policy '" + name
                    + "': use ordered, weighted, leastInFlight or lowestLatency");
        };
    }

    private static int weight(List<Integer> weights, int index) {
        return index < weights.size() ? Math.max(0, weights.get(index)) : 1;
    }

    /** Deployments whose last call failed go last, whatever their numbers say. */
    private static List<String> healthyFirst(List<String> order, DeploymentStats stats) {
        List<String> result = new ArrayList<>();
        order.stream().filter(d -> !stats.of(d).failing()).forEach(result::add);
        order.stream().filter(d -> stats.of(d).failing()).forEach(result::add);
        return result;
    }
}
