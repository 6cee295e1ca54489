// Reads a Glimpse cache shard with apache-arrow (JavaScript), an Arrow implementation independent of Arrow Java,
// and checks it against the values the Java test wrote to a JSON file.
// Usage: node read-shard.mjs SHARD.arrow EXPECTED.json   (exit 0 = all checks passed)
import { readFileSync } from 'node:fs';
import { tableFromIPC, Type, Precision } from 'apache-arrow';
import { dequantize } from './dequantize-int8.mjs';

const [shardPath, expectedPath] = process.argv.slice(2);
if (!shardPath || !expectedPath) {
  console.error('usage: node read-shard.mjs SHARD.arrow EXPECTED.json');
  process.exit(2);
}
const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
const table = tableFromIPC(readFileSync(shardPath));
const fail = (msg) => { console.error(`interop: ${shardPath}: ${msg}`); process.exit(1); };

const names = table.schema.fields.map((f) => f.name);
const wantNames = ['id', 'label', ...expected.fields];
if (JSON.stringify(names) !== JSON.stringify(wantNames)) fail(`columns ${JSON.stringify(names)}, expected ${JSON.stringify(wantNames)}`);
if (table.numRows !== expected.ids.length) fail(`${table.numRows} rows, expected ${expected.ids.length}`);

const [T, D] = expected.shape;
const isFloat = (precision) => (t) => t.typeId === Type.Float && t.precision === precision;
const isInt8 = (t) => t.typeId === Type.Int && t.bitWidth === 8 && t.isSigned;
const valueType = { float16: isFloat(Precision.HALF), float32: isFloat(Precision.SINGLE), int8: isInt8 }[expected.dtype];
const checkTensor = (column, shape, valueOk, what) => {
  const field = table.schema.fields.find((f) => f.name === column);
  const extName = field.metadata.get('ARROW:extension:name');
  const extMeta = field.metadata.get('ARROW:extension:metadata');
  if (extName !== 'arrow.fixed_shape_tensor') fail(`${column}: extension name ${extName}`);
  if (JSON.stringify(JSON.parse(extMeta).shape) !== JSON.stringify(shape)) fail(`${column}: shape metadata ${extMeta}, expected ${JSON.stringify(shape)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (field.type.typeId !== Type.FixedSizeList || field.type.listSize !== size) fail(`${column}: storage ${field.type}, expected FixedSizeList[${size}]`);
  const child = field.type.children[0].type;
  if (!valueOk(child)) fail(`${column}: values are ${child}, expected ${what}`);
};
for (const column of expected.columns) checkTensor(column, [T, D], valueType, expected.dtype);
for (const column of expected.scales ?? []) checkTensor(column, [T], isFloat(Precision.SINGLE), 'float32 scales');

const ids = table.getChild('id');
const labels = table.getChild('label');
for (let r = 0; r < table.numRows; r++) {
  if (ids.get(r) !== expected.ids[r]) fail(`row ${r}: id ${JSON.stringify(ids.get(r))}, expected ${JSON.stringify(expected.ids[r])}`);
  if (labels.get(r) !== expected.labels[r]) fail(`row ${r}: label ${labels.get(r)}, expected ${expected.labels[r]}`);
}
let values = 0;
for (const column of expected.columns) {
  const vec = table.getChild(column);
  const want = expected.tokens[column];
  // int8: through the dequantisation docs/cache-format.md documents; floats: as stored
  const dequantized = expected.dtype === 'int8' ? dequantize(table, column) : null;
  for (let r = 0; r < table.numRows; r++) {
    const row = dequantized ? dequantized[r] : vec.get(r);
    if (row.length !== T * D) fail(`${column} row ${r}: ${row.length} values, expected ${T * D}`);
    for (let i = 0; i < T * D; i++) {
      const got = dequantized ? row[i] : row.get(i);
      if (got !== want[r][i]) fail(`${column} row ${r} value ${i}: ${got}, expected ${want[r][i]}`);
      values++;
    }
  }
}
console.log(`interop ok: ${table.numRows} rows, ${expected.columns.length} tensor column(s) [${T}, ${D}] ${expected.dtype}, ${values} values`);
