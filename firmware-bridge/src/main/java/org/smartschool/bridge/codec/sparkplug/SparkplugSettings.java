package org.smartschool.bridge.codec.sparkplug;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smartschool.bridge.codec.quantity.NameAliases;
import org.smartschool.bridge.model.Quantity;

/**
 * How the Sparkplug codec maps metric names and how much it may remember.
 *
 * <p>A metric's quantity is, in order: the quantity {@code metrics} names for its full name (matched
 * ignoring case: {@code "Sensors/CO2 Level": co2}); else the default rule of {@link NameAliases} on
 * the name's last segment ({@code "Classroom/Temperature"}, {@code "Supply Voltage"}, {@code "CO2"},
 * {@code "Humidity"}, {@code "PM2.5"} ...); else the quantity its unit names ({@code engUnit} {@code ppm}).
 *
 * @param metrics full metric names (kept in lower case) mapped to quantity ids; checked before the default rule
 * @param maxEdgeNodes how many edge node sessions (alias maps, sequence numbers) are kept; beyond it the
 *                     least recently heard one is forgotten and needs a rebirth
 * @param maxMetricsPerEdgeNode how many metric definitions one edge node and its devices may teach in
 *                              their BIRTH messages; further ones are not learnt
 */
public record SparkplugSettings(Map<String, String> metrics, int maxEdgeNodes, int maxMetricsPerEdgeNode) {
    public static final int DEFAULT_MAX_EDGE_NODES = 32;
    public static final int DEFAULT_MAX_METRICS_PER_EDGE_NODE = 4096;

    @JsonCreator
    public SparkplugSettings(@JsonProperty("metrics") Map<String, String> metrics,
                             @JsonProperty("maxEdgeNodes") Integer maxEdgeNodes,
                             @JsonProperty("maxMetricsPerEdgeNode") Integer maxMetricsPerEdgeNode) {
        this(metrics, maxEdgeNodes == null ? DEFAULT_MAX_EDGE_NODES : maxEdgeNodes,
                maxMetricsPerEdgeNode == null ? DEFAULT_MAX_METRICS_PER_EDGE_NODE : maxMetricsPerEdgeNode);
    }

    public SparkplugSettings {
        Map<String, String> lowerCase = new HashMap<>();
        for (Map.Entry<String, String> entry : (metrics == null ? Map.<String, String>of() : metrics).entrySet()) {
            try {
                Quantity.require(entry.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metrics." + entry.getKey() + ": " + e.getMessage(), e);
            }
            lowerCase.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue());
        }
        metrics = Map.copyOf(lowerCase);
        if (maxEdgeNodes < 1 || maxEdgeNodes > 10_000) {
            throw new IllegalArgumentException("maxEdgeNodes: must be 1-10000, got " + maxEdgeNodes);
        }
        if (maxMetricsPerEdgeNode < 1 || maxMetricsPerEdgeNode > 100_000) {
            throw new IllegalArgumentException("maxMetricsPerEdgeNode: must be 1-100000, got " + maxMetricsPerEdgeNode);
        }
    }

    public static SparkplugSettings defaults() {
        return new SparkplugSettings(Map.of(), DEFAULT_MAX_EDGE_NODES, DEFAULT_MAX_METRICS_PER_EDGE_NODE);
    }

    /** The quantity a metric name stands for by configuration or the default rule; empty when neither knows it. */
    Optional<Quantity> quantityOf(String metricName) {
        if (!metrics.isEmpty()) {
            String configured = metrics.get(metricName.toLowerCase(Locale.ROOT));
            if (configured != null) {
                return Quantity.byId(configured);
            }
        }
        return NameAliases.quantityOf(metricName);
    }
}
