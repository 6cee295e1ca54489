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
 * {@code arrow.fixed_shape_tensor} [T, D] column per layer over FixedSizeList&lt;halffloat|float&gt;. The first
 * (default) layer's column is {@code tokens}, further layers are {@code tokens.<layer>}; every tensor column
 * carries its layer name in the field metadata {@code glimpse.layer}. No column is nullable.
 *
 * <p>The reader relies on this fixed order to find buffers in a record batch body: id (validity, offsets, data),
 * label (validity, data), then per layer (list validity, values validity, values). Glimpse writes every validity
 * buffer empty (null count 0); shards written with bitmaps, as by Arrow Java's own writer, read the same.
 */
public record ShardSchema(TokenLayout layout, TokenDtype dtype, List<String> layers) {
    public static final String LAYER_METADATA = "glimpse.layer";
    public static final int BUFFERS_BEFORE_TOKENS = 5;
    public static final int BUFFERS_PER_LAYER = 3;

    public ShardSchema {
        layers = List.copyOf(layers);
    }

    public static String columnName(int layerIndex, String layer) {
        return layerIndex == 0 ? "tokens" : "tokens." + layer;
    }

    public FixedShapeTensorType tensorType() {
        return new FixedShapeTensorType(layout.tokens(), layout.dim());
    }

    private ArrowType valueType() {
        return new ArrowType.FloatingPoint(dtype == TokenDtype.FLOAT16 ? FloatingPointPrecision.HALF : FloatingPointPrecision.SINGLE);
    }

    public Schema toArrow(Map<String, String> schemaMetadata) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("id", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null));
        fields.add(new Field("label", FieldType.notNullable(new ArrowType.Int(32, true)), null));
        for (int i = 0; i < layers.size(); i++) {
            Field values = new Field("item", FieldType.notNullable(valueType()), null);
            FieldType tensor = new FieldType(false, tensorType(), null, Map.of(LAYER_METADATA, layers.get(i)));
            fields.add(new Field(columnName(i, layers.get(i)), tensor, List.of(values)));
        }
        return new Schema(fields, schemaMetadata);
    }

    /** Checks a shard's schema against this one; the error names the file and the first difference. */
    public void check(Schema actual, String where) {
        List<Field> f = actual.getFields();
        if (f.size() != 2 + layers.size()) {
            throw new BadInputException(where + ": has " + f.size() + " columns, expected " + (2 + layers.size()) + " (id, label, " + layers.size() + " token layer(s))");
        }
        expect(f.get(0), "id", ArrowType.Utf8.INSTANCE, where);
        expect(f.get(1), "label", new ArrowType.Int(32, true), where);
        for (int i = 0; i < layers.size(); i++) {
            Field col = f.get(2 + i);
            String name = columnName(i, layers.get(i));
            if (!col.getName().equals(name)) throw new BadInputException(where + ": column " + (2 + i) + " is '" + col.getName() + "', expected '" + name + "'");
            if (!(col.getType() instanceof FixedShapeTensorType t)) {
                throw new BadInputException(where + ": column '" + name + "' is " + col.getType() + ", not an " + FixedShapeTensorType.NAME + " tensor");
            }
            if (!Arrays.equals(t.shape(), new int[] {layout.tokens(), layout.dim()})) {
                throw new BadInputException(where + ": column '" + name + "' has shape " + Arrays.toString(t.shape()) + ", the manifest says [" + layout.tokens() + ", " + layout.dim() + "]");
            }
            if (col.getChildren().size() != 1 || !col.getChildren().get(0).getType().equals(valueType())) {
                throw new BadInputException(where + ": column '" + name + "' does not hold " + dtype.label() + " values");
            }
        }
    }

    private static void expect(Field field, String name, ArrowType type, String where) {
        if (!field.getName().equals(name) || !field.getType().equals(type)) {
            throw new BadInputException(where + ": column '" + field.getName() + "' " + field.getType() + ", expected '" + name + "' " + type);
        }
    }
}
