package io.glimpse.cache.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.io.IOException;
import java.util.Arrays;

/**
 * Arrow's canonical {@code arrow.fixed_shape_tensor} extension type (Arrow format spec, "Canonical Extension
 * Types"): storage is a FixedSizeList whose list size is the product of the shape, metadata is the JSON object
 * {@code {"shape":[...]}} (row-major, no dim_names/permutation). Arrow Java 19 ships no class for it, so other
 * Arrow implementations (pyarrow, arrow-js, arrow-rs) recognise our token columns through this name and metadata.
 */
public final class FixedShapeTensorType extends ArrowType.ExtensionType {
    public static final String NAME = "arrow.fixed_shape_tensor";

    private final int[] shape;

    public FixedShapeTensorType(int... shape) {
        if (shape.length == 0) throw new IllegalArgumentException("tensor shape must have at least one dimension");
        long size = 1;
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("tensor dimensions must be > 0, got " + Arrays.toString(shape));
            size *= d;
        }
        if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " too large");
        this.shape = shape.clone();
    }

    /**
     * Makes Arrow Java's readers return this type for columns that carry its name. The registry is Arrow's
     * process-wide map keyed by name; registering again replaces the same prototype, so this is idempotent.
     */
    public static void register() {
        if (!(ExtensionTypeRegistry.lookup(NAME) instanceof FixedShapeTensorType)) {
            ExtensionTypeRegistry.register(new FixedShapeTensorType(1));
        }
    }

    public int[] shape() {
        return shape.clone();
    }

    public int listSize() {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return size;
    }

    @Override
    public ArrowType storageType() {
        return new ArrowType.FixedSizeList(listSize());
    }

    @Override
    public String extensionName() {
        return NAME;
    }

    @Override
    public boolean extensionEquals(ArrowType.ExtensionType other) {
        return other instanceof FixedShapeTensorType t && Arrays.equals(shape, t.shape);
    }

    @Override
    public String serialize() {
        StringBuilder sb = new StringBuilder("{\"shape\":[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(shape[i]);
        }
        return sb.append("]}").toString();
    }

    @Override
    public ArrowType deserialize(ArrowType storageType, String serializedData) {
        if (!(storageType instanceof ArrowType.FixedSizeList list)) {
            throw new IllegalArgumentException(NAME + " needs FixedSizeList storage, got " + storageType);
        }
        int[] parsed;
        try {
            JsonNode node = new ObjectMapper().readTree(serializedData).get("shape");
            if (node == null || !node.isArray()) throw new IllegalArgumentException(NAME + " metadata lacks a shape array: " + serializedData);
            parsed = new int[node.size()];
            for (int i = 0; i < parsed.length; i++) {
                parsed[i] = node.get(i).intValue();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(NAME + " metadata is not JSON: " + serializedData, e);
        }
        FixedShapeTensorType t = new FixedShapeTensorType(parsed);
        if (t.listSize() != list.getListSize()) {
            throw new IllegalArgumentException(NAME + " shape " + Arrays.toString(parsed) + " does not match list size " + list.getListSize());
        }
        return t;
    }

    @Override
    public FieldVector getNewVector(String name, FieldType fieldType, BufferAllocator allocator) {
        FieldType storage = new FieldType(fieldType.isNullable(), storageType(), fieldType.getDictionary(), fieldType.getMetadata());
        return new FixedShapeTensorVector(name, allocator, new FixedSizeListVector(name, allocator, storage, null));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedShapeTensorType t && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return NAME + Arrays.toString(shape);
    }
}
