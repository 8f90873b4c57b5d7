package org.smartschool.gateway.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * A tiny codec for the gateway's own tests: a flat JSON object of quantity ids to numbers
 * ({@code {"temperature":29.4,"co2":812}}), stamped with the receive time. Unknown keys and
 * non-numbers are decode problems; a payload that is not a JSON object is rejected.
 */
public final class TestJsonCodec implements Codec {
    public static final String NAME = "test-json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: flat JSON of quantity ids to numbers";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        JsonNode root;
        try {
            root = JSON.readTree(message.payload());
        } catch (IOException e) {
            return DecodeResult.rejected(new DecodeProblem(device.device(), "$", "not JSON"));
        }
        if (root == null || !root.isObject()) {
            return DecodeResult.rejected(new DecodeProblem(device.device(), "$", "not a JSON object"));
        }
        List<Reading> readings = new ArrayList<>();
        List<DecodeProblem> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            var quantity = Quantity.byId(field.getKey());
            if (quantity.isEmpty()) {
                problems.add(new DecodeProblem(device.device(), "$." + field.getKey(), "unknown quantity"));
            } else if (!field.getValue().isNumber()) {
                problems.add(new DecodeProblem(device.device(), "$." + field.getKey(), "not a number"));
            } else {
                readings.add(Reading.of(device, quantity.get(), field.getValue().asDouble(), message.receivedAt()));
            }
        }
        return DecodeResult.of(readings, List.of(), problems);
    }
}
