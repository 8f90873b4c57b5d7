package org.smartschool.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.config.YamlConfigLoader;
import org.smartschool.bridge.text.SafeText;

/**
 * Reads a {@link GatewayConfig} from YAML on top of the defaults; environment variables
 * {@code SS_GATEWAY_<KEY>} override single options ({@code SS_GATEWAY_NORTH_PASSWORD},
 * {@code SS_GATEWAY_UPLINK_BATCH_MAX_RECORDS}), so secrets need not sit in the file.
 *
 * <p>What a person gets wrong is said in plain words, naming the key: an unknown key or an unknown
 * {@code SS_GATEWAY_*} variable (a misspelt override would otherwise be ignored in silence), a
 * value of the wrong kind ("expected a whole number, got "many""), an empty file, and a missing
 * {@code gatewayId} or {@code school} (they have no sensible default: a gateway that starts as
 * someone else's would send its readings under the wrong name).
 */
public final class GatewayConfigLoader {
    public static final String ENV_PREFIX = "SS_GATEWAY";
    /** Options every gateway must name itself: no default fits two schools. */
    static final List<String> REQUIRED = List.of("gatewayId", "school");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern BAD_KEY = Pattern.compile("^(.*?: bad key '([^']*)': ).*$", Pattern.DOTALL);

    private final YamlConfigLoader<GatewayConfig> loader =
            new YamlConfigLoader<>(GatewayConfig.class, GatewayConfig::defaults, ENV_PREFIX, "the gateway", Set.of());

    /**
     * @param file the YAML file, or null for defaults and environment only
     * @throws ConfigException naming the file and the path of the bad key
     */
    public GatewayConfig load(Path file, Map<String, String> env) {
        loader.refuseUnknownVariables(env); // before the file: a misspelt override is the first thing to say
        JsonNode fromFile = file == null ? null : readForChecks(file);
        String unknownRuleKey = fromFile == null ? null : RecordKeys.unknownKey(fromFile.get("rules"), RulesSettings.class, "rules");
        if (unknownRuleKey != null) {
            // named before the rules are built: a misspelt key would otherwise show as what it left missing
            throw new ConfigException(file + ": bad key '" + SafeText.clean(unknownRuleKey, 200) + "': unknown option");
        }
        GatewayConfig config;
        try {
            config = loader.load(file, env);
        } catch (ConfigException e) {
            throw inPlainWords(e, fromFile, env);
        }
        String source = file == null ? "environment" : file.toString();
        for (String key : REQUIRED) {
            boolean inFile = fromFile != null && fromFile.hasNonNull(key);
            if (!inFile && env.get(envName(key)) == null) {
                throw new ConfigException(source + ": " + key + " is missing: every gateway must name its "
                        + (key.equals("school") ? "school" : "own id, as registered at the hub")
                        + " (in the file, or " + envName(key) + ")");
            }
        }
        return config;
    }

    /** For tests and embedding: YAML text instead of a file. */
    public GatewayConfig loadString(String yaml, Map<String, String> env) {
        try {
            Path tmp = Files.createTempFile("gateway-config", ".yaml");
            try {
                Files.writeString(tmp, yaml);
                return load(tmp, env);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot stage configuration text: " + e.getMessage(), e);
        }
    }

    /** The environment variable that overrides {@code key}, e.g. {@code north.password}. */
    public String envName(String key) {
        return loader.envName(key);
    }

    /** Every {@code SS_GATEWAY_*} variable that names an option, sorted. */
    public Set<String> knownVariables() {
        return loader.knownVariables();
    }

    /**
     * The file's own tree, for the checks the merged tree cannot make (which keys the file names).
     * Null when it does not parse: the loader then reports the YAML error itself.
     */
    private static JsonNode readForChecks(Path file) {
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(file + ": the file is empty: it needs at least gatewayId and school "
                    + "(see config/gateway.example.yaml)");
        }
        return tree;
    }

    /**
     * Jackson's type errors name Java types ({@code `int`}, {@code ArrayList<org.smartschool...>})
     * and its own switches ({@code CoercionConfig}); say instead what kind of value the key takes and
     * what it got.
     */
    private ConfigException inPlainWords(ConfigException e, JsonNode fromFile, Map<String, String> env) {
        MismatchedInputException mismatch = find(e, MismatchedInputException.class);
        Matcher m = BAD_KEY.matcher(e.getMessage());
        if (mismatch == null || find(e, IllegalArgumentException.class) != null || !m.matches()) {
            return e;
        }
        String key = m.group(2);
        String expected = expectedKind(mismatch.getTargetType());
        if (expected == null) {
            return e;
        }
        String given = given(mismatch, key, fromFile, env);
        return new ConfigException(m.group(1) + "expected " + expected + (given == null ? "" : ", got " + given), e);
    }

    private static String expectedKind(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(constant.toString());
            }
            return "one of " + String.join(", ", names);
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list (lines starting with '- ')";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping of keys to values";
        }
        return "a section of options (key: value lines indented below it)";
    }

    /** What the key was given: the environment's value when it overrides the key, else the file's. */
    private String given(MismatchedInputException mismatch, String key, JsonNode fromFile, Map<String, String> env) {
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            return quote(fromEnv) + " (from " + envName(key) + ")";
        }
        JsonNode node = fromFile;
        for (String part : key.split("\\.")) {
            if (node == null) {
                break;
            }
            Matcher index = Pattern.compile("^([^\\[]*)((?:\\[\\d+])*)$").matcher(part);
            if (!index.matches()) {
                node = null;
                break;
            }
            node = node.get(index.group(1));
            Matcher each = Pattern.compile("\\[(\\d+)]").matcher(index.group(2));
            while (node != null && each.find()) {
                node = node.get(Integer.parseInt(each.group(1)));
            }
        }
        if (node != null) {
            return describe(node);
        }
        if (mismatch instanceof InvalidFormatException invalid && invalid.getValue() != null) {
            return quote(String.valueOf(invalid.getValue()));
        }
        return null;
    }

    private static String describe(JsonNode node) {
        if (node.isNull()) {
            return "nothing (an empty value)";
        }
        if (node.isTextual()) {
            return quote(node.asText());
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a section";
        }
        return SafeText.clean(node.toString(), 60);
    }

    private static String quote(String text) {
        return "\"" + SafeText.clean(text, 60) + "\"";
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
