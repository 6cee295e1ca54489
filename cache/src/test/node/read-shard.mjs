// Reads a Glimpse cache shard with apache-arrow (JavaScript), an Arrow implementation independent of Arrow Java,
// and checks it against the values the Java test wrote to a JSON file.
// Usage: node read-shard.mjs SHARD.arrow EXPECTED.json   (exit 0 = all checks passed)
import { readFileSync } from 'node:fs';
import { tableFromIPC, Type, Precision } from 'apache-arrow';

const [shardPath, expectedPath] = process.argv.slice(2);
if (!shardPath || !expectedPath) {
  console.error('usage: node read-shard.mjs SHARD.arrow EXPECTED.json');
  process.exit(2);
}
const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
const table = tableFromIPC(readFileSync(shardPath));
const fail = (msg) => { console.error(`interop: ${shardPath}: ${msg}`); process.exit(1); };

const names = table.schema.fields.map((f) => f.name);
const wantNames = ['id', 'label', ...expected.columns];
if (JSON.stringify(names) !== JSON.stringify(wantNames)) fail(`columns ${JSON.stringify(names)}, expected ${JSON.stringify(wantNames)}`);
if (table.numRows !== expected.ids.length) fail(`${table.numRows} rows, expected ${expected.ids.length}`);

const [T, D] = expected.shape;
const wantPrecision = expected.dtype === 'float16' ? Precision.HALF : Precision.SINGLE;
for (const column of expected.columns) {
  const field = table.schema.fields.find((f) => f.name === column);
  const extName = field.metadata.get('ARROW:extension:name');
  const extMeta = field.metadata.get('ARROW:extension:metadata');
  if (extName !== 'arrow.fixed_shape_tensor') fail(`${column}: extension name ${extName}`);
  const shape = JSON.parse(extMeta).shape;
  if (JSON.stringify(shape) !== JSON.stringify([T, D])) fail(`${column}: shape metadata ${extMeta}, expected [${T},${D}]`);
  if (field.type.typeId !== Type.FixedSizeList || field.type.listSize !== T * D) fail(`${column}: storage ${field.type}, expected FixedSizeList[${T * D}]`);
  const child = field.type.children[0].type;
  if (child.typeId !== Type.Float || child.precision !== wantPrecision) fail(`${column}: values are ${child}, expected ${expected.dtype}`);
}

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
  for (let r = 0; r < table.numRows; r++) {
    const row = vec.get(r);
    if (row.length !== T * D) fail(`${column} row ${r}: ${row.length} values, expected ${T * D}`);
    for (let i = 0; i < T * D; i++) {
      const got = row.get(i);
      if (got !== want[r][i]) fail(`${column} row ${r} value ${i}: ${got}, expected ${want[r][i]}`);
      values++;
    }
  }
}
console.log(`interop ok: ${table.numRows} rows, ${expected.columns.length} tensor column(s) [${T}, ${D}] ${expected.dtype}, ${values} values`);
