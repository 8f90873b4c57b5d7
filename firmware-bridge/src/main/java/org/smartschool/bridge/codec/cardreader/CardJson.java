package org.smartschool.bridge.codec.cardreader;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Parses a card reader's JSON frame so that no error message can carry card digits: Jackson's own
 * messages quote the offending token ("Unrecognized token 'A4B2C3D4'"), so only the position is kept.
 */
final class CardJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16).maxNumberLength(40).maxStringLength(CardReaderCodec.MAX_FRAME_BYTES).build())
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CardJson() {
    }

    static JsonNode parse(byte[] bytes) throws CardReaderCodec.FieldException {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new CardReaderCodec.FieldException("$", "JSON frame is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new CardReaderCodec.FieldException("$", "JSON frame is malformed, truncated, nested too deeply"
                    + " or not UTF-8" + where);
        } catch (IOException e) {
            throw new CardReaderCodec.FieldException("$", "JSON frame could not be read");
        }
    }
}
