package org.smartschool.bridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.json.CanonicalJson;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.InvalidIdException;

/** {@code decode}: one payload in, canonical JSON lines out. */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Decodes one device payload (from --file, or stdin) with a codec and prints one canonical JSON"
                        + " record per line: readings, then events.",
                "",
                "Without --room/--device the device is taken from the topic's last two levels (room, then"
                        + " device), after dropping a final status level (availability, state, status, online,"
                        + " SENSOR, STATE, LWT); levels that are not valid ids become 'cli'. The school is 'cli'"
                        + " unless --school is given."},
        footer = {"%nExample:",
                "  echo '{\"co2\":812,\"temperature\":29.4}' | java -jar firmware-bridge.jar decode --codec zigbee2mqtt"
                        + " --topic zigbee2mqtt/r101/aq1 --school thcs-a"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:decoded without problems, or ignored on purpose by the codec (a note on stderr)",
                "1:partly decoded: the records on stdout, one problem per line on stderr",
                "2:undecodable (no record, only problems), unknown codec, unreadable input or bad option:"
                        + " one line on stderr"})
final class DecodeCommand implements Callable<Integer> {
    /** Input beyond this is not read at all; codecs reject anything over 1 MiB anyway. */
    static final int MAX_INPUT_BYTES = 16 * 1024 * 1024;

    private final CodecRegistry codecs;
    private final InputStream stdin;
    private final LongSupplier clock;

    @Spec
    private CommandSpec spec;

    @Option(names = "--codec", required = true, paramLabel = "NAME", description = "codec name, see 'codecs'")
    String codecName;

    @Option(names = "--topic", paramLabel = "T", defaultValue = "cli",
            description = "MQTT topic or CoAP path the payload came on (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--content-type", paramLabel = "CT", description = "MIME type, where the transport carries one")
    String contentType;

    @Option(names = "--file", paramLabel = "F", description = "read the payload from this file (default: stdin)")
    Path file;

    @Option(names = "--school", paramLabel = "S", description = "school id (default: cli)")
    String school;

    @Option(names = "--room", paramLabel = "R", description = "room id (default: from the topic)")
    String room;

    @Option(names = "--device", paramLabel = "D", description = "device id (default: from the topic)")
    String device;

    @Option(names = "--received-at", paramLabel = "ISO",
            description = "when the gateway received it, for payloads without a time of their own (default: now)")
    String receivedAt;

    DecodeCommand(CodecRegistry codecs, InputStream stdin, LongSupplier clock) {
        this.codecs = codecs;
        this.stdin = stdin;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Codec> codec = codecs.find(codecName);
        if (codec.isEmpty()) {
            return fail(err, "unknown codec '" + codecName + "': known codecs are "
                    + codecs.all().stream().map(Codec::name).collect(Collectors.joining(", ")));
        }
        long received;
        try {
            received = receivedAt == null ? clock.getAsLong() : Instant.parse(receivedAt).toEpochMilli();
        } catch (DateTimeParseException e) {
            return fail(err, "--received-at '" + receivedAt + "' is not an ISO 8601 UTC time like 2026-03-02T01:15:00Z");
        }
        DeviceRef ref;
        try {
            ref = TopicDevice.of(topic, school, room, device);
        } catch (InvalidIdException e) {
            return fail(err, e.getMessage());
        }
        byte[] payload;
        try {
            payload = read();
        } catch (IOException e) {
            return fail(err, "cannot read " + (file == null ? "stdin" : file.toString()) + ": " + e.getMessage());
        }
        if (payload == null) {
            return fail(err, "input is larger than " + MAX_INPUT_BYTES + " bytes; not decoded");
        }

        DecodeResult result = codec.get().decode(new RawMessage(topic, contentType, payload, received), ref);
        CanonicalJson.recordLines(result).forEach(out::println);
        out.flush();
        if (result.ignored()) {
            err.println("note: codec " + codecName + " ignores messages on topic '" + topic + "' on purpose");
            err.flush();
            return 0;
        }
        if (!result.hasProblems()) {
            return 0;
        }
        if (result.recordCount() == 0) {
            return fail(err, "undecodable input: " + result.problems().stream().map(DecodeProblem::toString)
                    .collect(Collectors.joining("; ")));
        }
        result.problems().forEach(p -> err.println(oneLine("problem: " + p)));
        err.flush();
        return BridgeCli.PARTLY_DECODED;
    }

    private byte[] read() throws IOException {
        try (InputStream in = file == null ? stdin : Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
            return bytes.length > MAX_INPUT_BYTES ? null : bytes;
        }
    }

    /** Problems are one line each even if a codec lets a control character through. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static int fail(PrintWriter err, String message) {
        err.println(oneLine("error: " + message));
        err.flush();
        return BridgeCli.FAILED;
    }
}
