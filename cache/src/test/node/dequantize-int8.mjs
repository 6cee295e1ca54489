// Dequantises an int8 tensor column of a Glimpse shard: x[t, d] = q[t, d] * scale[t], in float32.
export function dequantize(table, column = 'tokens', scaleColumn = column.replace(/^tokens/, 'scales')) {
  const field = table.schema.fields.find((f) => f.name === column);
  const [T, D] = JSON.parse(field.metadata.get('ARROW:extension:metadata')).shape;
  const q = table.getChild(column);         // FixedSizeList<int8>[T*D]
  const scales = table.getChild(scaleColumn); // FixedSizeList<float32>[T]
  return Array.from({ length: table.numRows }, (_, r) => {
    const qr = q.get(r).toArray();          // Int8Array, [T, D] row-major
    const sr = scales.get(r).toArray();     // Float32Array, one scale per token
    const x = new Float32Array(T * D);      // storing rounds the product to float32, as Glimpse does
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) x[t * D + d] = qr[t * D + d] * sr[t];
    }
    return x;                               // image r's tokens, [T, D] row-major
  });
}
