package io.glimpse.cache.shard;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
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
 * The Arrow schema of every shard: {@code id} utf8, {@code label} int32 (−1 unknown), then one
 * {@code arrow.fixed_shape_tensor} [T, D] column per layer over FixedSizeList&lt;halffloat|float|int8&gt;. The first
 * (default) layer's column is {@code tokens}, further layers are {@code tokens.<layer>}. An int8 entry follows each
 * token column with its scales: {@code scales} (or {@code scales.<layer>}), an {@code arrow.fixed_shape_tensor} [T]
 * over FixedSizeList&lt;float&gt;, one float32 per token, the token's values being {@code q * scale}. Every tensor
 * column carries its layer name in the field metadata {@code glimpse.layer}. No column is nullable.
 *
 * <p>The reader relies on this fixed order to find buffers in a record batch body: id (validity, offsets, data),
 * label (validity, data), then per layer (list validity, values validity, values), for int8 followed by the same
 * three of its scales. Glimpse writes every validity buffer empty (null count 0); shards written with bitmaps, as by
 * Arrow Java's own writer, read the same.
 */
public record ShardSchema(TokenLayout layout, TokenDtype dtype, List<String> layers) {
    public static final String LAYER_METADATA = "glimpse.layer";
    public static final int BUFFERS_BEFORE_TOKENS = 5;
    /** Buffers of one tensor column: list validity, values validity, values. */
    public static final int BUFFERS_PER_TENSOR = 3;

    public ShardSchema {
        layers = List.copyOf(layers);
    }

    public static String columnName(int layerIndex, String layer) {
        return layerIndex == 0 ? "tokens" : "tokens." + layer;
    }

    /** The column of layer {@code layerIndex}'s per-token scales (int8 entries only). */
    public static String scaleColumnName(int layerIndex, String layer) {
        return layerIndex == 0 ? "scales" : "scales." + layer;
    }

    public FixedShapeTensorType tensorType() {
        return new FixedShapeTensorType(layout.tokens(), layout.dim());
    }

    public FixedShapeTensorType scaleType() {
        return new FixedShapeTensorType(layout.tokens());
    }

    /** Tensor columns per layer: the tokens, and for int8 their scales. */
    public int columnsPerLayer() {
        return dtype.scaled() ? 2 : 1;
    }

    /** Body buffers per layer. */
    public int buffersPerLayer() {
        return BUFFERS_PER_TENSOR * columnsPerLayer();
    }

    /** Body buffers of a record batch. */
    public int buffers() {
        return BUFFERS_BEFORE_TOKENS + buffersPerLayer() * layers.size();
    }

    /** Index in a record batch body of layer {@code l}'s token values buffer. */
    public int tokenBuffer(int l) {
        return BUFFERS_BEFORE_TOKENS + buffersPerLayer() * l + 2;
    }

    /** Index in a record batch body of layer {@code l}'s scale values buffer (int8 entries only). */
    public int scaleBuffer(int l) {
        return tokenBuffer(l) + BUFFERS_PER_TENSOR;
    }

    private ArrowType valueType() {
        return switch (dtype) {
            case FLOAT16 -> new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
            case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case INT8 -> new ArrowType.Int(8, true);
        };
    }

    private static final ArrowType SCALE_TYPE = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);

    public Schema toArrow(Map<String, String> schemaMetadata) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("id", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null));
        fields.add(new Field("label", FieldType.notNullable(new ArrowType.Int(32, true)), null));
        for (int i = 0; i < layers.size(); i++) {
            Field values = new Field("item", FieldType.notNullable(valueType()), null);
            FieldType tensor = new FieldType(false, tensorType(), null, Map.of(LAYER_METADATA, layers.get(i)));
            fields.add(new Field(columnName(i, layers.get(i)), tensor, List.of(values)));
            if (dtype.scaled()) {
                Field scaleValues = new Field("item", FieldType.notNullable(SCALE_TYPE), null);
                FieldType scales = new FieldType(false, scaleType(), null, Map.of(LAYER_METADATA, layers.get(i)));
                fields.add(new Field(scaleColumnName(i, layers.get(i)), scales, List.of(scaleValues)));
            }
        }
        return new Schema(fields, schemaMetadata);
    }

    /** Checks a shard's schema against this one; the error names the file and the first difference. */
    public void check(Schema actual, String where) {
        List<Field> f = actual.getFields();
        int columns = 2 + columnsPerLayer() * layers.size();
        if (f.size() != columns) {
            throw new BadInputException(where + ": has " + f.size() + " columns, expected " + columns + " (id, label, " + layers.size() + " token layer(s)"
                    + (dtype.scaled() ? " each with its scales" : "") + ")");
        }
        expect(f.get(0), "id", ArrowType.Utf8.INSTANCE, where);
        expect(f.get(1), "label", new ArrowType.Int(32, true), where);
        for (int i = 0; i < layers.size(); i++) {
            int at = 2 + columnsPerLayer() * i;
            checkTensor(f.get(at), at, columnName(i, layers.get(i)), tensorType(), valueType(), dtype.label(), where);
            if (dtype.scaled()) checkTensor(f.get(at + 1), at + 1, scaleColumnName(i, layers.get(i)), scaleType(), SCALE_TYPE, "float32 scale", where);
        }
    }

    private static void checkTensor(Field col, int index, String name, FixedShapeTensorType type, ArrowType values, String what, String where) {
        if (!col.getName().equals(name)) throw new BadInputException(where + ": column " + index + " is '" + col.getName() + "', expected '" + name + "'");
        if (!(col.getType() instanceof FixedShapeTensorType t)) {
            throw new BadInputException(where + ": column '" + name + "' is " + col.getType() + ", not an " + FixedShapeTensorType.NAME + " tensor");
        }
        if (!Arrays.equals(t.shape(), type.shape())) {
            throw new BadInputException(where + ": column '" + name + "' has shape " + Arrays.toString(t.shape()) + ", the manifest says " + Arrays.toString(type.shape()));
        }
        if (col.getChildren().size() != 1 || !col.getChildren().get(0).getType().equals(values)) {
            throw new BadInputException(where + ": column '" + name + "' does not hold " + what + " values");
        }
    }

    private static void expect(Field field, String name, ArrowType type, String where) {
        if (!field.getName().equals(name) || !field.getType().equals(type)) {
            throw new BadInputException(where + ": column '" + field.getName() + "' " + field.getType() + ", expected '" + name + "' " + type);
        }
    }
}
