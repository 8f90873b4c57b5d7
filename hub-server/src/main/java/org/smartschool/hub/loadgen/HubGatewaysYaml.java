package org.smartschool.hub.loadgen;

import java.util.List;

/**
 * The {@code gateways:} section of a hub.yaml that lets the simulated gateways in
 * ({@code loadgen --print-config}): the hub in {@code serve} mode accepts only configured gateways.
 */
public final class HubGatewaysYaml {
    private HubGatewaysYaml() {
    }

    public static String render(List<GatewayCredential> gateways) {
        StringBuilder yaml = new StringBuilder()
                .append("# hub.yaml: the gateways of 'loadgen' (").append(gateways.size()).append(")\n")
                .append("gateways:\n");
        for (GatewayCredential g : gateways) {
            // ids are [A-Za-z0-9._-]: plain YAML scalars; the secret is quoted as it may hold anything
            yaml.append("  - id: ").append(g.id()).append('\n')
                    .append("    school: ").append(g.school()).append('\n')
                    .append("    secret: ").append(quoted(g.secret())).append('\n');
        }
        return yaml.toString();
    }

    /** A YAML double-quoted scalar. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
