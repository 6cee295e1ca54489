package io.glimpse.train.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/** A backbone or dataset given by name, or (hand-written files) as an object with a {@code name} member. */
final class NameOrDescription extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode v = p.readValueAsTree();
        if (v.isObject() && v.hasNonNull("name")) return v.get("name").asText();
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
