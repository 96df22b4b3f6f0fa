package org.cameltaas.gateway.credits;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The price of each model, from {@code TAAS_PRICES_FILE} or the shipped {@code camel/prices.yaml}:
 * {@code models: {<model>: {input_per_million: 0.15, ...}}}. A file is read again when it changes (checked by
 * {@link #reloadIfChanged}, on a timer); a file that does not parse keeps the prices it replaced, with a warning.
 * A model with no price is free, and logged once as such.
 */
public final class PriceTable {

    private static final Logger LOG = LoggerFactory.getLogger(PriceTable.class);
    static final String SHIPPED = "/camel/prices.yaml";

    private final Path file;
    private volatile Map<String, ModelPrice> prices;
    private volatile FileTime loadedVersion;
    private final Set<String> loggedFree = ConcurrentHashMap.newKeySet();

    private PriceTable(Path file, Map<String, ModelPrice> prices, FileTime version) {
        this.file = file;
        this.prices = prices;
        this.loadedVersion = version;
    }

    /** The operator's file, or the shipped table when {@code file} is null. */
    public static PriceTable load(Path file) {
        if (file == null) {
            try (InputStream in = PriceTable.class.getResourceAsStream(SHIPPED)) {
                if (in == null) {
                    return new PriceTable(null, Map.of(), null);
                }
                return new PriceTable(null, parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED), null);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + SHIPPED, e);
            }
        }
        try {
            FileTime version = Files.getLastModifiedTime(file);
            PriceTable table = new PriceTable(file, parse(Files.readString(file), file.toString()), version);
            LOG.info("Prices: {} model(s) from {}", table.prices.size(), file);
            return table;
        } catch (IOException e) {
            throw new IllegalArgumentException("TAAS_PRICES_FILE " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The model's price; null (free) for a model the table does not list. */
    public ModelPrice price(String model) {
        if (model == null) {
            return null;
        }
        ModelPrice price = prices.get(model);
        if (price == null && loggedFree.size() < 10_000 && loggedFree.add(model)) {
            LOG.info("Model {} has no price in {}: it is free", model, file != null ? file : "the shipped price table");
        }
        return price;
    }

    public int size() {
        return prices.size();
    }

    /** Reads the file again if it changed since it was loaded; true when new prices apply. */
    public synchronized boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        try {
            FileTime version = Files.getLastModifiedTime(file);
            if (version.equals(loadedVersion)) {
                return false;
            }
            loadedVersion = version;
            prices = parse(Files.readString(file), file.toString());
            loggedFree.clear();
            LOG.info("Prices reloaded: {} model(s) from {}", prices.size(), file);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Prices in {} not reloaded, the previous ones still apply: {}", file, e.getMessage());
            return false;
        }
    }

    static Map<String, ModelPrice> parse(String yaml, String source) {
        Object root = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        if (root == null) {
            return Map.of();
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("models") == null || top.get("models") instanceof Map)) {
            throw new IllegalArgumentException(source + ": expected models: {<model>: {input_per_million: ..., ...}}");
        }
        Map<String, ModelPrice> prices = new HashMap<>();
        Object models = top.get("models");
        if (models != null) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) models).entrySet()) {
                String model = String.valueOf(entry.getKey());
                Object fields = entry.getValue();
                if (fields != null && !(fields instanceof Map)) {
                    throw new IllegalArgumentException(source + ": models." + model + " must be a map of prices");
                }
                prices.put(model, ModelPrice.of(model, fields == null ? Map.of() : (Map<?, ?>) fields));
            }
        }
        return Map.copyOf(prices);
    }
}
