package org.smartschool.hub.attendance;

import java.util.Map;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.PersonalData;
import org.smartschool.bridge.text.SafeText;

/**
 * Text about an event from outside made fit for a log line or an API answer: without the values of its
 * personal attributes (a learner's id, a card uid) wherever they appear, without any other run of nine or more
 * digits (a learner's id where it should not be), cleaned by {@link SafeText}. For messages of the codecs,
 * which may quote what a bad gateway put in the wrong attribute.
 */
public final class PersonalText {
    static final String REDACTED = "<personal>";
    private static final Pattern LONG_NUMBER = Pattern.compile("[0-9]{9,}");

    private PersonalText() {
    }

    public static String redact(String text, Map<String, String> attributes, int max) {
        String out = text == null ? "" : text;
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            String value = a.getValue();
            if (PersonalData.isPersonal(a.getKey()) && value != null && value.length() >= 4) {
                out = out.replace(value, REDACTED);
            }
        }
        return SafeText.clean(LONG_NUMBER.matcher(out).replaceAll(REDACTED), max);
    }
}
