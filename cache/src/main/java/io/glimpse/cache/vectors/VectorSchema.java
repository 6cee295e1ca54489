package io.glimpse.cache.vectors;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.shard.FixedShapeTensorType;
import io.glimpse.cache.shard.ShardSchema;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Arrow schema of {@code vectors.arrow}: {@code label} int32, then per layer (in the entry's order) its CLS
 * vector and its patch mean, each an {@code arrow.fixed_shape_tensor} [D] over FixedSizeList&lt;float&gt;, named like
 * the shards' token columns ({@code cls}, {@code mean}, then {@code cls.<layer>}, {@code mean.<layer>}). Vector
 * column c's values are buffer {@code 2 + 3c + 2} of a record batch (label: validity, data; per column: list
 * validity, values validity, values).
 */
record VectorSchema(TokenLayout layout, List<String> layers) {
    static final int BUFFERS_BEFORE_VECTORS = 2;
    static final int BUFFERS_PER_COLUMN = 3;

    VectorSchema {
        layers = List.copyOf(layers);
    }

    int columns() {
        return 2 * layers.size();
    }

    /** Column index among the vector columns. */
    static int column(int layer, VectorKind kind) {
        return 2 * layer + kind.ordinal();
    }

    /** Buffer index of a vector column's float values in a record batch. */
    static int valuesBuffer(int column) {
        return BUFFERS_BEFORE_VECTORS + BUFFERS_PER_COLUMN * column + 2;
    }

    static int buffersPerBatch(int columns) {
        return BUFFERS_BEFORE_VECTORS + BUFFERS_PER_COLUMN * columns;
    }

    Schema toArrow(Map<String, String> metadata) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("label", FieldType.notNullable(new ArrowType.Int(32, true)), null));
        for (int l = 0; l < layers.size(); l++) {
            for (VectorKind kind : VectorKind.values()) {
                Field values = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
                FieldType tensor = new FieldType(false, new FixedShapeTensorType(layout.dim()), null, Map.of(ShardSchema.LAYER_METADATA, layers.get(l)));
                fields.add(new Field(kind.column(l, layers.get(l)), tensor, List.of(values)));
            }
        }
        return new Schema(fields, metadata);
    }

    void check(Schema actual, String where) {
        List<Field> expected = toArrow(Map.of()).getFields();
        List<Field> f = actual.getFields();
        if (f.size() != expected.size()) throw new BadInputException(where + ": has " + f.size() + " columns, expected " + expected.size());
        for (int i = 0; i < f.size(); i++) {
            Field a = f.get(i);
            Field e = expected.get(i);
            boolean sameType = a.getType() instanceof FixedShapeTensorType t ? Arrays.equals(t.shape(), new int[] {layout.dim()}) : a.getType().equals(e.getType());
            if (!a.getName().equals(e.getName()) || !sameType || !a.getChildren().stream().map(Field::getType).toList().equals(e.getChildren().stream().map(Field::getType).toList())) {
                throw new BadInputException(where + ": column " + i + " is '" + a.getName() + "' " + a.getType() + ", expected '" + e.getName() + "' " + e.getType());
            }
        }
    }
}
