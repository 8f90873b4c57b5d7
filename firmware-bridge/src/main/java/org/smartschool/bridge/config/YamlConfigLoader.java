package org.smartschool.bridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Loads a component's configuration record from YAML, on top of its defaults, then applies
 * environment overrides.
 *
 * <p>Every option has a default (the record built by {@code defaults}) and an environment
 * override: the option {@code uplink.batchMaxReadings} under prefix {@code SS_GATEWAY} is set by
 * {@code SS_GATEWAY_UPLINK_BATCH_MAX_READINGS}. An unknown key, a value of the wrong type or a value
 * the record's constructor refuses fails with the path of the key.
 */
public final class YamlConfigLoader<T> {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    private final Class<T> type;
    private final Supplier<T> defaults;
    private final String envPrefix;

    public YamlConfigLoader(Class<T> type, Supplier<T> defaults, String envPrefix) {
        this.type = type;
        this.defaults = defaults;
        this.envPrefix = envPrefix;
    }

    /** Loads {@code file} (or only the defaults when null), then the overrides in {@code env}. */
    public T load(Path file, Map<String, String> env) {
        String source = file == null ? "defaults" : file.toString();
        ObjectNode tree = yaml.valueToTree(defaults.get());
        if (file != null) {
            JsonNode fromFile;
            try {
                fromFile = yaml.readTree(Files.readAllBytes(file));
            } catch (JsonProcessingException e) {
                throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
            }
            if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                if (!fromFile.isObject()) {
                    throw new ConfigException(source + ": the top level must be a mapping of keys to values");
                }
                merge(tree, (ObjectNode) fromFile);
            }
        }
        List<String> applied = applyEnvironment(tree, "", env);
        try {
            return yaml.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            String where = applied.isEmpty() ? source : source + " (with environment overrides " + applied + ")";
            throw new ConfigException(where + ": bad key '" + path(e) + "': " + reason(e), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Loads from a YAML string, for tests and embedded defaults. */
    public T loadString(String text, Map<String, String> env) {
        try {
            Path tmp = Files.createTempFile("config", ".yaml");
            try {
                Files.writeString(tmp, text);
                return load(tmp, env);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot stage configuration text: " + e.getMessage(), e);
        }
    }

    /** Objects merge key by key; lists and values from the file replace the defaults. */
    private static void merge(ObjectNode base, ObjectNode overlay) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode overlayObject) {
                merge(existingObject, overlayObject);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private List<String> applyEnvironment(ObjectNode node, String path, Map<String, String> env) {
        List<String> applied = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (field.getValue() instanceof ObjectNode child) {
                applied.addAll(applyEnvironment(child, key, env));
            } else {
                String name = envName(key);
                String value = env.get(name);
                if (value != null) {
                    // a text node: Jackson coerces "8080" to an int and names the key when it cannot
                    field.setValue(TextNode.valueOf(value));
                    applied.add(name);
                }
            }
        }
        return applied;
    }

    /** {@code uplink.batchMaxReadings} becomes {@code PREFIX_UPLINK_BATCH_MAX_READINGS}. */
    public String envName(String key) {
        String snake = key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return envPrefix + "_" + snake.toUpperCase(Locale.ROOT);
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "(top level)" : out.toString();
    }

    private static String reason(JsonMappingException e) {
        Throwable cause = e.getCause();
        // a record constructor's own validation message says best what is wrong
        while (cause != null) {
            if (cause instanceof IllegalArgumentException) {
                return cause.getMessage();
            }
            cause = cause.getCause();
        }
        String message = e.getOriginalMessage();
        int cut = message.indexOf(" (class ");
        if (message.startsWith("Unrecognized field")) {
            return "unknown option" + (cut > 0 ? "" : ": " + message);
        }
        return cut > 0 ? message.substring(0, cut) : message;
    }
}
