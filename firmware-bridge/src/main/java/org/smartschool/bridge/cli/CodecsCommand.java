package org.smartschool.bridge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;

/** {@code codecs}: one line per codec, its name (the first word) and what it decodes. */
@Command(name = "codecs", mixinStandardHelpOptions = true,
        description = "Lists the codecs: one per line, the name first, then what it decodes.")
final class CodecsCommand implements Callable<Integer> {
    private final CodecRegistry codecs;

    @Spec
    private CommandSpec spec;

    CodecsCommand(CodecRegistry codecs) {
        this.codecs = codecs;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = codecs.all().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Codec codec : codecs.all()) {
            out.println(String.format("%-" + width + "s  %s", codec.name(), codec.description()));
        }
        out.flush();
        return 0;
    }
}
