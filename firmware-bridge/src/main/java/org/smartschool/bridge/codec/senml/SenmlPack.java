package org.smartschool.bridge.codec.senml;

import java.util.List;

import org.smartschool.bridge.codec.DecodeProblem;

/**
 * What {@link SenmlPackReader} made of a payload: the records it could resolve, in pack order, and a
 * problem for each record or field it could not.
 *
 * @param rejected true when nothing in the pack may be used (unparseable, a newer SenML version, a
 *                 must-understand field); {@code records} is then empty
 */
public record SenmlPack(List<SenmlRecord> records, List<DecodeProblem> problems, boolean rejected) {
    public SenmlPack {
        records = List.copyOf(records);
        problems = List.copyOf(problems);
    }

    static SenmlPack rejected(DecodeProblem problem) {
        return new SenmlPack(List.of(), List.of(problem), true);
    }
}
