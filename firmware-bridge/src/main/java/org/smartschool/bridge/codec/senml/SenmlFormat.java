package org.smartschool.bridge.codec.senml;

import java.util.Locale;
import java.util.Optional;

/**
 * The two SenML representations a gateway receives, told apart by the message's content type only:
 * the MIME type (CoAP content-format name or MQTT 5 content type) or, from CoAP, the content-format
 * number. The SensML (streaming) types carry the same records and are read the same way.
 */
public enum SenmlFormat {
    /** RFC 8428 section 5: a JSON array of objects with text labels. CoAP content-formats 110 and 111. */
    JSON("application/senml+json", "application/sensml+json", "110", "111"),
    /** RFC 8428 section 6: a CBOR array of maps with integer labels. CoAP content-formats 112 and 113. */
    CBOR("application/senml+cbor", "application/sensml+cbor", "112", "113");

    private final String mediaType;
    private final String streamMediaType;
    private final String contentFormat;
    private final String streamContentFormat;

    SenmlFormat(String mediaType, String streamMediaType, String contentFormat, String streamContentFormat) {
        this.mediaType = mediaType;
        this.streamMediaType = streamMediaType;
        this.contentFormat = contentFormat;
        this.streamContentFormat = streamContentFormat;
    }

    public String mediaType() {
        return mediaType;
    }

    /**
     * The format a content type names ({@code application/senml+json}, {@code application/senml+cbor;x=1},
     * {@code 112}), ignoring case and parameters; empty for anything else.
     */
    public static Optional<SenmlFormat> ofContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType;
        int parameters = type.indexOf(';');
        if (parameters >= 0) {
            type = type.substring(0, parameters);
        }
        type = type.trim().toLowerCase(Locale.ROOT);
        for (SenmlFormat format : values()) {
            if (type.equals(format.mediaType) || type.equals(format.streamMediaType)
                    || type.equals(format.contentFormat) || type.equals(format.streamContentFormat)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
