package org.smartschool.bridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.smartschool.bridge.text.SafeText;

/**
 * Loads a component's configuration record from YAML, on top of its defaults, then applies
 * environment overrides.
 *
 * <p>Every option has a default (the record built by {@code defaults}) and an environment
 * override: the option {@code uplink.batchMaxReadings} under prefix {@code SS_GATEWAY} is set by
 * {@code SS_GATEWAY_UPLINK_BATCH_MAX_READINGS}. An unknown key, a value of the wrong type or a value
 * the record's constructor refuses fails with the path of the key, and so does a {@code PREFIX_*}
 * variable that names no option (a misspelt override, say of a password, would otherwise be ignored in
 * silence).
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
    private final String product;
    private final Set<String> readElsewhere;

    /**
     * @param product       what the options configure, for messages ("the hub")
     * @param readElsewhere {@code PREFIX_*} variables the program reads itself, not options
     */
    public YamlConfigLoader(Class<T> type, Supplier<T> defaults, String envPrefix, String product, Set<String> readElsewhere) {
        this.type = type;
        this.defaults = defaults;
        this.envPrefix = envPrefix;
        this.product = product;
        this.readElsewhere = Set.copyOf(readElsewhere);
    }

    /** Loads {@code file} (or only the defaults when null), then the overrides in {@code env}. */
    public T load(Path file, Map<String, String> env) {
        refuseUnknownVariables(env);
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

    /** Every {@code PREFIX_*} variable that names an option, sorted. */
    public Set<String> knownVariables() {
        Set<String> names = new TreeSet<>();
        collectVariables(yaml.valueToTree(defaults.get()), "", names);
        return names;
    }

    private void collectVariables(JsonNode node, String path, Set<String> names) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (field.getValue().isObject()) {
                collectVariables(field.getValue(), key, names);
            } else {
                names.add(envName(key));
            }
        }
    }

    /**
     * Refuses {@code PREFIX_*} variables that name no option, the first with the nearest known name.
     *
     * @throws ConfigException naming them
     */
    public void refuseUnknownVariables(Map<String, String> env) {
        Set<String> known = knownVariables();
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith(envPrefix + "_") && !known.contains(name) && !readElsewhere.contains(name)) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        String name = unknown.get(0);
        String suggestion = closest(name, known);
        throw new ConfigException("environment variable " + SafeText.clean(name, 100)
                + " is not an option of " + product + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                + (unknown.size() > 1 ? "; also unknown: " + SafeText.clean(String.join(", ", unknown.subList(1, unknown.size())), 300) : "")
                + ". Options are set by " + envPrefix + "_<KEY>, e.g. " + known.iterator().next());
    }

    /** The known name nearest to {@code name} (a typo of a few letters), or null. */
    private static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= 3 ? best : null;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
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
